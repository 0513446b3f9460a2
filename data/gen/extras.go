package main

import (
	"fmt"
	"math"
	"time"

	"github.com/paulmach/orb"
)

// plant is one standard-plant building (标准化厂房).
type plant struct {
	p     *plot
	ring  orb.Ring // local metres
	props map[string]any
}

var tenantCore = []string{"示例电子装配", "样例五金加工", "虚拟包装材料", "演示模具制造", "示例医疗器械", "样例服装加工", "虚拟新能源配件", "演示智能传感"}

func (g *gen) buildPlants() {
	n := 0
	for _, p := range g.plots {
		if !p.park {
			continue
		}
		r := p.r
		in := rect{r.u0 + 12, r.v0 + 12, r.u1 - 12, r.v1 - 12}
		long := in.w() >= in.h()
		L, D := in.w(), in.h()
		if !long {
			L, D = D, L
		}
		rows := 1
		if D > 180 {
			rows = 2
		}
		cols := 1 + g.rng.IntN(3)
		for cols*rows < 2 {
			cols++
		}
		for cols*rows > 6 {
			cols--
		}
		cw, ch := L/float64(cols), D/float64(rows)
		for j := 0; j < rows; j++ {
			for i := 0; i < cols; i++ {
				bw := math.Min(cw-16, 160)
				bh := math.Min(ch-16, 90)
				if bw < 30 || bh < 18 {
					continue
				}
				a0 := float64(i)*cw + (cw-bw)/2
				d0 := float64(j)*ch + (ch-bh)/2
				var b rect
				if long {
					b = rect{in.u0 + a0, in.v0 + d0, in.u0 + a0 + bw, in.v0 + d0 + bh}
				} else {
					b = rect{in.u0 + d0, in.v0 + a0, in.u0 + d0 + bh, in.v0 + a0 + bw}
				}
				n++
				g.plants = append(g.plants, g.plantProps(n, p, b))
			}
		}
	}
}

func (g *gen) plantProps(n int, p *plot, b rect) *plant {
	status := "completed"
	switch {
	case p.status == "under_construction":
		status = pick(g, ws{{"under_construction", 3}, {"planned", 1}})
	case g.rng.Float64() < 0.1:
		status = "under_construction"
	case g.rng.Float64() < 0.08:
		status = "planned" // a later phase of the park
	}
	floors := pick(g, []weighted[int]{{1, 5}, {2, 2}, {3, 2}, {4, 1}, {5, 1}})
	height, load := 0.0, 0.0
	crane := 0.0
	if floors == 1 {
		height = float64(8 + g.rng.IntN(5))
		load = float64(20 + 5*g.rng.IntN(7))
		crane = []float64{0, 5, 10, 16, 20, 32}[g.rng.IntN(6)]
	} else {
		height = 4.5 + 0.5*float64(g.rng.IntN(4))
		load = float64(5 + 2*g.rng.IntN(6))
		if g.rng.Float64() < 0.3 {
			crane = 5
		}
	}
	spans := []float64{12, 15, 18, 24, 30, 36}
	span := spans[g.rng.IntN(len(spans))]
	if floors > 1 && span > 24 {
		span = 24
	}
	foot := math.Round(b.area())
	total := foot * float64(floors)
	leasable := math.Round(total * 0.9)
	leased := 0.0
	var tenants []any
	if status == "completed" {
		leased = math.Round(leasable * pick(g, []weighted[float64]{{1, 3}, {0.8, 3}, {0.5, 2}, {0.25, 1}, {0, 1}}))
		rest := leased
		for k := 0; rest > 0; k++ {
			a := rest
			if rest > 1500 && k < 3 && g.rng.Float64() < 0.6 {
				a = math.Round(rest * g.u(0.3, 0.7))
			}
			rest -= a
			g.tenantN++
			tenants = append(tenants, map[string]any{
				"name":                   fmt.Sprintf("%s%d号有限公司 (fictional)", tenantCore[g.tenantN%len(tenantCore)], g.tenantN),
				"area_m2":                a,
				"rent_yuan_per_m2_month": r2(g.u(7, 18)),
			})
		}
	}
	var conf any
	if tenants != nil {
		conf = map[string]any{"tenants": tenants}
	} else {
		conf = map[string]any{"tenants": []any{}}
	}
	return &plant{p: p, ring: b.ring(), props: map[string]any{
		"code": fmt.Sprintf("SP-%03d", n), "name": fmt.Sprintf("%s标准化厂房%d号楼", p.name, n),
		"name_en":   fmt.Sprintf("%s, Standard Plant Building %d", p.nameEN, n),
		"plot_code": p.code, "status": status, "floors": floors, "floor_height_m": height,
		"floor_load_kn_m2": load, "span_m": span, "crane_capacity_t": crane,
		"total_floor_area_m2": total, "leasable_area_m2": leasable, "leased_area_m2": leased,
		"asking_rent_yuan_per_m2_month": r2(g.u(8, 20)), "confidential": conf, "illustrative": true,
	}}
}

