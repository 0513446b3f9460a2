package postgis

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

// codeIndexes answer a read of one live feature by its code (a site sheet, a click on the land
// map, GET /api/v1/plots/{code}) without a statement of its own, from two things held in
// memory: the index of a layer's live codes in one zone, as of a revision, and the feature cache
// (featurecache.go), which holds the text of the version the index names.
//
// Why the answer is never stale: the revision of the inventory is bumped by every commit that
// changes a layer or a zone, and a snapshot that sees revision R sees every write up to R
// (0032). An index loaded at revision R names the live version of every code as of R. A read
// waits for the revision read by a statement that began after the read did (revisiongate.go): every
// write committed before the read is counted in it. When that revision is the index's (or
// older: a replica behind the one the index came from), nothing has changed since the index was
// read, and the version it names is the live one. Otherwise the read goes the ordinary way (one
// statement) and the index is loaded again in the background, at most once a second per layer
// and zone, so a zone being edited pays no more than before.
//
// The revision statements of concurrent reads are shared (one at a time for the whole server),
// which is where the saving is: under a flood of single-feature reads, a few reads per
// statement instead of one.
//
// Not answered here (the ordinary way): a code the index does not name (a 404 names the zone or
// the code, which the ordinary statement tells apart), reads as of a time, in another CRS or with
// chosen properties, and, with read replicas, reads that must see a given revision or the
// primary (a planner's own write, a retry after a replica was behind; sharesRevision): those are
// rare, and the ordinary statement already does them right.
type codeIndexes struct {
	db      *DB
	maxCode int           // the most codes one index holds; a bigger layer is not indexed
	every   time.Duration // the least time between the starts of two loads of one index

	mu      sync.Mutex
	indexes map[indexKey]*codeIndex // the newest load of each
	running map[indexKey]bool       // a load of the index is running
	nextAt  map[indexKey]time.Time  // no load of the index begins before then
	wg      sync.WaitGroup          // the loads running

	hits, misses atomic.Uint64 // reads answered here, and not
}

// maxIndexedCodes is the most live features of one layer in one zone that an index of codes
// holds (some 60 MB): a bigger layer is read the ordinary way.
const maxIndexedCodes = 1 << 20

// indexKey names one index: a layer's table and the zone as the read named it ("" the default).
type indexKey struct{ table, zone string }

// codeIndex is the live codes of one layer in one zone at one revision. It is never changed
// once made.
type codeIndex struct {
	rev    int64
	oid    uint32 // the table's oid, for the feature cache's key
	zoneID int32
	ids    map[string]int64 // code → the id of its live version; nil: too many codes to index
}

func newCodeIndexes(db *DB, maxCodes int) *codeIndexes {
	return &codeIndexes{db: db, maxCode: maxCodes, every: time.Second,
		indexes: map[indexKey]*codeIndex{}, running: map[indexKey]bool{}, nextAt: map[indexKey]time.Time{}}
}

// liveCode returns the code q reads when it is one live feature by code in the default shape,
// which the indexes may answer.
func liveCode(q inventory.Query) (string, bool) {
	if len(q.Conditions) != 1 || q.BBox != nil || q.NearRoadM != nil || len(q.RoadStatus) > 0 || q.AsOf != nil ||
		q.Limit < 1 || q.Offset != 0 || q.Filter != nil || len(q.SortBy) > 0 || q.Sort != nil ||
		q.Properties != nil || q.CRS != (inventory.CRS{}) || q.After != "" {
		return "", false
	}
	c := q.Conditions[0]
	if c.Field != "code" || c.Kind != inventory.FilterEquals {
		return "", false
	}
	code, ok := c.Value.(string)
	return code, ok
}

