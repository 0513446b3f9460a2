package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// tileOf returns the XYZ tile of zoom z that holds lon, lat (Web Mercator).
func tileOf(lon, lat float64, z int) (x, y int) {
	n := math.Exp2(float64(z))
	r := lat * math.Pi / 180
	return int((lon + 180) / 360 * n), int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)
}

// TestTileAndPageCacheSeeWrites writes through the API and reads the same tile and the same page
// again: the cached tile and the page's ETag must show each write at once (a new plot appears in
// the tile, an archived one leaves it), the old ETags no longer match, and the current one gives
// 304. The tile's ETag is the inventory's revision, and the default zone's tile is the same.
func TestTileAndPageCacheSeeWrites(t *testing.T) {
	e := newEditEnv(t)
	x, y := tileOf(111.515, 36.015, 12)
	if x2, y2 := tileOf(111.524, 36.016, 12); x2 != x || y2 != y {
		t.Fatalf("P1 and P2 are in different tiles: %d/%d and %d/%d", x, y, x2, y2)
	}
	tile := fmt.Sprintf("/tiles/plots/12/%d/%d.mvt?zone=hand", x, y)
	tileDefault := fmt.Sprintf("/tiles/plots/12/%d/%d.mvt", x, y)
	page := "/api/v1/plots?zone=hand"
	read := func(path, etag string) reply {
		t.Helper()
		return getWith(t, e.srv.URL+path, "If-None-Match", etag)
	}
	// state reads the tile twice (the second from the cache) and the page, and checks which of
	// P1 and P2 they hold.
	state := func(step string, p2 bool) (tileTag, pageTag string) {
		t.Helper()
		for i := range 2 {
			r := read(tile, "")
			if r.status != 200 || !bytes.Contains(r.body, []byte("P1")) || bytes.Contains(r.body, []byte("P2")) != p2 {
				t.Fatalf("%s, read %d: tile %d, holds P2: %v, want %v", step, i, r.status, bytes.Contains(r.body, []byte("P2")), p2)
			}
			tileTag = r.header.Get("ETag")
		}
		if want := fmt.Sprintf(`"%d"`, inventoryRevision(t, e.db)); tileTag != want {
			t.Errorf("%s: tile ETag %s, the inventory's revision is %s", step, tileTag, want)
		}
		// The default zone's tile (no zone named) is the same tile under the same ETag.
		if r := read(tileDefault, ""); r.status != 200 || r.header.Get("ETag") != tileTag || bytes.Contains(r.body, []byte("P2")) != p2 {
			t.Errorf("%s: the default zone's tile: %d, ETag %s (want %s)", step, r.status, r.header.Get("ETag"), tileTag)
		}
		// The OGC API tile (row = y, column = x) is the same tile, the same ETag, through the
		// same cache, and a 304 for the current ETag.
		ogc := fmt.Sprintf("/ogc/collections/plots/tiles/WebMercatorQuad/12/%d/%d?zone=hand", y, x)
		if r := read(ogc, ""); r.status != 200 || r.header.Get("ETag") != tileTag || bytes.Contains(r.body, []byte("P2")) != p2 {
			t.Errorf("%s: the OGC API tile: %d, ETag %q (want %s), holds P2: %v", step, r.status, r.header.Get("ETag"), tileTag, bytes.Contains(r.body, []byte("P2")))
		}
		if r := read(ogc, tileTag); r.status != 304 {
			t.Errorf("%s: the OGC API tile with its current ETag: %d, want 304", step, r.status)
		}
		// The current ETag does not make an unknown zone's tile a 304.
		if r := read(fmt.Sprintf("/tiles/plots/12/%d/%d.mvt?zone=nowhere", x, y), tileTag); r.status != 404 || !bytes.Contains(r.body, []byte(`"field":"zone"`)) {
			t.Errorf("%s: an unknown zone's tile with If-None-Match %s: %d %s", step, tileTag, r.status, r.body)
		}
		// A client holding an ETag that is not current gets the tile, from the cache.
		if r := read(tile, `"1"`); r.status != 200 || r.header.Get("ETag") != tileTag || bytes.Contains(r.body, []byte("P2")) != p2 {
			t.Errorf("%s: tile with an old If-None-Match: %d, ETag %s", step, r.status, r.header.Get("ETag"))
		}
		r := read(page, "")
		var list fc
		if err := json.Unmarshal(r.body, &list); r.status != 200 || err != nil || slices.Contains(codes(list.Features), "P2") != p2 {
			t.Fatalf("%s: page %d %v lists %v, want P2: %v", step, r.status, err, codes(list.Features), p2)
		}
		for _, c := range []struct{ path, tag string }{{tile, tileTag}, {page, r.header.Get("ETag")}} {
			if c.tag == "" || read(c.path, c.tag).status != 304 {
				t.Errorf("%s: %s with If-None-Match %s is not 304", step, c.path, c.tag)
			}
		}
		return tileTag, r.header.Get("ETag")
	}
	t0, p0 := state("before", false)

	if r := e.do(t, "POST", "/api/v1/plots?zone=hand", "alice", "", feat(box(111.522, 36.012, 111.526, 36.018), `{"code":"P2","land_use":"100101","status":"planned"}`)); r.status != 201 {
		t.Fatalf("create P2: %d %s", r.status, r.body)
	}
	t1, p1 := state("after creating P2", true)
	if t1 == t0 || p1 == p0 || read(tile, t0).status != 200 || read(page, p0).status != 200 {
		t.Errorf("after a write the old ETags still match: tile %s → %s, page %s → %s", t0, t1, p0, p1)
	}

	cur := e.do(t, "GET", "/api/v1/plots/P2?zone=hand", "alice", "", "")
	if r := e.do(t, "DELETE", "/api/v1/plots/P2?zone=hand", "alice", cur.header.Get("ETag"), ""); r.status >= 300 {
		t.Fatalf("archive P2: %d %s", r.status, r.body)
	}
	if t2, _ := state("after archiving P2", false); t2 == t1 {
		t.Errorf("the tile's ETag did not change with the archive")
	}
}

