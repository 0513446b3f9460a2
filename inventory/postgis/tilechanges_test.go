package postgis_test

import (
	"context"
	"math"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// mercator is Web Mercator (EPSG:3857) of lon, lat on the sphere of radius 6 378 137 m,
// computed here rather than by PostGIS.
func mercator(lon, lat float64) (x, y float64) {
	const r = 6378137.0
	return r * lon * math.Pi / 180, r * math.Log(math.Tan(math.Pi/4+lat*math.Pi/360))
}

// TestTileChanges: each writing transaction's revision is logged; a plot written logs its table
// and its box in Web Mercator (checked against the projection computed here); closing a version
// and writing the next logs where both are; a write to a table tiles do not draw (an
// enterprise) logs a revision with no change; a zone's change logs a change anywhere; and the
// log read after a revision holds every revision since, with the current one.
func TestTileChanges(t *testing.T) {
	ctx := context.Background()
	db := mapZone(t)
	var start int64
	if err := db.Pool.QueryRow(ctx, "select n from inventory_revision").Scan(&start); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		// revision start+1: a plot in one transaction
		`insert into plots (zone_id, code, land_use, status, geom) values (1, 'LOGGED', '100101', 'planned', ST_Multi(ST_MakeEnvelope(111.53, 36.03, 111.54, 36.05, 4326)))`,
		// start+2: a zone renamed
		`update zones set name = 'Renamed' where code = 'hand'`,
		// start+3: an enterprise, which no tile draws
		`insert into enterprises (zone_id, code, name, size_class) values (1, '91141000MA00007795', 'Firm', 'above_scale')`,
	} {
		if _, err := db.Pool.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	got, err := db.TileChanges(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	if got.After != start || got.To != start+3 || len(got.Revisions) != 3 || got.Revisions[0] != start+1 || got.Revisions[2] != start+3 {
		t.Fatalf("log after %d: to %d, revisions %v", start, got.To, got.Revisions)
	}
	x0, y0 := mercator(111.53, 36.03)
	x1, y1 := mercator(111.54, 36.05)
	var plot, zone, other int
	for _, c := range got.Changes {
		switch {
		case c.Revision == start+1 && c.Table == "plots" && !c.Anywhere:
			plot++
			for _, d := range []float64{c.MinX - x0, c.MinY - y0, c.MaxX - x1, c.MaxY - y1} {
				if math.Abs(d) > 0.01 {
					t.Errorf("plot's box %v, want %.2f %.2f %.2f %.2f", c, x0, y0, x1, y1)
					break
				}
			}
		case c.Revision == start+2 && c.Table == "zones" && c.Anywhere:
			zone++
		default:
			other++
			t.Errorf("unexpected change %+v", c)
		}
	}
	if plot != 1 || zone != 1 || other != 0 {
		t.Errorf("changes: %d of the plot, %d of the zone, %d others: %+v", plot, zone, other, got.Changes)
	}
	// An edit through the store: the old version closed and the new one written, in one
	// revision, logged where both are: a move from one place to another covers both.
	cur, err := db.Get(ctx, inventory.PlotLayer, "hand", "LOGGED")
	if err != nil {
		t.Fatal(err)
	}
	admin := inventory.WithViewer(ctx, inventory.Viewer{Name: "alice", Role: inventory.RolePlanner})
	if _, err := db.AddUser(ctx, "alice", inventory.RolePlanner); err != nil {
		t.Fatal(err)
	}
	moved := []byte(`{"type":"MultiPolygon","coordinates":[[[[111.56,36.07],[111.57,36.07],[111.57,36.08],[111.56,36.08],[111.56,36.07]]]]}`)
	if _, err := db.Update(admin, inventory.PlotLayer, "hand", "LOGGED", cur.ETag(), inventory.Change{Geometry: moved}); err != nil {
		t.Fatal(err)
	}
	got, err = db.TileChanges(ctx, start+3)
	if err != nil {
		t.Fatal(err)
	}
	xm, ym := mercator(111.57, 36.08)
	covers := func(minX, minY, maxX, maxY float64) bool {
		for _, c := range got.Changes {
			if c.Table == "plots" && c.MinX <= minX+0.01 && c.MinY <= minY+0.01 && c.MaxX >= maxX-0.01 && c.MaxY >= maxY-0.01 {
				return true
			}
		}
		return false
	}
	if got.To != start+4 || len(got.Revisions) != 1 || !covers(x0, y0, x1, y1) {
		t.Errorf("the edit's log: to %d, revisions %v, changes %+v: the old place is not covered", got.To, got.Revisions, got.Changes)
	}
	xn, yn := mercator(111.56, 36.07)
	if !covers(xn, yn, xm, ym) {
		t.Errorf("the edit's log %+v: the new place is not covered", got.Changes)
	}
	// Nothing new: the current revision and no revisions.
	if got, err := db.TileChanges(ctx, start+4); err != nil || got.To != start+4 || len(got.Revisions) != 0 {
		t.Errorf("nothing new: %+v %v", got, err)
	}
}

// TestTileChangesAtTheEdges (found by review): a plot at the map's northern edge (85.00–85.055°,
// inside Web Mercator's 85.0511° and its stored geom_3857) is logged with a box that meets the
// top-row tile it shows in; a TRUNCATE (in maintenance) bumps the revision by itself and is a
// change anywhere, alone or beside another write.
func TestTileChangesAtTheEdges(t *testing.T) {
	ctx := context.Background()
	tl := inventory.TileLayers["plots"]
	t.Run("north edge", func(t *testing.T) {
		db := postgistest.New(t)
		if _, err := db.Pool.Exec(ctx, `insert into zones (code, name, geom) values ('arc', 'Arctic', ST_Multi(ST_MakeEnvelope(10.00, 84.90, 10.10, 85.058, 4326)))`); err != nil {
			t.Fatal(err)
		}
		z, y := 15, 0
		x := int((10.015 + 180) / 360 * float64(int(1)<<z))
		before, err := db.TileAt(ctx, tl, "arc", z, x, y, inventory.TileHeld{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Pool.Exec(ctx, `insert into plots (zone_id, code, land_use, status, geom) values (1, 'NORTH', '100101', 'planned', ST_Multi(ST_MakeEnvelope(10.01, 85.00, 10.02, 85.055, 4326)))`); err != nil {
			t.Fatal(err)
		}
		after, err := db.TileAt(ctx, tl, "arc", z, x, y, inventory.TileHeld{})
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Tile) == 0 || string(after.Tile) == string(before.Tile) {
			t.Fatalf("the plot does not change the top-row tile (%d → %d bytes): the case is not made", len(before.Tile), len(after.Tile))
		}
		got, err := db.TileChanges(ctx, before.Revision)
		if err != nil {
			t.Fatal(err)
		}
		b, touched := before.Box, false
		for _, c := range got.Changes {
			touched = touched || c.Touches("plots", b[0], b[1], b[2], b[3])
		}
		if !touched {
			t.Errorf("no change of %+v touches the top-row tile's box %v", got.Changes, b)
		}
	})
	t.Run("truncate", func(t *testing.T) {
		db := mapZone(t)
		rev := func() int64 {
			var n int64
			if err := db.Pool.QueryRow(ctx, "select n from inventory_revision").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, c := range []struct{ name, sql string }{
			{"alone", `begin; set local landinv.maintenance = on; truncate plots cascade; commit`},
			{"beside an insert", `begin; set local landinv.maintenance = on; truncate plots cascade;
				insert into plots (zone_id, code, land_use, status, geom) values (1, 'FAR', '100101', 'planned', ST_Multi(ST_MakeEnvelope(111.58, 36.08, 111.59, 36.09, 4326))); commit`},
		} {
			start := rev()
			if _, err := db.Pool.Exec(ctx, c.sql); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			got, err := db.TileChanges(ctx, start)
			if err != nil {
				t.Fatal(err)
			}
			anywhere := false
			for _, ch := range got.Changes {
				anywhere = anywhere || (ch.Anywhere && ch.Table == "plots")
			}
			if got.To != start+1 || len(got.Revisions) != 1 || !anywhere {
				t.Errorf("truncate %s: revision %d → %d (want one more), logged %+v, want a change anywhere", c.name, start, got.To, got.Changes)
			}
		}
	})
}
