package postgis_test

import (
	"math"
	"sort"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestEvaluationOnTheDemo checks the demo's stored 2025 evaluation against independent
// computations: each firm's land from its own SQL (ST_Area on the ellipsoid of the plots it
// lists, plus leased m² × plot area ÷ floor area of the plot's plants), each indicator from the
// figures as stored, each score from the scheme by the formula, the zone-average benchmarks as
// ratios of sums, ranks in score order and grades by the cut-offs.
func TestEvaluationOnTheDemo(t *testing.T) {
	db := postgistest.NewWithDemo(t)
	ev, err := db.Evaluation(planner, "", 2025, inventory.EvaluationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Counts["graded"] < 100 || ev.Counts["A"] == 0 || ev.Counts["D"] == 0 || ev.Counts["missing"] == 0 || ev.Counts["exempt"] == 0 {
		t.Fatalf("counts %v", ev.Counts)
	}
	// The demo's firms get provisional codes from the database (landinv_provisional_credit_code);
	// each passes the whole rule, organisation code included (0065).
	for _, r := range ev.Results {
		if err := inventory.CheckCreditCode(r.CreditCode); err != nil {
			t.Errorf("demo firm %s: %v", r.Name, err)
		}
	}
	for _, r := range ev.NotEligible {
		if err := inventory.CheckCreditCode(r.CreditCode); err != nil {
			t.Errorf("demo firm %s: %v", r.Name, err)
		}
	}
	land := map[string]float64{}
	rows, err := db.Pool.Query(planner, `
		select e.code, coalesce((select sum(ST_Area(p.geom::geography)) from plots p
		         where p.zone_id = e.zone_id and p.valid_to = 'infinity' and p.code in (select jsonb_array_elements_text(coalesce(e.plots, '[]')))), 0)
		     + coalesce((select sum((t->>'leased_m2')::float8 * ST_Area(hp.geom::geography) /
		                    (select sum(coalesce(o.total_floor_area_m2, o.leasable_area_m2)) from plants o
		                     where o.zone_id = s.zone_id and o.plot_code = s.plot_code and o.valid_to = 'infinity'))
		         from jsonb_array_elements(coalesce(e.tenancies, '[]')) t
		         join plants s on s.zone_id = e.zone_id and s.code = t->>'plant_code' and s.valid_to = 'infinity'
		         join plots hp on hp.zone_id = s.zone_id and hp.code = s.plot_code and hp.valid_to = 'infinity'), 0)
		from enterprises e where e.valid_to = 'infinity'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		var m2 float64
		if err := rows.Scan(&c, &m2); err != nil {
			t.Fatal(err)
		}
		land[c] = m2 * 15 / 10000
	}
	rows.Close()
	figs := map[string]map[string]float64{}
	rows, err = db.Pool.Query(planner, `select credit_code, tax_wan, value_added_wan, energy_tce, emissions_t, employees, rd_wan, revenue_wan
		from enterprise_figures where year = 2025 and valid_to = 'infinity'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		v := make([]*float64, 7)
		if err := rows.Scan(&c, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]); err != nil {
			t.Fatal(err)
		}
		m := map[string]float64{}
		for i, k := range []string{"tax_wan", "value_added_wan", "energy_tce", "emissions_t", "employees", "rd_wan", "revenue_wan"} {
			if v[i] != nil {
				m[k] = *v[i]
			}
		}
		figs[c] = m
	}
	rows.Close()
	s := ev.Scheme
	// Benchmarks: Σ numerator ÷ Σ denominator over the graded firms of the standard rule.
	ratio := map[string][2]string{"tax_per_mu": {"tax_wan", "land"}, "value_added_per_mu": {"value_added_wan", "land"},
		"value_added_per_tce": {"value_added_wan", "energy_tce"}, "value_added_per_emission": {"value_added_wan", "emissions_t"},
		"value_added_per_employee": {"value_added_wan", "employees"}, "rd_share_pct": {"rd_wan", "revenue_wan"}}
	val := func(code, k string) float64 {
		if k == "land" {
			return land[code]
		}
		return figs[code][k]
	}
	bench := map[string]float64{}
	for name, nd := range ratio {
		var n, d float64
		for _, r := range ev.Results {
			if r.Rule == "standard" && r.Grade != nil {
				n += val(r.CreditCode, nd[0])
				d += val(r.CreditCode, nd[1])
			}
		}
		bench[name] = n / d
		if name == "rd_share_pct" {
			bench[name] *= 100
		}
	}
	var graded []inventory.EvaluationResult
	for _, r := range ev.Results {
		if math.Abs(r.LandMu-land[r.CreditCode]) > 1e-6*math.Max(1, land[r.CreditCode]) {
			t.Errorf("%s: land_mu %v, independently %v", r.CreditCode, r.LandMu, land[r.CreditCode])
		}
		if r.TaxPerMu != nil && math.Abs(*r.TaxPerMu-figs[r.CreditCode]["tax_wan"]/land[r.CreditCode]) > 1e-6 {
			t.Errorf("%s: tax_per_mu %v", r.CreditCode, *r.TaxPerMu)
		}
		if r.Grade == nil {
			continue
		}
		graded = append(graded, r)
		if r.Rule != "standard" {
			continue
		}
		want := r.Adjustment
		for _, w := range s.Indicators {
			nd := ratio[w.Name]
			v := val(r.CreditCode, nd[0]) / val(r.CreditCode, nd[1])
			if w.Name == "rd_share_pct" {
				v *= 100
			}
			want += v / bench[w.Name] * w.Weight
		}
		if math.Abs(*r.Score-want) > 1e-3 {
			t.Errorf("%s: score %v, independently %v", r.CreditCode, *r.Score, want)
		}
	}
	sort.Slice(graded, func(i, j int) bool { return *graded[i].Rank < *graded[j].Rank })
	n := len(graded)
	for i, r := range graded {
		if i > 0 && *r.Score > *graded[i-1].Score {
			t.Errorf("rank %d scores more than rank %d", *r.Rank, *graded[i-1].Rank)
		}
		p := float64(*r.Rank) / float64(n) * 100
		want := "D"
		switch {
		case p <= s.Cutoffs.A:
			want = "A"
		case p <= s.Cutoffs.B:
			want = "B"
		case p <= s.Cutoffs.C:
			want = "C"
		}
		if *r.Grade != want {
			t.Errorf("%s: rank %d of %d graded %s, want %s", r.CreditCode, *r.Rank, n, *r.Grade, want)
		}
	}
	// The three years are there for the trend, and the reclamation list lists the D grades.
	for _, y := range []int{2023, 2024} {
		if _, err := db.Evaluation(planner, "", y, inventory.EvaluationFilter{}); err != nil {
			t.Errorf("%d: %v", y, err)
		}
	}
	rec, err := db.Reclamation(planner, params(t, "reclamation"))
	if err != nil || len(rec.Firms) < ev.Counts["D"] {
		t.Errorf("reclamation list: %d firms for %d D grades, %v", len(rec.Firms), ev.Counts["D"], err)
	}
}
