package postgis_test

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
)

// TestAreaUnitsAgreeWithGeo checks the SQL that derives 亩, 公顷 and km² from area_m2 (a plot
// read and listed, a zone) against geo's conversions of the same area_m2: geo/units.go is the
// one definition of the units, and the database must not drift from it. (Values pass through
// jsonb, which keeps 15 significant digits: hence the relative tolerance of 1e-12.)
func TestAreaUnitsAgreeWithGeo(t *testing.T) {
	db := bareHandZone(t)
	ctx := context.Background()
	rexec(t, db, `insert into plots (zone_id, code, land_use, status, geom) values
		(1, 'U1', '100101', 'ready', ST_Multi(ST_MakeEnvelope(111.51, 36.01, 111.5137, 36.0129, 4326)))`)
	close := func(what string, got, want float64) {
		t.Helper()
		if want == 0 || math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("%s = %.17g, want %.17g", what, got, want)
		}
	}
	f, err := db.Get(ctx, inventory.PlotLayer, "hand", "U1")
	if err != nil {
		t.Fatal(err)
	}
	num := func(props map[string]any, key string) float64 {
		t.Helper()
		n, ok := props[key].(json.Number)
		x, err := n.Float64()
		if !ok || err != nil {
			t.Fatalf("%s = %v (%T), want a number", key, props[key], props[key])
		}
		return x
	}
	m2, mu, ha := num(f.Properties, "area_m2"), num(f.Properties, "area_mu"), num(f.Properties, "area_ha")
	close("read area_mu", mu, geo.MuFromSquareMetres(m2))
	close("read area_ha", ha, geo.HectaresFromSquareMetres(m2))
	page, err := db.List(ctx, inventory.Query{Layer: inventory.PlotLayer, Zone: "hand", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Features) != 1 {
		t.Fatalf("listed %d plots, want U1", len(page.Features))
	}
	mu = num(page.Features[0].Properties, "area_mu")
	close("listed area_mu", mu, geo.MuFromSquareMetres(m2))

	var zoneM2 float64
	if err := db.Pool.QueryRow(ctx, "select area_m2 from zones where code = 'hand'").Scan(&zoneM2); err != nil {
		t.Fatal(err)
	}
	z, err := db.Zone(ctx, "hand")
	if err != nil {
		t.Fatal(err)
	}
	close("zone area_mu", z.AreaMu, geo.MuFromSquareMetres(zoneM2))
	close("zone area_km2", z.AreaKm2, geo.SquareKilometresFromSquareMetres(zoneM2))
}
