package web

import (
	"context"
	"net/http"
	"sync"

	"github.com/landinv/landinv/inventory"
)

type revisionKey struct{}

// requestRevision returns the revision the request's zone was resolved at (params), or reads
// it now when the route takes no zone. Read before the request's own queries, it is what
// their ETags and cache keys name.
func (s *Server) requestRevision(ctx context.Context) (int64, error) {
	if rev, ok := ctx.Value(revisionKey{}).(int64); ok {
		return rev, nil
	}
	return s.deps.Features.Revision(ctx)
}

// zoneAt resolves the zone a request names (zone as given, "" for the default zone) at the
// inventory's current revision, which it returns in ctx for requestRevision.
//
// Resolved zones are remembered by revision (zoneCache): every write to the zones bumps the
// revision at its commit, so a zone resolved after the revision was read stays right for that
// revision. A request reads the revision first (in the store's shared rounds, inventory/postgis/revisiongate.go, so
// under load one query serves many requests) and resolves the zone only when no request did
// at that revision: a list, a tile or a single feature costs no zone query of its own.
func (s *Server) zoneAt(ctx context.Context, want string) (context.Context, string, error) {
	rev, err := s.deps.Features.Revision(ctx)
	if err != nil {
		return ctx, "", err
	}
	ctx = context.WithValue(ctx, revisionKey{}, rev)
	if z, ok := s.resolved.get(rev, want); ok {
		return ctx, z, nil
	}
	// At least that revision (a read replica behind it is not asked, replica.go).
	z, err := s.deps.Zones.ResolveZone(inventory.WithMinRevision(ctx, rev), want)
	if err != nil {
		return ctx, "", err
	}
	s.resolved.put(rev, want, z)
	return ctx, z, nil
}

// featureParams is the params middleware of a single feature's route (GET /api/v1/{layer}/{code})
// and of a tile's (GET /tiles/{layer}/{z}/{x}/{y}.mvt, whose statement reads the zone and the
// revision itself: TileService.TileAt): the zone is not resolved ahead, and no revision is read. The feature's one statement finds
// its zone (the default zone too: StreamList) and a zone that does not exist is its 404 naming
// zone; the feature's ETag is its version, not the revision. That is one query per request,
// against three steps before (a revision round, perhaps a zone query, the feature), with the
// revision round's wait in between.
func (s *Server) featureParams(known ...string) func(http.Handler) http.Handler {
	return s.paramsResolving(false, known...)
}

// zoneCache holds the zones resolved at the newest revision seen: the zone as a request
// named it ("" for the default zone) → its code. Only found zones are kept; a newer revision
// drops the older ones. It holds as many entries as zones are named.
type zoneCache struct {
	mu  sync.Mutex
	rev int64
	m   map[string]string
}

func (c *zoneCache) get(rev int64, want string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if rev != c.rev {
		return "", false
	}
	z, ok := c.m[want]
	return z, ok
}

func (c *zoneCache) put(rev int64, want, zone string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case rev < c.rev:
		return
	case rev > c.rev || c.m == nil:
		c.rev, c.m = rev, map[string]string{}
	}
	if len(c.m) < 4096 {
		c.m[want] = zone
	}
}