// countedTileServer serves e's store with its tile statements counted; the test's end closes it.
func countedTileServer(t *testing.T, e *editEnv) (*httptest.Server, *countingTiles) {
	t.Helper()
	d := storeDeps(e.db)
	tiles := &countingTiles{TileService: e.db}
	d.Tiles = tiles
	srv := httptest.NewServer(newServer(t, d))
	t.Cleanup(srv.Close)
	return srv, tiles
}

// countingTiles counts the tiles its store draws.
type countingTiles struct {
	inventory.TileService
	drawn atomic.Int64
	calls atomic.Int64 // the tile statements run, drawn or not
}

func (c *countingTiles) TileAt(ctx context.Context, tl *inventory.TileLayer, zone string, z, x, y int, held inventory.TileHeld) (inventory.RevisionTile, error) {
	c.calls.Add(1)
	t, err := c.TileService.TileAt(ctx, tl, zone, z, x, y, held)
	if t.Rendered {
		c.drawn.Add(1)
	}
	return t, err
}

// TestTileKeptThroughWritesElsewhere: a write outside a cached tile makes a new revision but
// leaves the tile as it was: the next request gets the cached tile under the new revision's
// ETag without drawing it again (the tile's statement finds the same content key); a write to
// a plot the tile draws makes it draw again, showing the write.
func TestTileKeptThroughWritesElsewhere(t *testing.T) {
	e := newEditEnv(t)
	srv, tiles := countedTileServer(t, e)
	x, y := tileOf(111.515, 36.015, 14) // P1's tile
	path := fmt.Sprintf("%s/tiles/plots/14/%d/%d.mvt?zone=hand", srv.URL, x, y)
	get := func(etag string) (int, string, []byte) {
		t.Helper()
		r := getWith(t, path, "If-None-Match", etag)
		return r.status, r.header.Get("ETag"), r.body
	}
	revision := func() string { return fmt.Sprintf(`"%d"`, inventoryRevision(t, e.db)) }
	st, tag0, body0 := get("")
	if st != 200 || tag0 != revision() || tiles.drawn.Load() != 1 || !bytes.Contains(body0, []byte("P1")) {
		t.Fatalf("first read: %d %s (revision %s), %d drawn", st, tag0, revision(), tiles.drawn.Load())
	}
	// A plot far from the tile (the zone's other corner).
	if r := e.do(t, "POST", "/api/v1/plots?zone=hand", "alice", "", feat(box(111.58, 36.08, 111.585, 36.085), `{"code":"FAR","land_use":"100101","status":"planned"}`)); r.status != 201 {
		t.Fatalf("create FAR: %d %s", r.status, r.body)
	}
	st, tag1, body1 := get("")
	if st != 200 || tag1 == tag0 || tag1 != revision() || !bytes.Equal(body1, body0) || tiles.drawn.Load() != 1 {
		t.Errorf("after a write elsewhere: %d, ETag %s (was %s, revision %s), same bytes %v, %d drawn (want 1)", st, tag1, tag0, revision(), bytes.Equal(body1, body0), tiles.drawn.Load())
	}
	if st, _, _ := get(tag1); st != 304 {
		t.Errorf("the new ETag: %d, want 304", st)
	}
	if st, tag, body := get(tag0); st != 200 || tag != tag1 || !bytes.Equal(body, body0) {
		t.Errorf("the old ETag after a write elsewhere: %d %s, want 200 with %s", st, tag, tag1)
	}
	// An edit of P1, which the tile draws.
	cur := e.do(t, "GET", "/api/v1/plots/P1?zone=hand", "alice", "", "")
	if r := e.do(t, "PATCH", "/api/v1/plots/P1?zone=hand", "alice", cur.header.Get("ETag"), `{"type":"Feature","properties":{"name":"P1 renamed"}}`); r.status != 200 {
		t.Fatalf("edit P1: %d %s", r.status, r.body)
	}
	st, tag2, body2 := get("")
	if st != 200 || tag2 == tag1 || !bytes.Contains(body2, []byte("P1 renamed")) || tiles.drawn.Load() != 2 {
		t.Errorf("after an edit of P1: %d %s, shows it %v, %d drawn (want 2)", st, tag2, bytes.Contains(body2, []byte("P1 renamed")), tiles.drawn.Load())
	}
}

