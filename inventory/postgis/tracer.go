package postgis

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/landinv/landinv/inventory"
)

// QueryObserver is told of every statement the store runs (查询观测): its kind (the
// context's inventory.QueryKind), how long it took (for a query, until its rows were closed)
// and whether PostgreSQL cancelled it by its statement timeout. The web server's metrics are
// one (web.Metrics.ObserveQuery); cmd/landinv installs it with DB.ObserveQueries.
type QueryObserver func(kind inventory.QueryKind, took time.Duration, timedOut bool)

// queryTracer is the pgx tracer Open installs on every connection of the pool. It times
// Query, QueryRow, Exec and CopyFrom and hands each to the observer, if one is set; without
// one it costs one atomic load per statement.
type queryTracer struct {
	observe atomic.Pointer[QueryObserver]
}

var (
	_ pgx.QueryTracer    = (*queryTracer)(nil)
	_ pgx.CopyFromTracer = (*queryTracer)(nil)
)

type traceStartKey struct{}

// ObserveQueries makes o the observer of every later statement (nil: none). Safe to call while
// the store serves.
func (db *DB) ObserveQueries(o QueryObserver) {
	if db.tracer == nil {
		return
	}
	if o == nil {
		db.tracer.observe.Store(nil)
		return
	}
	db.tracer.observe.Store(&o)
}

func (t *queryTracer) start(ctx context.Context) context.Context {
	if t.observe.Load() == nil {
		return ctx
	}
	return context.WithValue(ctx, traceStartKey{}, time.Now())
}

func (t *queryTracer) end(ctx context.Context, err error) {
	o := t.observe.Load()
	began, ok := ctx.Value(traceStartKey{}).(time.Time)
	if o == nil || !ok {
		return
	}
	(*o)(inventory.QueryKindFrom(ctx), time.Since(began), isStatementTimeout(ctx, err))
}

// isStatementTimeout reports whether err is PostgreSQL cancelling the statement (SQLSTATE 57014
// query_canceled) while the caller still wanted the answer: its statement_timeout, not a
// client that went away.
func isStatementTimeout(ctx context.Context, err error) bool {
	var pg *pgconn.PgError
	return err != nil && errors.As(err, &pg) && pg.Code == "57014" && ctx.Err() == nil
}

// TraceQueryStart implements pgx.QueryTracer.
func (t *queryTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return t.start(ctx)
}

// TraceQueryEnd implements pgx.QueryTracer.
func (t *queryTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryEndData) {
	t.end(ctx, data.Err)
}

// TraceCopyFromStart implements pgx.CopyFromTracer (the import's staging copy).
func (t *queryTracer) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	return t.start(ctx)
}

// TraceCopyFromEnd implements pgx.CopyFromTracer.
func (t *queryTracer) TraceCopyFromEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceCopyFromEndData) {
	t.end(ctx, data.Err)
}

var _ pgx.BatchTracer = (*queryTracer)(nil)

// TraceBatchStart implements pgx.BatchTracer: a statement in its own transaction is sent as one
// pipelined batch (pool.go), observed as one statement.
func (t *queryTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return t.start(ctx)
}

// TraceBatchQuery implements pgx.BatchTracer.
func (t *queryTracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

// TraceBatchEnd implements pgx.BatchTracer.
func (t *queryTracer) TraceBatchEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchEndData) {
	t.end(ctx, data.Err)
}
