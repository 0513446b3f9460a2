package postgis_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// mapZone is a zone 111.50–111.60 E, 36.00–36.10 N with one plot, PLOT-ALPHA
// (111.51–111.52 E, 36.01–36.02 N), whose enterprise is the confidential "SecretCo".
func mapZone(t *testing.T) *postgis.DB {
	t.Helper()
	db := postgistest.New(t)
	for _, s := range []string{
		`insert into zones (code, name, geom) values ('hand', 'Hand-made zone', ST_Multi(ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326)))`,
		`insert into layout (zone_id, code, kind, name, geom) values (1, 'W', 'district', 'West', ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326))`,
		`insert into plots (zone_id, code, land_use, status, standard_land, enterprise, geom) values
			(1, 'PLOT-ALPHA', '100101', 'ready', true, 'SecretCo', ST_Multi(ST_MakeEnvelope(111.51, 36.01, 111.52, 36.02, 4326)))`,
	} {
		if _, err := db.Pool.Exec(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return db
}

// parallelArc is the length of 0.01° of longitude along the parallel at lat on the GRS 80 /
// WGS 84 ellipsoid: Δλ · a·cos φ / √(1 − e² sin² φ). Over ~900 m it equals the geodesic to
// well under a millimetre.
func parallelArc(dLonDeg, latDeg float64) float64 {
	const a, e2 = 6378137.0, 0.00669437999014
	phi := latDeg * math.Pi / 180
	return dLonDeg * math.Pi / 180 * a * math.Cos(phi) / math.Sqrt(1-e2*math.Sin(phi)*math.Sin(phi))
}

func TestNearestRoadsHandMade(t *testing.T) {
	ctx := context.Background()
	db := mapZone(t)

	// No road yet: nothing is near.
	near, existing, err := db.NearestRoads(ctx, "", "PLOT-ALPHA")
	if err != nil || near != nil || existing != nil {
		t.Fatalf("no roads: got %v, %v, %v; want nil, nil, nil", near, existing, err)
	}

	// A planned road crossing the plot is at distance 0; no existing road yet.
	if _, err := db.Pool.Exec(ctx, `insert into roads (zone_id, code, name, status, geom) values
		(1, 'R-B', '规划路', 'planned', ST_Multi(ST_MakeLine(ST_MakePoint(111.515, 36.005), ST_MakePoint(111.515, 36.025))))`); err != nil {
		t.Fatal(err)
	}
	near, existing, err = db.NearestRoads(ctx, "", "PLOT-ALPHA")
	if err != nil || near == nil || near.Code != "R-B" || near.DistanceM != 0 || near.Status != "planned" || existing != nil {
		t.Fatalf("crossing planned road: got %+v, %+v, %v", near, existing, err)
	}

	// An existing road along the meridian 111.53, 0.01° east of the plot's east edge: the
	// nearest point is the plot's north-east corner (the meridians converge northward).
	if _, err := db.Pool.Exec(ctx, `insert into roads (zone_id, code, name, status, geom) values
		(1, 'R-A', '现状路', 'existing', ST_Multi(ST_MakeLine(ST_MakePoint(111.53, 36.00), ST_MakePoint(111.53, 36.03))))`); err != nil {
		t.Fatal(err)
	}
	near, existing, err = db.NearestRoads(ctx, "", "PLOT-ALPHA")
	if err != nil {
		t.Fatal(err)
	}
	want := parallelArc(0.01, 36.02)
	if near == nil || near.Code != "R-B" || existing == nil || existing.Code != "R-A" || math.Abs(existing.DistanceM-want) > 0.01 {
		t.Fatalf("got nearest %+v, existing %+v; want R-B at 0 and R-A at %.3f m", near, existing, want)
	}

	// An unknown plot is not found.
	if _, _, err := db.NearestRoads(ctx, "", "NOPE"); inventory.ErrorKind(err) != inventory.ENotFound {
		t.Errorf("unknown plot: got %v, want not_found", err)
	}
}

// On the demo data, the KNN-prefiltered answer equals a brute-force minimum over every road.
func TestNearestRoadsMatchBruteForce(t *testing.T) {
	ctx := context.Background()
	db := postgistest.NewWithDemo(t)
	rows, err := db.Pool.Query(ctx, `select code from plots where valid_to = 'infinity' and not archived order by code`)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c)
	}
	if len(codes) < 50 {
		t.Fatalf("demo has %d plots", len(codes))
	}
	for i := 0; i < len(codes); i += 7 {
		code := codes[i]
		near, existing, err := db.NearestRoads(ctx, "", code)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			got    *inventory.NearestRoad
			status string
		}{{near, ""}, {existing, "existing"}} {
			var want float64
			err := db.Pool.QueryRow(ctx, `select min(ST_Distance(r.geom::geography, p.geom::geography))
				from plots p, roads r
				where p.code = $1 and p.valid_to = 'infinity' and not p.archived
				  and r.zone_id = p.zone_id and r.valid_to = 'infinity' and not r.archived
				  and ($2 = '' or r.status = $2)`, code, c.status).Scan(&want)
			if err != nil {
				t.Fatal(err)
			}
			if c.got == nil || math.Abs(c.got.DistanceM-want) > 1e-6 {
				t.Errorf("plot %s (road status %q): got %+v, brute force %.3f m", code, c.status, c.got, want)
			}
		}
	}
}

