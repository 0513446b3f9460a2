package postgis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/puddle/v2"
	"golang.org/x/sync/semaphore"

	"github.com/landinv/landinv/inventory"
)

// Bounded cost (成本上限). Every statement the store runs through Pool is bounded by the kind of
// query its context carries (inventory.QueryKindFrom):
//
//   - a statement timeout per kind (Options.Timeouts), set with SET LOCAL inside the statement's
//     own transaction, so that it holds behind PgBouncer's transaction pooling too (a session
//     SET would leak to other clients there);
//   - admission control: the costly kinds (inventory.QueryKind.Costly) share a budget of
//     Options.CostlyConns connections out of Options.MaxConns; waiting for it is bounded by the
//     request's deadline, after which the request is refused with EUnavailable. Cheap reads,
//     tiles and writes never wait behind costly work;
//   - errors that mean "not now" become *inventory.Error of kind EUnavailable (the database
//     cannot be reached, the pool is closed, admission timed out) or ETimeout (the statement
//     ran past its timeout), which the HTTP layer answers 503 with Retry-After, never 500.
//
// Connections taken with Pool.Acquire (migrations, the tests' set-up) are not bounded.

// Options size the pool and bound the cost of queries. Zero values take the defaults.
type Options struct {
	// MaxConns is the pool's size (default 16; a pool_max_conns in the URL wins). It is
	// capped to what the server allows: max_connections less the reserved ones, less 3 for
	// administrators and backups.
	MaxConns int
	// CostlyConns is the share of MaxConns that costly queries may hold at once (default a
	// quarter of MaxConns, at least 1).
	CostlyConns int
	// Timeouts are the statement timeouts by kind (inventory.DefaultTimeouts when empty).
	Timeouts inventory.Timeouts
	// ExecMode is pgx's query exec mode, by name (ExecModes; "" is pgx's default,
	// cache_statement); a default_query_exec_mode in the URL wins. Behind PgBouncer in
	// transaction mode: cache_describe or exec (execmode.go).
	ExecMode string
	// ReadURLs are the read replicas (hot standbys of the primary) that public reads may go
	// to (replica.go); none: every statement goes to the primary.
	ReadURLs []string
	// ReplicaCheckInterval is how often each replica's revision and lag are read (default
	// DefaultReplicaCheckInterval); ReplicaDownFor how long a replica that failed is skipped
	// (default DefaultReplicaDownFor).
	ReplicaCheckInterval, ReplicaDownFor time.Duration
	// FeatureCacheBytes bounds the cache of the features' GeoJSON (featurecache.go; 0:
	// DefaultFeatureCacheBytes; negative: no cache).
	FeatureCacheBytes int64
}

// DefaultMaxConns is the pool's size when none is configured: the database's capacity to run
// queries at once, not the web server's CPUs.
const DefaultMaxConns = 16

func (o Options) withDefaults() Options {
	if o.MaxConns <= 0 {
		o.MaxConns = DefaultMaxConns
	}
	if o.CostlyConns <= 0 {
		o.CostlyConns = max(1, o.MaxConns/4)
	}
	if o.CostlyConns > o.MaxConns-1 && o.MaxConns > 1 {
		o.CostlyConns = o.MaxConns - 1
	}
	if o.Timeouts == nil {
		o.Timeouts = inventory.DefaultTimeouts()
	}
	if o.ReplicaCheckInterval <= 0 {
		o.ReplicaCheckInterval = DefaultReplicaCheckInterval
	}
	if o.ReplicaDownFor <= 0 {
		o.ReplicaDownFor = DefaultReplicaDownFor
	}
	return o
}

// Pool is the store's connection pool: a pgxpool.Pool whose Query, QueryRow, Exec, Begin and
// BeginTx bound each statement by its kind (see above) and send it to the primary or a read
// replica (replica.go). Everything else is pgxpool's, on the primary.
type Pool struct {
	*pgxpool.Pool
	timeouts inventory.Timeouts
	costly   *semaphore.Weighted
	settings string      // more SET LOCAL statements for every transaction (sessionSettings)
	local    [][2]string // the same settings as names and values (settingsSQL)
	replicas *replicaSet // nil without read replicas
}

