package postgis

import (
	"context"
	"fmt"
	"slices"
	"strconv"
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
// waits for the revision read by a statement that began after the read did (revisiongate.go):
// every write committed before the read is counted in it. When that revision is the index's
// (and the table holding it the same one: a database restored under the server has new
// tables), nothing has changed since the index was read, and the version it names is the live
// one. With read replicas the index may be newer than the replica the revision came from, which
// is as good. Otherwise the read goes the ordinary way (one statement) and the index is loaded
// again in the background (load). An index older than a revision some round has already read
// is out of date for sure, and such a read goes the ordinary way at once, without waiting for a
// round: a zone being edited pays what it paid before. (A failover that loses committed
// transactions may give a revision the old primary gave to other writes: restart the servers
// after one, as after a repair in place, featurecache.go.)
//
// The revision statements of concurrent reads are shared (one at a time for the whole server),
// which is where the saving is: under a flood of single-feature reads, a few reads per
// statement instead of one.
//
// Not answered here (the ordinary way): a code the index does not name (a 404 names the zone or
// the code, which the ordinary statement tells apart), a zone that does not exist (no index is
// kept for it), reads as of a time, in another CRS or with chosen properties, and, with read
// replicas, reads that must see a given revision or the primary (a planner's own write, a retry
// after a replica was behind; sharesRevision): those are rare, and the ordinary statement
// already does them right.
//
// Bounds: at most maxIndexes indexes and maxIndexedCodes codes in all (about 60 bytes a code,
// outside the feature cache's bound); one load at a time for the whole server, as a public
// read (KindRead), so unknown zones cannot queue loads or hold the costly queries' slots.
type codeIndexes struct {
	db      *DB
	maxCode int           // the most codes all indexes hold together
	every   time.Duration // the least time between the starts of two loads of one index

	ctx    context.Context // the loads'; ended by close
	cancel context.CancelFunc

	mu      sync.Mutex
	indexes map[indexKey]*codeIndex // the newest load of each
	nextAt  map[indexKey]time.Time  // no load of the index begins before then (kept, or too big to keep)
	pause   time.Time               // no load begins before then (after a load failed)
	codes   int                     // the codes the indexes hold
	loading bool                    // a load is running
	closed  bool
	wg      sync.WaitGroup // the load running

	hits, misses atomic.Uint64 // reads answered here, and not
}

// maxIndexedCodes is the most live features the indexes of codes hold together (some 60 MB):
// an index that would go beyond is not kept, and its layer and zone are read the ordinary way.
const maxIndexedCodes = 1 << 20

// maxIndexes is the most indexes kept: layers × zones read by code.
const maxIndexes = 64

// indexKey names one index: a layer's table and the zone as the read named it ("" the default).
type indexKey struct{ table, zone string }

// codeIndex is the live codes of one layer in one zone at one revision. It is never changed
// once made.
type codeIndex struct {
	rev    int64
	epoch  uint32 // the oid of the table holding the revision (revisionReading)
	oid    uint32 // the layer's table's oid, for the feature cache's key
	zoneID int32
	ids    map[string]int64 // code → the id of its live version
}

// behind reports whether idx is out of date for sure, given last, the newest reading of a round
// (revisionGate.lastRead): a higher counter of the same table (the counter only grows), or any
// reading of another table (a database restored under the server). No reading yet tells
// nothing.
func (idx *codeIndex) behind(last revisionReading) bool {
	if last.epoch != idx.epoch {
		return last.rev != 0
	}
	return idx.rev < last.rev
}

func newCodeIndexes(db *DB, maxCodes int) *codeIndexes {
	ctx, cancel := context.WithCancel(context.Background())
	return &codeIndexes{db: db, maxCode: maxCodes, every: time.Second, ctx: ctx, cancel: cancel,
		indexes: map[indexKey]*codeIndex{}, nextAt: map[indexKey]time.Time{}}
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
	if idx == nil {
		return x.miss() // loaded once the ordinary read has found the zone (found)
	}
	if idx.behind(x.db.revisions.lastRead()) {
		x.load(k, q.Layer) // out of date for sure: no round to wait for
		return x.miss()
	}
	id, found := idx.ids[code]
	if !found {
		return x.miss()
	}
	now, err := x.db.revisions.reading(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, false, err
		}
		return x.miss() // the ordinary statement reports the database's trouble
	}
	if x.db.Pool.replicas == nil && (now.rev != idx.rev || now.epoch != idx.epoch) || idx.rev < now.rev {
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
		var (
			place string // the row's place among the ids asked: 1
			sql   = versionsSQL(q.Layer, v, pgx.Identifier{q.Layer.Table}.Sanitize(), true)
			args  = []any{idx.zoneID, id}
			err   error
		)
		if x.db.Pool.replicas == nil {
			err = x.db.Pool.single(ctx, sql, args, &text, &place) // one statement: the text never changes
		} else {
			err = x.db.Pool.QueryRow(withGenericPlan(inventory.WithMinRevision(ctx, idx.rev)), sql, args...).Scan(&text, &place)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, 0, false, err
			}
			return x.miss()
		}
		x.db.features.c.Set(fk, text)
	}
	x.hits.Add(1)
	return text, idx.rev, true, nil
}

