package postgis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/landinv/landinv/inventory"
)

// Read replicas (只读副本). Options.ReadURLs names hot standbys of the primary (PostgreSQL
// streaming replication; DATABASE_READ_URL in cmd/landinv). The pool (pool.go) sends each
// statement to one database by the rules of inventory's read routing (inventory/replica.go):
//
//   - a statement whose context may read from a replica (inventory.ReadsFromReplica: an
//     explicit read, costly, tile or report kind) goes to a replica that is up and has
//     replayed the context's minimum revision (inventory.MinRevisionFrom), round robin; when
//     none has, to the primary. A replica's revision is known from its last check and is read
//     again on demand when a context asks for more: replicas only move forward, so a revision
//     once seen stays reached;
//   - everything else goes to the primary, and so do transactions (BeginTx) that are not
//     read-only;
//   - a replica that fails (cannot connect, the connection breaks, it shuts down) is marked
//     down for Options.ReplicaDownFor and the statement runs again on the primary: a reader
//     never gets an error from a replica it could have avoided. A statement a replica refuses
//     (a write in a read-only transaction, a cancel for a conflict with recovery) also runs
//     again on the primary. Rows already streamed from a replica that dies mid-way cannot be
//     taken back: that one response fails, as it would on the primary;
//   - a check every Options.ReplicaCheckInterval (and on demand, for /readyz and /metrics)
//     reads each replica's revision and lag and brings a replica that answers back.

// DefaultReplicaCheckInterval and DefaultReplicaDownFor are the replica checks' defaults.
const (
	DefaultReplicaCheckInterval = 2 * time.Second
	DefaultReplicaDownFor       = 5 * time.Second
)

// replica is one read replica.
type replica struct {
	host string // host:port, for metrics and /readyz
	pool *pgxpool.Pool

	mu        sync.Mutex
	ok        bool
	downUntil time.Time
	lagS      float64
	lagBytes  int64

	revision   atomic.Int64 // the highest inventory revision seen replayed on it (-1: unknown)
	statements atomic.Int64
	fallbacks  atomic.Int64
}

// replicaSet is the pool's replicas and their checks.
type replicaSet struct {
	list     []*replica
	primary  *pgxpool.Pool // for the WAL position the lag in bytes is measured against
	next     atomic.Uint32 // round robin
	downFor  time.Duration
	interval time.Duration
	log      *slog.Logger
	stop     context.CancelFunc
	done     chan struct{}
}

// openReplicas makes a pool per read URL, configured like the primary's (cfg: connect timeout,
// tracer, serial plans, size), and starts the background check. No connection is made yet.
func openReplicas(ctx context.Context, urls []string, primary *pgxpool.Pool, like *pgxpool.Config, opts Options, log *slog.Logger) (*replicaSet, error) {
	rs := &replicaSet{primary: primary, downFor: opts.ReplicaDownFor, interval: opts.ReplicaCheckInterval, log: log}
	for i, u := range urls {
		cfg, err := pgxpool.ParseConfig(u)
		if err != nil {
			rs.close()
			return nil, fmt.Errorf("open database: parse DATABASE_READ_URL (replica %d): %w", i+1, err)
		}
		cfg.MaxConns = like.MaxConns
		if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > 2*time.Second {
			cfg.ConnConfig.ConnectTimeout = 2 * time.Second // a replica that does not answer is skipped quickly
		}
		cfg.ConnConfig.Tracer = like.ConnConfig.Tracer
		// The same exec mode as the primary's (a replica behind PgBouncer needs it too); the
		// serial-plan setting comes with every transaction's SET LOCAL (Pool.settings).
		if err := applyExecMode(cfg, u, opts.ExecMode); err != nil {
			rs.close()
			return nil, fmt.Errorf("open database: replica %d: %w", i+1, err)
		}
		p, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			rs.close()
			return nil, fmt.Errorf("open database: replica %d: %w", i+1, err)
		}
		r := &replica{host: net.JoinHostPort(cfg.ConnConfig.Host, fmt.Sprint(cfg.ConnConfig.Port)), pool: p, ok: true}
		r.revision.Store(-1)
		rs.list = append(rs.list, r)
	}
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	rs.stop, rs.done = cancel, make(chan struct{})
	go rs.loop(bg)
	return rs, nil
}

