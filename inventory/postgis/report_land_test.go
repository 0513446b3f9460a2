package postgis_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// roadZone: the hand zone (W: 111.50–111.55, E: 111.55–111.60, 36.00–36.10) with roads
//
//	R1 existing  south of W, y = 35.9997, x 111.4997 → 111.5503
//	R2 existing  east of W,  x = 111.5503, y 35.9997 → 36.1003
//	R3 existing  north of W, y = 36.1003, x 111.5503 → 111.4997
//	R4 planned   west of W,  x = 111.4997, y 36.1003 → 35.99973 (stops 0.00003° ≈ 3.3 m short of R1)
//	R5 planned   a stub in E, y = 36.05, x 111.57 → 111.58
//	R7 existing  y = 36.02, x 111.56 → 111.55033 (ends 0.00003° ≈ 2.7 m short of R2)
//
// and plots Q1 (W, 27 m east of R4, far from the rest), Q2 (W's south-west corner, near R4 and
// R1), Q3 (W's centre), Q4 (E, 22 m north of R5).
func roadZone(t testing.TB) *postgis.DB {
	t.Helper()
	db := postgistest.New(t)
	rexec(t, db, `insert into zones (code, name, geom) values ('hand', 'Hand-made zone', ST_Multi(ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326)))`)
	rexec(t, db, `insert into layout (zone_id, code, kind, name, geom) values
		(1, 'W', 'district', 'West', ST_MakeEnvelope(111.50, 36.00, 111.55, 36.10, 4326)),
		(1, 'E', 'district', 'East', ST_MakeEnvelope(111.55, 36.00, 111.60, 36.10, 4326))`)
	road := func(code, status, wkt string) {
		rexec(t, db, `insert into roads (zone_id, code, name, status, geom) values (1, $1, $1, $2, ST_Multi(ST_GeomFromText($3, 4326)))`, code, status, wkt)
	}
	road("R1", "existing", "LINESTRING(111.4997 35.9997, 111.5503 35.9997)")
	road("R2", "existing", "LINESTRING(111.5503 35.9997, 111.5503 36.1003)")
	road("R3", "existing", "LINESTRING(111.5503 36.1003, 111.4997 36.1003)")
	road("R4", "planned", "LINESTRING(111.4997 36.1003, 111.4997 35.99973)")
	road("R5", "planned", "LINESTRING(111.57 36.05, 111.58 36.05)")
	road("R7", "existing", "LINESTRING(111.56 36.02, 111.55033 36.02)")
	plot := func(code string, x0, y0, x1, y1 float64) {
		rexec(t, db, `insert into plots (zone_id, code, land_use, status, standard_land, geom) values (1, $1, '100101', 'ready', true, ST_Multi(ST_MakeEnvelope($2, $3, $4, $5, 4326)))`,
			code, x0, y0, x1, y1)
	}
	plot("Q1", 111.5000, 36.0500, 111.5040, 36.0540)
	plot("Q2", 111.5000, 36.0000, 111.5040, 36.0040)
	plot("Q3", 111.5200, 36.0500, 111.5240, 36.0540)
	plot("Q4", 111.5720, 36.0502, 111.5760, 36.0540)
	return db
}