// found tells the indexes that the ordinary read of q (one live feature by code, liveCode) in
// zone found its feature, so the zone exists: its index is loaded if it has none. Only then: a
// read naming a zone that does not exist starts no load.
func (x *codeIndexes) found(q inventory.Query, zone string) {
	k := indexKey{q.Layer.Table, zone}
	x.mu.Lock()
	_, kept := x.indexes[k]
	x.mu.Unlock()
	if !kept {
		x.load(k, q.Layer)
	}
}

func (x *codeIndexes) miss() ([]byte, int64, bool, error) {
	x.misses.Add(1)
	return nil, 0, false, nil
}

// load loads index k again in the background, unless a load is running (one at a time for the
// server), the store is closing, the last load of k began too recently (x.every, and at least
// twenty times what it took, so that reloading an index of a zone being edited costs at most a
// twentieth of a database CPU; an hour when k was too big to keep), a load failed lately (the
// same wait, for every index), or k is new and the indexes are as many as they may be. While a
// load runs, the map it fills sits beside the index it replaces (up to twice the codes).
func (x *codeIndexes) load(k indexKey, l *inventory.Layer) {
	x.mu.Lock()
	defer x.mu.Unlock()
	_, kept := x.indexes[k]
	now := time.Now()
	if x.loading || x.closed || now.Before(x.nextAt[k]) || now.Before(x.pause) || !kept && len(x.indexes) >= maxIndexes {
		return
	}
	x.loading = true
	x.wg.Add(1)
	go func() {
		defer x.wg.Done()
		began := time.Now()
		idx, err := x.fetch(k, l)
		took := time.Since(began)
		if x.keep(k, l, idx, err, began, took) {
			x.warm(l, idx) // still one load at a time: x.loading until it ends
		}
		x.mu.Lock()
		x.loading = false
		x.mu.Unlock()
	}()
}

// keep keeps idx, the index k loaded (began, took) or failed to load (err), when it may be
// kept, and sets when k (or, after a failure, any index) may load again; it reports whether idx
// was kept.
func (x *codeIndexes) keep(k indexKey, l *inventory.Layer, idx *codeIndex, err error, began time.Time, took time.Duration) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	switch {
	case err != nil: // the database's trouble: no load for a while, of any index
		x.pause = began.Add(max(x.every, 20*took))
		if x.ctx.Err() == nil {
			x.db.log.Warn("load the index of live codes", "layer", l.Name, "zone", k.zone, "err", err)
		}
	case idx == nil: // no such zone: nothing kept, no time kept
		x.drop(k)
	case x.codes-x.held(k)+len(idx.ids) > x.maxCode:
		x.drop(k)
		x.nextAt[k] = began.Add(time.Hour)
	default:
		x.drop(k)
		x.indexes[k], x.codes = idx, x.codes+len(idx.ids)
		x.nextAt[k] = began.Add(max(x.every, 20*took))
		return true
	}
	return false
}

// warmChunk is the most versions warm builds in one statement.
const warmChunk = 2000

// warm puts into the feature cache the public text (as everyone but planners reads it) of the
// live versions idx names that the cache does not hold, up to warmChunk at a time and no more
// than fit beside what the cache holds (no text held is pushed out for them), resting between
// two statements as long as the last one took (at most half a database CPU). Then a read by code
// of any live feature of the zone (a click on the land map, a site sheet) is answered from
// memory, not only the features some page has read: without it, a read whose text was not held
// cost a statement of its own (about 3 times a held one under load). A zone whose features do
// not fit is warmed in part. After a write only the new versions are built (the others are
// held). The texts are right whatever happens meanwhile: a version never changes
// (featurecache.go). It stops when a round has read a revision newer than idx's (idx is out of
// date, and its load waits for this one), and each statement has the timeout of a public read.
// Planners' texts are built when first read, as before.
func (x *codeIndexes) warm(l *inventory.Layer, idx *codeIndex) {
	fc := x.db.features
	if fc == nil {
		return
	}
	// room is how many more texts fit: the free weight over the mean weight of those held (the
	// texts of one layer are of a size), or over a generous guess when none is.
	room := func() int {
		size, most := fc.c.WeightedSize(), fc.c.GetMaximum()
		if size >= most {
			return 0
		}
		mean := uint64(4096)
		if held := fc.c.EstimatedSize(); held > 0 {
			mean = size/uint64(held) + 1
		}
		return int((most - size) / mean * 9 / 10)
	}
	var missing []int64
	for _, id := range idx.ids {
		if _, held := fc.c.GetEntryQuietly(featureKey{table: idx.oid, id: id}); !held {
			missing = append(missing, id)
		}
	}
	slices.Sort(missing) // about the order the rows were written in
	sql := versionsSQL(l, inventory.Anonymous, pgx.Identifier{l.Table}.Sanitize(), false)
	for len(missing) > 0 {
		if idx.behind(x.db.revisions.lastRead()) {
			return // out of date: the next load builds what it names
		}
		chunk := missing[:min(warmChunk, len(missing), room())]
		if len(chunk) == 0 {
			return // no room
		}
		missing = missing[len(chunk):]
		began := time.Now()
		if err := x.warmChunk(sql, idx, chunk); err != nil {
			if x.ctx.Err() == nil {
				x.db.log.Warn("build the texts of live features", "layer", l.Name, "err", err)
			}
			return
		}
		select {
		case <-x.ctx.Done():
			return
		case <-time.After(time.Since(began)):
		}
	}
}

