package postgis_test

import (
	"context"
	"math"
	"testing"

	"github.com/landinv/landinv/data"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestDemoDataInvariants checks the demo dataset as loaded into PostGIS.
func TestDemoDataInvariants(t *testing.T) {
	db := postgistest.NewWithDemo(t)
	ctx := context.Background()

	var area float64
	if err := db.Pool.QueryRow(ctx, "select ST_Area(geom::geography) / 1e6 from zones where code = 'linfen-edz'").Scan(&area); err != nil {
		t.Fatal(err)
	}
	if math.Abs(area-131.76) > 0.05 {
		t.Errorf("zone area %.3f km², want 131.76 ± 0.05", area)
	}

	counts := []struct {
		what string
		sql  string
		min  int
		max  int
	}{
		{"corridors", "select count(*) from layout where kind = 'corridor'", 2, 2},
		{"axes", "select count(*) from layout where kind = 'axis'", 3, 3},
		{"districts", "select count(*) from layout where kind = 'district'", 3, 3},
		{"plots", "select count(*) from plots", 300, 100000},
		{"plants", "select count(*) from plants", 40, 100000},
		{"idle sites", "select count(*) from idle_sites", 15, 100000},
		{"plots outside the zone", "select count(*) from plots p join zones z on z.id = p.zone_id where not ST_CoveredBy(p.geom, z.geom)", 0, 0},
		{"idle sites outside the zone", "select count(*) from idle_sites s join zones z on z.id = s.zone_id where not ST_CoveredBy(s.geom, z.geom)", 0, 0},
		{"plots not inside exactly one district", `select count(*) from plots p where
			(select count(*) from layout l where l.kind = 'district' and ST_CoveredBy(p.geom, l.geom)) <> 1`, 0, 0},
		{"plots whose district is not the one holding them", `select count(*) from plots p where not exists
			(select 1 from layout l where l.kind = 'district' and l.code = p.district and ST_CoveredBy(p.geom, l.geom))`, 0, 0},
		{"overlapping plot pairs (> 1 m²)", `select count(*) from plots a join plots b on a.code < b.code and ST_Intersects(a.geom, b.geom)
			where ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1`, 0, 0},
		{"plants outside a plot", "select count(*) from plants s where not exists (select 1 from plots p where ST_CoveredBy(s.geom, p.geom))", 0, 0},
		{"plots under 5 亩 or over 500 亩", "select count(*) from plots where area_m2 * 0.0015 < 5 or area_m2 * 0.0015 > 500", 0, 0},
		{"statuses used", "select count(distinct status) from plots", 7, 7},
		{"clusters used", "select count(distinct cluster) from plots", 5, 5},
		{"idle stages used", "select count(distinct stage) from idle_sites", 6, 6},
		{"ready standard land plots", "select count(*) from plots where status = 'ready' and standard_land", 10, 100000},
		{"districts leaving a gap in the zone (m²)", `select round(ST_Area(ST_Difference(z.geom, (select ST_Union(geom) from layout where kind = 'district'))::geography))::int from zones z`, 0, 1},
		{"district overlaps (m²)", `select coalesce(round(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)))::int, 0) from layout a join layout b
			on a.kind = 'district' and b.kind = 'district' and a.code < b.code and ST_Intersects(a.geom, b.geom)`, 0, 1},
		{"unlabelled features", `select (select count(*) from plots where not illustrative) + (select count(*) from plants where not illustrative)
			+ (select count(*) from roads where not illustrative) + (select count(*) from layout where not illustrative)`, 0, 0},
	}
	for _, c := range counts {
		t.Run(c.what, func(t *testing.T) {
			n := count(t, db, c.sql)
			if n < c.min || n > c.max {
				t.Errorf("%s: %d, want %d..%d", c.what, n, c.min, c.max)
			}
		})
	}

	// Every road the work plan names, with the status it gives (DOMAIN.md §2).
	roads := []struct{ name, segment, status string }{
		{"河汾二路", "东段", "under_construction"},
		{"滨河东路辅道", "", "under_construction"},
		{"中大街", "北延", "under_construction"},
		{"南外环", "东延", "under_construction"},
		{"第六大道", "", "under_construction"},
		{"南大街", "", "under_construction"},
		{"第九大道", "", "preliminary"},
		{"常兴中街", "北段", "remediation"},
		{"河汾路", "", "remediation"},
		{"河汾一路", "", "remediation"},
	}
	for _, r := range roads {
		n := count(t, db, "select count(*) from roads where name = $1 and coalesce(segment, '') = $2 and status = $3", r.name, r.segment, r.status)
		if n < 1 {
			t.Errorf("road %s%s with status %s is missing", r.name, r.segment, r.status)
		}
	}
	if n := count(t, db, "select count(*) from roads where status = 'existing'"); n < 5 {
		t.Errorf("only %d existing roads", n)
	}

	// Loading the demo again is harmless: nothing new, nothing changed.
	before := snapshot(t, db)
	stats, err := db.LoadDataset(ctx, data.Demo, "demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stats {
		if s.Inserted != 0 {
			t.Errorf("second load inserted %d into %s", s.Inserted, s.Layer)
		}
	}
	if after := snapshot(t, db); after != before {
		t.Error("second load changed the inventory")
	}
}
