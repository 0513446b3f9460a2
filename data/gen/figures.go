package main

// The demo firms' profiles and annual figures (enterprise_figures.json): illustrative numbers
// for the last three complete years, for every firm the plots and plants name, so that the
// per-mu evaluation (亩均效益评价), its trend and the reclamation list have something to show.
// They come from their own PCG stream, so the GeoJSON files do not change with them. A few
// firm-years lack their energy figure, as real data does.

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"time"
)

// FigureYears are the years the demo has figures for.
var FigureYears = []int{2023, 2024, 2025}

// TableFileNames are the generated files that are not GeoJSON.
var TableFileNames = []string{"enterprise_figures.json", "projects.json"}

// demoFirm is one firm's profile and figures by year.
type demoFirm struct {
	Name         string                    `json:"name"`
	SizeClass    string                    `json:"size_class"`
	FoundedOn    string                    `json:"founded_on"`
	IndustryCode string                    `json:"industry_code"`
	Exemption    *string                   `json:"exemption"`
	Figures      map[string]map[string]any `json:"figures"`
}

var industryCodes = map[string][]string{
	"intelligent_manufacturing":   {"C34", "C39", "C40"},
	"energy_saving_environmental": {"C35", "N77"},
	"new_energy":                  {"C38", "D44"},
	"new_materials":               {"C26", "C30", "C33"},
	"modern_services":             {"G59", "I65", "L72"},
}

// firmFigures builds the firms' file from the generated plots and plants.
func (g *gen) firmFigures() ([]byte, error) {
	rng := rand.New(rand.NewPCG(Seed1+1, Seed2+1))
	u := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	type acc struct {
		revenue, tax float64
		cluster      string
		status       string
		hightech     bool
		since        string
		tenant       bool
	}
	var order []string
	firms := map[string]*acc{}
	add := func(name string) *acc {
		a := firms[name]
		if a == nil {
			a = &acc{}
			firms[name] = a
			order = append(order, name)
		}
		return a
	}
	for _, p := range g.plots {
		conf, _ := p.props["confidential"].(map[string]any)
		name, _ := conf["enterprise"].(string)
		if name == "" {
			continue
		}
		a := add(name)
		out, _ := conf["output_wan_per_year"].(float64)
		tax, _ := conf["tax_wan_per_year"].(float64)
		if out == 0 {
			out = p.mu() * u(50, 400)
		}
		if tax == 0 {
			tax = out * u(0.02, 0.08)
		}
		a.revenue += out
		a.tax += tax
		if c, ok := p.props["cluster"].(string); ok && a.cluster == "" {
			a.cluster = c
		}
		if a.status == "" || p.status == "in_production" {
			a.status = p.status
		}
		a.hightech = a.hightech || p.props["hightech_class"] != nil
		if s, ok := p.props["supplied_on"].(string); ok && (a.since == "" || s < a.since) {
			a.since = s
		}
	}
	for _, s := range g.plants {
		conf, _ := s.props["confidential"].(map[string]any)
		ts, _ := conf["tenants"].([]any)
		for _, t := range ts {
			m := t.(map[string]any)
			a := add(m["name"].(string))
			area, _ := m["area_m2"].(float64)
			rev := area * u(0.05, 0.4)
			a.revenue += rev
			a.tax += rev * u(0.02, 0.06)
			a.status, a.tenant = "in_production", true
			if c, ok := s.p.props["cluster"].(string); ok && a.cluster == "" {
				a.cluster = c
			}
		}
	}
	var out []demoFirm
	for _, name := range order {
		a := firms[name]
		f := demoFirm{Name: name, SizeClass: "below_scale", Figures: map[string]map[string]any{}}
		if a.revenue >= 2000 {
			f.SizeClass = "above_scale"
		}
		founded := time.Date(2005+rng.IntN(17), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		if a.since != "" {
			if s, err := time.Parse("2006-01-02", a.since); err == nil {
				founded = s.AddDate(0, -1-rng.IntN(24), 0)
			}
		}
		f.FoundedOn = founded.Format("2006-01-02")
		codes := industryCodes[a.cluster]
		if len(codes) == 0 {
			codes = []string{"C33"}
		}
		f.IndustryCode = codes[rng.IntN(len(codes))]
		if a.status != "in_production" && a.status != "idle" {
			e := "major_project"
			f.Exemption = &e
			out = append(out, f)
			continue
		}
		if a.cluster == "modern_services" && rng.Float64() < 0.1 {
			e := "public_utility"
			f.Exemption = &e
		}
		growth := u(-0.15, 0.2)
		if a.status == "idle" {
			growth = u(-0.5, -0.2)
		}
		vaShare, perTce, perT, perEmp, rd := u(0.2, 0.35), u(0.5, 6), u(50, 500), u(80, 200), u(0, 0.05)
		listed, violation := rng.Float64() < 0.03, rng.Float64() < 0.04
		for _, y := range FigureYears {
			k := math.Pow(1+growth, float64(y-2025)) * u(0.9, 1.1)
			rev, tax := a.revenue*k, a.tax*k*u(0.9, 1.1)
			va := rev * vaShare
			fig := map[string]any{"revenue_wan": r0(rev), "tax_wan": r2(tax), "value_added_wan": r0(va),
				"emissions_t": r2(va / perT), "employees": math.Max(5, r0(rev/perEmp)), "rd_wan": r2(rev * rd),
				"electricity_kwh": r0(va / perTce * u(3000, 7000)),
				"listed":          listed, "high_tech": a.hightech, "safety_violation": violation && y == 2025, "environmental_violation": false}
			if rng.Float64() >= 0.04 {
				fig["energy_tce"] = r2(va / perTce)
			}
			f.Figures[itoa(y)] = fig
		}
		out = append(out, f)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	err := enc.Encode(map[string]any{"illustrative": true, "note": Note + " Firm profiles and annual figures are random numbers shaped to look plausible.",
		"years": FigureYears, "firms": out})
	return buf.Bytes(), err
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
