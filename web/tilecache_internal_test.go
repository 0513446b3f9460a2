package web

import (
	"testing"
)

// TestTileCacheBound: the cache never holds more bytes than its bound, evicts the least
// recently used tile first, and drops every tile of an older revision once a newer one is
// stored.
func TestTileCacheBound(t *testing.T) {
	c := newTileCache(10 << 10)
	key := func(x int) tileKey { return tileKey{layer: "plots", z: 14, x: x} }
	tile := make([]byte, 1000)
	for x := range 50 {
		c.put(key(x), 1, tile)
		if _, _, ok := c.get(key(0)); x < 5 && !ok { // 0 is used, so it stays while young ones go
			t.Fatalf("tile 0 evicted after %d puts", x)
		}
		if c.bytes() > 10<<10 {
			t.Fatalf("cache holds %d bytes, bound %d", c.bytes(), 10<<10)
		}
	}
	if _, _, ok := c.get(key(0)); !ok {
		t.Error("the most used tile was evicted")
	}
	if _, _, ok := c.get(key(10)); ok {
		t.Error("an old, unused tile survived 50 puts into room for 9")
	}
	if rev, _, ok := c.get(key(49)); !ok || rev != 1 {
		t.Errorf("the newest tile: revision %d, %v", rev, ok)
	}
	c.put(key(100), 2, []byte("new"))
	for x := range 50 {
		if _, _, ok := c.get(key(x)); ok {
			t.Fatalf("tile %d of revision 1 survived revision 2", x)
		}
	}
	c.put(key(101), 1, tile) // rendered before the write, stored after it: not kept
	if _, _, ok := c.get(key(101)); ok {
		t.Error("a tile of an older revision was stored")
	}
	if rev, got, ok := c.get(key(100)); !ok || rev != 2 || string(got) != "new" {
		t.Errorf("tile of revision 2: %d %q %v", rev, got, ok)
	}
	if n := c.bytes(); n != cost(key(100), []byte("new")) {
		t.Errorf("cache counts %d bytes for one small tile", n)
	}
	c.put(key(100), 3, []byte("newer"))
	if rev, got, _ := c.get(key(100)); rev != 3 || string(got) != "newer" {
		t.Errorf("a tile re-rendered at revision 3 reads %d %q", rev, got)
	}
	var nilCache *tileCache
	nilCache.put(key(1), 1, tile)
	if _, _, ok := nilCache.get(key(1)); ok {
		t.Error("a disabled cache returned a tile")
	}
}

// TestZoneCacheKeepsOneRevision: entries live for one revision; a newer revision drops them and
// an older one neither reads nor writes.
func TestZoneCacheKeepsOneRevision(t *testing.T) {
	var c zoneCache
	c.put(5, "", "hand")
	if z, ok := c.get(5, ""); !ok || z != "hand" {
		t.Fatalf("get(5) = %q, %v", z, ok)
	}
	if _, ok := c.get(6, ""); ok {
		t.Fatal("an entry of revision 5 answered at revision 6")
	}
	c.put(6, "x", "x")
	if _, ok := c.get(5, ""); ok {
		t.Fatal("revision 5 still answers after revision 6 was stored")
	}
	c.put(4, "", "old")
	if z, ok := c.get(6, ""); ok || z != "" {
		t.Fatalf("a put at an older revision was kept: %q", z)
	}
	if z, ok := c.get(6, "x"); !ok || z != "x" {
		t.Fatalf("get(6, x) = %q, %v", z, ok)
	}
}
