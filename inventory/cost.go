package inventory

import "context"

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
