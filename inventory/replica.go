package inventory

import "context"

// Read routing (读写分离). A store with read replicas (hot standbys of the primary) may answer a
// read from a replica instead of the primary. The rules, which every store keeps:
//
//   - only a context whose query kind was set explicitly (WithQueryKind) to a read kind — read,
//     costly, tile or report (QueryKind.ReplicaEligible) — may go to a replica; writes,
//     imports, the health check and anything without a kind (sign-in, sessions, tokens,
//     enquiries posted by the public) go to the primary;
//   - a context carrying a minimum revision (WithMinRevision) is answered only by a replica
//     whose own inventory revision has reached it, else by the primary: a client that names the
//     revision its write made (its ETag carries it, or min_revision) never reads older data;
//   - a context marked WithPrimary goes to the primary;
//   - a replica that does not answer is skipped; reads fall back to the primary.
//
// A store without replicas ignores all this.

type minRevisionKey struct{}

type primaryKey struct{}

// WithMinRevision returns a context whose reads must see at least revision rev (the
// inventory's revision counter, Revision). A context already carrying a higher one keeps it.
func WithMinRevision(ctx context.Context, rev int64) context.Context {
	if rev <= MinRevisionFrom(ctx) {
		return ctx
	}
	return context.WithValue(ctx, minRevisionKey{}, rev)
}

// MinRevisionFrom returns the revision ctx's reads must see (0: any).
func MinRevisionFrom(ctx context.Context) int64 {
	rev, _ := ctx.Value(minRevisionKey{}).(int64)
	return rev
}

// WithPrimary returns a context whose reads go to the primary database.
func WithPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryKey{}, true)
}

// PrimaryFrom reports whether ctx's reads must go to the primary database.
func PrimaryFrom(ctx context.Context) bool {
	p, _ := ctx.Value(primaryKey{}).(bool)
	return p
}

// ReplicaEligible reports whether a query of kind k may be answered by a read replica: the
// reads (read, costly, tile, report). Writes, imports and the health check may not.
func (k QueryKind) ReplicaEligible() bool {
	return k == KindRead || k == KindCostly || k == KindTile || k == KindReport
}

// ReadsFromReplica reports whether ctx's queries may go to a read replica: its kind was set
// explicitly and is a read kind, and it is not marked WithPrimary. (QueryKindFrom defaults to
// KindRead; a context without a kind is not eligible.)
func ReadsFromReplica(ctx context.Context) bool {
	k, ok := ctx.Value(kindKey{}).(QueryKind)
	return ok && k.ReplicaEligible() && !PrimaryFrom(ctx)
}

// ReplicaStatus is what the store knows of one read replica, for /readyz and /metrics.
type ReplicaStatus struct {
	// Host is the replica's host:port from its URL (never its credentials).
	Host string `json:"url_host"`
	// OK says the replica answered its last check and takes reads.
	OK bool `json:"ok"`
	// LagSeconds is how far the replica's replay is behind: 0 when it has replayed all the WAL
	// the primary wrote, else the age of the last transaction it replayed
	// (pg_last_xact_replay_timestamp; when none since it started, the time since it started).
	// -1 when unknown (the replica is down).
	LagSeconds float64 `json:"lag_s"`
	// LagBytes is the WAL the primary wrote that the replica has not replayed yet (-1 when
	// unknown).
	LagBytes int64 `json:"lag_bytes"`
	// Revision is the inventory revision the replica has replayed (-1 when unknown).
	Revision int64 `json:"revision"`
	// Statements counts the statements the replica answered; Fallbacks the statements that went
	// to the primary because the replica failed.
	Statements int64 `json:"-"`
	Fallbacks  int64 `json:"-"`
}
