package postgis_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/export"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

func indicator(t testing.TB, g inventory.IntensityGroup, key string) *inventory.Indicator {
	t.Helper()
	for i := range g.Indicators {
		if g.Indicators[i].Key == key {
			return &g.Indicators[i]
		}
	}
	return nil
}

// intensityZone builds a zone (111.50–111.60 E, 36.00–36.10 N; districts W west of 111.55 and
// E east of it) with ten plots of the same shape, side by side along one band of latitude, so
// that every plot has the same area S whatever S is. Figures that should scale with area are
// written as multiples of the plot's own area, so every indicator has a value worked out by hand
// (see TestIntensityHandMade).
//
//	plot  x from      eval  supply  status         floor  footprint  invest  tax     pop   other
//	P1    111.510     A2    D21     in_production  1.2S   0.5S       9000/ha 900/ha        H1, new_energy
//	P2    111.515     A2    D21     in_production  0.8S   0.3S       3000/ha 300/ha
//	P3    111.520     A1    D21     in_production  2.0S   0.2S               100/ha  5000
//	P4    111.525     A4    D1      in_production  1.0S   0.4S               400/ha
//	P5    111.530     B21   E       ready
//	P6    111.535     B22   E       planned
//	P7    111.540     B11   F       planned
//	P8    111.545     B21   D21     idle
//	P9    111.550     C1    F       planned                                               (district E)
//	P10   111.555     A2    D22     in_production  1.0S   0.5S       6000/ha 600/ha        (district E), new_energy
func intensityZone(t testing.TB) *postgis.DB {
	t.Helper()
	db := bareHandZone(t)
	type row struct {
		code, eval, supply, status string
		floor, foot, inv, tax      float64 // floor, footprint: × area; inv, tax: 万元 per ha
		pop                        int
		ht, cluster                string
	}
	rows := []row{
		{"P1", "A2", "D21", "in_production", 1.2, 0.5, 9000, 900, 0, "H1", "new_energy"},
		{"P2", "A2", "D21", "in_production", 0.8, 0.3, 3000, 300, 0, "", ""},
		{"P3", "A1", "D21", "in_production", 2.0, 0.2, 0, 100, 5000, "", ""},
		{"P4", "A4", "D1", "in_production", 1.0, 0.4, 0, 400, 0, "", ""},
		{"P5", "B21", "E", "ready", 0, 0, 0, 0, 0, "", ""},
		{"P6", "B22", "E", "planned", 0, 0, 0, 0, 0, "", ""},
		{"P7", "B11", "F", "planned", 0, 0, 0, 0, 0, "", ""},
		{"P8", "B21", "D21", "idle", 0, 0, 0, 0, 0, "", ""},
		{"P9", "C1", "F", "planned", 0, 0, 0, 0, 0, "", ""},
		{"P10", "A2", "D22", "in_production", 1.0, 0.5, 6000, 600, 0, "", "new_energy"},
	}
	for i, r := range rows {
		x := 111.51 + 0.005*float64(i)
		nullIf := func(s string) any {
			if s == "" {
				return nil
			}
			return s
		}
		nullF := func(f float64) any {
			if f == 0 {
				return nil
			}
			return f
		}
		rexec(t, db, `insert into plots (zone_id, code, land_use, status, eval_class, supply_class, hightech_class, cluster, population, geom)
			values (1, $1, '100101', $2, $3, $4, $5, $6, $7, ST_Multi(ST_MakeEnvelope($8, 36.01, $9, 36.02, 4326)))`,
			r.code, r.status, r.eval, r.supply, nullIf(r.ht), nullIf(r.cluster), nullF(float64(r.pop)), x, x+0.005)
		rexec(t, db, `update plots set floor_area_m2 = $2 * area_m2, footprint_m2 = $3 * area_m2,
			investment_wan = $4 * area_m2 / 10000, tax_wan_per_year = $5 * area_m2 / 10000 where code = $1`,
			r.code, nullF(r.floor), nullF(r.foot), nullF(r.inv), nullF(r.tax))
	}
	return db
}

