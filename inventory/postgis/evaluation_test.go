package postgis_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
)

// evalZone builds the hand-made zone of TestEvaluationHandMade: eight plots P1–P8 of the same
// shape (0.005° × 0.01° at 36.01–36.02 N), so each has the same area S; a standard plant PL1
// of 1,000 m² floor area on P3; and these firms (credit codes 91141000MA00000N + check characters):
//
//	firm  land                         figures (per 亩 of its land)                 other
//	F1    P1 + P2 (2 S)                tax 20, VA = 4 × energy                       environmental violation (−10)
//	F2    half of PL1 (500 of 1000 m²) tax 40, VA = 2 × energy                       → land 0.5 S
//	F3    P4                           tax 100, VA = 2 × energy                      exempt: public utility
//	F4    P5                           tax 30, no energy figure                      → missing energy_tce
//	F5    P6                           tax 10, VA = 2 × energy                       } tie at the B/C boundary
//	F6    P7                           tax 10, VA = 2 × energy                       }
//	F7    P8                           tax 4,  VA = 1 × energy                       high-tech (+5)
//	F8    1 m² of PL1                  below scale, under 3 亩 and 1,000 m²         → not eligible
//
// The scheme: tax per 亩 weight 60 against the zone average, value added per tce weight 40
// against a fixed 2. Worked out by hand: graded firms F1, F2, F5, F6, F7 hold 2 + 0.5 + 1 + 1 +
// 1 = 5.5 S of land and pay 40 + 20 + 10 + 10 + 4 = 84 S of tax, so the average is 84/5.5 per
// 亩 (S in 亩). Score = tax/mu × 5.5/84 × 60 + VA/tce / 2 × 40 + bonus:
//
//	F1 20 → 78.5714 + 80 − 10 = 148.5714   rank 2  B
//	F2 40 → 157.1429 + 40     = 197.1429   rank 1  A   (1/5 = 20% ≤ 25%)
//	F5 10 → 39.2857 + 40      = 79.2857    rank 3  B   (3/5 = 60% ≤ 70%)
//	F6 10 → 39.2857 + 40      = 79.2857    rank 3  B   tie: shares rank 3, not 4 (80% would be C)
//	F7 4  → 15.7143 + 20 + 5  = 40.7143    rank 5  D   (100% > 95%)
//	F3 100 → 392.8571 + 40    = 432.8571   exempt: scored, not ranked
func evalZone(t *testing.T) (*postgis.DB, map[string]string, float64) {
	t.Helper()
	db := bareHandZone(t)
	S := geo.MuFromSquareMetres(geo.AuthalicZoneArea(36.01, 36.02, 0.005))
	for i := 1; i <= 8; i++ {
		x := 111.505 + 0.006*float64(i-1)
		rexec(t, db, `insert into plots (zone_id, code, land_use, status, geom) values (1, $1, '100101', 'in_production', ST_Multi(ST_MakeEnvelope($2, 36.01, $3, 36.02, 4326)))`,
			"P"+string(rune('0'+i)), x, x+0.005)
	}
	rexec(t, db, `insert into plants (zone_id, code, status, floors, total_floor_area_m2, leasable_area_m2, leased_area_m2, geom)
		select 1, 'PL1', 'completed', 1, 1000, 1000, 501, ST_Multi(ST_Buffer(ST_Centroid(geom), 0.0002, 'quad_segs=1')) from plots where code = 'P3'`)
	codes := map[string]string{}
	firm := func(name string, props map[string]any) {
		code := creditCode(t, "91141000MA00000"+name[1:])
		codes[name] = code
		props["code"], props["name"] = code, name
		if _, ok := props["size_class"]; !ok {
			props["size_class"] = "above_scale"
		}
		if _, err := db.Create(planner, inventory.EnterpriseLayer, "", inventory.Change{Properties: props}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	firm("F1", map[string]any{"plots": []any{"P1", "P2"}, "cluster": "new_energy"})
	firm("F2", map[string]any{"tenancies": []any{map[string]any{"plant_code": "PL1", "leased_m2": 500}}})
	firm("F3", map[string]any{"plots": []any{"P4"}, "exemption": "public_utility"})
	firm("F4", map[string]any{"plots": []any{"P5"}})
	firm("F5", map[string]any{"plots": []any{"P6"}, "cluster": "new_energy"})
	firm("F6", map[string]any{"plots": []any{"P7"}})
	firm("F7", map[string]any{"plots": []any{"P8"}})
	firm("F8", map[string]any{"tenancies": []any{map[string]any{"plant_code": "PL1", "leased_m2": 1}}, "size_class": "below_scale"})
	figs := func(name string, land, taxPerMu, vaPerTce float64, extra map[string]any) {
		p := map[string]any{"code": inventory.FigureCode(codes[name], 2025), "tax_wan": taxPerMu * land * S,
			"value_added_wan": 1000.0, "emissions_t": 10.0, "employees": 100.0, "revenue_wan": 5000.0, "rd_wan": 50.0}
		if vaPerTce > 0 {
			p["energy_tce"] = 1000 / vaPerTce
		}
		for k, v := range extra {
			p[k] = v
		}
		props, err := inventory.FigureChange(map[string]any{"source": "hand", "date": "2026-03-01"})
		_ = props
		if err == nil {
			t.Fatal("FigureChange takes no empty figures")
		}
		p["source"] = "税务局"
		props, err = inventory.FigureChange(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Create(planner, inventory.FigureLayer, "", inventory.Change{Properties: props}); err != nil {
			t.Fatalf("%s figures: %v", name, err)
		}
	}
	figs("F1", 2, 20, 4, map[string]any{"environmental_violation": true})
	figs("F2", 0.5, 40, 2, nil)
	figs("F3", 1, 100, 2, nil)
	figs("F4", 1, 30, 0, nil)
	figs("F5", 1, 10, 2, nil)
	figs("F6", 1, 10, 2, nil)
	figs("F7", 1, 4, 1, map[string]any{"high_tech": true})
	figs("F8", 0.001, 100, 2, nil)
	two := 2.0
	s := inventory.DefaultScheme()
	s.Indicators = []inventory.Weighted{{Name: "tax_per_mu", Weight: 60, Benchmark: inventory.BenchZone},
		{Name: "value_added_per_tce", Weight: 40, Benchmark: inventory.BenchFixed, Value: &two}}
	if _, err := db.PutScheme(planner, "", 2025, s); err != nil {
		t.Fatal(err)
	}
	return db, codes, S
}

func TestEvaluationHandMade(t *testing.T) {
	db, codes, S := evalZone(t)
	ev, err := db.Evaluate(planner, "", 2025)
	if err != nil {
		t.Fatal(err)
	}
	k := 5.5 / 84 * 60
	want := map[string]struct {
		land, tax, score float64
		rank             int
		grade            string
	}{
		"F1": {2 * S, 20, 20*k + 80 - 10, 2, "B"},
		"F2": {0.5 * S, 40, 40*k + 40, 1, "A"},
		"F5": {S, 10, 10*k + 40, 3, "B"},
		"F6": {S, 10, 10*k + 40, 3, "B"},
		"F7": {S, 4, 4*k + 20 + 5, 5, "D"},
	}
	byName := map[string]inventory.EvaluationResult{}
	for _, r := range ev.Results {
		byName[r.Name] = r
	}
	for name, w := range want {
		r, ok := byName[name]
		if !ok {
			t.Errorf("%s not evaluated", name)
			continue
		}
		if math.Abs(r.LandMu-w.land) > 1e-6*w.land {
			t.Errorf("%s: land_mu %v, want %v", name, r.LandMu, w.land)
		}
		if r.TaxPerMu == nil || math.Abs(*r.TaxPerMu-w.tax) > 1e-6 {
			t.Errorf("%s: tax_per_mu %v, want %v", name, r.TaxPerMu, w.tax)
		}
		iv := r.Indicators["tax_per_mu"]
		if iv.Numerator == nil || iv.Denominator == nil || math.Abs(*iv.Numerator / *iv.Denominator - w.tax) > 1e-6 ||
			iv.Benchmark == nil || math.Abs(*iv.Benchmark-84/5.5) > 1e-6 {
			t.Errorf("%s: tax_per_mu indicator %+v", name, iv)
		}
		if r.Score == nil || math.Abs(*r.Score-w.score) > 1e-3 || r.Rank == nil || *r.Rank != w.rank || r.Grade == nil || *r.Grade != w.grade {
			t.Errorf("%s: score %v rank %v grade %v, want %.4f %d %s", name, deref(r.Score), derefI(r.Rank), derefS(r.Grade), w.score, w.rank, w.grade)
		}
		if len(r.Missing) != 0 || r.ExemptReason != nil {
			t.Errorf("%s: missing %v exempt %v", name, r.Missing, r.ExemptReason)
		}
	}
	f3 := byName["F3"]
	if f3.ExemptReason == nil || *f3.ExemptReason != "public_utility" || f3.Grade != nil || f3.Rank != nil ||
		f3.Score == nil || math.Abs(*f3.Score-(100*k+40)) > 1e-3 {
		t.Errorf("exempt F3: %+v", f3)
	}
	f4 := byName["F4"]
	if len(f4.Missing) != 1 || f4.Missing[0] != "energy_tce" || f4.Score != nil || f4.Grade != nil {
		t.Errorf("F4 without energy data: missing %v score %v grade %v", f4.Missing, f4.Score, f4.Grade)
	}
	if _, ok := byName["F8"]; ok || len(ev.NotEligible) != 1 || ev.NotEligible[0].CreditCode != codes["F8"] {
		t.Errorf("F8 (below scale, too small) should be left out: %v", ev.NotEligible)
	}
	if ev.Counts["A"] != 1 || ev.Counts["B"] != 3 || ev.Counts["C"] != 0 || ev.Counts["D"] != 1 || ev.Counts["exempt"] != 1 || ev.Counts["missing"] != 1 {
		t.Errorf("counts %v", ev.Counts)
	}
	if ev.State != inventory.EvalDraft || ev.Run != 1 {
		t.Errorf("state %s run %d", ev.State, ev.Run)
	}

	// Filters.
	got, err := db.Evaluation(planner, "", 2025, inventory.EvaluationFilter{Grades: []string{"B"}, Clusters: []string{"new_energy"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Results) != 2 || got.Results[0].Name != "F1" || got.Results[1].Name != "F5" {
		t.Errorf("grade B in new_energy: %v", names(got.Results))
	}
}

func TestEvaluationStates(t *testing.T) {
	db, codes, _ := evalZone(t)
	if _, err := db.Evaluation(planner, "", 2025, inventory.EvaluationFilter{}); inventory.ErrorKind(err) != inventory.ENotFound {
		t.Errorf("no evaluation yet: %v", err)
	}
	if _, err := db.Evaluate(planner, "", 2025); err != nil {
		t.Fatal(err)
	}
	// Objections only while published; finalizing only a published evaluation.
	o := inventory.Objection{CreditCode: codes["F4"], Figure: "energy_tce", Reason: "统计局 figure was left out", Source: "统计局"}
	if _, err := db.Object(planner, "", 2025, o); inventory.ErrorKind(err) != inventory.EConflict {
		t.Errorf("objection to a draft: %v", err)
	}
	if _, err := db.Finalize(planner, "", 2025); inventory.ErrorKind(err) != inventory.EConflict {
		t.Errorf("finalize a draft: %v", err)
	}
	if _, err := db.Publish(planner, "", 2025, time.Now().AddDate(0, 0, -2)); inventory.ErrorKind(err) != inventory.EInvalid {
		t.Errorf("publish until the past: %v", err)
	}
	later := time.Now().AddDate(0, 0, 10)
	ev, err := db.Publish(planner, "", 2025, later)
	if err != nil || ev.State != inventory.EvalPublished {
		t.Fatalf("publish: %v %v", ev, err)
	}
	if _, err := db.Finalize(planner, "", 2025); inventory.ErrorKind(err) != inventory.EConflict {
		t.Errorf("finalize before the end date: %v", err)
	}
	// A corrected figure re-runs the evaluation: F4 (tax 30 per 亩, VA 2 per tce) is graded now.
	v := 500.0
	o.Corrected = &v
	ev, err = db.Object(planner, "", 2025, o)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Run != 2 || ev.State != inventory.EvalPublished {
		t.Errorf("after the objection: run %d state %s", ev.Run, ev.State)
	}
	for _, r := range ev.Results {
		if r.Name == "F4" && (r.Grade == nil || len(r.Missing) != 0) {
			t.Errorf("F4 after the correction: grade %v missing %v", r.Grade, r.Missing)
		}
	}
	f, err := db.Get(planner, inventory.FigureLayer, "", inventory.FigureCode(codes["F4"], 2025))
	if err != nil || f.Confidential["energy_tce_source"] != "统计局" || f.Version != 2 {
		t.Errorf("corrected figure: %+v %v", f, err)
	}
	// Public and viewers see nothing.
	viewer := inventory.WithViewer(t.Context(), inventory.Viewer{Name: "v", Role: inventory.RoleViewer})
	if _, err := db.Evaluation(t.Context(), "", 2025, inventory.EvaluationFilter{}); inventory.ErrorKind(err) != inventory.EUnauthorized {
		t.Errorf("public: %v", err)
	}
	if _, err := db.Evaluation(viewer, "", 2025, inventory.EvaluationFilter{}); inventory.ErrorKind(err) != inventory.EForbidden {
		t.Errorf("viewer: %v", err)
	}
	// The end date comes: final, and never computed again.
	rexec(t, db, "update evaluation_runs set published_until = current_date")
	if ev, err = db.Finalize(planner, "", 2025); err != nil || ev.State != inventory.EvalFinal {
		t.Fatalf("finalize: %v %v", ev, err)
	}
	var e *inventory.Error
	if _, err := db.Evaluate(planner, "", 2025); !errors.As(err, &e) || e.Kind != inventory.EConflict {
		t.Errorf("recompute a final evaluation: %v", err)
	}
	h, err := db.EvaluationHistory(planner, "", 2025)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, x := range h {
		steps = append(steps, x.Action)
	}
	want := []string{"scheme_changed", "computed", "published", "objection", "computed", "finalized"}
	if len(steps) != len(want) {
		t.Fatalf("history %v, want %v", steps, want)
	}
	for i := range want {
		if steps[i] != want[i] {
			t.Errorf("history %v, want %v", steps, want)
			break
		}
	}
}

func names(rs []inventory.EvaluationResult) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
func derefI(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
func derefS(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestPerMuReports: the report and the reclamation list of the hand-made zone (see evalZone):
// F7 (grade D) is listed with its plot P8 and the idle case opened on it; the new_energy
// cluster (F1 on 2 S, tax 40 S; F5 on S, tax 10 S) pays 50/3 per 亩; the public gets only
// cells of at least three firms of a final evaluation, and no reclamation list.
func TestPerMuReports(t *testing.T) {
	db, codes, S := evalZone(t)
	if _, err := db.Evaluate(planner, "", 2025); err != nil {
		t.Fatal(err)
	}
	rexec(t, db, `insert into idle_sites (zone_id, code, kind, plot_code, stage, geom) select 1, 'RC-P8', 'idle_land', 'P8', 'survey', geom from plots where code = 'P8'`)
	p := params(t, "reclamation", "year", "2025")
	rec, err := db.Reclamation(planner, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Firms) != 1 || rec.Firms[0].CreditCode != codes["F7"] || len(rec.Firms[0].Plots) != 1 ||
		rec.Firms[0].Plots[0].Code != "P8" || rec.Firms[0].Plots[0].IdleCase == nil || *rec.Firms[0].Plots[0].IdleCase != "RC-P8" ||
		math.Abs(rec.Firms[0].Plots[0].AreaMu-S) > 1e-6*S {
		t.Errorf("reclamation list %+v", rec.Firms)
	}
	if pub, err := db.Reclamation(t.Context(), p); err != nil || len(pub.Firms) != 0 || len(pub.Withheld) == 0 {
		t.Errorf("public reclamation list: %+v %v", pub, err)
	}
	rep, err := db.PerMu(planner, params(t, "per-mu"))
	if err != nil {
		t.Fatal(err)
	}
	var ne *inventory.GradeCount
	for i := range rep.ByCluster {
		if rep.ByCluster[i].Group == "new_energy" {
			ne = &rep.ByCluster[i]
		}
	}
	if ne == nil || ne.TaxPerMu == nil || math.Abs(*ne.TaxPerMu-50.0/3) > 1e-6 || *ne.Firms != 2 || ne.Grades["B"] != 2 {
		t.Errorf("new_energy: %+v", ne)
	}
	if rep.Year != 2025 || len(rep.Firms) != 7 || rep.LandByGrade["D"] == nil || math.Abs(rep.LandByGrade["D"].(float64)-S) > 1e-6*S {
		t.Errorf("report: year %d, %d firms, land by grade %v", rep.Year, len(rep.Firms), rep.LandByGrade)
	}
	// The public: nothing before it is final; then cells of ≥ 3 firms only.
	pub, err := db.PerMu(t.Context(), params(t, "per-mu"))
	if err != nil || len(pub.ByCluster) != 0 || len(pub.Firms) != 0 {
		t.Errorf("public, draft: %+v %v", pub, err)
	}
	rexec(t, db, "update evaluation_runs set state = 'final', published_until = current_date")
	pub, err = db.PerMu(t.Context(), params(t, "per-mu"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range pub.ByCluster {
		if g.Group == "new_energy" && (g.Firms != nil || g.Grades["B"] != nil || g.TaxPerMu != nil) {
			t.Errorf("public sees a cell of 2 firms: %+v", g)
		}
		if g.Group == "" && (g.Firms == nil || *g.Firms != 5 || g.Grades["A"] != nil) {
			t.Errorf("public, unclustered firms: %+v", g)
		}
	}
	if len(pub.Firms) != 0 || len(pub.Changes) != 0 {
		t.Errorf("public sees firms: %v %v", pub.Firms, pub.Changes)
	}

	// The year before's grade counts (here a copy of this year's run, as 2024): A 1, B 3, C 0,
	// D 1, ungraded 2 (F3 exempt, F4 missing). Not final: the public sees none of them.
	rexec(t, db, `insert into evaluation_runs (zone_id, year, run, state, published_until, computed_by, scheme_version, scheme, results)
		select zone_id, 2024, run, 'draft', null, computed_by, scheme_version, scheme, results from evaluation_runs where year = 2025`)
	pub, err = db.PerMu(t.Context(), params(t, "per-mu", "year", "2025"))
	if err != nil || pub.Previous != nil {
		t.Errorf("public, year before in draft: %v %v", pub.Previous, err)
	}
	// Final: the public sees the cells of ≥ 3 firms (B) and of none (C) only.
	rexec(t, db, "update evaluation_runs set state = 'final', published_until = current_date where year = 2024")
	want := map[string]any{"A": nil, "B": 3, "C": 0, "D": nil, "ungraded": nil}
	pub, err = db.PerMu(t.Context(), params(t, "per-mu", "year", "2025"))
	if err != nil || len(pub.Previous) != len(want) {
		t.Fatalf("public previous counts %v %v", pub.Previous, err)
	}
	for k, v := range want {
		if pub.Previous[k] != v {
			t.Errorf("public previous_counts[%s] = %v, want %v (a cell of 1 or 2 firms is withheld)", k, pub.Previous[k], v)
		}
	}
	rep, err = db.PerMu(planner, params(t, "per-mu", "year", "2025"))
	if err != nil || rep.Previous["A"] != 1 || rep.Previous["D"] != 1 || rep.Previous["ungraded"] != 2 {
		t.Errorf("planner previous counts %v %v", rep.Previous, err)
	}
	// Narrowed to a cluster, the year before is narrowed too: new_energy had F1 and F5 (B).
	rep, err = db.PerMu(planner, params(t, "per-mu", "year", "2025", "cluster", "new_energy"))
	if err != nil || rep.Previous["B"] != 2 || rep.Previous["A"] != 0 {
		t.Errorf("planner previous counts in new_energy %v %v", rep.Previous, err)
	}
	// The zone's own rule: at least 4 firms, none above 50 %. The unclustered firms (F2 20 S,
	// F3 100 S, F4 30 S, F6 10 S, F7 4 S of tax: F3 pays 61 %) keep their count but lose their
	// tax per 亩; B (3 firms) is withheld now.
	rexec(t, db, `update zones set evaluation = '{"disclosure": {"min_enterprises": 4, "max_share_pct": 50}}'`)
	pub, err = db.PerMu(t.Context(), params(t, "per-mu", "year", "2025"))
	if err != nil {
		t.Fatal(err)
	}
	if pub.Previous["B"] != nil || pub.Previous["C"] != 0 {
		t.Errorf("public previous counts under the zone's rule: %v", pub.Previous)
	}
	for _, g := range pub.ByCluster {
		if g.Group == "" && (g.Firms == nil || *g.Firms != 5 || g.TaxPerMu != nil) {
			t.Errorf("public, unclustered firms under the zone's rule: firms %v, tax per mu %v", g.Firms, g.TaxPerMu)
		}
	}
}

// TestEvaluationUsesYearEndLand: the hand-made zone (evalZone) as it stood on 1 June 2025
// (every version of its firms, plots and plant moved back to then), changed after the year's
// end: F1 hands P2 to F6, and P8 (F7's) grows to twice its area. The 2025 evaluation still
// reads the land of 31 December 2025 — F1 2 S, F6 S, F7 S, the grades of
// TestEvaluationHandMade — while the land as it is now (the 2026 evaluation, whose year's end
// is ahead) has F1 on S, F6 on 2 S and F7 on 2 S. The reclamation list lists the plots a firm
// holds now.
func TestEvaluationUsesYearEndLand(t *testing.T) {
	db, codes, S := evalZone(t)
	err := pgx.BeginFunc(context.Background(), db.Pool, func(tx pgx.Tx) error {
		for _, q := range []string{"set local session_replication_role = replica",
			"update enterprises set valid_from = '2025-06-01T00:00:00+08:00'",
			"update plots set valid_from = '2025-06-01T00:00:00+08:00'",
			"update plants set valid_from = '2025-06-01T00:00:00+08:00'"} {
			if _, err := tx.Exec(context.Background(), q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	update := func(l *inventory.Layer, code string, c inventory.Change) {
		t.Helper()
		f, err := db.GetAsOf(planner, l, "", code, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Update(planner, l, "", code, f.ETag(), c); err != nil {
			t.Fatalf("%s: %v", code, err)
		}
	}
	update(inventory.EnterpriseLayer, codes["F1"], inventory.Change{Properties: map[string]any{"plots": []any{"P1"}}})
	update(inventory.EnterpriseLayer, codes["F6"], inventory.Change{Properties: map[string]any{"plots": []any{"P7", "P2"}}})
	update(inventory.PlotLayer, "P8", inventory.Change{Geometry: json.RawMessage(
		`{"type":"MultiPolygon","coordinates":[[[[111.547,36.01],[111.557,36.01],[111.557,36.02],[111.547,36.02],[111.547,36.01]]]]}`)})

	ev, err := db.Evaluate(planner, "", 2025)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]inventory.EvaluationResult{}
	for _, r := range ev.Results {
		byName[r.Name] = r
	}
	for name, w := range map[string]struct {
		land  float64
		plots string
		grade string
	}{"F1": {2, "P1 P2", "B"}, "F6": {1, "P7", "B"}, "F7": {1, "P8", "D"}, "F2": {0.5, "", "A"}} {
		r := byName[name]
		if math.Abs(r.LandMu-w.land*S) > 1e-6*S || strings.Join(r.Plots, " ") != w.plots || r.Grade == nil || *r.Grade != w.grade {
			t.Errorf("2025, %s: land %v (want %v S = %v), plots %v, grade %v (want %s)", name, r.LandMu, w.land, w.land*S, r.Plots, derefS(r.Grade), w.grade)
		}
	}

	// The land now: 2026's evaluation (its year's end has not come), on copies of the figures.
	rexec(t, db, `set local session_replication_role = replica;
		insert into enterprise_figures (zone_id, code, credit_code, year, tax_wan, value_added_wan, energy_tce, emissions_t, employees, revenue_wan, rd_wan)
		select zone_id, credit_code || '-2026', credit_code, 2026, tax_wan, value_added_wan, energy_tce, emissions_t, employees, revenue_wan, rd_wan
		from enterprise_figures where year = 2025`)
	ev, err = db.Evaluate(planner, "", 2026)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ev.Results {
		byName[r.Name] = r
	}
	for name, w := range map[string]struct {
		land  float64
		plots string
	}{"F1": {1, "P1"}, "F6": {2, "P2 P7"}, "F7": {2, "P8"}} {
		r := byName[name]
		if math.Abs(r.LandMu-w.land*S) > 1e-3*S || strings.Join(r.Plots, " ") != w.plots {
			t.Errorf("2026, %s: land %v (want %v S = %v), plots %v", name, r.LandMu, w.land, w.land*S, r.Plots)
		}
	}

	// F7 (D in 2025) hands P8 to F6: 2025's reclamation list keeps F7 with its year-end land,
	// but lists the plots it holds now — none to open an idle case on.
	rec, err := db.Reclamation(planner, params(t, "reclamation", "year", "2025"))
	if err != nil || len(rec.Firms) != 1 || rec.Firms[0].CreditCode != codes["F7"] || len(rec.Firms[0].Plots) != 1 ||
		rec.Firms[0].Plots[0].Code != "P8" || math.Abs(rec.Firms[0].Plots[0].AreaMu-2*S) > 1e-3*S || math.Abs(rec.Firms[0].LandMu-S) > 1e-6*S {
		t.Errorf("reclamation list before the hand-over: %+v %v", rec, err)
	}
	update(inventory.EnterpriseLayer, codes["F7"], inventory.Change{Properties: map[string]any{"plots": []any{}}})
	update(inventory.EnterpriseLayer, codes["F6"], inventory.Change{Properties: map[string]any{"plots": []any{"P7", "P2", "P8"}}})
	rec, err = db.Reclamation(planner, params(t, "reclamation", "year", "2025"))
	if err != nil || len(rec.Firms) != 1 || rec.Firms[0].CreditCode != codes["F7"] || len(rec.Firms[0].Plots) != 0 ||
		math.Abs(rec.Firms[0].LandMu-S) > 1e-6*S {
		t.Errorf("reclamation list after the hand-over: %+v %v", rec, err)
	}
}
