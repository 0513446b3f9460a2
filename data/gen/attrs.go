package main

// The demo attributes of every layer, with their plausible ranges. Over 450 lines for a reason:
// the ranges and value tables of every layer read best side by side in one file.

import (
	"fmt"
	"math"
	"time"
)

// asOf is the date the demo data describes ("today" for the idle test and dates).
var asOf = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)

func (g *gen) u(a, b float64) float64 { return a + (b-a)*g.rng.Float64() }

func r2(x float64) float64 { return math.Round(x*100) / 100 }
func r0(x float64) float64 { return math.Round(x) }

func day(t time.Time) string { return t.Format("2006-01-02") }

// date draws a day between two years inclusive.
func (g *gen) date(y0, y1 int) time.Time {
	t0 := time.Date(y0, 1, 1, 0, 0, 0, 0, time.UTC)
	t1 := time.Date(y1, 12, 31, 0, 0, 0, 0, time.UTC)
	return t0.AddDate(0, 0, g.rng.IntN(int(t1.Sub(t0).Hours()/24)+1))
}

type weighted[T any] struct {
	v T
	w float64
}

func pick[T any](g *gen, opts []weighted[T]) T {
	tot := 0.0
	for _, o := range opts {
		tot += o.w
	}
	x := g.rng.Float64() * tot
	for _, o := range opts {
		if x < o.w {
			return o.v
		}
		x -= o.w
	}
	return opts[len(opts)-1].v
}

type ws = []weighted[string]

var landUseByDistrict = map[string]ws{
	"D1": {{"100101", 22}, {"100102", 22}, {"100103", 12}, {"1101", 10}, {"0901", 8}, {"0902", 5}, {"0701", 12}, {"08", 4}, {"13", 2}, {"14", 3}},
	"D2": {{"100101", 30}, {"100102", 28}, {"100103", 12}, {"1101", 10}, {"0901", 4}, {"0902", 2}, {"0701", 5}, {"08", 3}, {"13", 3}, {"14", 2}, {"16", 1}},
	"D3": {{"100101", 25}, {"100102", 30}, {"100103", 20}, {"1101", 10}, {"13", 3}, {"14", 4}, {"16", 8}},
}

var clusterByDistrict = map[string]ws{
	"D1": {{"intelligent_manufacturing", 3}, {"energy_saving_environmental", 2}, {"new_energy", 2}, {"new_materials", 3}},
	"D2": {{"intelligent_manufacturing", 4}, {"energy_saving_environmental", 2}, {"new_energy", 2}, {"new_materials", 3}},
	"D3": {{"intelligent_manufacturing", 2}, {"energy_saving_environmental", 3}, {"new_energy", 4}, {"new_materials", 2}},
}

func industrial(lu string) bool { return lu == "100101" || lu == "100102" || lu == "100103" }
func public(lu string) bool     { return lu == "08" || lu == "13" || lu == "14" }
func firmUse(lu string) bool {
	return industrial(lu) || lu == "1101" || lu == "0901" || lu == "0902" || lu == "0701"
}

// supplied reports whether the land has been supplied (供应) to a user.
func supplied(status string) bool {
	return status == "supplied" || status == "under_construction" || status == "in_production" || status == "idle"
}

// assignLandUseAndStatus sets land use and status; idle plots, standard-plant parks and the
// plots that meet the legal idle test without being marked idle are chosen afterwards.
func (g *gen) assignLandUseAndStatus() {
	for _, p := range g.plots {
		d := p.d.code
		p.landUse = pick(g, landUseByDistrict[d])
		switch {
		case p.landUse == "16":
			p.status = "reserved"
		case d == "D1" && public(p.landUse):
			p.status = "in_production"
		case d == "D1":
			p.status = pick(g, ws{{"in_production", 72}, {"supplied", 6}, {"under_construction", 9}, {"reserved", 3}, {"ready", 6}, {"planned", 4}})
		case d == "D2" && p.dExisting <= 200:
			if public(p.landUse) {
				p.status = pick(g, ws{{"in_production", 6}, {"planned", 4}})
			} else {
				p.status = pick(g, ws{{"in_production", 36}, {"under_construction", 15}, {"supplied", 10}, {"ready", 18}, {"planned", 15}, {"reserved", 6}})
			}
		default: // D3 and the outlying starting-area plots: land waiting for investors
			p.status = pick(g, ws{{"ready", 22}, {"planned", 68}, {"reserved", 10}})
		}
	}
	// Idle plots: 13 in the old area, 6 in the starting area, chosen among industrial plots
	// already supplied.
	for _, want := range []struct {
		d string
		n int
	}{{"D1", 13}, {"D2", 6}} {
		var cand []*plot
		for _, p := range g.plots {
			if p.d.code == want.d && industrial(p.landUse) && (p.status == "in_production" || p.status == "supplied") && p.mu() < 300 {
				cand = append(cand, p)
			}
		}
		for i := 0; i < want.n && len(cand) > 0; i++ {
			k := g.rng.IntN(len(cand))
			cand[k].status = "idle"
			cand = append(cand[:k], cand[k+1:]...)
		}
	}
	// Standard-plant parks: 100101, in production or under construction, 60–300 亩, no cut
	// corner.
	want := map[string]int{"D1": 8, "D2": 10}
	for _, p := range g.plots {
		if want[p.d.code] == 0 || len(p.ring) != 5 || p.mu() < 50 || p.mu() > 300 || !industrial(p.landUse) {
			continue
		}
		if p.status != "in_production" && p.status != "under_construction" {
			continue
		}
		if g.rng.Float64() < 0.6 {
			p.park = true
			p.landUse = "100101"
			want[p.d.code]--
		}
	}
}

