package inventory

import (
	"context"
	"time"
)

// QueryKind is the kind of work a request asks of the store (查询类别). The store bounds each
// kind on its own: a statement timeout per kind, and for the expensive kinds a smaller share of
// the connections (admission control), so that a flood of costly anonymous requests cannot
// starve cheap reads or the health check. The HTTP layer names the kind per route; metrics
// label query durations with it.
type QueryKind string

// The kinds of query.
const (
	KindHealth QueryKind = "health" // the readiness check: one trivial query
	KindRead   QueryKind = "read"   // a public or planner read: a page, one feature, meta
	KindCostly QueryKind = "costly" // a read whose cost grows with its parameters (e.g. near_road_m)
	KindTile   QueryKind = "tile"   // one vector tile
	KindReport QueryKind = "report" // a report over a zone
	KindWrite  QueryKind = "write"  // one edit: create, update, archive, restore
	KindImport QueryKind = "import" // a file import
)

type kindKey struct{}

// WithQueryKind returns a context that tells the store what kind of query follows.
func WithQueryKind(ctx context.Context, k QueryKind) context.Context {
	return context.WithValue(ctx, kindKey{}, k)
}

// QueryKindFrom returns the kind carried by ctx, or KindRead.
func QueryKindFrom(ctx context.Context) QueryKind {
	if k, ok := ctx.Value(kindKey{}).(QueryKind); ok {
		return k
	}
	return KindRead
}

// Costly reports whether queries of kind k draw on the store's smaller budget for expensive
// work (admission control): costly reads, reports and imports. Cheap reads, tiles, writes and
// the health check never wait behind them.
func (k QueryKind) Costly() bool {
	return k == KindCostly || k == KindReport || k == KindImport
}

// QueryKinds lists every kind, cheapest first.
var QueryKinds = []QueryKind{KindHealth, KindRead, KindTile, KindWrite, KindCostly, KindReport, KindImport}

// Timeouts bound the time one statement of each kind may run in the database
// (statement_timeout). A kind missing from the map gets its DefaultTimeouts entry.
type Timeouts map[QueryKind]time.Duration

// DefaultTimeouts are the statement timeouts when none are configured: 2 s for the health
// check, 5 s for public reads, costly reads and tiles, 15 s for an edit, 60 s for a report and
// 10 min for an import.
func DefaultTimeouts() Timeouts {
	return Timeouts{
		KindHealth: 2 * time.Second,
		KindRead:   5 * time.Second,
		KindCostly: 5 * time.Second,
		KindTile:   5 * time.Second,
		KindWrite:  15 * time.Second,
		KindReport: 60 * time.Second,
		KindImport: 10 * time.Minute,
	}
}

// Of returns the timeout of kind k: t's entry when positive, else the default.
func (t Timeouts) Of(k QueryKind) time.Duration {
	if d := t[k]; d > 0 {
		return d
	}
	if d := DefaultTimeouts()[k]; d > 0 {
		return d
	}
	return DefaultTimeouts()[KindRead]
}

// Error kinds of a request the service cannot serve now; both are answered 503 with
// Retry-After, never 500.
const (
	// EUnavailable: the database cannot be reached, or too many expensive requests are
	// running (admission control) — retry later.
	EUnavailable = "unavailable"
	// ETimeout: the request was too expensive: a statement ran past its kind's timeout or the
	// request past its deadline. Retrying later may help; narrowing the request will.
	ETimeout = "timeout"
)
