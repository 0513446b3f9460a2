package postgis_test

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
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
	db := bareHandZone(t)
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
	seen := 0
	for _, l := range rep.Lengths {
		if _, ok := want[l.Status]; ok && l.Km > 0 {
			seen++
		}
		if math.Abs(l.Km-want[l.Status]) > 1e-6 {
			t.Errorf("%s: %v km, want %v", l.Status, l.Km, want[l.Status])
		}
	}
	if seen != len(want) {
		t.Errorf("lengths %+v cover %d of the %d statuses SQL measures", rep.Lengths, seen, len(want))
	}
	// Clipped to E: R7 (0.00967° of longitude at 36.02°) and R5 (0.01°); R2 only touches E.
	rep, err = db.Roads(planner, params(t, "roads", "district", "E"))
	if err != nil {
		t.Fatal(err)
	}
	planned := false
	for _, l := range rep.Lengths {
		planned = planned || l.Status == "planned"
		if l.Status == "planned" && (l.Roads != 1 || math.Abs(l.Km-0.01*math.Pi/180*6378.137*math.Cos(36.05*math.Pi/180)) > 0.002) {
			t.Errorf("E planned = %+v, want R5 ≈ 0.9 km", l)
		}
	}
	if !planned {
		t.Errorf("no planned length for E: %+v", rep.Lengths)
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
