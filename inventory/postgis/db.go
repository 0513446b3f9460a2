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

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/landinv/landinv/inventory"
)

// DB is the PostGIS store.
type DB struct {
	Pool *pgxpool.Pool
	log  *slog.Logger
	// defaultZone is used when a request names no zone; empty means the first zone by code.
	defaultZone string
	// stmts caches the statements that write versions, per layer and source (version.go).
	stmts sync.Map
	// tracer times every statement for the observer set by ObserveQueries (tracer.go).
	tracer *queryTracer
}

// Open connects to the database at url.
func Open(ctx context.Context, url string, log *slog.Logger) (*DB, error) {
	if url == "" {
		return nil, errors.New("open database: DATABASE_URL is empty")
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open database: parse DATABASE_URL: %w", err)
	}
	tracer := &queryTracer{}
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if log == nil {
		log = slog.Default()
	}
	return &DB{Pool: pool, log: log, tracer: tracer}, nil
}

// Close closes the pool.
func (db *DB) Close() { db.Pool.Close() }

// SetDefaultZone sets the zone used when a request names none.
func (db *DB) SetDefaultZone(code string) { db.defaultZone = code }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.Pool.QueryRow(ctx, "select 1").Scan(&one); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
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
			Reason: "a concurrent change to this zone got there first; read the inventory again and retry", Err: err}
	case "23P01": // exclusion_violation: two versions of one code valid at once
		return &inventory.Error{Kind: inventory.EConflict, Field: "version", Reason: "another version of this feature is valid at the same time", Err: err}
	case "23505": // unique_violation
		return &inventory.Error{Kind: inventory.EConflict, Field: "code", Reason: "already exists", Err: err}
	case "23503": // foreign_key_violation
		field := constraintField(pg.ConstraintName)
		return &inventory.Error{Kind: inventory.EInvalid, Field: field, Reason: "is not a known code", Err: err}
	case "23514", "23502", "22P02", "22003", "22007", "22008": // check, not null, bad text, out of range, bad date
		field := pg.ColumnName
		if field == "" {
			field = constraintField(pg.ConstraintName)
		}
		return &inventory.Error{Kind: inventory.EInvalid, Field: field, Reason: "is not allowed: " + pg.Message, Err: err}
	case "XX000", "22023": // PostGIS parse errors (e.g. ST_GeomFromGeoJSON)
		msg := strings.ToLower(pg.Message)
		if strings.Contains(msg, "does not match column type") {
			return &inventory.Error{Kind: inventory.EInvalid, Field: "geometry", Reason: "has the wrong type for this layer: " + pg.Message, Err: err}
		}
		if strings.Contains(msg, "geojson") || strings.Contains(msg, "geometry") {
			return &inventory.Error{Kind: inventory.EInvalid, Field: "geometry", Reason: "is not valid GeoJSON: " + pg.Message, Err: err}
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
		}
	}
	return e
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