var (
	firmPrefix = []string{"示例", "样例", "虚拟", "演示"}
	firmCore   = []string{"精密铸造", "智能装备", "重型机械", "新能源电池", "光伏材料", "碳纤维", "特种钢材", "环保科技", "节能锅炉", "氢能装备",
		"焦化副产品", "铝基新材料", "数控机床", "轴承制造", "电子元件", "汽车零部件", "固废处理", "建材科技", "生物制药", "冷链物流",
		"仓储物流", "商贸", "农产品加工", "纺织", "包装印刷", "铁路配件", "风电装备", "储能科技", "陶瓷材料", "工业机器人"}
	firmSuffix = []string{"有限公司", "股份有限公司", "科技有限公司", "制造有限公司"}
	surnames   = []string{"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "郭", "高", "梁", "宋", "韩"}
)

// firm returns a new, obviously fictional company name.
func (g *gen) firm() string {
	g.firmN++
	n := g.firmN
	name := firmPrefix[n%len(firmPrefix)] + firmCore[(n*7)%len(firmCore)] + firmSuffix[(n/3)%len(firmSuffix)]
	if n >= len(firmCore)*len(firmPrefix) {
		name = fmt.Sprintf("%s第%d%s", firmPrefix[n%len(firmPrefix)], n, firmCore[(n*7)%len(firmCore)]+firmSuffix[0])
	}
	return name + " (fictional)"
}

func (g *gen) contact() string {
	g.contactN++
	t := "先生"
	if g.rng.Float64() < 0.35 {
		t = "女士"
	}
	return fmt.Sprintf("%s%s 0357-0000%03d", surnames[g.rng.IntN(len(surnames))], t, g.contactN%1000)
}

var envStandards = []string{"GB 16297-1996 二级", "GB 16297-1996 二级; GB 8978-1996 三级", "GB 13271-2014", "GB 12348-2008 3类", "GB 31573-2015"}

// attributes fills every plot's properties.
func (g *gen) attributes() {
	// Choose the plots that meet the legal idle test while not marked idle: 3 supplied plots
	// never started, 2 started plots stopped for over a year with little built.
	var sup, uc []*plot
	for _, p := range g.plots {
		if firmUse(p.landUse) && p.landUse != "0701" {
			if p.status == "supplied" {
				sup = append(sup, p)
			} else if p.status == "under_construction" {
				uc = append(uc, p)
			}
		}
	}
	for i := 0; i < 3 && i < len(sup); i++ {
		sup[i*len(sup)/3].idleTest = true
	}
	for i := 0; i < 2 && i < len(uc); i++ {
		uc[i*len(uc)/2].idleTest = true
	}
	expired := 0

	counter := map[string]int{}
	for _, p := range g.plots {
		d := p.d.code
		counter[d]++
		p.code = fmt.Sprintf("LF-%s-%04d", d, counter[d])
		p.name = fmt.Sprintf("%s%d号地块", p.d.short, counter[d])
		p.nameEN = fmt.Sprintf("%s Plot %d", p.d.shortEn, counter[d])
		mu := p.mu()
		lu, st := p.landUse, p.status
		pr := map[string]any{
			"code": p.code, "name": p.name, "name_en": p.nameEN, "district": d, "land_use": lu, "status": st,
			"illustrative": true,
		}
		var cluster any
		if industrial(lu) {
			cluster = pick(g, clusterByDistrict[d])
		} else if lu == "1101" || lu == "0901" || lu == "0902" {
			cluster = "modern_services"
		}
		pr["cluster"] = cluster

		std := false
		if industrial(lu) {
			switch {
			case st == "ready":
				std = true
			case d != "D1" && (st == "planned" || st == "reserved"):
				std = g.rng.Float64() < 0.05
			case d != "D1":
				std = g.rng.Float64() < 0.4
			}
		}
		pr["standard_land"] = std
		ind := []string{"min_investment_wan_per_mu", "min_tax_wan_per_mu_year", "min_output_wan_per_mu", "min_far", "max_far",
			"min_building_coverage_pct", "max_green_ratio_pct", "max_admin_share_pct", "max_energy_tce_per_wan", "environmental_standard", "min_rd_share_pct"}
		for _, k := range ind {
			pr[k] = nil
		}
		var minInv, minTax, minOut, minFar, minCov float64
		if std {
			minInv = 10 * r0(g.u(20, 35))
			minTax = r0(g.u(10, 30))
			minOut = 10 * r0(g.u(20, 50))
			minFar = float64(8+g.rng.IntN(5)) / 10
			minCov = float64(30 + 5*g.rng.IntN(3))
			pr["min_investment_wan_per_mu"] = minInv
			pr["min_tax_wan_per_mu_year"] = minTax
			pr["min_output_wan_per_mu"] = minOut
			pr["min_far"] = minFar
			pr["max_far"] = float64(20+5*g.rng.IntN(3)) / 10
			pr["min_building_coverage_pct"] = minCov
			pr["max_green_ratio_pct"] = float64(15 + 5*g.rng.IntN(2))
			pr["max_admin_share_pct"] = 7.0
			pr["max_energy_tce_per_wan"] = r2(g.u(0.3, 1.2))
			pr["environmental_standard"] = envStandards[g.rng.IntN(len(envStandards))]
			pr["min_rd_share_pct"] = float64(1 + g.rng.IntN(5)/2)
		}

		// Dates.
		var suppliedOn, agreed, started, stopped time.Time
		share := any(nil)
		builtShare := 0.0
		if supplied(st) {
			switch {
			case st == "supplied" && p.idleTest:
				suppliedOn = g.date(2020, 2023)
			case st == "supplied":
				suppliedOn = g.date(2025, 2025)
				if suppliedOn.After(asOf.AddDate(0, -1, 0)) {
					suppliedOn = asOf.AddDate(0, -2, 0)
				}
			case st == "under_construction" && p.idleTest:
				suppliedOn = g.date(2021, 2022)
			case st == "under_construction":
				suppliedOn = g.date(2021, 2024)
			case st == "idle" && d == "D1":
				suppliedOn = g.date(2008, 2016)
			case st == "idle":
				suppliedOn = g.date(2018, 2021)
			case d == "D1":
				suppliedOn = g.date(2008, 2019)
			default:
				suppliedOn = g.date(2018, 2023)
			}
			agreed = suppliedOn.AddDate(0, 6, 0)
			switch st {
			case "in_production":
				started = agreed.AddDate(0, g.rng.IntN(7)-2, 0)
				builtShare = 1
				if g.rng.Float64() < 0.25 {
					builtShare = r2(g.u(0.7, 0.98))
				}
			case "under_construction":
				started = agreed.AddDate(0, g.rng.IntN(6), 0)
				if started.After(asOf) {
					started = asOf.AddDate(0, -1, 0)
				}
				builtShare = r2(g.u(0.1, 0.9))
				if p.idleTest {
					builtShare = r2(g.u(0.1, 0.3))
					stopped = g.date(2023, 2024)
					if stopped.Before(started) {
						stopped = started.AddDate(0, 3, 0)
					}
				}
			case "idle":
				if g.rng.Float64() < 0.55 {
					started = agreed.AddDate(0, g.rng.IntN(12), 0)
					builtShare = r2(g.u(0.05, 0.3))
					stopped = started.AddDate(1+g.rng.IntN(2), g.rng.IntN(12), 0)
					if lim := asOf.AddDate(-1, -1, 0); stopped.After(lim) {
						stopped = lim // stopped for over a year: idle in law
					}
				} else {
					stopped = time.Time{}
				}
			}
		}
		opt := func(t time.Time) any {
			if t.IsZero() {
				return nil
			}
			return day(t)
		}
		pr["supplied_on"] = opt(suppliedOn)
		pr["agreed_start_date"] = opt(agreed)
		pr["started_on"] = opt(started)
		pr["stopped_on"] = opt(stopped)
		if supplied(st) {
			share = builtShare
		}
		pr["built_area_share"] = share

		// Buildings.
		built := st == "in_production" || (st == "under_construction" && builtShare >= 0.5) || (st == "idle" && !started.IsZero())
		meets := true // standard-land firm keeps its commitments; every fourth one falls short
		if std && supplied(st) {
			g.stdN++
			meets = g.stdN%4 != 0
		}
		var footprint, floor float64
		if built {
			cov := g.u(0.30, 0.55)
			far := cov * g.u(1, 3)
			if std {
				cov = g.u(minCov/100, 0.55)
				far = g.u(minFar, minFar+0.6)
				if !meets {
					far = minFar * g.u(0.6, 0.9)
				}
			}
			if lu == "0701" {
				cov, far = g.u(0.22, 0.3), g.u(1.8, 2.5)
			}
			if public(lu) && lu == "14" {
				cov, far = 0.02, 0.02
			}
			scale := 1.0
			if st != "in_production" {
				scale = builtShare
			}
			footprint = r0(p.areaM2 * cov * math.Min(1, scale+0.2))
			floor = r0(p.areaM2 * far * scale)
			if lu != "0701" && floor > footprint*3 {
				footprint = r0(floor / 3)
			}
			if floor < footprint {
				floor = footprint
			}
		}
		if built {
			pr["footprint_m2"], pr["floor_area_m2"] = footprint, floor
		} else {
			pr["footprint_m2"], pr["floor_area_m2"] = nil, nil
		}

		// Evaluation classes (开发区土地集约利用评价).
		ev, sc := "", ""
		switch {
		case built || (public(lu) && st == "in_production"):
			switch {
			case lu == "0701":
				ev = "A1"
			case industrial(lu) || lu == "1101":
				ev = "A2"
			case lu == "0901" || lu == "0902":
				ev = "A4"
			case lu == "14":
				ev = "A51"
			default:
				ev = "A52"
			}
		case st == "planned":
			ev = pick(g, ws{{"B22", 5}, {"B11", 2}, {"B12", 2}})
		case st == "reserved" && lu == "16":
			ev = "B22"
		default:
			ev = "B21"
		}
		switch {
		case public(lu) && st == "in_production":
			sc = "D1"
		case st == "supplied" && p.idleTest && expired < 1:
			sc = "D22" // supplied on a lease whose term ended without disposal
			expired++
		case supplied(st):
			sc = "D21"
		default:
			sc = "E"
		}
		pr["eval_class"], pr["supply_class"] = ev, sc
		var ht any
		if st == "in_production" && industrial(lu) && cluster != "energy_saving_environmental" && g.rng.Float64() < 0.12 {
			ht = pick(g, ws{{"H1", 1}, {"H2", 2}})
		}
		pr["hightech_class"] = ht

		// Confidential figures.
		var conf any
		if supplied(st) && firmUse(lu) {
			c := map[string]any{"enterprise": g.firm(), "contact": g.contact(), "population": nil}
			inten := g.u(120, 420) // 万元/亩
			if std {
				inten = minInv * g.u(1.0, 1.6)
				if !meets {
					inten = minInv * g.u(0.55, 0.9)
				}
			}
			if lu == "0701" {
				inten = g.u(300, 600)
			}
			planned := r0(mu * inten)
			inv := planned
			switch {
			case st == "supplied":
				inv = r0(planned * g.u(0, 0.05))
			case st == "under_construction":
				inv = r0(planned * builtShare * g.u(0.8, 1.1))
			case st == "idle" && started.IsZero():
				inv = r0(planned * g.u(0, 0.03))
			case st == "idle":
				inv = r0(planned * g.u(0.08, 0.3))
			case p.idleTest:
				inv = r0(planned * g.u(0.1, 0.22))
			}
			c["planned_investment_wan"] = planned
			c["investment_wan"] = inv
			c["tax_wan_per_year"], c["output_wan_per_year"] = nil, nil
			if st == "in_production" {
				tax, out := mu*g.u(5, 40), mu*g.u(150, 600)
				if std {
					f := g.u(1.0, 1.5)
					if !meets {
						f = g.u(0.5, 0.9)
					}
					tax, out = mu*minTax*f, mu*minOut*f
				}
				if lu == "0701" {
					tax, out = mu*g.u(2, 6), 0
					c["output_wan_per_year"] = nil
					c["population"] = r0(mu * g.u(30, 55))
				} else {
					c["output_wan_per_year"] = r0(out)
				}
				c["tax_wan_per_year"] = r0(tax)
			}
			conf = c
		}
		pr["confidential"] = conf
		p.props = pr
	}
}