var stages = []string{"survey", "determination", "notice_hearing", "disposal_plan", "implementation", "reactivated"}

// reactivatedEvery: one plot in production in this many carries a site that was idle and has
// been re-let (stage reactivated), so the demo shows the last stage too.
const reactivatedEvery = 60

// idleSites makes the demo's idle and zombie-enterprise sites. Every idle plot carries one, in a
// stage before re-letting (survey … implementation): its land is still idle, as the plot's
// status and the idle-land indicator (G) say. A site at the last stage (reactivated: re-let)
// sits on a plot in production again, since re-let land is no longer idle; a plot marked idle
// under a re-let site would count in G land the report itself says was re-let.
func (g *gen) idleSites() []map[string]any {
	var out []map[string]any
	n := 0
	inProduction := 0
	for _, p := range g.plots {
		var stage string
		var since time.Time
		switch {
		case p.status == "idle":
			stage = stages[n%(len(stages)-1)]
			if s, ok := p.props["stopped_on"].(string); ok {
				since, _ = time.Parse("2006-01-02", s)
			} else {
				a, _ := time.Parse("2006-01-02", p.props["agreed_start_date"].(string))
				since = a.AddDate(1, 0, 0)
			}
		case p.status == "in_production":
			inProduction++
			if inProduction%reactivatedEvery != 0 {
				continue
			}
			stage = "reactivated"
			// Re-let means supplied to the firm there now: idle for two to four years before.
			sup, err := time.Parse("2006-01-02", fmt.Sprint(p.props["supplied_on"]))
			if err != nil {
				continue
			}
			since = sup.AddDate(-2-g.rng.IntN(3), -g.rng.IntN(12), 0)
		default:
			continue
		}
		n++
		kind := "idle_land"
		if n%3 == 0 {
			kind = "zombie_enterprise"
		}
		var route, reclaimed, relet any
		if stage == "disposal_plan" || stage == "implementation" || stage == "reactivated" {
			routes := []string{"extend_start", "change_use", "temporary_use", "paid_recovery", "free_recovery", "swap",
				"judicial_auction", "equity_transfer", "industrial_upgrade", "split_lease"}
			rt := routes[(n*3)%len(routes)]
			if p.status == "in_production" {
				// Re-let to the firm there now: a route that hands the land to someone else.
				rt = []string{"paid_recovery", "free_recovery", "swap", "judicial_auction", "equity_transfer"}[n%5]
			}
			route = rt
			takenBack := rt == "paid_recovery" || rt == "free_recovery" || rt == "swap" || rt == "judicial_auction"
			if stage != "disposal_plan" && takenBack {
				y := 2019 + (n*5)%6
				if y <= since.Year() {
					y = since.Year() + 1
				}
				rd := g.date(y, y)
				if lim := asOf.AddDate(0, -6, 0); rd.After(lim) {
					rd = lim
				}
				reclaimed = day(rd)
				if stage == "reactivated" {
					rl := rd.AddDate(0, 3+g.rng.IntN(14), 0)
					if rl.After(asOf) {
						rl = asOf.AddDate(0, -1, 0)
					}
					relet = day(rl)
				}
			} else if stage == "reactivated" {
				y := 2019 + n%7
				if y <= since.Year() {
					y = min(since.Year()+1, 2025)
				}
				relet = day(g.date(y, y))
			}
		}
		if p.status == "in_production" {
			// The re-let is the supply to the firm there now; a reclaim came a few months before.
			sup, _ := time.Parse("2006-01-02", fmt.Sprint(p.props["supplied_on"]))
			relet = day(sup)
			if reclaimed != nil {
				reclaimed = day(sup.AddDate(0, -3-g.rng.IntN(10), 0))
			}
		}
		former := ""
		if c, ok := p.props["confidential"].(map[string]any); ok && stage != "reactivated" {
			former, _ = c["enterprise"].(string) // re-let land: the firm now there is not the former one
		}
		name := p.name + "闲置土地"
		if kind == "zombie_enterprise" {
			name = p.name + "僵尸企业用地"
		}
		out = append(out, map[string]any{
			"code": fmt.Sprintf("IS-%03d", n), "name": name,
			// In English the public name is neutral for both kinds: a site for redevelopment.
			"name_en": p.nameEN + ", site for redevelopment", "kind": kind, "plot_code": p.code, "stage": stage,
			"former_enterprise": former, "idle_since": day(since), "disposal_route": route,
			"reclaimed_on": reclaimed, "relet_on": relet, "illustrative": true,
			"_plot": p,
		})
	}
	return out
}