// retryAfter is the Retry-After hint, in seconds, of the errors below.
const retryAfter = 5

// unavailable is the error of a database that cannot be reached now.
func unavailable(err error) error {
	return &inventory.Error{Kind: inventory.EUnavailable, Reason: "the database is not reachable; retry later",
		Detail: map[string]any{"retry_after_s": retryAfter}, Err: err}
}

// admit waits for a share of the costly budget when ctx's kind is costly; release gives it
// back. Waiting ends with the request's deadline (EUnavailable) or its cancellation.
func (p *Pool) admit(ctx context.Context) (release func(), err error) {
	if !inventory.QueryKindFrom(ctx).Costly() || p.costly == nil {
		return func() {}, nil
	}
	if err := p.costly.Acquire(ctx, 1); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, &inventory.Error{Kind: inventory.EUnavailable,
				Reason: "too many expensive requests are running; retry later or narrow the request",
				Detail: map[string]any{"retry_after_s": retryAfter}, Err: err}
		}
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(func() { p.costly.Release(1) }) }, nil
}

// single runs one statement on the primary's bare pool, in its own implicit transaction rather
// than the transaction of four that start sends (BEGIN, the settings, the statement, COMMIT),
// and scans its one row into dest; its deadline is the kind's timeout (ctx's QueryKind). For
// reads that need no snapshot shared with another statement and no setting of their own, where
// the three statements around would cost more than the read: the revision (revisiongate.go),
// the text of a version by id, which never changes (codeindex.go). The caller checks that there
// are no read replicas, whose bookkeeping start keeps. Unlike start's, the statement has no
// server-side statement_timeout, serial plans or plan cache mode of its own (it sets nothing, so
// it suits PgBouncer's transaction mode), and takes no costly-query admission (both reads are
// cheap); its deadline is kept by pgx, which cancels the statement when it passes, reported as
// ETimeout as start's timeout is. Other errors are classified as start's.
func (p *Pool) single(ctx context.Context, sql string, args []any, dest ...any) error {
	k := inventory.QueryKindFrom(ctx)
	sctx, cancel := context.WithTimeout(ctx, p.timeouts.Of(k))
	defer cancel()
	if err := p.Pool.QueryRow(sctx, sql, args...).Scan(dest...); err != nil {
		if ctx.Err() == nil && sctx.Err() != nil {
			return &inventory.Error{Kind: inventory.ETimeout,
				Reason: fmt.Sprintf("the request is too expensive: it ran past the %s allowed for a %s query; retry later", p.timeouts.Of(k), k),
				Detail: map[string]any{"retry_after_s": retryAfter}, Err: err}
		}
		return p.classify(ctx, err, nil)
	}
	return nil
}

// timeoutSQL is the statement that bounds the statements of the transaction it runs in, with
// the pool's other local settings. The value is a number of milliseconds formatted here, never
// input.
func (p *Pool) timeoutSQL(ctx context.Context) string {
	return fmt.Sprintf("set local statement_timeout = %d", p.timeouts.Of(inventory.QueryKindFrom(ctx)).Milliseconds()) + p.settings
}

// classify turns the errors that mean "not now" into EUnavailable or ETimeout; others pass
// through. conn, when known, tells a broken connection apart from a failed statement.
func (p *Pool) classify(ctx context.Context, err error, conn *pgx.Conn) error {
	if err == nil || errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	var ie *inventory.Error
	if errors.As(err, &ie) {
		return err
	}
	if ctx.Err() != nil {
		// The client went away (context.Canceled) or the request's deadline passed; the
		// HTTP layer tells them apart.
		if !errors.Is(err, ctx.Err()) {
			return fmt.Errorf("%w: %w", ctx.Err(), err)
		}
		return err
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case pg.Code == "57014" && strings.Contains(pg.Message, "statement timeout"):
			// query_canceled by the statement timeout (not a COPY the client failed, which
			// PostgreSQL reports with the same code)
			k := inventory.QueryKindFrom(ctx)
			return &inventory.Error{Kind: inventory.ETimeout,
				Reason: fmt.Sprintf("the request is too expensive: it ran past the %s allowed for a %s query; narrow it (a smaller limit, bbox or near_road_m) or retry later", p.timeouts.Of(k), k),
				Detail: map[string]any{"retry_after_s": retryAfter}, Err: err}
		case strings.HasPrefix(pg.Code, "08"), strings.HasPrefix(pg.Code, "57P"), strings.HasPrefix(pg.Code, "53"):
			// connection exception, server shutting down or starting, out of resources
			return unavailable(err)
		}
		return err
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, puddle.ErrClosedPool) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || (conn != nil && conn.IsClosed()) ||
		strings.Contains(err.Error(), "closed pool") {
		return unavailable(err)
	}
	return err
}

