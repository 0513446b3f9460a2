package postgis_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestMatchPlotsEqualsIndependentRanking checks the set-based statement, and its pruning of
// road tests under a limit, against the ranking rule computed in Go over the rows read back:
// 600 plots of varied sizes, uses, clusters and standard-land minimums, three existing roads
// and a planned one; each ready plot's distance to a built road from NearestRoads (the one
// rule of "nearest road", per plot).
func TestMatchPlotsEqualsIndependentRanking(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)
	exec(t, db, `insert into zones (code, name, geom) values ('grid', 'Grid zone', ST_Multi(ST_MakeEnvelope(111.0, 36.0, 111.2, 36.2, 4326)))`)
	exec(t, db, `insert into plots (zone_id, code, land_use, cluster, status, standard_land,
			min_investment_wan_per_mu, min_tax_wan_per_mu_year, min_output_wan_per_mu, geom)
		select 1, 'G' || lpad(i::text, 3, '0'), (array['100101','100102','0901','1101'])[1 + i % 4],
			case when i % 6 <> 5 then (array['intelligent_manufacturing','energy_saving_environmental','new_energy','new_materials','modern_services'])[1 + i % 5] end,
			case when i % 3 = 2 then 'reserved' else 'ready' end, i % 2 = 0,
			case when i % 5 <> 0 then 250 + (i % 7) * 20 end, 10 + (i % 11) * 2, case when i % 4 = 0 then 200 + (i % 9) * 50 end,
			ST_Multi(ST_MakeEnvelope(111.01 + (i % 30) * 0.006, 36.01 + (i / 30) * 0.006,
				111.01 + (i % 30) * 0.006 + 0.002 + (i % 13) * 0.0003, 36.01 + (i / 30) * 0.006 + 0.002 + (i % 7) * 0.0003, 4326))
		from generate_series(0, 599) i`)
	exec(t, db, `insert into roads (zone_id, code, name, status, geom) values
		(1, 'E1', 'e1', 'existing', ST_Multi(ST_MakeLine(ST_Point(111.05, 36.0), ST_Point(111.05, 36.2)))),
		(1, 'E2', 'e2', 'existing', ST_Multi(ST_MakeLine(ST_Point(111.0, 36.07), ST_Point(111.2, 36.09)))),
		(1, 'E3', 'e3', 'existing', ST_Multi(ST_MakeLine(ST_Point(111.13, 36.0), ST_Point(111.16, 36.2)))),
		(1, 'P1', 'p1', 'planned', ST_Multi(ST_MakeLine(ST_Point(111.1, 36.0), ST_Point(111.1, 36.2))))`)

	type plot struct {
		code, use            string
		cluster              *string
		std                  bool
		area                 float64
		minInv, minTax, minO *float64
		dist                 float64
	}
	rows, err := db.Pool.Query(ctx, `select code, land_use, cluster, standard_land, area_m2 / (10000 / 15.0),
		min_investment_wan_per_mu::float8, min_tax_wan_per_mu_year::float8, min_output_wan_per_mu::float8
		from plots where status = 'ready' and valid_to = 'infinity' and not archived`)
	if err != nil {
		t.Fatal(err)
	}
	var plots []plot
	for rows.Next() {
		var p plot
		if err := rows.Scan(&p.code, &p.use, &p.cluster, &p.std, &p.area, &p.minInv, &p.minTax, &p.minO); err != nil {
			t.Fatal(err)
		}
		plots = append(plots, p)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	for i := range plots {
		_, existing, err := db.NearestRoads(ctx, "grid", plots[i].code)
		if err != nil || existing == nil {
			t.Fatalf("nearest road of %s: %v, %v", plots[i].code, existing, err)
		}
		plots[i].dist = existing.DistanceM
	}

	type ranked struct {
		code         string
		allPass      bool
		score, fit   float64
		passes       []bool
		roadDistance float64
		inv          *float64 // the investment per 亩 compared
	}
	// rankInGo applies the documented rule (inventory.MatchRanking) with the default weights.
	rankInGo := func(n inventory.SiteNeed) []ranked {
		w := inventory.DefaultMatchWeights
		var out []ranked
		for _, p := range plots {
			var num, den float64
			var passes []bool
			add := func(name string, applies, pass bool, credit float64) {
				passes = append(passes, !applies || pass)
				if applies {
					den += w[name]
					if pass {
						num += w[name]
					} else {
						num += w[name] * credit
					}
				}
			}
			lo, hi := n.AreaMuMin, n.AreaMuMax
			areaPass := (lo == nil || p.area >= *lo) && (hi == nil || p.area <= *hi)
			credit := 1.0
			if lo != nil && p.area < *lo {
				credit = p.area / *lo
			} else if hi != nil && p.area > *hi {
				credit = *hi / p.area
			}
			add("area_mu", lo != nil || hi != nil, areaPass, credit)
			add("land_use", n.LandUse != "", strings.HasPrefix(p.use, n.LandUse), 0)
			add("cluster", n.Cluster != "", p.cluster == nil || *p.cluster == n.Cluster, 0)
			// The investment per 亩: committed, else the total ÷ this plot's area (computed here,
			// not by SiteNeed.InvestmentPerMu, so that the rule is checked twice).
			inv := n.InvestmentWanPerMu
			if inv == nil && n.TotalInvestmentWan != nil {
				v := *n.TotalInvestmentWan / p.area
				inv = &v
			}
			for _, f := range []struct {
				name           string
				min, committed *float64
			}{{"min_investment_wan_per_mu", p.minInv, inv}, {"min_tax_wan_per_mu_year", p.minTax, n.TaxWanPerMuYear}, {"min_output_wan_per_mu", p.minO, n.OutputWanPerMu}} {
				applies := p.std && f.min != nil
				pass, credit := false, 0.0
				if applies && f.committed != nil {
					pass, credit = *f.committed >= *f.min, *f.committed / *f.min
				}
				add(f.name, applies, pass, credit)
			}
			add("road_distance_m", n.MaxRoadDistanceM != nil, n.MaxRoadDistanceM != nil && p.dist <= *n.MaxRoadDistanceM, 0)
			r := ranked{code: p.code, allPass: !slices.Contains(passes, false), score: 100, passes: passes, roadDistance: p.dist, fit: math.Inf(1), inv: inv}
			if den > 0 {
				r.score = 100 * num / den
			}
			if lo != nil && hi != nil {
				r.fit = math.Abs(p.area - (*lo+*hi)/2)
			}
			out = append(out, r)
		}
		slices.SortFunc(out, func(a, b ranked) int {
			switch {
			case a.allPass != b.allPass:
				if a.allPass {
					return -1
				}
				return 1
			case math.Abs(a.score-b.score) > 1e-9:
				if a.score > b.score {
					return -1
				}
				return 1
			case a.fit != b.fit:
				if a.fit < b.fit {
					return -1
				}
				return 1
			}
			return strings.Compare(a.code, b.code)
		})
		return out
	}

	needs := map[string]inventory.SiteNeed{
		"all conditions": {Zone: "grid", Layer: "plots", AreaMuMin: fp(60), AreaMuMax: fp(100), LandUse: "1001", Cluster: "new_energy",
			InvestmentWanPerMu: fp(320), TaxWanPerMuYear: fp(20), OutputWanPerMu: fp(400), MaxRoadDistanceM: fp(800)},
		"road decides": {Zone: "grid", Layer: "plots", AreaMuMin: fp(50), AreaMuMax: fp(250), MaxRoadDistanceM: fp(300)},
		"investment from the total": {Zone: "grid", Layer: "plots", AreaMuMin: fp(60), AreaMuMax: fp(120), LandUse: "1001",
			TotalInvestmentWan: fp(30000), TaxWanPerMuYear: fp(20), OutputWanPerMu: fp(400), MaxRoadDistanceM: fp(800)},
		"little passes": {Zone: "grid", Layer: "plots", AreaMuMin: fp(90), AreaMuMax: fp(100), LandUse: "1101", Cluster: "modern_services",
			TaxWanPerMuYear: fp(15), MaxRoadDistanceM: fp(150)},
	}
	for name, need := range needs {
		want := rankInGo(need)
		passing := 0
		for _, w := range want {
			if !slices.Contains(w.passes[:], false) {
				passing++
			}
		}
		for _, limit := range []int{1, 5, 20, 200} {
			res, err := db.MatchSites(ctx, need, limit)
			if err != nil {
				t.Fatal(err)
			}
			// The counts are of every candidate, whatever the limit.
			if res.Candidates != len(want) || res.Passing != passing {
				t.Errorf("%s, limit %d: %d candidates, %d passing; want %d, %d", name, limit, res.Candidates, res.Passing, len(want), passing)
			}
			got := res.Matches
			n := min(limit, len(want))
			if len(got) != n {
				t.Fatalf("%s, limit %d: %d matches, want %d", name, limit, len(got), n)
			}
			for i := range n {
				g, w := got[i], want[i]
				if g.Code != w.code || math.Abs(g.Score-w.score) > 0.006 {
					t.Fatalf("%s, limit %d, place %d: got %s %.2f, want %s %.4f", name, limit, i, g.Code, g.Score, w.code, w.score)
				}
				for j, c := range g.Conditions {
					if c.Pass != w.passes[j] {
						t.Errorf("%s: %s %s pass %v, want %v", name, g.Code, c.Name, c.Pass, w.passes[j])
					}
				}
				if v, _ := g.Conditions[3].Value.(float64); (w.inv == nil) != (g.Conditions[3].Value == nil) || w.inv != nil && math.Abs(v-*w.inv) > 0.0051 {
					t.Errorf("%s: %s investment per mu %v, want %v", name, g.Code, g.Conditions[3].Value, w.inv)
				}
				if wantBasis := map[bool]string{true: inventory.BasisCommitted, false: inventory.BasisDerived}[need.InvestmentWanPerMu != nil]; w.inv != nil && g.Conditions[3].Basis != wantBasis {
					t.Errorf("%s: %s investment basis %q, want %q", name, g.Code, g.Conditions[3].Basis, wantBasis)
				}
				if d, _ := g.Conditions[6].Value.(float64); math.Abs(d-w.roadDistance) > 0.051 {
					t.Errorf("%s: %s road distance %v, want %.2f", name, g.Code, g.Conditions[6].Value, w.roadDistance)
				}
			}
		}
	}
}