// loop checks every replica every interval until the set is closed.
func (rs *replicaSet) loop(ctx context.Context) {
	defer close(rs.done)
	t := time.NewTicker(rs.interval)
	defer t.Stop()
	for {
		rs.checkAll(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (rs *replicaSet) close() {
	if rs == nil {
		return
	}
	if rs.stop != nil {
		rs.stop()
		<-rs.done
	}
	for _, r := range rs.list {
		r.pool.Close()
	}
}

// checkAll checks every replica at once and returns their status.
func (rs *replicaSet) checkAll(ctx context.Context) []inventory.ReplicaStatus {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var primaryLSN *string // nil when the primary does not answer
	if err := rs.primary.QueryRow(ctx, "select pg_current_wal_lsn()::text").Scan(&primaryLSN); err != nil {
		primaryLSN = nil
	}
	out := make([]inventory.ReplicaStatus, len(rs.list))
	var wg sync.WaitGroup
	for i, r := range rs.list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs.check(ctx, r, primaryLSN)
			out[i] = r.status()
		}()
	}
	wg.Wait()
	return out
}

// check reads r's revision and lag; a replica that answers is up, one that does not is down.
// The lag is 0 when r has replayed everything the primary wrote (primaryLSN, when known), else
// the age of the last transaction r replayed (or, when it replayed none since it started, the
// time since it started).
func (rs *replicaSet) check(ctx context.Context, r *replica, primaryLSN *string) {
	var (
		rev      int64
		lagS     float64
		lagBytes *int64
	)
	err := r.pool.QueryRow(ctx, `select (select n from inventory_revision),
			case when pg_last_wal_replay_lsn() is null then null
			     when $1::text is null then pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint
			     else greatest(0, pg_wal_lsn_diff($1::text::pg_lsn, pg_last_wal_replay_lsn()))::bigint end`,
		primaryLSN).Scan(&rev, &lagBytes)
	if err == nil && (lagBytes == nil || *lagBytes > 0) {
		// No transaction replayed since the standby started: it is at least that far behind.
		err = r.pool.QueryRow(ctx, `select extract(epoch from now() - coalesce(pg_last_xact_replay_timestamp(), pg_postmaster_start_time()))::float8`).Scan(&lagS)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		if r.ok {
			rs.log.Warn("read replica down; reads go to the primary", "replica", r.host, "err", err)
		}
		r.ok, r.downUntil, r.lagS, r.lagBytes = false, time.Now().Add(rs.downFor), -1, -1
		return
	}
	if !r.ok && time.Now().Before(r.downUntil) {
		// Down not long ago: wait for downFor to pass before trusting it again.
		r.lagS, r.lagBytes = lagS, derefOr(lagBytes, -1)
		r.raise(rev)
		return
	}
	if !r.ok {
		rs.log.Info("read replica back", "replica", r.host)
	}
	r.ok, r.lagS, r.lagBytes = true, max(0, lagS), derefOr(lagBytes, -1)
	r.raise(rev)
}

func derefOr(p *int64, def int64) int64 {
	if p == nil {
		return def
	}
	return *p
}

// raise records that r has replayed revision rev.
func (r *replica) raise(rev int64) {
	for {
		cur := r.revision.Load()
		if rev <= cur || r.revision.CompareAndSwap(cur, rev) {
			return
		}
	}
}

func (r *replica) up() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ok
}

// fail marks r down after a failed statement.
func (r *replica) fail(rs *replicaSet, err error) {
	r.fallbacks.Add(1)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ok {
		rs.log.Warn("read replica failed; marked down, reads go to the primary", "replica", r.host, "for", rs.downFor, "err", err)
	}
	r.ok, r.downUntil, r.lagS, r.lagBytes = false, time.Now().Add(rs.downFor), -1, -1
}

func (r *replica) status() inventory.ReplicaStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return inventory.ReplicaStatus{Host: r.host, OK: r.ok, LagSeconds: r.lagS, LagBytes: r.lagBytes,
		Revision: r.revision.Load(), Statements: r.statements.Load(), Fallbacks: r.fallbacks.Load()}
}

// pick returns the replica ctx's statement goes to, or nil for the primary (see above).
func (rs *replicaSet) pick(ctx context.Context) *replica {
	if rs == nil || len(rs.list) == 0 || !inventory.ReadsFromReplica(ctx) {
		return nil
	}
	min := inventory.MinRevisionFrom(ctx)
	n := len(rs.list)
	start := int(rs.next.Add(1)) % n
	var behind []*replica
	for i := range n {
		r := rs.list[(start+i)%n]
		if !r.up() {
			continue
		}
		if r.revision.Load() >= min {
			return r
		}
		behind = append(behind, r)
	}
	// None known to have replayed min: ask those that are up, once.
	for _, r := range behind {
		var rev int64
		if err := r.pool.QueryRow(ctx, "select n from inventory_revision").Scan(&rev); err != nil {
			if ctx.Err() == nil {
				r.fail(rs, err)
			}
			continue
		}
		r.raise(rev)
		if rev >= min {
			return r
		}
	}
	return nil
}

// fallBack reports whether a statement that failed on a replica with err should run again on
// the primary: the replica cannot be reached or broke (it is then marked down), or it refused
// the statement (a write in a read-only transaction, SQLSTATE 25006; a conflict with recovery,
// 40001; the standby shutting down or starting, 57P0x).
func (rs *replicaSet) fallBack(ctx context.Context, r *replica, err error, conn *pgx.Conn) bool {
	if r == nil || err == nil || ctx.Err() != nil || errors.Is(err, pgx.ErrNoRows) {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "25006", "40001":
			r.fallbacks.Add(1)
			return true
		}
	}
	var ie *inventory.Error
	if errors.As(err, &ie) && ie.Kind == inventory.EUnavailable || conn != nil && conn.IsClosed() {
		r.fail(rs, err)
		return true
	}
	return false
}

// ReplicaStatus checks every read replica now and returns what it found (nil without
// replicas): for /readyz and /metrics. A replica that answers comes back into use.
func (db *DB) ReplicaStatus(ctx context.Context) []inventory.ReplicaStatus {
	if db.Pool.replicas == nil {
		return nil
	}
	return db.Pool.replicas.checkAll(ctx)
}

// HasReplicas reports whether the store reads from replicas (Options.ReadURLs).
func (db *DB) HasReplicas() bool { return db.Pool.replicas != nil && len(db.Pool.replicas.list) > 0 }

// revision reads the inventory's revision through the pool and, when a replica answered,
// records it as reached on that replica.
func (p *Pool) revision(ctx context.Context) (int64, error) {
	s, err := p.start(ctx, "select n from inventory_revision", nil)
	if err != nil {
		return 0, err
	}
	var rev int64
	if err := s.br.QueryRow().Scan(&rev); err != nil {
		err = p.classify(ctx, err, s.pc)
		s.end(false) //nolint:errcheck
		if p.replicas.fallBack(ctx, s.rep, err, s.pc) {
			return p.revision(inventory.WithPrimary(ctx))
		}
		return 0, err
	}
	s.end(true) //nolint:errcheck
	if s.rep != nil {
		s.rep.raise(rev)
	}
	return rev, nil
}