// endCtx is the context of the statement that ends a transaction: it runs even when the
// request's context is done, briefly.
func endCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
}

// genericPlanKey marks a context whose statement takes a generic plan (withGenericPlan).
type genericPlanKey struct{}

// withGenericPlan is ctx for a statement that reads rows by key (one feature by code or by id,
// versions by id): its plan is the same whatever the values bound, so it is planned once per
// connection (plan_cache_mode = force_generic_plan) rather than for every execution.
// PostgreSQL's own choice (auto) keeps planning such a statement again with every execution
// when a custom plan looks cheaper than the generic one, e.g. for an array of ids whose length
// it then knows, or a LIMIT it then knows: measured on 100 000 plots, a bind (the planning)
// cost 0.2 ms where the execution cost 0.03 ms, and 1.9 ms for the plot by code.
func withGenericPlan(ctx context.Context) context.Context {
	return context.WithValue(ctx, genericPlanKey{}, true)
}

// planCacheMode is the plan_cache_mode of ctx's statement: force_generic_plan under
// withGenericPlan, PostgreSQL's default (auto) otherwise, where the values bound (a bbox, a
// filter) may call for plans of their own.
func planCacheMode(ctx context.Context) string {
	if g, _ := ctx.Value(genericPlanKey{}).(bool); g {
		return "force_generic_plan"
	}
	return "auto"
}

// stmt is one statement in its own transaction on an acquired connection, with its admission.
//
// One round trip: the transaction's BEGIN, its local settings (settingsSQL), the statement and
// the COMMIT are sent together as one pgx batch, which pgx pipelines (one Sync at the end; a
// statement not yet prepared on the connection costs one more round trip, once). The
// statements run in order inside the explicit transaction: when one fails, PostgreSQL skips
// the rest of the pipeline, COMMIT included, and end rolls the failed transaction back. The
// statement timeout and the serial plans are set before the statement runs, as with the
// separate BEGIN of before (PostgreSQL starts each pipelined statement's timeout afresh).
type stmt struct {
	p       *Pool
	ctx     context.Context
	conn    *pgxpool.Conn
	pc      *pgx.Conn // conn's connection, still readable after conn is released
	rep     *replica  // the read replica it runs on; nil: the primary
	br      pgx.BatchResults
	release func()
	done    bool
}

// settingsSQL is the statement that sets a transaction's local settings: the statement
// timeout ($1, in milliseconds), the plan cache mode ($2, planCacheMode) and the pool's other
// settings (sessionSettings), as set_config(..., true), which is SET LOCAL taking a bound value.
func (p *Pool) settingsSQL() string {
	sql := "select set_config('statement_timeout', $1, true), set_config('plan_cache_mode', $2, true)"
	for _, kv := range p.local {
		sql += fmt.Sprintf(", set_config('%s', '%s', true)", kv[0], kv[1])
	}
	return sql
}

