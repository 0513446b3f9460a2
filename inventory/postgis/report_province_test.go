package postgis_test

import (
	"context"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// provincePlot is one plot of the hand-made province: its zone, class and figures (investment
// and tax in 万元 per hectare, floor area as a multiple of the plot's area).
type provincePlot struct {
	zone, code, eval, supply, status, enterprise string
	floor, inv, tax                              float64
}

// provinceZones builds a province of three zones (jin-a, jin-b, jin-c, province 晋) and a zone
// of another province (yu-d, 豫) whose plots must not count. Plots are squares of different
// sizes, so that averaging the zones' ratios would differ from the ratio of the sums.
//
//	zone   plots                                                  enterprises with investment
//	jin-a  A2 1 (Firm 1), A2 2 (Firm 2), B21, A1                   2  → public row withheld
//	jin-b  A2 (Firm 3, large), A4, B22 idle                         1  → public row withheld
//	jin-c  A2 (Firm 4), A2 (Firm 5), A2 (Firm 6), B11               3  → public row shown
//	yu-d   A2 (Firm 7)
//
// The province total has 6 enterprises, none dominant: the public sees it.
func provinceZones(t *testing.T) (*postgis.DB, []provincePlot) {
	t.Helper()
	db := postgistest.New(t)
	zones := []struct {
		code, province string
		x              float64
	}{{"jin-a", "晋", 111.0}, {"jin-b", "晋", 111.2}, {"jin-c", "晋", 111.4}, {"yu-d", "豫", 111.6}}
	for _, z := range zones {
		rexec(t, db, `insert into zones (code, name, province, geom) values ($1, 'Zone ' || $1, $2, ST_Multi(ST_MakeEnvelope($3::float8, 36.0, $3::float8 + 0.1, 36.1, 4326)))`,
			z.code, z.province, z.x)
	}
	plots := []provincePlot{
		{"jin-a", "A1", "A2", "D21", "in_production", "Firm 1", 1.2, 9000, 900},
		{"jin-a", "A2", "A2", "D21", "in_production", "Firm 2", 0.8, 3000, 300},
		{"jin-a", "A3", "B21", "E", "ready", "", 0, 0, 0},
		{"jin-a", "A4", "A1", "D21", "in_production", "", 2.0, 0, 100},
		{"jin-b", "B1", "A2", "D22", "in_production", "Firm 3", 0.5, 12000, 50},
		{"jin-b", "B2", "A4", "D1", "in_production", "", 1.0, 0, 400},
		{"jin-b", "B3", "B22", "D21", "idle", "", 0, 0, 0},
		{"jin-c", "C1", "A2", "D21", "in_production", "Firm 4", 1.0, 4000, 500},
		{"jin-c", "C2", "A2", "D21", "in_production", "Firm 5", 1.1, 5000, 600},
		{"jin-c", "C3", "A2", "D21", "in_production", "Firm 6", 0.9, 6000, 700},
		{"jin-c", "C4", "B11", "F", "planned", "", 0, 0, 0},
		{"yu-d", "D1", "A2", "D21", "in_production", "Firm 7", 3.0, 99000, 9900},
	}
	zoneX := map[string]float64{}
	for _, z := range zones {
		zoneX[z.code] = z.x
	}
	n := map[string]int{}
	for _, p := range plots {
		i := n[p.zone]
		n[p.zone]++
		x, size := zoneX[p.zone]+0.005+0.02*float64(i), 0.004+0.003*float64(i) // squares of growing size
		rexec(t, db, `insert into plots (zone_id, code, land_use, status, eval_class, supply_class, enterprise, geom)
			values ((select id from zones where code = $1), $2, '100101', $3, $4, $5, nullif($6, ''), ST_Multi(ST_MakeEnvelope($7::float8, 36.01, $7::float8 + $8::float8, 36.01 + $8::float8, 4326)))`,
			p.zone, p.code, p.status, p.eval, p.supply, p.enterprise, x, size)
		rexec(t, db, `update plots set floor_area_m2 = nullif($3::float8, 0) * area_m2, investment_wan = nullif($4::float8, 0) * area_m2 / 10000,
			tax_wan_per_year = nullif($5::float8, 0) * area_m2 / 10000 where zone_id = (select id from zones where code = $1) and code = $2`,
			p.zone, p.code, p.floor, p.inv, p.tax)
	}
	return db, plots
}

// expected works out, in Go from the plots' areas, a group's land-development rate, composite
// FAR, industrial investment intensity and idle-land rate: sums first, then ratios.
type expected struct{ a, a2, b, b21, d, g, floor, inv float64 }

func (e expected) devRate() float64   { return (e.a + e.b21) / (e.a + e.b) * 100 }
func (e expected) far() float64       { return e.floor / e.a }
func (e expected) invIntens() float64 { return e.inv / e.a2 * 10000 }
func (e expected) idleRate() float64  { return e.g / e.d * 100 }

func TestProvinceReportMatchesIndependentSums(t *testing.T) {
	db, plots := provinceZones(t)
	ctx := context.Background()
	area := map[string]float64{}
	rows, err := db.Pool.Query(ctx, "select z.code || '/' || p.code, p.area_m2 from plots p join zones z on z.id = p.zone_id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var a float64
		if err := rows.Scan(&k, &a); err != nil {
			t.Fatal(err)
		}
		area[k] = a
	}
	rows.Close()
	want := map[string]*expected{"total": {}}
	for _, p := range plots {
		if !strings.HasPrefix(p.zone, "jin-") {
			continue
		}
		if want[p.zone] == nil {
			want[p.zone] = &expected{}
		}
		s := area[p.zone+"/"+p.code]
		for _, e := range []*expected{want[p.zone], want["total"]} {
			switch {
			case strings.HasPrefix(p.eval, "A"):
				e.a += s
				e.floor += p.floor * s
			case strings.HasPrefix(p.eval, "B"):
				e.b += s
			}
			if p.eval == "A2" {
				e.a2 += s
				e.inv += p.inv * s / 10000
			}
			if p.eval == "B21" {
				e.b21 += s
			}
			if strings.HasPrefix(p.supply, "D") {
				e.d += s
			}
			if p.status == "idle" {
				e.g += s
			}
		}
	}
	// The province total is not the mean of the zones' ratios (else the test could not tell).
	mean := (want["jin-a"].far() + want["jin-b"].far() + want["jin-c"].far()) / 3
	if near(mean, want["total"].far()) {
		t.Fatalf("fixture: mean FAR %v equals the total's", mean)
	}

	for _, byName := range []bool{true, false} {
		p := params(t, inventory.ReportProvince)
		if byName {
			p.Province = "晋"
		} else {
			p.Zone = "jin-b" // the province of the zone
		}
		rep, err := db.Province(planner, p)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Province != "晋" || len(rep.Groups) != 3 {
			t.Fatalf("province %q, %d rows; want 晋 and 3 zones", rep.Province, len(rep.Groups))
		}
		groups := append(append([]inventory.IntensityGroup{}, rep.Groups...), rep.Total)
		for _, g := range groups {
			key := g.Key
			e := want[key]
			if e == nil {
				t.Fatalf("unexpected row %q", key)
			}
			for _, c := range []struct {
				key  string
				want float64
			}{{"land_development_rate", e.devRate()}, {"composite_far", e.far()},
				{"industrial_investment_intensity", e.invIntens()}} {
				i := indicator(t, g, c.key)
				if i == nil || i.Value == nil || !near(*i.Value, c.want) {
					t.Errorf("%s %s = %+v, want %v", key, c.key, i, c.want)
				}
			}
			idle := indicator(t, g, "idle_land_rate")
			if e.d > 0 && (idle == nil || idle.Value == nil || !near(*idle.Value, e.idleRate())) {
				t.Errorf("%s idle_land_rate = %+v, want %v", key, idle, e.idleRate())
			}
		}
		if rep.Groups[0].Key != "jin-a" || rep.Groups[2].Key != "jin-c" || rep.Groups[0].Label != "Zone jin-a" {
			t.Errorf("rows %s %s %s (%s); want zones in code order, named", rep.Groups[0].Key, rep.Groups[1].Key, rep.Groups[2].Key, rep.Groups[0].Label)
		}
	}

	// The public: the disclosure rule per row and for the total.
	p := params(t, inventory.ReportProvince)
	p.Province = "晋"
	rep, err := db.Province(public, p)
	if err != nil {
		t.Fatal(err)
	}
	shown := func(g inventory.IntensityGroup) bool {
		i := indicator(t, g, "industrial_investment_intensity")
		return i != nil && i.Value != nil
	}
	for _, c := range []struct {
		g    inventory.IntensityGroup
		want bool
	}{{rep.Groups[0], false}, {rep.Groups[1], false}, {rep.Groups[2], true}, {rep.Total, true}} {
		if shown(c.g) != c.want {
			t.Errorf("public %s: investment intensity shown %v, want %v", c.g.Key, shown(c.g), c.want)
		}
	}
	if i := indicator(t, rep.Total, "industrial_investment_intensity"); i != nil && i.Value != nil && !near(*i.Value, want["total"].invIntens()) {
		t.Errorf("public total investment intensity %v, want %v", *i.Value, want["total"].invIntens())
	}
	// Tables: one row per zone and the total; the withheld cell is empty.
	tb := rep.Tables()[0]
	if tb.Name != "province" || len(tb.Rows) != 4 || tb.Rows[3][0] != "total" {
		t.Fatalf("province table %s: %d rows", tb.Name, len(tb.Rows))
	}
	col := -1
	for i, c := range tb.Columns {
		if c.Key == "industrial_investment_intensity" {
			col = i
		}
	}
	if col < 0 || tb.Rows[0][col] != nil || tb.Rows[3][col] == nil {
		t.Errorf("public table: column %d, jin-a %v, total %v", col, tb.Rows[0][col], tb.Rows[3][col])
	}

	// Unknown province: 404 naming province.
	p.Province = "无此省"
	var e *inventory.Error
	if _, err := db.Province(planner, p); !asErr(err, &e) || e.Kind != inventory.ENotFound || e.Field != "province" {
		t.Errorf("unknown province: %v", err)
	}
}
