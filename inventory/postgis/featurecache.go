package postgis

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/maypok86/otter/v2"
	"github.com/maypok86/otter/v2/stats"

	"github.com/landinv/landinv/inventory"
)

// DefaultFeatureCacheBytes bounds the feature cache when Options.FeatureCacheBytes is 0: 128 MiB,
// some 100,000 plots as GeoJSON (about 1.2 KB each with their properties).
const DefaultFeatureCacheBytes = 128 << 20

// featureCache keeps the GeoJSON text of feature versions the store has built, by version.
//
// Why it is never stale: a row of a layer's table is one version of a feature, and a version
// never changes once written. The database refuses any change in place but closing it
// (valid_to, which a feature does not show) and refuses deleting it
// (landinv_versions_immutable: 0030; 0077 leaves out of the comparison only the table's own
// generated columns, which closing recomputes from the row's other columns, so to the same
// values: the areas, the Web Mercator geometry); a new state of a feature (an edit, an
// archiving) is a new row with a new id. A maintenance session (landinv.maintenance = on) may
// change a version in place: restart the servers after such a repair, or their caches keep the
// versions as they were. So the text built for (table, id) is the text of that row for as long as
// the row exists. The key holds the table's oid as well as the id (a table dropped and made
// again, e.g. a database restored under a running server, has a new oid) and whether the text
// holds the confidential properties (planners) or not (everyone else). Only the default shape
// is kept: every property, CRS84 coordinates.
//
// A list reads through it in two statements (streamCached): the page's keys (and its count,
// and the revision it read), then the text of the versions the cache does not hold, in page
// order, at least at that revision (so a read replica behind it is not asked), with a generic
// plan (withGenericPlan). The index of codes reads through it too, and fills it with the public
// texts of a zone's live features when it loads (codeindex.go, warm). A page whose
// features are all held costs the database the filter and the sort only: no JSON is built and
// no feature crosses the wire from the database.
type featureCache struct {
	c *otter.Cache[featureKey, []byte]
	s *stats.Counter
}

// featureKey names one version's GeoJSON: table oid, row id, and whether the text holds the
// confidential properties.
type featureKey struct {
	table   uint32
	id      int64
	planner bool
}

// newFeatureCache returns a cache of about max bytes (0: DefaultFeatureCacheBytes); nil (no
// cache) when max < 0.
func newFeatureCache(max int64) *featureCache {
	if max < 0 {
		return nil
	}
	if max == 0 {
		max = DefaultFeatureCacheBytes
	}
	s := stats.NewCounter()
	return &featureCache{s: s, c: otter.Must(&otter.Options[featureKey, []byte]{
		MaximumWeight: uint64(max),
		// The text, its slice header and the key, and about as much again for the cache's
		// own entry.
		Weigher:       func(_ featureKey, v []byte) uint32 { return uint32(len(v) + 96) },
		StatsRecorder: s,
	})}
}

// FeatureCacheStats are the feature cache's counters since the store opened.
type FeatureCacheStats struct {
	Hits, Misses uint64
	Evictions    uint64 // texts pushed out for others (the bound)
	Bytes        uint64 // the weight held now, about the bytes
	// ByCode counts the reads of one live feature by code answered through the index of codes
	// (codeindex.go: the text from this cache, or built by id when not held), ByCodeMisses
	// those that went the ordinary way, and RevisionReads the statements that
	// read the revision in shared rounds (revisiongate.go), for them and for Revision.
	ByCode, ByCodeMisses, RevisionReads uint64
}

// FeatureCacheStats returns the feature cache's hits, misses and size (zero without a cache).
func (db *DB) FeatureCacheStats() FeatureCacheStats {
	if db.features == nil {
		return FeatureCacheStats{}
	}
	s := db.features.s.Snapshot()
	st := FeatureCacheStats{Hits: s.Hits, Misses: s.Misses, Evictions: s.Evictions, Bytes: db.features.c.WeightedSize()}
	if x := db.codes; x != nil {
		st.ByCode, st.ByCodeMisses = x.hits.Load(), x.misses.Load()
	}
	st.RevisionReads = db.revisions.rounds.Load()
	return st
}

// cachesFeatures reports whether q's page goes through the feature cache: a page (not one
// feature by code, which is one cheap statement either way and would pay a second round trip
// on a miss) of features in their default shape.
func (db *DB) cachesFeatures(q inventory.Query) bool {
	return db.features != nil && q.Limit > 1 && q.Properties == nil && q.CRS.SRID == 0 && !q.CRS.SwapXY && !byCode(q)
}