// start admits, acquires a connection (on the primary or a read replica, see replica.go) and
// sends the statement's transaction in one pipeline: BEGIN, the local settings, sql, COMMIT.
// It reads the answers up to the statement's own, which the caller reads from s.br. A replica
// that fails here is marked down and the statement goes to the primary.
func (p *Pool) start(ctx context.Context, sql string, args []any) (*stmt, error) {
	release, err := p.admit(ctx)
	if err != nil {
		return nil, err
	}
	for {
		rep := p.replicas.pick(ctx)
		pool, begin := p.Pool, "begin"
		if rep != nil {
			pool, begin = rep.pool, "begin read only"
		}
		conn, err := pool.Acquire(ctx)
		if err != nil {
			err = p.classify(ctx, err, nil)
			if p.replicas.fallBack(ctx, rep, err, nil) {
				ctx = inventory.WithPrimary(ctx)
				continue
			}
			release()
			return nil, err
		}
		s := &stmt{p: p, ctx: ctx, conn: conn, pc: conn.Conn(), rep: rep, release: release}
		if len(args) == 0 && strings.Contains(sql, ";") {
			// Several statements in one string go as a simple query (a pipeline cannot
			// prepare them): BEGIN and the settings in one round trip (a simple query as
			// well), the statements in the next, the COMMIT in the last.
			_, err = conn.Exec(ctx, begin+"; "+p.timeoutSQL(ctx))
		} else {
			b := &pgx.Batch{}
			b.Queue(begin)
			b.Queue(p.settingsSQL(), strconv.FormatInt(p.timeouts.Of(inventory.QueryKindFrom(ctx)).Milliseconds(), 10), planCacheMode(ctx))
			b.Queue(sql, args...)
			b.Queue("commit")
			s.br = conn.SendBatch(ctx, b)
			_, err = s.br.Exec()
			if err == nil {
				_, err = s.br.Exec()
			}
		}
		if err != nil {
			err = p.classify(ctx, err, s.pc)
			s.release = func() {} // kept for the primary, or given back below
			s.finish(false)       //nolint:errcheck
			if p.replicas.fallBack(ctx, rep, err, s.pc) {
				ctx = inventory.WithPrimary(ctx)
				continue
			}
			release()
			return nil, err
		}
		if rep != nil {
			rep.statements.Add(1)
		}
		return s, nil
	}
}

// again reports whether s, which failed with err, should run again on the primary (it ran on
// a replica that failed or refused it); it then ends s.
func (s *stmt) again(err error) bool {
	if !s.p.replicas.fallBack(s.ctx, s.rep, err, s.pc) {
		return false
	}
	s.end(false) //nolint:errcheck
	return true
}

// end reads the rest of the pipeline (the COMMIT's answer) and gives back the connection and
// the admission. A transaction that did not commit (a statement failed, or ok is false and
// the COMMIT did not run) is rolled back; a connection left in a transaction is destroyed by
// the pool on release.
func (s *stmt) end(ok bool) error {
	if s.done {
		return nil
	}
	return s.finish(ok)
}

func (s *stmt) finish(ok bool) error {
	s.done = true
	var err error
	if s.br != nil {
		err = s.br.Close()
	} else if ok && !s.pc.IsClosed() {
		ctx, cancel := endCtx(s.ctx)
		_, err = s.conn.Exec(ctx, "commit")
		cancel()
	}
	if !s.pc.IsClosed() && s.pc.PgConn().TxStatus() != 'I' {
		ctx, cancel := endCtx(s.ctx)
		_, _ = s.conn.Exec(ctx, "rollback")
		cancel()
	}
	s.conn.Release()
	s.release()
	if !ok {
		return nil
	}
	return err
}

// Exec runs one statement bounded by its kind.
func (p *Pool) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	s, err := p.start(ctx, sql, args)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	var tag pgconn.CommandTag
	if s.br != nil {
		tag, err = s.br.Exec()
	} else {
		tag, err = s.conn.Exec(ctx, sql)
	}
	if err != nil {
		err = p.classify(ctx, err, s.pc)
		if s.again(err) {
			return p.Exec(inventory.WithPrimary(ctx), sql, args...)
		}
		s.end(false) //nolint:errcheck
		return tag, err
	}
	if err := s.end(true); err != nil {
		return tag, p.classify(ctx, err, nil)
	}
	return tag, nil
}

// Query runs one query bounded by its kind; closing the rows (or reading them to the end)
// ends its transaction.
func (p *Pool) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	s, err := p.start(ctx, sql, args)
	if err != nil {
		return nil, err
	}
	var rows pgx.Rows
	if s.br != nil {
		rows, err = s.br.Query()
	} else {
		rows, err = s.conn.Query(ctx, sql)
	}
	if err != nil {
		err = p.classify(ctx, err, s.pc)
		if s.again(err) {
			return p.Query(inventory.WithPrimary(ctx), sql, args...)
		}
		s.end(false) //nolint:errcheck
		return nil, err
	}
	return &boundRows{Rows: rows, s: s}, nil
}