// warmChunk builds the public texts of the versions ids of idx's zone (sql: versionsSQL) and
// puts them into the feature cache, in one statement bounded by a public read's timeout.
func (x *codeIndexes) warmChunk(sql string, idx *codeIndex, ids []int64) error {
	ctx, cancel := context.WithTimeout(inventory.WithQueryKind(x.ctx, inventory.KindRead), x.db.Pool.timeouts.Of(inventory.KindRead))
	defer cancel()
	rows, err := x.db.Pool.Query(withGenericPlan(inventory.WithMinRevision(ctx, idx.rev)), sql, idx.zoneID, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		raw := rows.RawValues()
		n, err := strconv.Atoi(string(raw[1])) // the place of its id in ids, from 1
		if err != nil || n < 1 || n > len(ids) {
			return fmt.Errorf("version at place %q of %d", raw[1], len(ids))
		}
		x.db.features.c.Set(featureKey{table: idx.oid, id: ids[n-1]}, append([]byte(nil), raw[0]...))
	}
	return rows.Err()
}

// held is the number of codes index k holds (under x.mu).
func (x *codeIndexes) held(k indexKey) int {
	if old, ok := x.indexes[k]; ok {
		return len(old.ids)
	}
	return 0
}

// drop forgets index k (under x.mu).
func (x *codeIndexes) drop(k indexKey) {
	if old, ok := x.indexes[k]; ok {
		x.codes -= len(old.ids)
		delete(x.indexes, k)
	}
	delete(x.nextAt, k)
}

// fetch reads the live codes of k's layer and zone, the revision and the table holding it, in
// one statement; nil when the zone does not exist.
func (x *codeIndexes) fetch(k indexKey, l *inventory.Layer) (*codeIndex, error) {
	ctx, cancel := context.WithTimeout(inventory.WithQueryKind(x.ctx, inventory.KindRead), x.db.Pool.timeouts.Of(inventory.KindRead))
	defer cancel()
	var args []any
	w, err := where(ctx, inventory.Query{Layer: l}, k.zone, &args) // $1 is the zone
	if err != nil {
		return nil, err
	}
	args = append(args, x.maxCode+1)
	rows, err := x.db.Pool.Query(ctx, fmt.Sprintf(`select r.n, r.tableoid::int8, zn.id is not null, t.tableoid::int8, t.zone_id, t.id, t.code
		from (select n, tableoid from inventory_revision) r
		cross join (select (select id from zones where code = coalesce(nullif($1, ''), (select code from zones order by code limit 1))) as id) zn
		left join lateral (select t.tableoid, t.zone_id, t.id, t.code from %s t where %s limit $%d) t on true`,
		pgx.Identifier{l.Table}.Sanitize(), w, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("load the codes of %s: %w", l.Name, err)
	}
	defer rows.Close()
	idx := &codeIndex{ids: map[string]int64{}}
	zoneExists := false
	for rows.Next() {
		var (
			epoch, oid *int64
			zoneID     *int32
			id         *int64
			code       *string
		)
		if err := rows.Scan(&idx.rev, &epoch, &zoneExists, &oid, &zoneID, &id, &code); err != nil {
			return nil, fmt.Errorf("load the codes of %s: %w", l.Name, err)
		}
		if x.db.Pool.replicas == nil {
			idx.epoch = uint32(*epoch)
		}
		if code == nil { // no live feature: the revision alone
			continue
		}
		idx.oid, idx.zoneID = uint32(*oid), *zoneID
		idx.ids[*code] = *id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load the codes of %s: %w", l.Name, err)
	}
	if !zoneExists {
		return nil, nil
	}
	return idx, nil
}

// close ends the load running and waits for it; no load begins after.
func (x *codeIndexes) close() {
	x.mu.Lock()
	x.closed = true
	x.mu.Unlock()
	x.cancel()
	x.wg.Wait()
}