// versionsSQL builds the GeoJSON text of versions of l's table (quoted) as v sees them, in the
// default shape the feature cache keeps: $1 the zone's id, $2 the rows' ids (int8[]); one row
// per id, in the order of $2, with its place (n_, from 1). With one, $2 is a single id (int8)
// and its place 1: a statement whose generic plan is the custom one, which PostgreSQL's own
// plan cache mode then keeps for a statement prepared on the connection (Pool.single with the
// default exec mode; see withGenericPlan). Under the exec modes for PgBouncer every execution
// is planned anyway (execmode.go).
func versionsSQL(l *inventory.Layer, v inventory.Viewer, table string, one bool) string {
	from := fmt.Sprintf("unnest($2::int8[]) with ordinality k(id, n) join %s t on t.zone_id = $1 and t.id = k.id", table)
	place := "k.n"
	if one {
		from, place = fmt.Sprintf("%s t where t.zone_id = $1 and t.id = $2::int8", table), "1"
	}
	return fmt.Sprintf(`select %s, x.n_::text
		from (select %s, %s as geojson, %s as n_ from %s) x%s
		order by x.n_`,
		featureSQL(l, v, nil), selectListOf(l, v, nil), geoJSONSQL(inventory.CRS{}), place, from, featureJoins(l, v, nil))
}

// streamCached writes the page of q's layer chosen by where rw, in order, limited by the last
// two of args (limit and offset), through the feature cache. counted asks the first statement
// for the number of rows rw matches (count(*) over ()); matched is -1 when it did not, or when
// the page is empty. rev is the revision the page was read at (0 when it is empty).
func (db *DB) streamCached(ctx context.Context, q inventory.Query, v inventory.Viewer, table, rw, order string, counted bool, args []any, emit func([]byte) error) (n int, matched, rev int64, err error) {
	matched = -1
	win := ""
	if counted {
		win = ", count(*) over ()"
	}
	keysSQL := fmt.Sprintf(`select t.tableoid::int8, t.zone_id, t.id, (select n from inventory_revision)%s
		from %s t where %s order by %s limit $%d offset $%d`, win, table, rw, order, len(args)-1, len(args))
	rows, err := db.Pool.Query(ctx, keysSQL, args...)
	if err != nil {
		return 0, -1, 0, fmt.Errorf("list %s: %w", q.Layer.Name, asError(err))
	}
	planner := v.SeesConfidential()
	c := min(q.Limit, 1000)
	var (
		keys    = make([]featureKey, 0, c)
		held    = make([][]byte, 0, c) // the cached text of keys[i], nil when not held
		missing []int64
		zoneID  int32
	)
	for rows.Next() {
		var oid, id int64
		dest := []any{&oid, &zoneID, &id, &rev}
		if counted {
			dest = append(dest, &matched)
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return 0, -1, 0, fmt.Errorf("list %s: %w", q.Layer.Name, err)
		}
		k := featureKey{table: uint32(oid), id: id, planner: planner}
		b, ok := db.features.c.GetIfPresent(k)
		if !ok {
			missing = append(missing, id)
		}
		keys = append(keys, k)
		held = append(held, b)
	}
	if err := rows.Err(); err != nil {
		return 0, -1, 0, fmt.Errorf("list %s: %w", q.Layer.Name, asError(err))
	}
	if q.Revision != nil && len(keys) > 0 {
		*q.Revision = rev
	}
	var built pgx.Rows
	if len(missing) > 0 {
		// The versions are read at least at the revision the keys were read at: any database
		// that has replayed it holds them (versions are never deleted).
		built, err = db.Pool.Query(withGenericPlan(inventory.WithMinRevision(ctx, rev)), versionsSQL(q.Layer, v, table, false), zoneID, missing)
		if err != nil {
			return 0, -1, 0, fmt.Errorf("list %s: %w", q.Layer.Name, asError(err))
		}
		defer built.Close()
	}
	next := 0 // the next missing version, by its place among missing (n_ counts from 1)
	for i, k := range keys {
		b := held[i]
		if b == nil {
			if !built.Next() {
				if err := built.Err(); err != nil {
					return n, matched, rev, fmt.Errorf("list %s: %w", q.Layer.Name, asError(err))
				}
				return n, matched, rev, fmt.Errorf("list %s: version %d not found", q.Layer.Name, k.id)
			}
			raw := built.RawValues()
			if got, _ := strconv.Atoi(string(raw[1])); got != next+1 {
				return n, matched, rev, fmt.Errorf("list %s: version %d not found", q.Layer.Name, k.id)
			}
			next++
			b = append([]byte(nil), raw[0]...)
			db.features.c.Set(k, b)
		}
		if err := emit(b); err != nil {
			return n, matched, rev, fmt.Errorf("list %s: %w", q.Layer.Name, err)
		}
		n++
	}
	if built != nil {
		built.Close()
		if err := built.Err(); err != nil {
			return n, matched, rev, fmt.Errorf("list %s: %w", q.Layer.Name, asError(err))
		}
	}
	if n == 0 {
		matched = -1
	}
	return n, matched, rev, nil
}