// QueryRow runs a query bounded by its kind and returns its first row.
func (p *Pool) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rows, err := p.Query(ctx, sql, args...)
	return &boundRow{rows: rows, err: err}
}

// Begin starts a transaction bounded by ctx's kind.
func (p *Pool) Begin(ctx context.Context) (pgx.Tx, error) {
	return p.BeginTx(ctx, pgx.TxOptions{})
}

// BeginTx starts a transaction with options, bounded by ctx's kind: each of its statements
// may run for the kind's timeout, and a costly kind holds its admission until the
// transaction ends. A read-only transaction whose context may read from a replica may run on
// one (replica.go); any other runs on the primary.
func (p *Pool) BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error) {
	release, err := p.admit(ctx)
	if err != nil {
		return nil, err
	}
	var tx pgx.Tx
	if opts.AccessMode == pgx.ReadOnly {
		if rep := p.replicas.pick(ctx); rep != nil {
			tx, err = rep.pool.BeginTx(ctx, opts)
			if err != nil && p.replicas.fallBack(ctx, rep, p.classify(ctx, err, nil), nil) {
				tx, err = nil, nil
			} else if err == nil {
				rep.statements.Add(1)
			}
		}
	}
	if tx == nil && err == nil {
		tx, err = p.Pool.BeginTx(ctx, opts)
	}
	if err != nil {
		release()
		return nil, p.classify(ctx, err, nil)
	}
	if _, err := tx.Exec(ctx, p.timeoutSQL(ctx)); err != nil {
		err = p.classify(ctx, err, tx.Conn())
		rctx, cancel := endCtx(ctx)
		defer cancel()
		_ = tx.Rollback(rctx)
		release()
		return nil, err
	}
	return &boundTx{Tx: tx, p: p, ctx: ctx, release: release}, nil
}

// boundRows ends its statement when closed or read to the end, and classifies its error.
type boundRows struct {
	pgx.Rows
	s *stmt
}

func (r *boundRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Close()
	return false
}

func (r *boundRows) Close() {
	r.Rows.Close()
	r.s.end(r.Rows.Err() == nil) //nolint:errcheck // the rows were read; a failed commit of a read changes nothing
}

func (r *boundRows) Err() error { return r.s.p.classify(r.s.ctx, r.Rows.Err(), r.s.pc) }

func (r *boundRows) Scan(dest ...any) error {
	return r.s.p.classify(r.s.ctx, r.Rows.Scan(dest...), nil)
}

// boundRow is QueryRow's row: pgx's semantics (ErrNoRows when there is none).
type boundRow struct {
	rows pgx.Rows
	err  error
}

func (r *boundRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// boundTx is a transaction whose errors are classified and which gives back its admission
// when it ends.
type boundTx struct {
	pgx.Tx
	p       *Pool
	ctx     context.Context
	release func()
}

func (t *boundTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := t.Tx.Exec(ctx, sql, args...)
	return tag, t.p.classify(ctx, err, t.Tx.Conn())
}

func (t *boundTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	rows, err := t.Tx.Query(ctx, sql, args...)
	return rows, t.p.classify(ctx, err, t.Tx.Conn())
}

func (t *boundTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return &txRow{row: t.Tx.QueryRow(ctx, sql, args...), t: t, ctx: ctx}
}

func (t *boundTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	n, err := t.Tx.CopyFrom(ctx, table, cols, src)
	return n, t.p.classify(ctx, err, t.Tx.Conn())
}

func (t *boundTx) Commit(ctx context.Context) error {
	defer t.release()
	return t.p.classify(ctx, t.Tx.Commit(ctx), nil)
}

func (t *boundTx) Rollback(ctx context.Context) error {
	defer t.release()
	return t.Tx.Rollback(ctx)
}

type txRow struct {
	row pgx.Row
	t   *boundTx
	ctx context.Context
}

func (r *txRow) Scan(dest ...any) error {
	return r.t.p.classify(r.ctx, r.row.Scan(dest...), r.t.Tx.Conn())
}

// Timeouts returns the statement timeouts the store bounds queries with.
func (db *DB) Timeouts() inventory.Timeouts { return db.Pool.timeouts }
