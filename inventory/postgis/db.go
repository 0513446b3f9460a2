// Package postgis implements the inventory's services on PostgreSQL 15 + PostGIS 3. It is the
// only package with SQL. Identifiers that reach SQL come only from the inventory package's
// layer and field allow-lists; every value is a bound parameter.
package postgis

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/semaphore"

	"github.com/landinv/landinv/inventory"
)

// DB is the PostGIS store.
type DB struct {
	// Pool bounds every statement by its kind (pool.go).
	Pool *Pool
	log  *slog.Logger
	// defaultZone is used when a request names no zone; empty means the first zone by code.
	defaultZone string
	// stmts caches the statements that write versions, per layer and source (version.go).
	stmts sync.Map
	// tracer times every statement for the observer set by ObserveQueries (tracer.go).
	tracer *queryTracer
	// health is the readiness check's own connection (Ping), outside the pool.
	health health
	// features keeps the GeoJSON of feature versions lists have built (featurecache.go); nil:
	// none.
	features *featureCache
	// codes answers a read of one live feature by code from memory when nothing has changed
	// (codeindex.go); nil without the feature cache.
	codes *codeIndexes
	// revisions reads the inventory's revision for concurrent callers in shared statements
	// (revisiongate.go): Revision, and the reads by code.
	revisions *revisionGate
}

// Open connects to the database at url with the default Options.
func Open(ctx context.Context, url string, log *slog.Logger) (*DB, error) {
	return OpenWith(ctx, url, log, Options{})
}

// OpenWith connects to the database at url, sizing the pool and bounding queries by opts
// (pool.go). The database need not be up yet: connections are made when first needed.
func OpenWith(ctx context.Context, url string, log *slog.Logger, opts Options) (*DB, error) {
	if url == "" {
		return nil, errors.New("open database: DATABASE_URL is empty")
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open database: parse DATABASE_URL: %w", err)
	}
	if log == nil {
		log = slog.Default()
	}
	opts = opts.withDefaults()
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = int32(opts.MaxConns)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	// Nothing outlives a transaction, for PgBouncer (execmode.go): the exec mode (before the
	// first connection, capConns's), and serial plans set locally in each transaction.
	if err := applyExecMode(cfg, url, opts.ExecMode); err != nil {
		return nil, err
	}
	capConns(ctx, cfg, log)
	if opts.CostlyConns >= int(cfg.MaxConns) {
		opts.CostlyConns = max(1, int(cfg.MaxConns)-1)
	}
	tracer := &queryTracer{}
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db := &DB{Pool: &Pool{Pool: pool, timeouts: opts.Timeouts, costly: semaphore.NewWeighted(int64(opts.CostlyConns)),
		settings: sessionSettings(cfg), local: sessionLocals(cfg)}, log: log, tracer: tracer,
		features: newFeatureCache(opts.FeatureCacheBytes)}
	db.revisions = newRevisionGate(db.Pool)
	if db.features != nil {
		db.codes = newCodeIndexes(db, maxIndexedCodes)
	}
	if len(opts.ReadURLs) > 0 {
		db.Pool.replicas, err = openReplicas(ctx, opts.ReadURLs, pool, cfg, opts, log)
		if err != nil {
			pool.Close()
			return nil, err
		}
	}
	db.health.cfg = cfg.ConnConfig.Copy()
	db.health.sem = make(chan struct{}, 1)
	db.health.timeout = opts.Timeouts.Of(inventory.KindHealth)
	return db, nil
}