func TestIntensityHandMade(t *testing.T) {
	db := intensityZone(t)
	// S, the area of every plot, independently of PostGIS: the closed-form ellipsoidal area of
	// the quadrangle (its edges are short enough for geodesics and parallels to agree to 1e-9).
	S := geo.AuthalicZoneArea(36.01, 36.02, 0.005)
	rep, err := db.Intensity(planner, params(t, "intensity"))
	if err != nil {
		t.Fatal(err)
	}
	g := rep.Total
	if g.Plots != 10 {
		t.Errorf("plots = %d, want 10", g.Plots)
	}
	want := map[string]float64{
		"land_development_rate":           100 * 7.0 / 9, // (A + B21) / (A + B) = (5 + 2) / (5 + 4)
		"land_supply_rate":                100 * 6.0 / 7, // D / (A + B21) = 6 / 7
		"land_completion_rate":            100 * 5.0 / 6, // A / D = 5 / 6
		"industrial_land_share":           100 * 3.0 / 5, // A2 / A
		"hightech_land_share":             100 * 1.0 / 5, // H / A
		"composite_far":                   6.0 / 5,       // (1.2 + 0.8 + 2 + 1 + 1) / 5
		"building_density":                100 * 1.9 / 5, // (0.5 + 0.3 + 0.2 + 0.4 + 0.5) / 5
		"industrial_far":                  3.0 / 3,       // (1.2 + 0.8 + 1) / 3
		"industrial_building_coverage":    100 * 1.3 / 3, // (0.5 + 0.3 + 0.5) / 3
		"industrial_investment_intensity": 18000.0 / 3,   // (9000 + 3000 + 6000) S / 3S
		"industrial_tax_per_ha":           1800.0 / 3,    // (900 + 300 + 600) / 3
		"composite_tax_per_ha":            2300.0 / 5,    // (900 + 300 + 100 + 400 + 600) / 5
		"population_density":              5000 / (5 * S / 1e4),
		"idle_land_rate":                  100 * 1.0 / 6, // G / D
	}
	for key, w := range want {
		i := indicator(t, g, key)
		if i == nil || i.Value == nil {
			t.Errorf("%s: missing", key)
			continue
		}
		tol := 1e-9
		if key == "population_density" {
			tol = 1e-6 // S from the closed form, PostGIS's area from geodesic edges
		}
		if math.Abs(*i.Value-w) > tol*math.Max(1, math.Abs(w)) {
			t.Errorf("%s = %v, want %v", key, *i.Value, w)
		}
	}
	// Every total is traceable to S.
	for key, n := range map[string]float64{"A": 5, "A1": 1, "A2": 3, "B": 4, "B21": 2, "D": 6, "G": 1, "H": 1} {
		for _, q := range g.Totals {
			if q.Key == key && math.Abs(*q.Value-n*S) > 1e-6*n*S {
				t.Errorf("total %s = %v m², want %v × S = %v", key, *q.Value, n, n*S)
			}
		}
	}
	if g.ZoneType == nil || g.ZoneType.Key != inventory.ZoneIndustryLed {
		t.Errorf("zone type = %+v, want industry-led (A2/A = 60%%, A1/A = 20%%)", g.ZoneType)
	}
	// Score with the default ideals and weights, attainment by hand.
	wantScore := 0.10*(700.0/9) + 0.10*(600.0/7) + 0.10*(500.0/6) + 0.10*100 + // degree of use, industrial share 60 ≥ 50
		0.10*100 + 0.05*100 + 0.10*100 + 0.05*(100*(130.0/3)/50) + // FAR 1.2 ≥ 1, density 38 ≥ 35, ind. FAR 1 = 1, coverage 43.3 / 50
		0.10*100 + 0.05*(100*600.0/680) + 0.05*(100*460.0/540) + // investment 6000 ≥ 4500, taxes
		0.10*(100*2/(100.0/6)) // idle rate: ideal 2 % / 16.7 %
	if g.Score == nil || !near(*g.Score, wantScore) {
		t.Errorf("score = %v, want %v", g.Score, wantScore)
	}

	// By district: W holds P1–P8, E holds P9 and P10.
	rep, err = db.Intensity(planner, params(t, "intensity", "group", "district"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Groups) != 2 || rep.Groups[0].Key != "E" || rep.Groups[1].Key != "W" {
		t.Fatalf("groups = %+v, want E and W", rep.Groups)
	}
	e, w := rep.Groups[0], rep.Groups[1]
	for _, c := range []struct {
		g    inventory.IntensityGroup
		key  string
		want float64
	}{
		{w, "land_development_rate", 75},             // (4 + 2) / (4 + 4)
		{w, "land_supply_rate", 100 * 5.0 / 6},       // D = P1–P4, P8
		{w, "land_completion_rate", 80},              // 4 / 5
		{w, "industrial_land_share", 50},             // 2 / 4
		{w, "industrial_investment_intensity", 6000}, // (9000 + 3000) / 2
		{e, "land_development_rate", 100},            // (1 + 0) / (1 + 0): C land is in neither
		{e, "industrial_land_share", 100},
		{e, "industrial_tax_per_ha", 600},
	} {
		i := indicator(t, c.g, c.key)
		if i == nil || i.Value == nil || !near(*i.Value, c.want) {
			t.Errorf("%s %s = %+v, want %v", c.g.Key, c.key, i, c.want)
		}
	}
	// W: A2/A = 50 % but A1/A = 25 %, which is not below 25 %: city-industry integrated.
	if w.ZoneType == nil || w.ZoneType.Key != inventory.ZoneIntegrated {
		t.Errorf("W zone type = %+v, want integrated", w.ZoneType)
	}

	// Cluster filter: P1 and P10.
	rep, err = db.Intensity(planner, params(t, "intensity", "cluster", "new_energy", "include", "plots"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total.Plots != 2 {
		t.Errorf("cluster plots = %d, want 2", rep.Total.Plots)
	}
	if i := indicator(t, rep.Total, "industrial_investment_intensity"); i == nil || !near(*i.Value, 7500) {
		t.Errorf("cluster investment intensity = %+v, want (9000 + 6000) / 2", i)
	}
	for _, q := range rep.Total.Totals {
		if q.Key == "A2" && strings.Join(q.PlotCodes, ",") != "P1,P10" {
			t.Errorf("A2 plot codes = %v, want P1, P10", q.PlotCodes)
		}
	}

	// as_of: P2 becomes commercial (A4) in a second version; the past still sees it industrial.
	var t0 time.Time
	if err := db.Pool.QueryRow(context.Background(), "select now()").Scan(&t0); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	tx, err := db.Pool.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, s := range []string{
		"update plots set valid_to = now() where code = 'P2' and valid_to = 'infinity'",
		`insert into plots (zone_id, code, version, land_use, status, eval_class, supply_class, floor_area_m2, footprint_m2, geom)
		 select zone_id, code, 2, land_use, status, 'A4', supply_class, floor_area_m2, footprint_m2, geom from plots where code = 'P2' and version = 1`,
	} {
		if _, err := tx.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	now, err := db.Intensity(planner, params(t, "intensity"))
	if err != nil {
		t.Fatal(err)
	}
	then, err := db.Intensity(planner, params(t, "intensity", "as_of", t0.Format(time.RFC3339Nano)))
	if err != nil {
		t.Fatal(err)
	}
	if v := indicator(t, now.Total, "industrial_land_share").Value; !near(*v, 40) {
		t.Errorf("live industrial share = %v, want 2/5", *v)
	}
	if v := indicator(t, then.Total, "industrial_land_share").Value; !near(*v, 60) {
		t.Errorf("as-of industrial share = %v, want 3/5", *v)
	}
}

func TestIntensityPublicWithholdsConfidential(t *testing.T) {
	db := intensityZone(t)
	rep, err := db.Intensity(public, params(t, "intensity", "group", "district", "include", "plots"))
	if err != nil {
		t.Fatal(err)
	}
	confidential := []string{"industrial_investment_intensity", "industrial_tax_per_ha", "composite_tax_per_ha", "population_density",
		"industrial_investment", "industrial_tax", "investment_wan", "tax_wan_per_year", "population"}
	// The report names what it withheld ("withheld") and the configured ideals and weights of
	// every indicator ("config"); no figure of a withheld indicator may appear anywhere else.
	var doc map[string]any
	raw, _ := json.Marshal(rep)
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if w, _ := doc["withheld"].([]any); len(w) != 4 {
		t.Errorf("withheld = %v, want the 4 confidential indicators", doc["withheld"])
	}
	delete(doc, "withheld")
	delete(doc, "config")
	// Each group lists, in words, what it withheld (keys and reasons, no figure).
	groups := []any{doc["total"]}
	if gs, ok := doc["groups"].([]any); ok {
		groups = append(groups, gs...)
	}
	for _, g := range groups {
		gm := g.(map[string]any)
		ws, _ := gm["withheld"].([]any)
		if len(ws) != 8 { // 4 totals, 4 indicators
			t.Errorf("group %v withheld %d figures, want 8", gm["key"], len(ws))
		}
		for _, w := range ws {
			wm := w.(map[string]any)
			if r, _ := wm["reason"].(string); !strings.Contains(r, "统计保密规则") {
				t.Errorf("withheld %v: reason %q is not in words", wm["key"], r)
			}
		}
		if gm["score_withheld"] == nil {
			t.Errorf("group %v: no reason for the withheld score", gm["key"])
		}
		delete(gm, "withheld")
		delete(gm, "score_withheld")
	}
	body, _ := json.Marshal(doc)
	for _, k := range confidential {
		if bytes.Contains(body, []byte(`"`+k+`"`)) {
			t.Errorf("public JSON carries %q", k)
		}
	}
	if rep.Total.Score != nil {
		t.Errorf("public score = %v, want withheld (it weighs investment and tax)", *rep.Total.Score)
	}
	if i := indicator(t, rep.Total, "land_supply_rate"); i == nil || !near(*i.Value, 600.0/7) {
		t.Errorf("public supply rate = %+v", i)
	}
	// CSV of every table and the XLSX carry no confidential key nor label.
	labels := []string{}
	for _, d := range inventory.IntensityTotals {
		if d.Confidential {
			labels = append(labels, d.Label, d.LabelEN)
		}
	}
	for _, d := range inventory.Indicators {
		if d.Confidential() {
			labels = append(labels, d.Label, d.LabelEN, d.Key)
		}
	}
	var all bytes.Buffer
	for _, tb := range rep.Tables() {
		if err := export.WriteCSV(&all, tb); err != nil {
			t.Fatal(err)
		}
	}
	var x bytes.Buffer
	if err := export.WriteXLSX(&x, rep.ReportHeader, rep.Tables()); err != nil {
		t.Fatal(err)
	}
	xl := xlsxText(t, x.Bytes())
	xl = xl[:strings.Index(xl, "#sheet about")] // the about sheet lists what was withheld
	for _, l := range labels {
		if strings.Contains(all.String(), l) {
			t.Errorf("public CSV carries %q", l)
		}
		if strings.Contains(xl, l) {
			t.Errorf("public XLSX carries %q", l)
		}
	}
	// The planner's versions do carry them (so the check above can fail).
	prep, err := db.Intensity(planner, params(t, "intensity"))
	if err != nil {
		t.Fatal(err)
	}
	var px bytes.Buffer
	if err := export.WriteXLSX(&px, prep.ReportHeader, prep.Tables()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(xlsxText(t, px.Bytes()), "industrial_investment_intensity") {
		t.Error("planner XLSX lacks the investment intensity")
	}
}

// TestIntensityDemoMatchesIndependentSQL checks every indicator of every district of the demo
// data against a separately written SQL computation (one scalar subquery per class, with CASE
// rather than FILTER, classes matched by list rather than by prefix).
func TestIntensityDemoMatchesIndependentSQL(t *testing.T) {
	db := postgistest.NewWithDemo(t)
	rep, err := db.Intensity(planner, params(t, "intensity", "group", "district"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Groups) == 0 {
		t.Fatal("no districts in the demo")
	}
	ind := map[string][2]string{ // numerator, denominator as SQL sums over plots p of one district
		"land_development_rate":           {"case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6','B21') then area_m2 end", "case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6','B11','B12','B21','B22') then area_m2 end"},
		"land_supply_rate":                {"case when supply_class in ('D1','D21','D22') then area_m2 end", "case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6','B21') then area_m2 end"},
		"land_completion_rate":            {"case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6') then area_m2 end", "case when supply_class in ('D1','D21','D22') then area_m2 end"},
		"industrial_land_share":           {"case when eval_class = 'A2' then area_m2 end", "case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6') then area_m2 end"},
		"hightech_land_share":             {"case when hightech_class is not null then area_m2 end", "case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6') then area_m2 end"},
		"composite_far":                   {"case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6') then floor_area_m2 end", "case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6') then area_m2 end"},
		"building_density":                {"case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6') then footprint_m2 end", "case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6') then area_m2 end"},
		"industrial_far":                  {"case when eval_class = 'A2' then floor_area_m2 end", "case when eval_class = 'A2' then area_m2 end"},
		"industrial_building_coverage":    {"case when eval_class = 'A2' then footprint_m2 end", "case when eval_class = 'A2' then area_m2 end"},
		"industrial_investment_intensity": {"case when eval_class = 'A2' then investment_wan end", "case when eval_class = 'A2' then area_m2 / 10000 end"},
		"industrial_tax_per_ha":           {"case when eval_class = 'A2' then tax_wan_per_year end", "case when eval_class = 'A2' then area_m2 / 10000 end"},
		"composite_tax_per_ha":            {"case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6') then tax_wan_per_year end", "case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6') then area_m2 / 10000 end"},
		"population_density":              {"case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6') then population end", "case when eval_class in ('A1','A2','A31','A32','A4','A51','A52','A6') then area_m2 / 10000 end"},
		"idle_land_rate":                  {"case when status = 'idle' then area_m2 end", "case when supply_class in ('D1','D21','D22') then area_m2 end"},
	}
	checked := 0
	for _, g := range append([]inventory.IntensityGroup{rep.Total}, rep.Groups...) {
		for key, nd := range ind {
			d, _ := inventory.IndicatorNamed(key)
			scale := 1.0
			if d.Unit == "%" {
				scale = 100
			}
			where := "district = $1"
			arg := any(g.Key)
			if g.Key == "total" {
				where, arg = "$1::text is null or true", nil
			}
			var want *float64
			sql := fmt.Sprintf(`select sum(%s)::float8 / nullif(sum(%s)::float8, 0) * %v from plots
				where valid_to = 'infinity' and not archived and (%s)`, nd[0], nd[1], scale, where)
			if err := db.Pool.QueryRow(context.Background(), sql, arg).Scan(&want); err != nil {
				t.Fatalf("%s: %v", key, err)
			}
			got := indicator(t, g, key)
			switch {
			case got == nil:
				t.Errorf("%s %s: missing", g.Key, key)
			case want == nil && got.Value != nil && *got.Value != 0:
				t.Errorf("%s %s = %v, independent SQL has none", g.Key, key, *got.Value)
			case want != nil && (got.Value == nil || math.Abs(*got.Value-*want) > 1e-9*math.Max(1, math.Abs(*want))):
				t.Errorf("%s %s = %v, independent SQL %v", g.Key, key, got.Value, *want)
			default:
				if want != nil {
					checked++
				}
			}
		}
	}
	if checked < 14 {
		t.Errorf("only %d indicator values were compared; the demo should have values for every indicator", checked)
	}
}
