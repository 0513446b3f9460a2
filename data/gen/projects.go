package main

// The demo's investment projects (招商项目, projects.json): illustrative projects in every
// stage, each with the stage steps that bring it there. The load (inventory/postgis
// LoadProjects) creates each project as a lead and runs its steps through the stage action, so
// the plots and the plant move as the rules say: the signed project's plot becomes reserved,
// the supplied one's supplied, the started one's under construction, the one in production's in
// production, and the lease adds to the plant's leased area. The plots are ready plots of the
// generated zone (in code order) and the plant one with free space; the projects' needs and
// committed figures are made to fit them. No random numbers: the other files do not change.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
)

// demoProject is one project of projects.json: its properties and the stage steps to run.
type demoProject struct {
	Properties map[string]any   `json:"properties"`
	Steps      []map[string]any `json:"steps"`
}

// demoProjects builds projects.json from the generated plots and plants.
func (g *gen) demoProjects() ([]byte, error) {
	var ready []*plot
	for _, p := range g.plots {
		if p.status == "ready" && !p.park && p.props["standard_land"] == true {
			ready = append(ready, p)
		}
	}
	sort.Slice(ready, func(i, j int) bool { return ready[i].code < ready[j].code })
	if len(ready) < 4 {
		return nil, fmt.Errorf("projects: %d ready standard-land plots, need 4", len(ready))
	}
	var plant map[string]any
	for _, s := range g.plants {
		free := num(s.props["leasable_area_m2"]) - num(s.props["leased_area_m2"])
		if s.props["status"] == "completed" && free >= 1000 {
			plant = s.props
			break
		}
	}
	if plant == nil {
		return nil, fmt.Errorf("projects: no completed plant with 1000 m² free")
	}
	step := func(stage, date string, more ...string) map[string]any {
		m := map[string]any{"stage": stage}
		if date != "" {
			m["date"] = date
		}
		for i := 0; i+1 < len(more); i += 2 {
			m[more[i]] = more[i+1]
		}
		return m
	}
	// landNeed fits a project's land need and committed figures to plot p: 80–120 % of its
	// area, its land use and cluster, 10 % above each preset minimum.
	landNeed := func(props map[string]any, p *plot) {
		mu := p.mu()
		props["area_mu_min"], props["area_mu_max"] = math.Floor(mu*0.8), math.Ceil(mu*1.2)
		props["land_use"] = p.landUse
		if c, ok := p.props["cluster"].(string); ok {
			props["cluster"] = c
		}
		for _, f := range [][2]string{{"min_investment_wan_per_mu", "investment_wan_per_mu"},
			{"min_tax_wan_per_mu_year", "tax_wan_per_mu_year"}, {"min_output_wan_per_mu", "output_wan_per_mu"}} {
			if v, ok := p.props[f[0]]; ok && v != nil {
				props[f[1]] = math.Round(num(v) * 1.1)
			}
		}
		props["total_investment_wan"] = math.Round(num(props["area_mu_max"]) * num(props["investment_wan_per_mu"]))
	}
	project := func(code, name, investor, leader, officer, next, due string) map[string]any {
		return map[string]any{"code": code, "name": name, "investor_name": investor, "leader": leader, "officer": officer,
			"next_action": next, "next_action_due": due, "illustrative": true}
	}
	var out []demoProject
	add := func(props map[string]any, steps ...map[string]any) {
		out = append(out, demoProject{Properties: props, Steps: append([]map[string]any{}, steps...)})
	}
	neg := step("negotiating", "")

	p := project("DEMO-P01", "示例新材料项目（线索）", "示例新材料科技有限公司", "副主任（示意）", "招商一局专员（示意）", "首次洽谈", "2026-12-15")
	p["cluster"], p["area_mu_min"], p["area_mu_max"], p["land_use"] = "new_materials", 40.0, 80.0, "1001"
	add(p)

	p = project("DEMO-P02", "样例智能装备项目（洽谈）", "样例智能装备有限公司", "主任（示意）", "招商二局专员（示意）", "报送投资协议文本", "2026-12-20")
	p["cluster"], p["area_mu_min"], p["area_mu_max"], p["land_use"], p["total_investment_wan"] = "intelligent_manufacturing", 20.0, 50.0, "1001", 30000.0
	add(p, neg)

	p = project("DEMO-P03", "演示储能电池项目（签约，项目等地）", "演示储能科技有限公司", "副主任（示意）", "招商一局专员（示意）", "落实用地", "2026-10-31")
	p["cluster"], p["area_mu_min"], p["area_mu_max"], p["land_use"], p["total_investment_wan"] = "new_energy", 100.0, 150.0, "1001", 120000.0
	add(p, neg, step("signed", "2026-06-18"))

	p = project("DEMO-P04", "示例环保装备项目（签约，地块预留）", "示例环保装备有限公司", "主任（示意）", "招商三局专员（示意）", "办理供地手续", "2027-01-15")
	landNeed(p, ready[0])
	add(p, neg, step("signed", "2026-08-08", "plot_code", ready[0].code))

	p = project("DEMO-P05", "样例精密制造项目（已供地）", "样例精密制造有限公司", "副主任（示意）", "招商二局专员（示意）", "督促开工", "2026-07-31")
	landNeed(p, ready[1])
	p["agreed_start_date"] = "2026-06-30"
	add(p, neg, step("signed", "2025-12-10", "plot_code", ready[1].code), step("supplied", "2026-03-20"))

	p = project("DEMO-P06", "演示电子装配项目（租赁厂房）", "演示电子装配有限公司", "主任（示意）", "招商一局专员（示意）", "装修入驻", "2026-12-31")
	free := num(plant["leasable_area_m2"]) - num(plant["leased_area_m2"])
	lease := math.Min(math.Floor(free/2/10)*10, 800)
	p["cluster"], p["plant_area_m2"], p["floor_load_kn_m2"] = "intelligent_manufacturing", lease, 5.0
	add(p, neg, step("signed", "2026-04-02"), step("supplied", "2026-05-10", "plant_code", plant["code"].(string)))

	p = project("DEMO-P07", "示例光伏组件项目（已开工）", "示例光伏科技有限公司", "副主任（示意）", "招商三局专员（示意）", "主体封顶", "2027-03-31")
	landNeed(p, ready[2])
	p["agreed_start_date"] = "2026-03-01"
	add(p, neg, step("signed", "2025-08-01", "plot_code", ready[2].code), step("supplied", "2025-10-15"), step("started", "2026-02-20"))

	p = project("DEMO-P08", "样例节能材料项目（已投产）", "样例节能材料有限公司", "主任（示意）", "招商二局专员（示意）", "达产评估", "2026-12-31")
	landNeed(p, ready[3])
	p["agreed_start_date"] = "2025-06-30"
	add(p, neg, step("signed", "2025-01-20", "plot_code", ready[3].code), step("supplied", "2025-03-25"),
		step("started", "2025-05-18"), step("in_production", "2026-01-08"))

	p = project("DEMO-P09", "演示物流项目（终止）", "演示物流有限公司", "副主任（示意）", "招商一局专员（示意）", "", "")
	delete(p, "next_action")
	delete(p, "next_action_due")
	p["cluster"], p["area_mu_min"], p["area_mu_max"], p["land_use"] = "modern_services", 30.0, 60.0, "1101"
	add(p, neg, step("dropped", "2026-05-06", "drop_reason", "投资方调整战略布局（示意）"))

	var b bytes.Buffer
	b.WriteString(`{"note":` + fmt.Sprintf("%q", "Illustrative demo projects generated by data/gen: invented names, people, figures and dates.") + `,"projects":[` + "\n")
	for i, x := range out {
		j, err := json.Marshal(x)
		if err != nil {
			return nil, err
		}
		b.Write(j)
		if i < len(out)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]}\n")
	return b.Bytes(), nil
}

// num reads a generated property's number.
func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	return 0
}