// capConns lowers cfg.MaxConns to what the server allows: max_connections less the
// connections reserved for superusers, less 3 for administrators, backups and the readiness
// check. A server that cannot be reached now is not an error: the pool keeps its size.
func capConns(ctx context.Context, cfg *pgxpool.Config, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
	if err != nil {
		log.Warn("database not reachable at start; pool size not checked against max_connections", "err", err)
		return
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var maxConns, reserved int32
	if err := conn.QueryRow(ctx, `select current_setting('max_connections')::int,
		current_setting('superuser_reserved_connections')::int`).Scan(&maxConns, &reserved); err != nil {
		log.Warn("could not read max_connections", "err", err)
		return
	}
	if allowed := max(2, maxConns-reserved-3); cfg.MaxConns > allowed {
		log.Warn("pool larger than the database allows; capped", "asked", cfg.MaxConns, "max_connections", maxConns, "pool", allowed)
		cfg.MaxConns = allowed
	}
}

// Close closes the pool, the read replicas' pools and the readiness check's connection.
func (db *DB) Close() {
	if db.codes != nil {
		db.codes.close()
	}
	db.Pool.replicas.close()
	db.Pool.Close()
	db.health.close()
}

// SetDefaultZone sets the zone used when a request names none.
func (db *DB) SetDefaultZone(code string) { db.defaultZone = code }

// Ping checks that the database answers. It uses a connection of its own, outside the pool and
// its admission control, with the health kind's timeout: a pool busy with costly requests does
// not make the database look unreachable.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.health.ping(ctx); err != nil {
		return fmt.Errorf("ping database: %w", unavailable(err))
	}
	return nil
}

// health is the readiness check's connection: made when first needed, made again after a
// failure, used by one check at a time.
type health struct {
	cfg     *pgx.ConnConfig
	sem     chan struct{}
	timeout time.Duration
	mu      sync.Mutex // guards conn against Close
	conn    *pgx.Conn
}

func (h *health) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	select {
	case h.sem <- struct{}{}:
		defer func() { <-h.sem }()
	case <-ctx.Done():
		return ctx.Err()
	}
	h.mu.Lock()
	conn := h.conn
	h.mu.Unlock()
	if conn == nil || conn.IsClosed() {
		c, err := pgx.ConnectConfig(ctx, h.cfg)
		if err != nil {
			return err
		}
		h.mu.Lock()
		h.conn, conn = c, c
		h.mu.Unlock()
	}
	var one int
	err := conn.QueryRow(ctx, "select 1").Scan(&one)
	if err != nil {
		conn.Close(context.WithoutCancel(ctx)) //nolint:errcheck
	}
	return err
}

func (h *health) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		h.conn.Close(ctx) //nolint:errcheck
		h.conn = nil
	}
}

// Migrate applies the migrations in migrations (files NNNN_name.sql, at any depth named by
// dir) that the database has not seen, each in its own transaction, under an advisory lock so
// that two processes starting at once do not race.
func (db *DB) Migrate(ctx context.Context, migrations fs.FS, dir string) (applied []string, err error) {
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("migrate: read %s: %w", dir, err)
	}
	type mig struct {
		version int
		name    string
	}
	var migs []mig
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, convErr := strconv.Atoi(num)
		if !ok || convErr != nil {
			return nil, fmt.Errorf("migrate: %s: name must start with a number and '_'", e.Name())
		}
		migs = append(migs, mig{v, e.Name()})
	}
	sort.Slice(migs, func(i, j int) bool { return migs[i].version < migs[j].version })

	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "select pg_advisory_lock(hashtext('landinv.migrate'))"); err != nil {
		return nil, fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "select pg_advisory_unlock(hashtext('landinv.migrate'))") //nolint:errcheck
	if _, err := conn.Exec(ctx, `create table if not exists schema_migrations (
		version integer primary key, name text not null, applied_at timestamptz not null default now())`); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	done := map[int]bool{}
	rows, err := conn.Query(ctx, "select version from schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		done[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	for _, m := range migs {
		if done[m.version] {
			continue
		}
		sql, err := fs.ReadFile(migrations, path.Join(dir, m.name))
		if err != nil {
			return applied, fmt.Errorf("migrate: read %s: %w", m.name, err)
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(sql)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "insert into schema_migrations (version, name) values ($1, $2)", m.version, m.name)
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migrate: apply %s: %w", m.name, err)
		}
		db.log.Info("applied migration", "name", m.name)
		applied = append(applied, m.name)
	}
	return applied, nil
}