// TestTileAfterARestoreUnderTheServer: a database restored under a running server (its
// revision's table made again, with the same counter, and a plot's name changed without the
// triggers, so the revision is the one the server's cached tile was drawn at) is not answered
// for by the cached tile: the revision names another state there. The tile is drawn again and
// shows the restored name. It fails when the tile path trusts an equal revision alone.
func TestTileAfterARestoreUnderTheServer(t *testing.T) {
	e := newEditEnv(t)
	srv, tiles := countedTileServer(t, e)
	x, y := tileOf(111.515, 36.015, 14)
	path := fmt.Sprintf("%s/tiles/plots/14/%d/%d.mvt?zone=hand", srv.URL, x, y)
	first := getWith(t, path)
	if first.status != 200 || !bytes.Contains(first.body, []byte("P1")) {
		t.Fatalf("first read: %d", first.status)
	}
	before := tiles.calls.Load()
	if again := getWith(t, path); again.status != 200 || tiles.calls.Load() != before {
		t.Fatalf("the tile is not served from the cache: %d, %d statements", again.status, tiles.calls.Load()-before)
	}
	rev := inventoryRevision(t, e.db)

	postgistest.RestoreUnder(t, e.db.Pool.Pool, `update plots set name = 'restored name' where code = 'P1' and valid_to = 'infinity'`)
	if now := inventoryRevision(t, e.db); now != rev {
		t.Fatalf("the restore changed the revision (%d → %d): the case is not made", rev, now)
	}
	r := getWith(t, path)
	if r.status != 200 || !bytes.Contains(r.body, []byte("restored name")) {
		t.Errorf("after a restore under the server the tile is %d and does not show the restored name (%d statements)", r.status, tiles.calls.Load()-before)
	}
	if r := getWith(t, path); !bytes.Contains(r.body, []byte("restored name")) {
		t.Errorf("the tile drawn after the restore was not kept: %d", r.status)
	}
}