func TestLandUses(t *testing.T) {
	lu, err := postgistest.New(t).LandUses(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, l := range lu {
		names[l.Code] = l.NameEN
	}
	if names["1001"] != "Industrial" || names["100102"] != "Industrial, class 2" {
		t.Errorf("land uses: 1001 = %q, 100102 = %q", names["1001"], names["100102"])
	}
}

// tileOf returns the XYZ tile holding lon, lat at zoom z.
func tileOf(lon, lat float64, z int) (int, int) {
	n := math.Exp2(float64(z))
	x := int((lon + 180) / 360 * n)
	y := int((1 - math.Asinh(math.Tan(lat*math.Pi/180))/math.Pi) / 2 * n)
	return x, y
}

func TestTile(t *testing.T) {
	ctx := context.Background()
	db := mapZone(t)
	tl := inventory.TileLayers["plots"]
	x, y := tileOf(111.515, 36.015, 14)
	tile, err := db.Tile(ctx, tl, "", 14, x, y)
	if err != nil {
		t.Fatal(err)
	}
	// MVT stores layer names, keys and string values as plain UTF-8.
	for _, want := range []string{"plots", "PLOT-ALPHA", "status", "ready", "standard_land", "area_mu"} {
		if !bytes.Contains(tile, []byte(want)) {
			t.Errorf("tile %d/%d/%d lacks %q", 14, x, y, want)
		}
	}
	for _, secret := range []string{"SecretCo", "enterprise"} {
		if bytes.Contains(tile, []byte(secret)) {
			t.Errorf("tile carries confidential %q", secret)
		}
	}
	// A tile far from the zone is empty.
	fx, fy := tileOf(116.4, 39.9, 14)
	if far, err := db.Tile(ctx, tl, "", 14, fx, fy); err != nil || len(far) != 0 {
		t.Errorf("far tile: %d bytes, %v; want empty", len(far), err)
	}
	for _, c := range [][3]int{{-1, 0, 0}, {19, 0, 0}, {2, 4, 0}, {2, 0, -1}} {
		if _, err := db.Tile(ctx, tl, "", c[0], c[1], c[2]); inventory.ErrorKind(err) != inventory.EInvalid {
			t.Errorf("tile %v: got %v, want invalid", c, err)
		}
	}
}

// TestTileAtRevision: TileAt returns the inventory's revision with the tile, renders unless
// that revision is one the caller holds (then no tile), finds the default zone and the zone
// named, and refuses an unknown zone with ENotFound naming zone.
func TestTileAtRevision(t *testing.T) {
	ctx := context.Background()
	db := mapZone(t)
	tl := inventory.TileLayers["plots"]
	x, y := tileOf(111.515, 36.015, 14)
	var rev int64
	if err := db.Pool.QueryRow(ctx, "select n from inventory_revision").Scan(&rev); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		zone     string
		have     []int64
		rendered bool
	}{
		{"", nil, true}, {"hand", nil, true}, {"hand", []int64{rev - 1}, true},
		{"hand", []int64{rev}, false}, {"", []int64{rev - 1, rev}, false},
	} {
		got, err := db.TileAt(ctx, tl, c.zone, 14, x, y, inventory.TileHeld{Revisions: c.have})
		if err != nil {
			t.Fatalf("zone %q have %v: %v", c.zone, c.have, err)
		}
		if got.Revision != rev || got.Rendered != c.rendered || bytes.Contains(got.Tile, []byte("PLOT-ALPHA")) != c.rendered {
			t.Errorf("zone %q have %v: revision %d (want %d), rendered %v (want %v), %d bytes",
				c.zone, c.have, got.Revision, rev, got.Rendered, c.rendered, len(got.Tile))
		}
	}
	if _, err := db.Pool.Exec(ctx, "update inventory_revision set n = n + 1"); err != nil {
		t.Fatal(err)
	}
	first, err := db.TileAt(ctx, tl, "hand", 14, x, y, inventory.TileHeld{Revisions: []int64{rev}})
	if err != nil || first.Revision != rev+1 || !first.Rendered || first.Content == "" {
		t.Errorf("after a write: revision %d (want %d), rendered %v, content key %q, %v", first.Revision, rev+1, first.Rendered, first.Content, err)
	}
	// The content key: the same features, the same key, and a tile held with it is not drawn
	// again, whatever the revision; any change to a feature it draws (an edit is a new
	// version), or one more feature, changes the key.
	if _, err := db.Pool.Exec(ctx, "update inventory_revision set n = n + 1"); err != nil {
		t.Fatal(err)
	}
	same, err := db.TileAt(ctx, tl, "hand", 14, x, y, inventory.TileHeld{Revisions: []int64{rev}, Content: first.Content})
	if err != nil || same.Revision != rev+2 || same.Rendered || !same.Same || same.Tile != nil || same.Content != first.Content {
		t.Errorf("unchanged tile at a new revision: %+v, %v", same, err)
	}
	other, err := db.TileAt(ctx, tl, "hand", 14, x, y, inventory.TileHeld{Content: "not-" + first.Content})
	if err != nil || !other.Rendered || other.Same || !bytes.Equal(other.Tile, first.Tile) {
		t.Errorf("another key held: rendered %v, same %v, %d bytes (want the tile of %d), %v", other.Rendered, other.Same, len(other.Tile), len(first.Tile), err)
	}
	if _, err := db.Update(inventory.WithViewer(ctx, inventory.Viewer{Name: "p", Role: inventory.RolePlanner}), inventory.PlotLayer, "hand", "PLOT-ALPHA",
		`"plots-PLOT-ALPHA-v1"`, inventory.Change{Properties: map[string]any{"name": "Alpha renamed"}}); err != nil {
		t.Fatal(err)
	}
	edited, err := db.TileAt(ctx, tl, "hand", 14, x, y, inventory.TileHeld{Content: first.Content})
	if err != nil || !edited.Rendered || edited.Same || edited.Content == first.Content || !bytes.Contains(edited.Tile, []byte("Alpha renamed")) {
		t.Errorf("after an edit of a plot it draws: rendered %v, same %v, key %q (was %q), %v", edited.Rendered, edited.Same, edited.Content, first.Content, err)
	}
	_, err = db.TileAt(ctx, tl, "nowhere", 14, x, y, inventory.TileHeld{})
	var ie *inventory.Error
	if !errors.As(err, &ie) || ie.Kind != inventory.ENotFound || ie.Field != "zone" {
		t.Errorf("unknown zone: %v, want ENotFound naming zone", err)
	}
}