// asError turns a rule violation raised by the database (SQLSTATE LI422 / LI409 with a JSON
// DETAIL, or a check, unique or foreign-key violation) into an *inventory.Error.
func asError(err error) error {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return err
	}
	kind := ""
	switch pg.Code {
	case "LI422":
		kind = inventory.EInvalid
	case "LI409":
		kind = inventory.EConflict
	case "40001", "40P01": // serialization failure, deadlock: a concurrent write got there first
		return &inventory.Error{Kind: inventory.EConflict, Field: "geometry",
			Reason: "a concurrent change to this zone got there first; read the inventory again and retry", Err: err, Code: inventory.CodeConcurrent}
	case "23P01": // exclusion_violation: two versions of one code valid at once
		return &inventory.Error{Kind: inventory.EConflict, Field: "version", Reason: "another version of this feature is valid at the same time", Err: err, Code: inventory.CodeVersionClash}
	case "23505": // unique_violation
		return &inventory.Error{Kind: inventory.EConflict, Field: "code", Reason: "already exists", Err: err, Code: inventory.CodeExists}
	case "23503": // foreign_key_violation
		field := constraintField(pg.ConstraintName)
		e := &inventory.Error{Kind: inventory.EInvalid, Field: field, Reason: "is not a known code", Err: err, Code: inventory.CodeUnknownRef}
		if field == "land_use" {
			e.Code, e.Params = inventory.CodeUnknownLandUse, map[string]any{"value": fkValue(pg.Detail)}
		}
		return e
	case "23514": // check_violation: the rule in words (constraints.go)
		return checkViolation(pg)
	case "23502", "22P02", "22003", "22007", "22008": // not null, bad text, out of range, bad date
		field := pg.ColumnName
		if field == "" {
			field = constraintField(pg.ConstraintName)
		}
		code := map[string]string{"23502": inventory.CodeRequired, "22P02": inventory.CodeWrongType, "22003": inventory.CodeOutOfRange,
			"22007": inventory.CodeNotADate, "22008": inventory.CodeNotADate}[pg.Code]
		if code == inventory.CodeOutOfRange {
			code = inventory.CodeNotANumber // out of the column type's range: no limits to name
		}
		return &inventory.Error{Kind: inventory.EInvalid, Field: field, Reason: "is not allowed: " + pg.Message, Err: err, Code: code}
	case "XX000", "22023": // PostGIS parse errors (e.g. ST_GeomFromGeoJSON)
		msg := strings.ToLower(pg.Message)
		if strings.Contains(msg, "does not match column type") {
			return &inventory.Error{Kind: inventory.EInvalid, Field: "geometry", Reason: "has the wrong type for this layer: " + pg.Message, Err: err, Code: inventory.CodeGeometryType}
		}
		if strings.Contains(msg, "geojson") || strings.Contains(msg, "geometry") {
			return &inventory.Error{Kind: inventory.EInvalid, Field: "geometry", Reason: "is not valid GeoJSON: " + pg.Message, Err: err, Code: inventory.CodeInvalidGeometry}
		}
		return err
	default:
		return err
	}
	e := &inventory.Error{Kind: kind, Err: err, Reason: pg.Message}
	if pg.Detail != "" {
		var d map[string]any
		if jerr := jsonUnmarshal([]byte(pg.Detail), &d); jerr == nil {
			if f, ok := d["field"].(string); ok {
				e.Field = f
			}
			if r, ok := d["reason"].(string); ok {
				e.Reason = r
			}
			delete(d, "field")
			delete(d, "reason")
			if len(d) > 0 {
				e.Detail = d
			}
			e.Code, e.Params = triggerRule(e.Field, e.Reason, d)
		}
	}
	return e
}

// fkValue reads the refused value from a foreign-key violation's detail, `Key (land_use)=(9999)
// is not present in table "land_use_codes".`.
func fkValue(detail string) string {
	_, rest, ok := strings.Cut(detail, ")=(")
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, ") ")
	return strings.TrimSuffix(v, ")")
}

// constraintField guesses the column from a constraint name such as plots_land_use_fkey or
// plots_status_check.
func constraintField(name string) string {
	for _, l := range append(inventory.Layers(), inventory.RecordLayers()...) {
		prefix := l.Table + "_"
		if strings.HasPrefix(name, prefix) {
			rest := strings.TrimPrefix(name, prefix)
			for _, suf := range []string{"_fkey", "_check", "_key"} {
				rest = strings.TrimSuffix(rest, suf)
			}
			if _, ok := l.Field(rest); ok {
				return rest
			}
		}
	}
	return name
}

// AsError turns a rule violation raised by the database into an *inventory.Error (other errors
// pass through). Exported for callers that run their own SQL through the pool, such as tests.
func AsError(err error) error {
	if err == nil {
		return nil
	}
	return asError(err)
}