// TestTileKeptByTheChangeLog: with the store's change log (migration 0078), a cached tile that a
// write elsewhere did not touch is served under the new revision with no tile statement at all,
// once the server's copy of the log holds that revision (it loads in the background: the first
// requests after a write go the ordinary way). A write inside the tile's box, and a change of
// the zones (which may change any tile), still go to the tile's statement, which draws the
// edit; both are checked once the copy holds their revision (a second tile, in the zone's other
// corner, is asked for until it is), so that a copy that wrongly kept the tile would serve it
// stale here. Without the log the same writes each cost a statement
// (TestTileKeptThroughWritesElsewhere).
func TestTileKeptByTheChangeLog(t *testing.T) {
	e := newEditEnv(t)
	if storeDeps(e.db).TileChanges == nil {
		t.Fatal("storeDeps gives no change log")
	}
	srv, tiles := countedTileServer(t, e)
	tilePath := func(lon, lat float64) string {
		x, y := tileOf(lon, lat, 14)
		return fmt.Sprintf("%s/tiles/plots/14/%d/%d.mvt?zone=hand", srv.URL, x, y)
	}
	near, far := tilePath(111.515, 36.015), tilePath(111.585, 36.085) // P1's tile; the other corner's
	if near == far {
		t.Fatal("the two tiles are one")
	}
	revision := func() string { return fmt.Sprintf(`"%d"`, inventoryRevision(t, e.db)) }
	// settle asks for the tile at path until a request runs no tile statement (the copy of the
	// log holds the current revision and the tile is untouched), for at most 5 s.
	settle := func(path string) reply {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			before := tiles.calls.Load()
			r := getWith(t, path)
			if tiles.calls.Load() == before {
				return r
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: every request still runs the tile statement", path)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	first := getWith(t, near)
	if first.status != 200 || !bytes.Contains(first.body, []byte("P1")) {
		t.Fatalf("first read: %d", first.status)
	}
	if r := getWith(t, far); r.status != 200 && r.status != 204 {
		t.Fatalf("far tile: %d", r.status)
	}
	// A plot in the far corner: P1's tile is kept, with no statement, under the new ETag.
	if r := e.do(t, "POST", "/api/v1/plots?zone=hand", "alice", "", feat(box(111.58, 36.08, 111.585, 36.085), `{"code":"FAR","land_use":"100101","status":"planned"}`)); r.status != 201 {
		t.Fatalf("create FAR: %d %s", r.status, r.body)
	}
	if r := settle(far); !bytes.Contains(r.body, []byte("FAR")) {
		t.Fatalf("the far tile does not show FAR: %d", r.status)
	}
	r := settle(near)
	if r.status != 200 || r.header.Get("ETag") != revision() || !bytes.Equal(r.body, first.body) {
		t.Fatalf("after a write elsewhere: %d, ETag %s (revision %s), same bytes %v", r.status, r.header.Get("ETag"), revision(), bytes.Equal(r.body, first.body))
	}
	// An edit of P1, inside the near tile: once the copy holds it (the far tile settles), the
	// near tile's next request runs the statement and shows the edit.
	cur := e.do(t, "GET", "/api/v1/plots/P1?zone=hand", "alice", "", "")
	if r := e.do(t, "PATCH", "/api/v1/plots/P1?zone=hand", "alice", cur.header.Get("ETag"), `{"type":"Feature","properties":{"name":"P1 renamed"}}`); r.status != 200 {
		t.Fatalf("edit P1: %d %s", r.status, r.body)
	}
	settle(far)
	drawn := tiles.drawn.Load()
	r = getWith(t, near)
	if r.status != 200 || r.header.Get("ETag") != revision() || !bytes.Contains(r.body, []byte("P1 renamed")) || tiles.drawn.Load() != drawn+1 {
		t.Fatalf("after an edit of P1: %d %s (revision %s), shows it %v, drawn %d", r.status, r.header.Get("ETag"), revision(), bytes.Contains(r.body, []byte("P1 renamed")), tiles.drawn.Load()-drawn)
	}
	// A change of the zones may change any tile (the default zone, say): once the copy holds
	// it, the near tile still asks its statement.
	if _, err := e.db.Pool.Exec(t.Context(), "update zones set name = name || '' where code = 'hand'"); err != nil {
		t.Fatal(err)
	}
	settle(far)
	calls := tiles.calls.Load()
	if r := getWith(t, near); r.status != 200 || r.header.Get("ETag") != revision() || tiles.calls.Load() != calls+1 {
		t.Errorf("after a change of the zones: %d %s (revision %s), %d statements (want 1)", r.status, r.header.Get("ETag"), revision(), tiles.calls.Load()-calls)
	}
}
