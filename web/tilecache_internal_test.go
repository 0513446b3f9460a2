package web

import (
	"testing"
)

// TestTileCacheBound: the cache never holds more bytes than its bound, evicts the least
// recently used tile first, and drops every tile of an older revision once a newer one is
// stored.
func TestTileCacheBound(t *testing.T) {
	c := newTileCache(10 << 10)
	key := func(x int, rev int64) tileKey { return tileKey{layer: "plots", z: 14, x: x, revision: rev} }
	tile := make([]byte, 1000)
	for x := range 50 {
		c.put(key(x, 1), tile)
		if _, ok := c.get(key(0, 1)); x < 5 && !ok { // 0 is used, so it stays while young ones go
			t.Fatalf("tile 0 evicted after %d puts", x)
		}
		if c.bytes() > 10<<10 {
			t.Fatalf("cache holds %d bytes, bound %d", c.bytes(), 10<<10)
		}
	}
	if _, ok := c.get(key(0, 1)); !ok {
		t.Error("the most used tile was evicted")
	}
	if _, ok := c.get(key(10, 1)); ok {
		t.Error("an old, unused tile survived 50 puts into room for 9")
	}
	if _, ok := c.get(key(49, 1)); !ok {
		t.Error("the newest tile is missing")
	}
	c.put(key(100, 2), []byte("new"))
	for x := range 50 {
		if _, ok := c.get(key(x, 1)); ok {
			t.Fatalf("tile %d of revision 1 survived revision 2", x)
		}
	}
	c.put(key(101, 1), tile) // rendered before the write, stored after it: not kept
	if _, ok := c.get(key(101, 1)); ok {
		t.Error("a tile of an older revision was stored")
	}
	if got, ok := c.get(key(100, 2)); !ok || string(got) != "new" {
		t.Errorf("tile of revision 2: %q %v", got, ok)
	}
	if n := c.bytes(); n != cost(key(100, 2), []byte("new")) {
		t.Errorf("cache counts %d bytes for one small tile", n)
	}
	var nilCache *tileCache
	nilCache.put(key(1, 1), tile)
	if _, ok := nilCache.get(key(1, 1)); ok {
		t.Error("a disabled cache returned a tile")
	}
}
