package web

import (
	"testing"
)

// TestTileCacheBound: the cache never holds more bytes than its bound once its evictions are
// done, keeps the tile asked for all along through a scan of tiles asked for once, keeps tiles
// of older revisions (they may be found unchanged: seen moves one to a newer revision when its
// content key is the same), and never lets a tile rendered at an older revision replace a newer
// one.
func TestTileCacheBound(t *testing.T) {
	c := newTileCache(10 << 10)
	key := func(x int) tileKey { return tileKey{layer: "plots", z: 14, x: x} }
	tile := make([]byte, 1000)
	c.put(key(0), 1, "k", [4]float64{}, 0, tile)
	for x := 1; x < 200; x++ {
		c.put(key(x), 1, "k", [4]float64{}, 0, tile)
		if _, ok := c.get(key(0)); !ok {
			t.Fatalf("tile 0, asked for after every put, evicted after %d puts", x)
		}
		if n := c.bytes(); n > 10<<10 {
			t.Fatalf("cache holds %d bytes, bound %d", n, 10<<10)
		}
	}
	held := 0
	for x := 1; x < 200; x++ {
		if _, ok := c.get(key(x)); ok {
			held++
		}
	}
	if held > 9 {
		t.Errorf("%d of 199 tiles of 1 000 bytes held in 10 KiB", held)
	}

	// The revision rules, in a cache with room to spare.
	c = newTileCache(1 << 20)
	c.put(key(49), 1, "k", [4]float64{}, 0, tile)
	if e, ok := c.get(key(49)); !ok || e.rev != 1 || e.content != "k" || len(e.tile) != 1000 {
		t.Errorf("a tile just stored: revision %d, key %q, %d bytes, %v", e.rev, e.content, len(e.tile), ok)
	}
	c.put(key(100), 2, "n", [4]float64{}, 0, []byte("new"))
	if _, ok := c.get(key(49)); !ok {
		t.Error("a tile of revision 1 was dropped when one of revision 2 was stored")
	}
	c.put(key(100), 1, "o", [4]float64{}, 0, tile) // rendered before the write, stored after it: not kept
	if e, ok := c.get(key(100)); !ok || e.rev != 2 || string(e.tile) != "new" {
		t.Errorf("a tile of an older revision replaced a newer one: %d %q %v", e.rev, e.tile, ok)
	}
	c.seen(key(100), "n", 5, 0) // found unchanged at revision 5
	if e, _ := c.get(key(100)); e.rev != 5 || string(e.tile) != "new" {
		t.Errorf("after seen(5) with its key: revision %d %q", e.rev, e.tile)
	}
	c.seen(key(100), "other", 7, 0) // another content: not this entry's
	c.seen(key(100), "n", 4, 0)     // an older revision: no step back
	if e, _ := c.get(key(100)); e.rev != 5 {
		t.Errorf("seen with another key or an older revision moved the entry to %d", e.rev)
	}
	c.seen(key(101), "n", 9, 0) // nothing stored: nothing made
	if _, ok := c.get(key(101)); ok {
		t.Error("seen stored a tile under a key that held none")
	}
	c.put(key(100), 6, "m", [4]float64{}, 0, []byte("newer"))
	if e, _ := c.get(key(100)); e.rev != 6 || string(e.tile) != "newer" || e.content != "m" {
		t.Errorf("a tile re-rendered at revision 6 reads %d %q %q", e.rev, e.tile, e.content)
	}
	// Another database (epoch 7, restored under the server, its counter lower): its tile of
	// revision 3 replaces the entry of revision 6, and seen moves an entry to it whatever the
	// revision, when the content is the same.
	c.put(key(100), 3, "r", [4]float64{}, 7, []byte("restored"))
	if e, _ := c.get(key(100)); e.rev != 3 || e.epoch != 7 || string(e.tile) != "restored" {
		t.Errorf("another database's tile of a lower revision did not replace the entry: %d %d %q", e.rev, e.epoch, e.tile)
	}
	c.put(key(104), 6, "s", [4]float64{}, 0, []byte("same"))
	c.seen(key(104), "s", 2, 7)
	if e, _ := c.get(key(104)); e.rev != 2 || e.epoch != 7 {
		t.Errorf("seen in another database with the same content: revision %d, epoch %d", e.rev, e.epoch)
	}
	c.put(key(102), 1, "k", [4]float64{}, 0, nil) // an empty tile is held as an empty tile
	if e, ok := c.get(key(102)); !ok || e.tile == nil || len(e.tile) != 0 {
		t.Errorf("an empty tile: %v %v", e.tile, ok)
	}
	c.put(key(103), 1, "k", [4]float64{}, 0, make([]byte, 1<<20/8+1)) // over an eighth of the bound: not kept
	if _, ok := c.get(key(103)); ok {
		t.Error("a tile over an eighth of the bound was kept")
	}
	var nilCache *tileCache
	nilCache.put(key(1), 1, "k", [4]float64{}, 0, tile)
	nilCache.seen(key(1), "k", 2, 0)
	if _, ok := nilCache.get(key(1)); ok {
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
