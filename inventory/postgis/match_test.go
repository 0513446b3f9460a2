package postgis_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// matchZone is a hand-made zone (111.50–111.60 E, 36.00–36.10 N) written through the store's
// write path (Create), whose matches are worked out by hand below.
//
// Roads: R1 existing along the meridian 111.530 E; R2 planned along 111.546 E, crossing PR
// (a planned road is no built road, so it must not count).
//
// Ready plots, 0.002° × 0.002° unless said (areas on the GRS 80 ellipsoid, by the closed form
// of a graticule rectangle, b²/2·Δλ·[q(φ₂) − q(φ₁)]):
//
//	PA  111.527–111.529 × 36.010–36.012  60.02 亩  100101  new_materials  standard 300/20/300  R1 at 90.15 m
//	PT  111.527–111.529 × 36.014–36.016  60.02 亩  100101  new_materials  standard 300/30/300  R1 at 90.15 m
//	PC  111.529–111.5312 × 36.030–36.032 66.00 亩  100102  (no cluster)   not standard         crosses R1: 0 m
//	PS  111.524–111.528 × 36.020–36.024 240.04 亩  100101  new_materials  standard 300/20/300  R1 at 180.27 m
//	PR  111.545–111.547 × 36.040–36.042  60.00 亩  100101  new_materials  not standard         R1 at 1 351.74 m
//	PU  111.527–111.529 × 36.050–36.052  59.99 亩  0901    modern_services not standard        R1 at 90.10 m
//
// (distances: the arc of the parallel at the plot's north edge, Δλ·a·cos φ/√(1 − e² sin² φ),
// as in TestNearestRoadsHandMade). PN (reserved) and PX (in production, holding the plants)
// are no candidates.
//
// Plants in PX, completed unless said (free = leasable − leased):
//
//	B1 free 2 000 m², 15 kN/m², 9 m, crane 10 t
//	B2 free   800 m², 12 kN/m², 10 m, crane 5 t
//	B3 free 5 000 m², 8 kN/m², 12 m, no crane
//	B4 free 1 500 m², 10 kN/m², 8 m, crane 20 t
//	B5 under construction; B6 completed but full: no candidates.
func matchZone(t *testing.T) *postgis.DB {
	t.Helper()
	db := postgistest.New(t)
	exec(t, db, `insert into zones (code, name, geom) values ('hand', 'Hand-made zone', ST_Multi(ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326)))`)
	exec(t, db, `insert into layout (zone_id, code, kind, name, geom) values (1, 'W', 'district', 'West', ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326))`)
	ctx := inventory.WithViewer(context.Background(), inventory.Viewer{Name: "alice", Role: inventory.RolePlanner})
	rect := func(x0, x1, y0, y1 float64) json.RawMessage {
		return json.RawMessage(fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%[1]v,%[3]v],[%[2]v,%[3]v],[%[2]v,%[4]v],[%[1]v,%[4]v],[%[1]v,%[3]v]]]}`, x0, x1, y0, y1))
	}
	line := func(x float64) json.RawMessage {
		return json.RawMessage(fmt.Sprintf(`{"type":"LineString","coordinates":[[%[1]v,36.0],[%[1]v,36.1]]}`, x))
	}
	create := func(l *inventory.Layer, props map[string]any, g json.RawMessage) {
		t.Helper()
		if _, err := db.Create(ctx, l, "hand", inventory.Change{Properties: props, Geometry: g}); err != nil {
			t.Fatalf("create %s %v: %v", l.Name, props["code"], err)
		}
	}
	create(inventory.RoadLayer, map[string]any{"code": "R1", "name": "现状路", "status": "existing"}, line(111.530))
	create(inventory.RoadLayer, map[string]any{"code": "R2", "name": "规划路", "status": "planned"}, line(111.546))
	std := func(code, use, cluster string, tax float64) map[string]any {
		return map[string]any{"code": code, "land_use": use, "cluster": cluster, "status": "ready", "standard_land": true,
			"min_investment_wan_per_mu": 300.0, "min_tax_wan_per_mu_year": tax, "min_output_wan_per_mu": 300.0}
	}
	create(inventory.PlotLayer, std("PA", "100101", "new_materials", 20), rect(111.527, 111.529, 36.010, 36.012))
	create(inventory.PlotLayer, std("PT", "100101", "new_materials", 30), rect(111.527, 111.529, 36.014, 36.016))
	create(inventory.PlotLayer, map[string]any{"code": "PC", "land_use": "100102", "status": "ready"}, rect(111.529, 111.5312, 36.030, 36.032))
	create(inventory.PlotLayer, std("PS", "100101", "new_materials", 20), rect(111.524, 111.528, 36.020, 36.024))
	create(inventory.PlotLayer, map[string]any{"code": "PR", "land_use": "100101", "cluster": "new_materials", "status": "ready"}, rect(111.545, 111.547, 36.040, 36.042))
	create(inventory.PlotLayer, map[string]any{"code": "PU", "land_use": "0901", "cluster": "modern_services", "status": "ready"}, rect(111.527, 111.529, 36.050, 36.052))
	create(inventory.PlotLayer, map[string]any{"code": "PN", "land_use": "100101", "cluster": "new_materials", "status": "reserved"}, rect(111.527, 111.529, 36.060, 36.062))
	create(inventory.PlotLayer, map[string]any{"code": "PX", "land_use": "100101", "status": "in_production"}, rect(111.570, 111.580, 36.050, 36.060))
	plant := func(code string, i int, props map[string]any) {
		props["code"] = code
		if props["status"] == nil {
			props["status"] = "completed"
		}
		props["floors"] = 1
		x := 111.571 + float64(i)*0.0015
		create(inventory.PlantLayer, props, rect(x, x+0.001, 36.051, 36.052))
	}
	plant("B1", 0, map[string]any{"leasable_area_m2": 3000.0, "leased_area_m2": 1000.0, "floor_load_kn_m2": 15.0, "floor_height_m": 9.0, "crane_capacity_t": 10.0})
	plant("B2", 1, map[string]any{"leasable_area_m2": 2000.0, "leased_area_m2": 1200.0, "floor_load_kn_m2": 12.0, "floor_height_m": 10.0, "crane_capacity_t": 5.0})
	plant("B3", 2, map[string]any{"leasable_area_m2": 6000.0, "leased_area_m2": 1000.0, "floor_load_kn_m2": 8.0, "floor_height_m": 12.0})
	plant("B4", 3, map[string]any{"leasable_area_m2": 2500.0, "leased_area_m2": 1000.0, "floor_load_kn_m2": 10.0, "floor_height_m": 8.0, "crane_capacity_t": 20.0})
	plant("B5", 4, map[string]any{"status": "under_construction", "leasable_area_m2": 9000.0, "leased_area_m2": 0.0, "floor_load_kn_m2": 20.0, "floor_height_m": 12.0, "crane_capacity_t": 20.0})
	plant("B6", 5, map[string]any{"leasable_area_m2": 3000.0, "leased_area_m2": 3000.0, "floor_load_kn_m2": 20.0, "floor_height_m": 12.0, "crane_capacity_t": 20.0})
	return db
}

func fp(v float64) *float64 { return &v }

// cond is an expected condition; a float value or requirement is compared within tol.
type cond struct {
	name           string
	pass           bool
	value, require any
}

type wantMatch struct {
	code  string
	score float64
	conds []cond
}

// plotNeed: 40–80 亩 of 1001 land for a new-materials project committing 350 万元 investment,
// 25 万元 tax and 400 万元 output per 亩, within 200 m of a built road.
var plotNeed = inventory.SiteNeed{Zone: "hand", Layer: inventory.MatchPlots, AreaMuMin: fp(40), AreaMuMax: fp(80), LandUse: "1001",
	Cluster: "new_materials", InvestmentWanPerMu: fp(350), TaxWanPerMuYear: fp(25), OutputWanPerMu: fp(400), MaxRoadDistanceM: fp(200)}

// The expected conditions of each plot under plotNeed, by hand from matchZone's table.
func plotConds(code string) []cond {
	area := map[string]float64{"min": 40, "max": 80}
	stdConds := func(tax float64) []cond {
		return []cond{{"min_investment_wan_per_mu", true, 350.0, 300.0}, {"min_tax_wan_per_mu_year", tax <= 25, 25.0, tax}, {"min_output_wan_per_mu", true, 400.0, 300.0}}
	}
	free := []cond{{"min_investment_wan_per_mu", true, 350.0, nil}, {"min_tax_wan_per_mu_year", true, 25.0, nil}, {"min_output_wan_per_mu", true, 400.0, nil}}
	join := func(a []cond, b []cond, c cond) []cond { return append(append(append([]cond{}, a...), b...), c) }
	switch code {
	case "PA":
		return join([]cond{{"area_mu", true, 60.02, area}, {"land_use", true, "100101", "1001"}, {"cluster", true, "new_materials", "new_materials"}}, stdConds(20), cond{"road_distance_m", true, 90.15, 200.0})
	case "PT": // fails only on the tax per 亩: 25 committed < 30 preset
		return join([]cond{{"area_mu", true, 60.02, area}, {"land_use", true, "100101", "1001"}, {"cluster", true, "new_materials", "new_materials"}}, stdConds(30), cond{"road_distance_m", true, 90.15, 200.0})
	case "PC": // no cluster set aside: open to any
		return join([]cond{{"area_mu", true, 66.00, area}, {"land_use", true, "100102", "1001"}, {"cluster", true, nil, "new_materials"}}, free, cond{"road_distance_m", true, 0.0, 200.0})
	case "PS":
		return join([]cond{{"area_mu", false, 240.04, area}, {"land_use", true, "100101", "1001"}, {"cluster", true, "new_materials", "new_materials"}}, stdConds(20), cond{"road_distance_m", true, 180.27, 200.0})
	case "PR": // fails only on the road: R1 is 1 351.74 m away, the planned R2 crossing it does not count
		return join([]cond{{"area_mu", true, 60.00, area}, {"land_use", true, "100101", "1001"}, {"cluster", true, "new_materials", "new_materials"}}, free, cond{"road_distance_m", false, 1351.74, 200.0})
	case "PU":
		return join([]cond{{"area_mu", true, 59.99, area}, {"land_use", false, "0901", "1001"}, {"cluster", false, "modern_services", "new_materials"}}, free, cond{"road_distance_m", true, 90.10, 200.0})
	}
	panic(code)
}

// handMadePlotMatches is the hand-made zone's answer to plotNeed under the default weights,
// worked out in TestMatchPlotsHandMade's comment.
func handMadePlotMatches() []wantMatch {
	want := []wantMatch{{"PA", 100, nil}, {"PC", 100, nil}, {"PT", 97.62, nil}, {"PS", 85.70, nil}, {"PR", 77.78, nil}, {"PU", 55.56, nil}}
	for i := range want {
		want[i].conds = plotConds(want[i].code)
	}
	return want
}

// Scores under the default weights (area 3, land use 3, cluster 1, investment 2, tax 2,
// output 1, road 2), over the conditions that apply (standard land: all 7, weight 14; other
// plots: area, land use, cluster and road, weight 9):
//
//	PA, PC  every condition passes                      100
//	PT      14 − 2 + 2·25/30 = 13.667 of 14             97.62
//	PS      14 − 3 + 3·80/240.04 = 11.9986 of 14        85.70
//	PR      9 − 2 = 7 of 9                              77.78
//	PU      9 − 3 − 1 = 5 of 9                          55.56
//
// PA and PC pass everything and tie at 100: PA's 60.02 亩 is nearer the middle of 40–80 (60)
// than PC's 66.00.
func TestMatchPlotsHandMade(t *testing.T) {
	ctx := context.Background()
	db := matchZone(t)
	ms, err := matchList(db.MatchSites(ctx, plotNeed, 0))
	if err != nil {
		t.Fatal(err)
	}
	want := handMadePlotMatches()
	checkMatches(t, ms, want)

	// A limit keeps the best: the road of PR and PU, which cannot reach the first three,
	// need not be tested, and the answer is the same prefix.
	res, err := db.MatchSites(ctx, plotNeed, 3)
	if err != nil {
		t.Fatal(err)
	}
	checkMatches(t, res.Matches, want[:3])
	// The counts are of every candidate: six ready plots, two of them (PA, PC) meeting every
	// condition.
	if res.Candidates != 6 || res.Passing != 2 {
		t.Errorf("limit 3: %d candidates, %d passing; want 6, 2", res.Candidates, res.Passing)
	}
	// A zone with no ready plot and no building: nothing ranked, counted 0 (not a row of nulls).
	if _, err := db.Pool.Exec(ctx, `insert into zones (code, name, illustrative, geom)
		values ('empty', 'Empty', true, ST_Multi(ST_MakeEnvelope(100, 30, 100.01, 30.01, 4326)))`); err != nil {
		t.Fatal(err)
	}
	for _, layer := range inventory.MatchLayers {
		res, err := db.MatchSites(ctx, inventory.SiteNeed{Zone: "empty", Layer: layer}, 5)
		if err != nil || res.Candidates != 0 || res.Passing != 0 || len(res.Matches) != 0 {
			t.Errorf("%s of an empty zone: %+v, %v", layer, res, err)
		}
	}

	// Weights are per call. With the road at 20: PT 31.667/32 = 98.96, PS (29 + 3·80/240.04)/32
	// = 93.75, PU (3 + 20)/27 = 85.19, PR 7/27 = 25.93; without the tax (weight 0) PT is 12/12
	// = 100 and still ranks after the plots passing everything.
	ms, err = matchList(db.MatchSitesRanked(ctx, plotNeed, inventory.MatchRanking{Weights: map[string]float64{"road_distance_m": 20}}, 0))
	if err != nil {
		t.Fatal(err)
	}
	checkOrder(t, ms, []string{"PA", "PC", "PT", "PS", "PU", "PR"}, []float64{100, 100, 98.96, 93.75, 85.19, 25.93})
	ms, err = matchList(db.MatchSitesRanked(ctx, plotNeed, inventory.MatchRanking{Weights: map[string]float64{"min_tax_wan_per_mu_year": 0}}, 3))
	if err != nil {
		t.Fatal(err)
	}
	checkOrder(t, ms, []string{"PA", "PC", "PT"}, []float64{100, 100, 100})

	// A project asking nothing and committing nothing: the plots that are not standard land
	// pass everything (100, then by code); the standard land presets minimums the project did
	// not commit to (承诺制), so PA, PS and PT fail those three conditions, the only ones that
	// apply to them: 0 of 5.
	ms, err = matchList(db.MatchSites(ctx, inventory.SiteNeed{Zone: "hand", Layer: inventory.MatchPlots}, 0))
	if err != nil {
		t.Fatal(err)
	}
	checkOrder(t, ms, []string{"PC", "PR", "PU", "PA", "PS", "PT"}, []float64{100, 100, 100, 0, 0, 0})
	for _, m := range ms {
		for _, c := range m.Conditions {
			preset := c.Name == "min_investment_wan_per_mu" || c.Name == "min_tax_wan_per_mu_year" || c.Name == "min_output_wan_per_mu"
			standard := m.Code == "PA" || m.Code == "PS" || m.Code == "PT"
			if wantPass := !(preset && standard); c.Pass != wantPass || c.Value == nil && c.Name != "cluster" && !preset {
				t.Errorf("nothing asked: %s %s = %+v, want pass %v", m.Code, c.Name, c, wantPass)
			}
			if !(preset && standard) && c.Required != nil {
				t.Errorf("nothing asked: %s %s requires %v", m.Code, c.Name, c.Required)
			}
		}
	}
}

// TestMatchPlotsDerivedInvestment: a project that committed no investment per 亩 but brings
// 21 000 万元 in all, and committed no tax per 亩 (the rest as plotNeed). Its investment
// intensity on each plot is 21 000 ÷ the plot's area (SiteNeed.InvestmentPerMu), by hand from
// matchZone's areas:
//
//	PA 21000/60.02 = 349.88 ≥ 300 passes; tax: 20 preset, nothing committed: fails   12/14 = 85.71
//	PT 21000/60.02 = 349.88 passes; tax 30 preset, nothing committed: fails          85.71
//	PC 21000/66.00 = 318.18 (not standard: nothing required), tax nothing required   100
//	PS 21000/240.04 = 87.49 < 300 fails (credit 2·87.49/300 = 0.5832), the area
//	   fails (3·80/240.04 = 0.9998), the tax fails: (7 + 0.9998 + 0.5832)/14         61.31
//	PR 21000/60.00 = 350.00, fails on the road                                         77.78
//	PU 21000/59.99 = 350.06, fails on land use and cluster                             55.56
//
// PT and PA tie at 85.71: PT, further north, is the smaller of the two 60.02-亩 plots and so
// nearer the middle of 40–80. A committed figure takes precedence over the total: plotNeed
// with the total added is answered as before, every investment value "committed".
func TestMatchPlotsDerivedInvestment(t *testing.T) {
	ctx := context.Background()
	db := matchZone(t)
	need := plotNeed
	need.InvestmentWanPerMu, need.TaxWanPerMuYear, need.TotalInvestmentWan = nil, nil, fp(21000)
	ms, err := matchList(db.MatchSites(ctx, need, 0))
	if err != nil {
		t.Fatal(err)
	}
	checkOrder(t, ms, []string{"PC", "PT", "PA", "PR", "PS", "PU"}, []float64{100, 85.71, 85.71, 77.78, 61.31, 55.56})
	type wantInv struct {
		inv, minInv any
		invPass     bool
		minTax      any
	}
	wants := map[string]wantInv{
		"PA": {349.88, 300.0, true, 20.0}, "PT": {349.88, 300.0, true, 30.0}, "PC": {318.18, nil, true, nil},
		"PS": {87.49, 300.0, false, 20.0}, "PR": {350.00, nil, true, nil}, "PU": {350.06, nil, true, nil},
	}
	for _, m := range ms {
		w := wants[m.Code]
		inv, tax := m.Conditions[3], m.Conditions[4]
		if inv.Name != "min_investment_wan_per_mu" || !nearValue(inv.Value, w.inv) || !nearValue(inv.Required, w.minInv) ||
			inv.Pass != w.invPass || inv.Basis != inventory.BasisDerived || inv.Reason != "" {
			t.Errorf("%s investment: got %+v, want %v (derived) against %v, pass %v", m.Code, inv, w.inv, w.minInv, w.invPass)
		}
		// Tax is never derived: against a preset minimum it fails, not committed.
		wantReason := ""
		if w.minTax != nil {
			wantReason = inventory.ReasonNotCommitted
		}
		if tax.Value != nil || !nearValue(tax.Required, w.minTax) || tax.Pass != (w.minTax == nil) || tax.Reason != wantReason || tax.Basis != "" {
			t.Errorf("%s tax: got %+v, want no value against %v, reason %q", m.Code, tax, w.minTax, wantReason)
		}
	}

	// Committed and total: the commitment decides, exactly as TestMatchPlotsHandMade.
	need = plotNeed
	need.TotalInvestmentWan = fp(1)
	ms, err = matchList(db.MatchSites(ctx, need, 0))
	if err != nil {
		t.Fatal(err)
	}
	want := handMadePlotMatches()
	checkMatches(t, ms, want)
	for _, m := range ms {
		if b := m.Conditions[3].Basis; b != inventory.BasisCommitted {
			t.Errorf("%s: investment basis %q, want committed", m.Code, b)
		}
	}
}

// TestMatchPlantsHandMade: 1 000 m² free, 10 kN/m², 8 m and a 5 t crane (weights free area 3,
// load 2, height 2, crane 2; 9 in all):
//
//	B4, B1  everything passes; 100; B4 first, the smaller free area that suffices (1 500 < 2 000)
//	B2      free 800: 9 − 3 + 3·0.8 = 8.4 of 9 = 93.33
//	B3      load 8 (0.8 of 10), no crane: 9 − 2 + 2·0.8 − 2 = 6.6 of 9 = 73.33
func TestMatchPlantsHandMade(t *testing.T) {
	db := matchZone(t)
	need := inventory.SiteNeed{Zone: "hand", Layer: inventory.MatchPlants, PlantAreaM2: fp(1000), FloorLoadKNm2: fp(10), ClearHeightM: fp(8), CraneCapacityT: fp(5)}
	ms, err := matchList(db.MatchSites(context.Background(), need, 10))
	if err != nil {
		t.Fatal(err)
	}
	c := func(free, load, height float64, crane any, pass ...bool) []cond {
		return []cond{{"free_area_m2", pass[0], free, 1000.0}, {"floor_load_kn_m2", pass[1], load, 10.0},
			{"floor_height_m", pass[2], height, 8.0}, {"crane_capacity_t", pass[3], crane, 5.0}}
	}
	checkMatches(t, ms, []wantMatch{
		{"B4", 100, c(1500, 10, 8, 20.0, true, true, true, true)},
		{"B1", 100, c(2000, 15, 9, 10.0, true, true, true, true)},
		{"B2", 93.33, c(800, 12, 10, 5.0, false, true, true, true)},
		{"B3", 73.33, c(5000, 8, 12, nil, true, false, true, false)},
	})
	// Counted whatever the limit: four buildings with free space, two meeting everything.
	res, err := db.MatchSites(context.Background(), need, 1)
	if err != nil || len(res.Matches) != 1 || res.Candidates != 4 || res.Passing != 2 {
		t.Errorf("limit 1: %+v, %v; want one match of 4 candidates, 2 passing", res, err)
	}

	// A stored rule with every plant condition at 0, written before PutMatchRanking refused
	// one (here straight into the table): a call naming no weight still ranks, every building
	// at 100 (the two meeting everything first, then by the least free area); a call whose own weights
	// leave them all at 0 is refused.
	if _, err := db.Pool.Exec(context.Background(), `insert into match_rankings (zone_id, version, weights, changed_by)
		values ((select id from zones where code = 'hand'), 1, '{"free_area_m2":0,"floor_load_kn_m2":0,"floor_height_m":0,"crane_capacity_t":0}', 'legacy')`); err != nil {
		t.Fatal(err)
	}
	ms, err = matchList(db.MatchSites(context.Background(), need, 10))
	if err != nil {
		t.Fatalf("a stored all-zero rule refuses a call naming no weight: %v", err)
	}
	checkOrder(t, ms, []string{"B4", "B1", "B2", "B3"}, []float64{100, 100, 100, 100})
	if _, err := db.MatchSitesRanked(context.Background(), need, inventory.MatchRanking{Weights: map[string]float64{"crane_capacity_t": 0}}, 10); inventory.CodeOf(err) != inventory.CodeRankingPlantsAllZero {
		t.Errorf("a call's weights leaving every plant condition at 0: %v", err)
	}
	// A call naming only plot weights ranks plants under the stored rule, as one naming none.
	if ms, err := matchList(db.MatchSitesRanked(context.Background(), need, inventory.MatchRanking{Weights: map[string]float64{"cluster": 5}}, 10)); err != nil || len(ms) != 4 {
		t.Errorf("plants ranked with a plot weight named: %d, %v", len(ms), err)
	}
}

func TestMatchRefusesBadNeeds(t *testing.T) {
	db := matchZone(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		need  inventory.SiteNeed
		rank  inventory.MatchRanking
		field string
		kind  string
	}{
		{"unknown layer", inventory.SiteNeed{Zone: "hand", Layer: "roads"}, inventory.MatchRanking{}, "layer", inventory.EInvalid},
		{"unknown cluster", inventory.SiteNeed{Zone: "hand", Layer: "plots", Cluster: "mining"}, inventory.MatchRanking{}, "cluster", inventory.EInvalid},
		{"min above max", inventory.SiteNeed{Zone: "hand", Layer: "plots", AreaMuMin: fp(90), AreaMuMax: fp(80)}, inventory.MatchRanking{}, "area_mu_min", inventory.EInvalid},
		{"negative figure", inventory.SiteNeed{Zone: "hand", Layer: "plants", PlantAreaM2: fp(-1)}, inventory.MatchRanking{}, "plant_area_m2", inventory.EInvalid},
		{"unknown weight", inventory.SiteNeed{Zone: "hand", Layer: "plots"}, inventory.MatchRanking{Weights: map[string]float64{"view": 1}}, "weights", inventory.EInvalid},
		{"negative weight", inventory.SiteNeed{Zone: "hand", Layer: "plots"}, inventory.MatchRanking{Weights: map[string]float64{"cluster": -1}}, "weights", inventory.EInvalid},
		{"every plants weight 0", inventory.SiteNeed{Zone: "hand", Layer: "plants"}, inventory.MatchRanking{Weights: map[string]float64{
			"free_area_m2": 0, "floor_load_kn_m2": 0, "floor_height_m": 0, "crane_capacity_t": 0}}, "weights", inventory.EInvalid},
		{"unknown zone", inventory.SiteNeed{Zone: "nowhere", Layer: "plots"}, inventory.MatchRanking{}, "zone", inventory.ENotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := matchList(db.MatchSitesRanked(ctx, tc.need, tc.rank, 0))
			var e *inventory.Error
			if !errors.As(err, &e) || e.Kind != tc.kind || e.Field != tc.field {
				t.Errorf("got %v, want %s naming %q", err, tc.kind, tc.field)
			}
		})
	}
}

func checkOrder(t *testing.T, ms []inventory.SiteMatch, codes []string, scores []float64) {
	t.Helper()
	if len(ms) != len(codes) {
		t.Fatalf("got %d matches %v, want %v", len(ms), matchCodes(ms), codes)
	}
	for i, m := range ms {
		if m.Code != codes[i] || math.Abs(m.Score-scores[i]) > 0.015 {
			t.Errorf("match %d: got %s %.2f, want %s %.2f (all: %v)", i, m.Code, m.Score, codes[i], scores[i], matchCodes(ms))
		}
	}
}

func checkMatches(t *testing.T, ms []inventory.SiteMatch, want []wantMatch) {
	t.Helper()
	codes := make([]string, len(want))
	scores := make([]float64, len(want))
	for i, w := range want {
		codes[i], scores[i] = w.code, w.score
	}
	checkOrder(t, ms, codes, scores)
	for i := range min(len(ms), len(want)) {
		m, w := ms[i], want[i]
		if len(m.Conditions) != len(w.conds) {
			t.Errorf("%s: %d conditions %+v, want %d", m.Code, len(m.Conditions), m.Conditions, len(w.conds))
			continue
		}
		for j, c := range m.Conditions {
			e := w.conds[j]
			if c.Name != e.name || c.Pass != e.pass || !nearValue(c.Value, e.value) || !nearValue(c.Required, e.require) {
				t.Errorf("%s condition %d: got %+v, want %+v", m.Code, j, c, e)
			}
		}
	}
}

// nearValue compares a reported value with the expected one: numbers within 0.06 (areas and
// distances are rounded to 0.01 亩 and 0.1 m), the area range as its bounds, the rest equal.
func nearValue(got, want any) bool {
	switch w := want.(type) {
	case float64:
		g, ok := got.(float64)
		return ok && math.Abs(g-w) <= 0.06
	case map[string]float64:
		g, ok := got.(map[string]float64)
		return ok && len(g) == len(w) && g["min"] == w["min"] && g["max"] == w["max"]
	}
	return got == want
}

func matchCodes(ms []inventory.SiteMatch) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Code
	}
	return out
}

// TestMatchDemoProjects matches the demo's signed project waiting for land (DEMO-P03, through
// the projects layer's conversion ProjectSiteNeed) against the demo zone: every candidate is a
// live ready plot, and every match carries the seven conditions in order, passing every one
// exactly when it ranks among the first (all_pass first).
func TestMatchDemoProjects(t *testing.T) {
	db := postgistest.NewWithDemo(t)
	ctx := inventory.WithViewer(context.Background(), inventory.Viewer{Name: "alice", Role: inventory.RolePlanner})
	f, err := db.Get(ctx, inventory.ProjectLayer, "", "DEMO-P03")
	if err != nil {
		t.Fatal(err)
	}
	need, err := inventory.ProjectSiteNeed(f, "", inventory.MatchPlots)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := matchList(db.MatchSites(ctx, need, inventory.MaxMatchLimit))
	if err != nil {
		t.Fatal(err)
	}
	var ready int
	if err := db.Pool.QueryRow(ctx, `select count(*) from plots where status = 'ready' and valid_to = 'infinity' and not archived`).Scan(&ready); err != nil {
		t.Fatal(err)
	}
	if len(ms) != min(ready, inventory.MaxMatchLimit) || len(ms) == 0 {
		t.Fatalf("%d matches, want every one of the %d ready plots up to %d", len(ms), ready, inventory.MaxMatchLimit)
	}
	seenFail := false
	for _, m := range ms {
		var status string
		if err := db.Pool.QueryRow(ctx, `select status from plots where code = $1 and valid_to = 'infinity' and not archived`, m.Code).Scan(&status); err != nil || status != "ready" {
			t.Errorf("%s: status %q, %v", m.Code, status, err)
		}
		all := true
		for i, c := range m.Conditions {
			if c.Name != inventory.PlotMatchConditions[i] {
				t.Errorf("%s condition %d: %s", m.Code, i, c.Name)
			}
			all = all && c.Pass
		}
		if all && seenFail {
			t.Errorf("%s passes everything but ranks after a failing plot", m.Code)
		}
		seenFail = seenFail || !all
	}
}

// matchList is the ranked sites of a MatchSites or MatchSitesRanked call.
func matchList(r *inventory.SiteMatches, err error) ([]inventory.SiteMatch, error) {
	if err != nil {
		return nil, err
	}
	return r.Matches, nil
}
