package postgis_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/landinv/landinv/data"
	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestMigration0050OnTheDemo migrates a database to the schema before 0050, loads the demo
// into it, then applies 0050: every plot's enterprise name before equals the name of the one
// enterprise linked to it after, every plant tenant is a tenancy of the same area, and every
// provisional credit code passes the Go checksum (CheckCreditCodeFormat: the organisation-code
// rule came with 0065).
func TestMigration0050OnTheDemo(t *testing.T) {
	ctx := context.Background()
	db, err := postgis.Open(ctx, postgistest.Empty(t, true), slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before := fstest.MapFS{}
	entries, err := fs.ReadDir(data.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() >= "0050" {
			continue
		}
		b, err := fs.ReadFile(data.Migrations, "migrations/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		before["migrations/"+e.Name()] = &fstest.MapFile{Data: b}
	}
	if _, err := db.Migrate(ctx, before, "migrations"); err != nil {
		t.Fatal(err)
	}
	// The demo as a database of before 0050 held it (LoadDataset would link enterprises).
	var zfc inventory.GeoJSONCollection
	readDemo(t, "zone", &zfc)
	// The zone row as the schema of before 0050 holds it (LoadZone writes today's columns,
	// such as the place names of 0057).
	zp := zfc.Features[0].Properties
	zone, _ := zp["code"].(string)
	if _, err := db.Pool.Exec(ctx, `insert into zones (code, name, name_en, province, level, planned_area_km2, illustrative, geom)
		values ($1, $2, $3, $4, 'provincial', $5::text::double precision, true, ST_Multi(ST_GeomFromGeoJSON($6)))`,
		zone, zp["name"], zp["name_en"], zp["province"], fmt.Sprint(zp["planned_area_km2"]), string(zfc.Features[0].Geometry)); err != nil {
		t.Fatal(err)
	}
	for _, l := range []*inventory.Layer{inventory.LayoutLayer, inventory.RoadLayer, inventory.PlotLayer, inventory.IdleSiteLayer, inventory.PlantLayer} {
		var fc inventory.GeoJSONCollection
		readDemo(t, l.Table, &fc)
		if l == inventory.LayoutLayer {
			// The surroundings' kinds came with migration 0067, after this schema.
			fc.Features = slices.DeleteFunc(fc.Features, func(f inventory.GeoJSONFeature) bool {
				k, _ := f.Properties["kind"].(string)
				return slices.Contains(inventory.ContextKinds, k)
			})
		}
		if _, err := db.LoadLayer(ctx, l, zone, fc, "demo"); err != nil {
			t.Fatal(err)
		}
	}
	type tenancy struct {
		name, plant string
		m2          float64
	}
	plotFirm := map[string]string{}
	rows, err := db.Pool.Query(ctx, "select code, enterprise from plots where valid_to = 'infinity' and enterprise is not null")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			t.Fatal(err)
		}
		plotFirm[c] = n
	}
	rows.Close()
	var tenants []tenancy
	rows, err = db.Pool.Query(ctx, `select t->>'name', s.code, (t->>'area_m2')::float8 from plants s,
		jsonb_array_elements(coalesce(s.tenants, '[]')) t where s.valid_to = 'infinity'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var x tenancy
		if err := rows.Scan(&x.name, &x.plant, &x.m2); err != nil {
			t.Fatal(err)
		}
		tenants = append(tenants, x)
	}
	rows.Close()
	if len(plotFirm) < 100 || len(tenants) < 20 {
		t.Fatalf("the demo names %d plot holders and %d tenants; the test needs more", len(plotFirm), len(tenants))
	}

	if _, err := db.Migrate(ctx, data.Migrations, "migrations"); err != nil {
		t.Fatal(err)
	}
	admin := inventory.WithViewer(ctx, inventory.Viewer{Name: "a", Role: inventory.RoleAdmin})
	page, err := db.List(admin, inventory.Query{Layer: inventory.EnterpriseLayer, Limit: inventory.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	holder := map[string][]string{} // plot → names of the enterprises linking it
	leases := map[string]float64{}  // name NUL plant → leased m²
	names := map[string]bool{}
	for _, f := range page.Features {
		// 0050's provisional codes predate the organisation-code rule of 0065.
		if err := inventory.CheckCreditCodeFormat(f.Code); err != nil {
			t.Errorf("enterprise %s: %v", f.Code, err)
		}
		name, _ := f.Confidential["name"].(string)
		if names[name] {
			t.Errorf("two enterprises named %s", name)
		}
		names[name] = true
		if f.Confidential["provisional_code"] != true {
			t.Errorf("%s: provisional_code = %v", f.Code, f.Confidential["provisional_code"])
		}
		plots, _ := f.Confidential["plots"].([]any)
		for _, p := range plots {
			holder[p.(string)] = append(holder[p.(string)], name)
		}
		ts, _ := f.Confidential["tenancies"].([]any)
		for _, x := range ts {
			m := x.(map[string]any)
			v, _ := m["leased_m2"].(json.Number).Float64()
			leases[name+"\x00"+m["plant_code"].(string)] += v
		}
	}
	for plot, name := range plotFirm {
		if got := holder[plot]; len(got) != 1 || got[0] != name {
			t.Errorf("plot %s: enterprise %q before, linked to %q after", plot, name, got)
		}
	}
	if len(holder) != len(plotFirm) {
		t.Errorf("%d plots linked, %d named an enterprise", len(holder), len(plotFirm))
	}
	sum := map[string]float64{}
	for _, x := range tenants {
		sum[x.name+"\x00"+x.plant] += x.m2
	}
	for k, v := range sum {
		if leases[k] != v {
			t.Errorf("tenant %q: %v m² before, %v after", strings.ReplaceAll(k, "\x00", " in "), v, leases[k])
		}
	}
	if len(leases) != len(sum) {
		t.Errorf("%d tenancies after, %d before", len(leases), len(sum))
	}
	// Running the step again makes nothing new.
	st, err := db.LinkEnterprises(ctx, zone, "again")
	if err != nil || st.Inserted != 0 {
		t.Errorf("linking again: %d made, %v", st.Inserted, err)
	}
}

func readDemo(t *testing.T, name string, fc *inventory.GeoJSONCollection) {
	t.Helper()
	b, err := fs.ReadFile(data.Demo, "demo/"+name+".geojson")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, fc); err != nil {
		t.Fatal(err)
	}
}

// creditCode makes a valid unified social credit code from its first 16 characters.
func creditCode(t testing.TB, first16 string) string {
	t.Helper()
	code, err := inventory.CompleteCreditCode(first16)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// TestEnterpriseLayer: an enterprise goes through the one write path with history and as_of,
// its credit code checked in Go and in SQL alike; its links are checked by the database; the
// public sees none of its fields.
func TestEnterpriseLayer(t *testing.T) {
	db := bareHandZone(t)
	ctx := planner
	rexec(t, db, `insert into plots (zone_id, code, land_use, status, geom) values (1, 'P1', '100101', 'in_production', ST_Multi(ST_MakeEnvelope(111.51, 36.01, 111.515, 36.02, 4326)))`)
	code := creditCode(t, "91141000MA000001")
	f, err := db.Create(ctx, inventory.EnterpriseLayer, "", inventory.Change{Properties: map[string]any{
		"code": code, "name": "甲公司", "size_class": "above_scale", "plots": []any{"P1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if string(f.Geometry) != "" && string(f.Geometry) != "null" {
		t.Errorf("geometry %s", f.Geometry)
	}
	v1 := time.Now()
	time.Sleep(10 * time.Millisecond)
	if _, err := db.Update(ctx, inventory.EnterpriseLayer, "", code, f.ETag(), inventory.Change{Properties: map[string]any{"name": "甲股份公司"}}); err != nil {
		t.Fatal(err)
	}
	old, err := db.GetAsOf(ctx, inventory.EnterpriseLayer, "", code, &v1)
	if err != nil || old.Confidential["name"] != "甲公司" {
		t.Errorf("as of version 1: %v, %v", old, err)
	}
	h, err := db.History(ctx, inventory.EnterpriseLayer, "", code)
	if err != nil || len(h) != 2 || h[1].Changes[0].Field != "name" {
		t.Errorf("history %+v, %v", h, err)
	}
	refused := []struct {
		props map[string]any
		field string
	}{
		{map[string]any{"code": code[:17] + "0", "name": "x"}, "code"},
		{map[string]any{"code": creditCode(t, "91141000MA000002"), "name": "x", "plots": []any{"P9"}}, "plots"},
		{map[string]any{"code": creditCode(t, "91141000MA000003"), "name": "x", "tenancies": []any{map[string]any{"plant_code": "SP-1", "leased_m2": 10}}}, "tenancies"},
		{map[string]any{"code": creditCode(t, "91141000MA000004")}, "name"},
	}
	for _, r := range refused {
		_, err := db.Create(ctx, inventory.EnterpriseLayer, "", inventory.Change{Properties: r.props})
		var e *inventory.Error
		if !errors.As(err, &e) || e.Field != r.field || e.Kind != inventory.EInvalid {
			t.Errorf("%v: %v, want a 4xx naming %s", r.props, err, r.field)
		}
	}
	// The SQL rule agrees with the Go one (the database refuses what Go would), and so does a
	// write of an enterprise whose organisation code fails.
	codes := []string{"9144030071526726XG", "9144030071526726XH", "91350100M000100Y43", "91330100716105852F"}
	for _, first17 := range []string{"91440300715267261", "91141000MA0000777"} {
		c, _ := inventory.CreditCheckChar(first17)
		codes = append(codes, first17+string(c)) // right checksum, wrong organisation check
	}
	rng := rand.New(rand.NewPCG(65, 11714))
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	for n := 0; n < 200; n++ {
		b := []byte("91141000")
		for len(b) < 16 {
			b = append(b, alphabet[rng.IntN(len(alphabet))])
		}
		code := creditCode(t, string(b))
		codes = append(codes, code)
		if n%2 == 0 { // the same with another organisation check character and a right checksum
			o := code[:16] + string(alphabet[(strings.IndexByte(alphabet, code[16])+1+rng.IntN(30))%31])
			c, _ := inventory.CreditCheckChar(o)
			codes = append(codes, o+string(c))
		}
	}
	for _, c := range codes {
		var valid bool
		var org *string
		if err := db.Pool.QueryRow(context.Background(), "select landinv_credit_code_valid($1), landinv_org_check(substr($1, 9, 8))", c).
			Scan(&valid, &org); err != nil {
			t.Fatal(err)
		}
		goOrg, _ := inventory.OrgCheckChar(c[8:16])
		if goErr := inventory.CheckCreditCode(c); valid != (goErr == nil) || org == nil || *org != string(goOrg) {
			t.Errorf("%s: SQL valid %v, organisation check %v; Go %v, %c", c, valid, org, goErr, goOrg)
		}
	}
	// Past Go (a write the store makes without it, as the demo load does), the trigger refuses.
	bad := codes[4]
	_, err = db.Pool.Exec(context.Background(), `insert into enterprises (zone_id, code, name) values (1, $1, 'x')`, bad)
	if err == nil || !strings.Contains(err.Error(), "GB 11714") {
		t.Errorf("insert of %s: %v", bad, err)
	}
	pub, err := db.Get(context.Background(), inventory.EnterpriseLayer, "", code)
	if err != nil {
		t.Fatal(err)
	}
	if len(pub.Confidential) != 0 || pub.Properties["name"] != nil || pub.Properties["plots"] != nil {
		t.Errorf("the public sees %v %v", pub.Properties, pub.Confidential)
	}
}