func TestRoadsHandMade(t *testing.T) {
	db := roadZone(t)
	type end struct{ road, end string }
	tests := []struct {
		name       string
		kv         []string
		deadEnds   []end
		closedW    bool
		withNewW   bool
		wouldClose string
		opens      map[string]string // road → plots
	}{
		{"defaults (5 m, 50 m)", nil,
			[]end{{"R5", "end"}, {"R5", "start"}, {"R7", "start"}}, false, true, "R4",
			map[string]string{"R4": "Q1", "R5": "Q4"}},
		{"tolerance 1 m: R4 and R7 fall short of their roads", []string{"tolerance_m", "1"},
			[]end{{"R1", "start"}, {"R4", "end"}, {"R5", "end"}, {"R5", "start"}, {"R7", "end"}, {"R7", "start"}}, false, false, "",
			map[string]string{"R4": "Q1", "R5": "Q4"}},
		{"frontage 10 m: no plot is that close", []string{"frontage_m", "10"},
			[]end{{"R5", "end"}, {"R5", "start"}, {"R7", "start"}}, false, true, "R4",
			map[string]string{"R4": "", "R5": ""}},
		{"frontage 40 m: Q2 is 27 m from R4 but 33 m from R1", []string{"frontage_m", "40"},
			[]end{{"R5", "end"}, {"R5", "start"}, {"R7", "start"}}, false, true, "R4",
			map[string]string{"R4": "Q1", "R5": "Q4"}},
		{"frontage 30 m: Q2 is within 30 m of R4 only", []string{"frontage_m", "30"},
			[]end{{"R5", "end"}, {"R5", "start"}, {"R7", "start"}}, false, true, "R4",
			map[string]string{"R4": "Q1,Q2", "R5": "Q4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := db.Roads(planner, params(t, "roads", tt.kv...))
			if err != nil {
				t.Fatal(err)
			}
			var got []end
			for _, d := range rep.DeadEnds {
				got = append(got, end{d.Road, d.End})
			}
			sort.Slice(got, func(i, j int) bool { return got[i].road+got[i].end < got[j].road+got[j].end })
			if fmt.Sprint(got) != fmt.Sprint(tt.deadEnds) {
				t.Errorf("dead ends = %v, want %v", got, tt.deadEnds)
			}
			loops := map[string]inventory.DistrictLoop{}
			for _, l := range rep.Loops {
				loops[l.District] = l
			}
			w, e := loops["W"], loops["E"]
			if w.Closed != tt.closedW || w.ClosedWithNew != tt.withNewW || strings.Join(w.WouldClose, ",") != tt.wouldClose {
				t.Errorf("W loop = %+v, want closed %v, with new %v, would close %q", w, tt.closedW, tt.withNewW, tt.wouldClose)
			}
			if tt.withNewW && math.Abs(w.CoverPctWithNew-100) > 0.01 {
				t.Errorf("W cover with new roads = %v %%, want 100 (the ring lies just outside W)", w.CoverPctWithNew)
			}
			// The ring's east side runs 0.0003° inside E: 0.6 % of E lies within it.
			if e.Closed || e.ClosedWithNew || e.CoverPctWithNew > 1 {
				t.Errorf("E loop = %+v, want open", e)
			}
			opens := map[string]string{}
			for _, o := range rep.OpensUp {
				opens[o.Road] = strings.Join(o.Plots, ",")
				// area in 亩 from the closed-form ellipsoidal area of the plots
				var m2 float64
				for _, p := range o.Plots {
					m2 += map[string]float64{
						"Q1": geo.AuthalicZoneArea(36.05, 36.054, 0.004), "Q2": geo.AuthalicZoneArea(36.0, 36.004, 0.004),
						"Q4": geo.AuthalicZoneArea(36.0502, 36.054, 0.004)}[p]
				}
				if math.Abs(o.AreaMu-geo.MuFromSquareMetres(m2)) > 1e-6*math.Max(1, o.AreaMu) || o.Count != len(o.Plots) {
					t.Errorf("%s opens up %d plots, %v 亩; want %v 亩", o.Road, o.Count, o.AreaMu, geo.MuFromSquareMetres(m2))
				}
			}
			if fmt.Sprint(opens) != fmt.Sprint(tt.opens) {
				t.Errorf("opens up = %v, want %v", opens, tt.opens)
			}
		})
	}

	// Lengths by status, against an independent ellipsoidal length.
	rep, err := db.Roads(planner, params(t, "roads"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{}
	rows, err := db.Pool.Query(context.Background(), `select status, sum(ST_LengthSpheroid(geom, 'SPHEROID["CGCS2000",6378137,298.257222101]')) / 1000 from roads group by status`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		var km float64
		if err := rows.Scan(&s, &km); err != nil {
			t.Fatal(err)
		}
		want[s] = km
	}
	rows.Close()
	for _, l := range rep.Lengths {
		if math.Abs(l.Km-want[l.Status]) > 1e-6 {
			t.Errorf("%s: %v km, want %v", l.Status, l.Km, want[l.Status])
		}
	}
	// Clipped to E: R7 (0.00967° of longitude at 36.02°) and R5 (0.01°); R2 only touches E.
	rep, err = db.Roads(planner, params(t, "roads", "district", "E"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range rep.Lengths {
		if l.Status == "planned" && (l.Roads != 1 || math.Abs(l.Km-0.01*math.Pi/180*6378.137*math.Cos(36.05*math.Pi/180)) > 0.002) {
			t.Errorf("E planned = %+v, want R5 ≈ 0.9 km", l)
		}
	}
	if len(rep.Loops) != 1 || rep.Loops[0].District != "E" {
		t.Errorf("loops for E = %+v", rep.Loops)
	}
}

func TestRoadsBadParameters(t *testing.T) {
	// The query string's parameters are checked in web (web.ParseReportParams); the bounds are
	// the domain's (ReportParams.Validate).
	for _, tc := range []struct {
		field string
		edit  func(p *inventory.ReportParams)
	}{
		{"tolerance_m", func(p *inventory.ReportParams) { p.ToleranceM = -1 }},
		{"frontage_m", func(p *inventory.ReportParams) { p.FrontageM = 0 }},
		{"loop_cover_pct", func(p *inventory.ReportParams) { p.LoopCoverPct = 101 }},
	} {
		p := inventory.DefaultReportParams("roads")
		tc.edit(&p)
		var e *inventory.Error
		if err := p.Validate(); err == nil || !asErr(err, &e) || e.Field != tc.field || e.Kind != inventory.EInvalid {
			t.Errorf("%s: err = %v, want invalid %s", tc.field, err, tc.field)
		}
	}
	db := roadZone(t)
	_, err := db.Roads(planner, params(t, "roads", "district", "NOPE"))
	var e *inventory.Error
	if !asErr(err, &e) || e.Field != "district" {
		t.Errorf("unknown district: err = %v", err)
	}
}

func asErr(err error, e **inventory.Error) bool {
	x, ok := err.(*inventory.Error)
	if ok {
		*e = x
	}
	return ok
}

// landZone: compliance, idle and supply cases in the hand zone. Areas are set as multiples
// of the plot's own area so the answers are exact whatever the area is.
func landZone(t testing.TB) *postgis.DB {
	t.Helper()
	db := postgistest.New(t)
	rexec(t, db, `insert into zones (code, name, geom) values ('hand', 'Hand-made zone', ST_Multi(ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326)))`)
	rexec(t, db, `insert into layout (zone_id, code, kind, name, geom) values
		(1, 'W', 'district', 'West', ST_MakeEnvelope(111.50, 36.00, 111.55, 36.10, 4326)),
		(1, 'E', 'district', 'East', ST_MakeEnvelope(111.55, 36.00, 111.60, 36.10, 4326))`)
	i := 0
	plot := func(code, status string, set string) {
		x := 111.505 + 0.006*float64(i%8)
		y := 36.01 + 0.01*float64(i/8)
		i++
		rexec(t, db, `insert into plots (zone_id, code, land_use, status, geom) values (1, $1, '100101', $2, ST_Multi(ST_MakeEnvelope($3, $4, $5, $6, 4326)))`,
			code, status, x, y, x+0.005, y+0.005)
		if set != "" {
			rexec(t, db, "update plots set "+set+" where code = $1", code)
		}
	}
	mu := "(area_m2 * 15 / 10000)"
	// Compliance: C1 falls short on investment (250 of 300 万元/亩) and FAR (0.8 < 1.0), meets tax.
	plot("C1", "in_production", "standard_land = true, enterprise = 'Firm One', min_investment_wan_per_mu = 300, investment_wan = 250 * "+mu+
		", min_tax_wan_per_mu_year = 20, tax_wan_per_year = 25 * "+mu+", min_far = 1.0, max_far = 2.0, floor_area_m2 = 0.8 * area_m2")
	// C2 meets everything; C3 exceeds its FAR cap (2.5 > 2.0) and has no investment recorded.
	plot("C2", "under_construction", "standard_land = true, min_investment_wan_per_mu = 300, investment_wan = 320 * "+mu+", min_far = 1.0, floor_area_m2 = 1.5 * area_m2")
	plot("C3", "supplied", "standard_land = true, min_investment_wan_per_mu = 300, min_far = 1.0, max_far = 2.0, floor_area_m2 = 2.5 * area_m2")
	// Not covered: not standard land; standard land not yet supplied.
	plot("C4", "in_production", "min_investment_wan_per_mu = 300, investment_wan = 1")
	// Supply: ready standard land, two in W (one new_energy), one in E (no cluster, x ≥ 111.55).
	plot("S1", "ready", "standard_land = true, cluster = 'new_energy'")
	plot("S2", "ready", "standard_land = true")
	plot("S3", "ready", "") // not standard land
	plot("S4", "reserved", "standard_land = true")
	i = 8
	today := time.Now().UTC()
	ago := func(y, m int) string { return today.AddDate(-y, -m, 0).Format("2006-01-02") }
	// Idle test: I1 not started 2 years after its agreed date; I2 only 6 months; I3 stopped
	// 13 months ago with 20 % built; I4 stopped 13 months ago, 50 % built but 10 % invested;
	// I5 flagged by status; I6 flagged by an idle site.
	plot("I1", "supplied", "agreed_start_date = '"+ago(2, 0)+"'")
	plot("I2", "supplied", "agreed_start_date = '"+ago(0, 6)+"'")
	plot("I3", "under_construction", "agreed_start_date = '"+ago(4, 0)+"', started_on = '"+ago(3, 0)+"', stopped_on = '"+ago(1, 1)+"', built_area_share = 0.2")
	plot("I4", "under_construction", "agreed_start_date = '"+ago(4, 0)+"', started_on = '"+ago(3, 0)+"', stopped_on = '"+ago(1, 1)+"', built_area_share = 0.5, investment_wan = 10, planned_investment_wan = 100")
	plot("I5", "idle", "agreed_start_date = '"+ago(3, 0)+"'")
	plot("I6", "supplied", "agreed_start_date = '"+ago(3, 0)+"'")
	rexec(t, db, `insert into idle_sites (zone_id, code, kind, plot_code, stage, geom)
		select 1, 'X1', 'idle_land', 'I6', 'survey', geom from plots where code = 'I6'`)
	rexec(t, db, `insert into idle_sites (zone_id, code, kind, stage, reclaimed_on, relet_on, geom)
		select 1, 'X2', 'zombie_enterprise', 'reactivated', '2024-03-01', '2025-05-01', geom from plots where code = 'I5'`)
	rexec(t, db, `insert into idle_sites (zone_id, code, kind, stage, reclaimed_on, geom)
		select 1, 'X3', 'idle_land', 'implementation', '2024-09-01', geom from plots where code = 'I2'`)
	// Plants on S4 (in W): two completed (1000/600 and 500/500 leasable/leased), one being built.
	for _, pl := range []struct {
		code, status  string
		lease, leased float64
		dx0, dx1      float64
	}{{"B1", "completed", 1000, 600, 0.0005, 0.0015}, {"B2", "completed", 500, 500, 0.002, 0.003}, {"B3", "under_construction", 800, 0, 0.0035, 0.0045}} {
		rexec(t, db, `insert into plants (zone_id, code, status, floors, leasable_area_m2, leased_area_m2, total_floor_area_m2, geom)
			select 1, $1, $2, 2, $3, $4, $3, ST_Multi(ST_MakeEnvelope(ST_XMin(geom) + $5, ST_YMin(geom) + 0.001, ST_XMin(geom) + $6, ST_YMin(geom) + 0.002, 4326))
			from plots where code = 'S4'`, pl.code, pl.status, pl.lease, pl.leased, pl.dx0, pl.dx1)
	}
	return db
}

func TestComplianceHandMade(t *testing.T) {
	db := landZone(t)
	rep, err := db.Compliance(planner, params(t, "compliance"))
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, p := range rep.Plots {
		codes = append(codes, p.Code)
	}
	if strings.Join(codes, ",") != "C1,C2,C3" {
		t.Fatalf("plots = %v, want the supplied or built standard land C1, C2, C3", codes)
	}
	if strings.Join(rep.Short, ",") != "C1,C3" {
		t.Errorf("short = %v, want C1, C3", rep.Short)
	}
	check := func(code, measure string) inventory.ComplianceCheck {
		for _, p := range rep.Plots {
			for _, c := range p.Checks {
				if p.Code == code && c.Measure == measure {
					return c
				}
			}
		}
		t.Fatalf("no check %s %s", code, measure)
		return inventory.ComplianceCheck{}
	}
	for _, c := range []struct {
		code, measure, status string
		actual, shortfall     float64
	}{
		{"C1", "investment_intensity", "short", 250, 50},
		{"C1", "tax_per_mu", "met", 25, 0},
		{"C1", "output_per_mu", "no_commitment", 0, 0},
		{"C1", "far", "short", 0.8, 0.2},
		{"C2", "investment_intensity", "met", 320, 0},
		{"C2", "far", "met", 1.5, 0},
		{"C3", "investment_intensity", "no_data", 0, 0},
		{"C3", "far", "over", 2.5, 0.5},
	} {
		got := check(c.code, c.measure)
		if got.Status != c.status {
			t.Errorf("%s %s status = %s, want %s", c.code, c.measure, got.Status, c.status)
		}
		if c.actual != 0 && (got.Actual == nil || math.Abs(*got.Actual-c.actual) > 1e-9) {
			t.Errorf("%s %s actual = %v, want %v", c.code, c.measure, got.Actual, c.actual)
		}
		if c.shortfall != 0 && (got.Shortfall == nil || math.Abs(*got.Shortfall-c.shortfall) > 1e-9) {
			t.Errorf("%s %s shortfall = %v, want %v", c.code, c.measure, got.Shortfall, c.shortfall)
		}
	}
	if c := check("C1", "investment_intensity"); c.ShortfallPct == nil || math.Abs(*c.ShortfallPct-100.0/6) > 1e-9 {
		t.Errorf("C1 investment shortfall = %v %%, want 50/300", c.ShortfallPct)
	}
	// The public sees the floor-area ratio only, and no firm.
	pub, err := db.Compliance(public, params(t, "compliance"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(pub)
	for _, s := range []string{"Firm One", `"actual":250`, `"actual":25,`, `"measure":"investment_intensity"`, `"measure":"tax_per_mu"`} {
		if bytes.Contains(body, []byte(s)) {
			t.Errorf("public compliance carries %s", s)
		}
	}
	if strings.Join(pub.Short, ",") != "C1,C3" {
		t.Errorf("public short = %v, want C1, C3 (on FAR)", pub.Short)
	}
	var csv bytes.Buffer
	for _, tb := range pub.Tables() {
		_ = inventory.WriteCSV(&csv, tb)
	}
	var x bytes.Buffer
	if err := inventory.WriteXLSX(&x, pub.ReportHeader, pub.Tables()); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Firm One", "固定资产投资强度", "亩均税收"} {
		if strings.Contains(csv.String(), s) || strings.Contains(xlsxText(t, x.Bytes()), s) {
			t.Errorf("public compliance CSV/XLSX carries %s", s)
		}
	}
}

func TestIdleHandMade(t *testing.T) {
	db := landZone(t)
	rep, err := db.Idle(planner, params(t, "idle"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range rep.Candidates {
		got = append(got, c.Code+":"+c.Test)
	}
	if strings.Join(got, " ") != "I1:not_started I3:stopped I4:stopped" {
		t.Errorf("candidates = %v, want I1 not started, I3 and I4 stopped", got)
	}
	pub, err := db.Idle(public, params(t, "idle"))
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, c := range pub.Candidates {
		got = append(got, c.Code)
	}
	if strings.Join(got, " ") != "I1 I3" {
		t.Errorf("public candidates = %v, want I1 I3 (I4 only fails on investment, which is confidential)", got)
	}
	stages := map[string]int64{}
	for _, s := range rep.Stages {
		stages[s.Stage] = s.Sites
	}
	if stages["survey"] != 1 || stages["implementation"] != 1 || stages["reactivated"] != 1 || rep.Sites != 3 {
		t.Errorf("stages = %v", stages)
	}
	years := fmt.Sprint(rep.Years)
	var y2024, y2025 inventory.IdleYearRow
	for _, y := range rep.Years {
		switch y.Year {
		case 2024:
			y2024 = y
		case 2025:
			y2025 = y
		}
	}
	if len(rep.Years) != 2 || y2024.Reclaimed != 2 || y2024.Relet != 0 || y2025.Reclaimed != 0 || y2025.Relet != 1 {
		t.Errorf("years = %s, want 2024: 2 reclaimed; 2025: 1 re-let", years)
	}
	// Before I1's agreed date had been a year past (as of now − 18 months... its rows exist only
	// since the test began, so an earlier as_of sees nothing at all).
	old, err := db.Idle(planner, params(t, "idle", "as_of", "2020-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if len(old.Candidates) != 0 || old.Sites != 0 {
		t.Errorf("as of 2020: %d candidates, %d sites; want none", len(old.Candidates), old.Sites)
	}
}

func TestSupplyHandMade(t *testing.T) {
	db := landZone(t)
	rep, err := db.Supply(planner, params(t, "supply"))
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	var m2 float64
	for _, p := range rep.ReadyPlots {
		codes = append(codes, p.Code)
	}
	if strings.Join(codes, ",") != "S1,S2" {
		t.Errorf("ready plots = %v, want S1, S2", codes)
	}
	// Both are 0.005° squares in one band of latitude: the same closed-form area each.
	y := 36.01
	m2 = 2 * geo.AuthalicZoneArea(y, y+0.005, 0.005)
	if math.Abs(rep.Ready.AreaMu-geo.MuFromSquareMetres(m2)) > 1e-6*rep.Ready.AreaMu {
		t.Errorf("ready = %v 亩, want %v", rep.Ready.AreaMu, geo.MuFromSquareMetres(m2))
	}
	if fmt.Sprint(len(rep.ReadyByCluster)) != "2" || rep.ReadyByCluster[0].Key != "new_energy" || rep.ReadyByCluster[1].Key != "none" {
		t.Errorf("by cluster = %+v", rep.ReadyByCluster)
	}
	if rep.Plants.Plants != 2 || rep.Plants.LeasableM2 != 1500 || rep.Plants.FreeM2 != 400 || rep.Plants.VacancyPct == nil || math.Abs(*rep.Plants.VacancyPct-400.0/15) > 1e-9 {
		t.Errorf("plants = %+v, want 2 completed, 1500 leasable, 400 free, 26.7 %% vacant", rep.Plants)
	}
	if rep.Pipeline.Plants != 1 || rep.Pipeline.LeasableM2 != 800 {
		t.Errorf("pipeline = %+v, want B3's 800 m²", rep.Pipeline)
	}
	rep, err = db.Supply(planner, params(t, "supply", "cluster", "new_energy"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.ReadyPlots) != 1 || rep.ReadyPlots[0].Code != "S1" || rep.Plants.Plants != 0 {
		t.Errorf("new_energy: ready %+v, plants %+v; want S1 only and no plants (S4 has no cluster)", rep.ReadyPlots, rep.Plants)
	}
}

func TestReportExports(t *testing.T) {
	db := landZone(t)
	for _, kind := range inventory.ReportKinds {
		rep, err := inventory.RunReport(planner, db, params(t, kind))
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		tables := rep.Tables()
		var x bytes.Buffer
		if err := inventory.WriteXLSX(&x, *rep.(inventory.Headed).Header(), tables); err != nil {
			t.Fatal(err)
		}
		text := xlsxText(t, x.Bytes())
		for _, tb := range tables {
			if !strings.Contains(text, "#sheet "+tb.Name+"\n") {
				t.Errorf("%s: no sheet %s", kind, tb.Name)
			}
			for _, c := range tb.Columns {
				if c.Unit != "" && !strings.Contains(text, "("+c.Unit+")") {
					t.Errorf("%s: sheet %s lacks the unit of %s", kind, tb.Name, c.Key)
				}
			}
			var csv bytes.Buffer
			if err := inventory.WriteCSV(&csv, tb); err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(csv.String(), "\n"); n != len(tb.Rows)+1 {
				t.Errorf("%s %s: %d CSV lines, want %d", kind, tb.Name, n, len(tb.Rows)+1)
			}
		}
	}
}
