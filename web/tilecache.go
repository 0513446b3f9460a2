package web

import (
	"container/list"
	"sync"
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

// tileCache is an in-memory LRU of rendered tiles, bounded by the bytes it holds.
//
// Why it is never stale: every entry carries the inventory's revision (which every write bumps
// in its own transaction, at commit) that the statement rendering it read in the same snapshot
// as the tile's features: the tile is exactly that revision's. The cached tile is served only
// when a revision read by a query that started after the request arrived (a shared round of
// revisionReader, or the tile's own statement, which is handed the entry's revision and
// renders unless it is current) equals the entry's. A write makes a new revision, so the next request renders afresh; the
// first put of a newer revision drops every older entry at once.
type tileCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	rev   int64 // the newest revision seen
	order *list.List
	items map[tileKey]*list.Element
}

type tileEntry struct {
	key  tileKey
	rev  int64
	tile []byte
}

// newTileCache returns a cache of at most max bytes; nil (no cache) when max < 0.
func newTileCache(max int64) *tileCache {
	if max < 0 {
		return nil
	}
	if max == 0 {
		max = DefaultTileCacheBytes
	}
	return &tileCache{max: max, order: list.New(), items: map[tileKey]*list.Element{}}
}

// get returns the tile stored under k and the revision it shows (an empty tile is a non-nil
// empty slice). Whether that revision is still current is for the caller to check.
func (c *tileCache) get(k tileKey) (int64, []byte, bool) {
	if c == nil {
		return 0, nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		return 0, nil, false
	}
	c.order.MoveToFront(e)
	ent := e.Value.(*tileEntry)
	return ent.rev, ent.tile, true
}

// put stores tile, as of revision rev, under k, evicting the least recently used tiles beyond
// the bound.
func (c *tileCache) put(k tileKey, rev int64, tile []byte) {
	if c == nil || int64(len(tile)) > c.max/8 {
		return
	}
	if tile == nil {
		tile = []byte{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if rev < c.rev {
		return // a write has happened since: nobody asks for this revision any more
	}
	if rev > c.rev {
		c.rev = rev
		for e := c.order.Back(); e != nil; {
			prev := e.Prev()
			if ent := e.Value.(*tileEntry); ent.rev < rev {
				c.remove(e)
			}
			e = prev
		}
	}
	if e, ok := c.items[k]; ok {
		c.remove(e)
	}
	c.items[k] = c.order.PushFront(&tileEntry{key: k, rev: rev, tile: tile})
	c.size += cost(k, tile)
	for c.size > c.max {
		c.remove(c.order.Back())
	}
}

func (c *tileCache) remove(e *list.Element) {
	ent := e.Value.(*tileEntry)
	c.order.Remove(e)
	delete(c.items, ent.key)
	c.size -= cost(ent.key, ent.tile)
}

// cost is what an entry counts against the bound: the tile and a fixed overhead per entry.
func cost(k tileKey, tile []byte) int64 { return int64(len(tile)+len(k.layer)+len(k.zone)) + 128 }

// bytes returns the bytes the cache holds (for tests).
func (c *tileCache) bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}
