package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"testing"
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
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return reply{resp.StatusCode, resp.Header, b.Bytes()}
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
		var rev int64
		if err := e.db.Pool.QueryRow(context.Background(), "select n from inventory_revision").Scan(&rev); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf(`"%d"`, rev); tileTag != want {
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