// read returns the text of q's feature (code) in zone as the viewer planner or not sees it, and
// the revision it is current at; ok is false when the read must go the ordinary way.
func (x *codeIndexes) read(ctx context.Context, q inventory.Query, zone, code string, planner bool) (text []byte, rev int64, ok bool, err error) {
	if !x.db.sharesRevision(ctx) {
		return nil, 0, false, nil
	}
	k := indexKey{q.Layer.Table, zone}
	x.mu.Lock()
	idx := x.indexes[k]
	x.mu.Unlock()
	if idx == nil || idx.ids == nil {
		x.load(k, q.Layer) // none yet, or too big when last loaded
		return x.miss()
	}
	id, found := idx.ids[code]
	if !found {
		return x.miss()
	}
	if rev, err = x.db.revisions.after(ctx); err != nil {
		if ctx.Err() != nil {
			return nil, 0, false, err
		}
		return x.miss() // the ordinary statement reports the database's trouble
	}
	if idx.rev < rev {
		x.load(k, q.Layer)
		return x.miss()
	}
	fk := featureKey{table: idx.oid, id: id, planner: planner}
	text, held := x.db.features.c.GetIfPresent(fk)
	if !held {
		// The version's text, built once: any database at the index's revision holds it
		// (versions are never deleted).
		v := inventory.Anonymous
		if planner {
			v = inventory.Viewer{Role: inventory.RolePlanner}
		}
		table := pgx.Identifier{q.Layer.Table}.Sanitize()
		sql := fmt.Sprintf(`select %s from (select %s, %s as geojson from %s t where t.zone_id = $1 and t.id = $2) x%s`,
			featureSQL(q.Layer, v, nil), selectListOf(q.Layer, v, nil), geoJSONSQL(inventory.CRS{}), table, featureJoins(q.Layer, v, nil))
		if err := x.db.Pool.QueryRow(inventory.WithMinRevision(ctx, idx.rev), sql, idx.zoneID, id).Scan(&text); err != nil {
			if ctx.Err() != nil {
				return nil, 0, false, err
			}
			return x.miss()
		}
		x.db.features.c.Set(fk, text)
	}
	x.hits.Add(1)
	return text, rev, true, nil
}

func (x *codeIndexes) miss() ([]byte, int64, bool, error) {
	x.misses.Add(1)
	return nil, 0, false, nil
}

// load loads index k again in the background, unless a load of it is running or the last one
// began too recently: x.every, and at least twenty times what the last load took (so reloading
// an index of a zone being edited costs at most a twentieth of a database CPU); an index too
// big to keep is tried again after an hour.
func (x *codeIndexes) load(k indexKey, l *inventory.Layer) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.running[k] || time.Now().Before(x.nextAt[k]) {
		return
	}
	x.running[k] = true
	x.wg.Add(1)
	go func() {
		defer x.wg.Done()
		began := time.Now()
		idx, err := x.fetch(k, l)
		took := time.Since(began)
		x.mu.Lock()
		defer x.mu.Unlock()
		x.running[k] = false
		x.nextAt[k] = began.Add(max(x.every, 20*took))
		if err != nil {
			x.db.log.Warn("load the index of live codes", "layer", l.Name, "zone", k.zone, "err", err)
			return
		}
		if idx.ids == nil {
			x.nextAt[k] = began.Add(time.Hour)
		}
		if old := x.indexes[k]; old == nil || old.rev <= idx.rev {
			x.indexes[k] = idx
		}
	}()
}

// fetch reads the live codes of k's layer and zone, and the revision, in one statement.
func (x *codeIndexes) fetch(k indexKey, l *inventory.Layer) (*codeIndex, error) {
	ctx, cancel := context.WithTimeout(inventory.WithQueryKind(context.Background(), inventory.KindReport), x.db.Pool.timeouts.Of(inventory.KindReport))
	defer cancel()
	var args []any
	w, err := where(ctx, inventory.Query{Layer: l}, k.zone, &args)
	if err != nil {
		return nil, err
	}
	args = append(args, x.maxCode+1)
	rows, err := x.db.Pool.Query(ctx, fmt.Sprintf(`select r.n, t.tableoid::int8, t.zone_id, t.id, t.code
		from (select n from inventory_revision) r left join lateral (
		  select t.tableoid, t.zone_id, t.id, t.code from %s t where %s limit $%d) t on true`,
		pgx.Identifier{l.Table}.Sanitize(), w, len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	idx := &codeIndex{ids: map[string]int64{}}
	for rows.Next() {
		var oid *int64
		var zoneID *int32
		var id *int64
		var code *string
		if err := rows.Scan(&idx.rev, &oid, &zoneID, &id, &code); err != nil {
			return nil, err
		}
		if code == nil { // no live feature: the revision alone
			continue
		}
		idx.oid, idx.zoneID = uint32(*oid), *zoneID
		idx.ids[*code] = *id
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(idx.ids) > x.maxCode {
		idx.ids = nil
	}
	return idx, nil
}

// close waits for the loads running.
func (x *codeIndexes) close() { x.wg.Wait() }
