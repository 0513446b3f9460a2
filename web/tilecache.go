package web

import (
	"github.com/maypok86/otter/v2"
)

// DefaultTileCacheBytes bounds the tile cache when Deps.TileCacheBytes is 0: 64 MiB, some
// three thousand z14 tiles of a dense zone.
const DefaultTileCacheBytes = 64 << 20

// tileKey names one tile: the layer, the zone as the request named it ("" for the default
// zone), z/x/y and the audience (planners and the public; tiles carry public properties only
// today, the key keeps them apart should that change). The cache holds one revision of it.
type tileKey struct {
	layer, zone string
	z, x, y     int
	planner     bool
}

// tileCache keeps rendered tiles in memory, bounded by the bytes it holds (maypok86/otter:
// W-TinyLFU, which keeps the tiles asked for often, like the feature cache; it was a
// hand-written LRU).
//
// Why it is never stale: every entry carries the inventory's revision (which every write bumps
// in its own transaction, at commit) that the statement rendering it read in the same snapshot
// as the tile's features, and the tile's content key (inventory.RevisionTile: a digest of the
// versions it draws, which never change): the tile is exactly that revision's. The cached tile
// is served only when a revision read by a query that started after the request arrived (a
// store's shared round, or the tile's own statement) equals the entry's, or when the
// tile's own statement, run after the request arrived, finds the entry's content key at the
// current revision (a write elsewhere left the tile as it was; the entry then moves to that
// revision). Entries of older revisions stay until the bound evicts them: they may be found
// unchanged. An entry is never changed in place: seen and put store a new one, atomically
// against the one they replace (Compute), so a tile rendered at an older revision never
// replaces a newer one.
type tileCache struct {
	c   *otter.Cache[tileKey, *tileEntry]
	max int64
}

type tileEntry struct {
	rev     int64
	content string     // the content key of the features drawn
	box     [4]float64 // where the tile draws from (inventory.RevisionTile.Box)
	epoch   uint32     // the database it was drawn from (inventory.RevisionTile.Epoch)
	tile    []byte
}

// newTileCache returns a cache of at most max bytes; nil (no cache) when max < 0.
func newTileCache(max int64) *tileCache {
	if max < 0 {
		return nil
	}
	if max == 0 {
		max = DefaultTileCacheBytes
	}
	return &tileCache{max: max, c: otter.Must(&otter.Options[tileKey, *tileEntry]{
		MaximumWeight: uint64(max),
		Weigher:       func(k tileKey, e *tileEntry) uint32 { return uint32(cost(k, e.tile)) },
	})}
}

// get returns the entry stored under k: the tile (an empty tile is a non-nil empty slice), the
// revision it was last known current at, and its content key. Whether that revision is still
// current is for the caller to check.
func (c *tileCache) get(k tileKey) (tileEntry, bool) {
	if c == nil {
		return tileEntry{}, false
	}
	e, ok := c.c.GetIfPresent(k)
	if !ok {
		return tileEntry{}, false
	}
	return *e, true
}

// seen records that the tile stored under k with content key content is revision rev's of the
// database epoch too (its statement, or the change log, found the same content at rev); an
// entry since replaced is left alone. The content key names the versions drawn, so a database
// restored under the server with the same versions draws the same tile: the entry moves to it.
func (c *tileCache) seen(k tileKey, content string, rev int64, epoch uint32) {
	if c == nil {
		return
	}
	c.c.ComputeIfPresent(k, func(old *tileEntry) (*tileEntry, otter.ComputeOp) {
		if old.content != content || (old.epoch == epoch && rev <= old.rev) {
			return old, otter.CancelOp
		}
		return &tileEntry{rev: rev, content: old.content, box: old.box, epoch: epoch, tile: old.tile}, otter.WriteOp
	})
}

// put stores tile, as of revision rev with content key content, under k; the cache evicts
// beyond its bound. An entry of a newer revision is kept. A tile over an eighth of the bound is
// not kept. An entry of another database (epoch) is replaced whatever its revision: its numbers
// are not this database's.
func (c *tileCache) put(k tileKey, rev int64, content string, box [4]float64, epoch uint32, tile []byte) {
	if c == nil || int64(len(tile)) > c.max/8 {
		return
	}
	if tile == nil {
		tile = []byte{}
	}
	c.c.Compute(k, func(old *tileEntry, found bool) (*tileEntry, otter.ComputeOp) {
		if found && old.epoch == epoch && old.rev > rev {
			return old, otter.CancelOp
		}
		return &tileEntry{rev: rev, content: content, box: box, epoch: epoch, tile: tile}, otter.WriteOp
	})
}

// cost is what an entry counts against the bound: the tile and a fixed overhead per entry.
func cost(k tileKey, tile []byte) int64 { return int64(len(tile)+len(k.layer)+len(k.zone)) + 128 }

// bytes returns the bytes the cache holds, once its pending evictions are done (for tests).
func (c *tileCache) bytes() int64 {
	c.c.CleanUp()
	return int64(c.c.WeightedSize())
}
