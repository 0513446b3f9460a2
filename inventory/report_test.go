package inventory

import (
	"math"
	"testing"
)

func TestReportParamsValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(p *ReportParams)
		field string // "" = valid
	}{
		{"defaults", func(p *ReportParams) {}, ""},
		{"unknown kind", func(p *ReportParams) { p.Kind = "taxes" }, "report"},
		{"bad zone", func(p *ReportParams) { p.Zone = "Bad Zone" }, "zone"},
		{"bad district", func(p *ReportParams) { p.Districts = []string{"D1;drop"} }, "district"},
		{"unknown cluster", func(p *ReportParams) { p.Cluster = "steel" }, "cluster"},
		{"unknown group", func(p *ReportParams) { p.Group = "city" }, "group"},
		{"negative tolerance", func(p *ReportParams) { p.ToleranceM = -1 }, "tolerance_m"},
		{"tolerance over the maximum", func(p *ReportParams) { p.ToleranceM = MaxToleranceM + 1 }, "tolerance_m"},
		{"tolerance NaN", func(p *ReportParams) { p.ToleranceM = math.NaN() }, "tolerance_m"},
		{"zero frontage", func(p *ReportParams) { p.FrontageM = 0 }, "frontage_m"},
		{"loop cover over 100", func(p *ReportParams) { p.LoopCoverPct = 100.5 }, "loop_cover_pct"},
		{"bounds accepted", func(p *ReportParams) { p.ToleranceM, p.FrontageM, p.LoopCoverPct = 0, MaxFrontageM, 100 }, ""},
	} {
		p := DefaultReportParams(ReportRoads)
		tc.edit(&p)
		err := p.Validate()
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Kind != EInvalid || e.Field != tc.field {
			t.Errorf("%s: err = %v, want invalid %s", tc.name, err, tc.field)
		}
	}
	p := DefaultReportParams(ReportRoads)
	if p.ToleranceM != 5 || p.FrontageM != 50 || p.LoopCoverPct != 95 || p.Format != "json" || p.Group != GroupZone {
		t.Errorf("road defaults = %+v", p)
	}
}

func TestAttainmentAndZoneType(t *testing.T) {
	v := func(x float64) *float64 { return &x }
	for _, c := range []struct {
		value *float64
		ideal float64
		less  bool
		want  *float64
	}{
		{v(50), 100, false, v(50)},
		{v(150), 100, false, v(100)}, // capped
		{v(4), 2, true, v(50)},       // inverted
		{v(1), 2, true, v(100)},      // inverted and capped
		{v(0), 2, true, v(100)},      // no idle land at all
		{nil, 2, false, nil},
	} {
		got := Attainment(c.value, c.ideal, c.less)
		if (got == nil) != (c.want == nil) || (got != nil && math.Abs(*got-*c.want) > 1e-12) {
			t.Errorf("Attainment(%v, %v, %v) = %v, want %v", c.value, c.ideal, c.less, got, c.want)
		}
	}
	for _, c := range []struct {
		a, a1, a2 float64
		want      string
	}{
		{100, 10, 31, ZoneIndustryLed},
		{100, 10, 30, ZoneIntegrated}, // A2/A must exceed 30 %
		{100, 25, 60, ZoneIntegrated}, // A1/A must be below 25 %
		{100, 24.9, 60, ZoneIndustryLed},
	} {
		if z := DeriveZoneType(c.a, c.a1, c.a2); z == nil || z.Key != c.want {
			t.Errorf("DeriveZoneType(%v, %v, %v) = %+v, want %s", c.a, c.a1, c.a2, z, c.want)
		}
	}
	if DeriveZoneType(0, 0, 0) != nil {
		t.Error("zone type without built-up land")
	}
	cfg, notes := EvalConfig{Ideal: map[string]float64{"composite_far": 1.5, "nope": 1, "idle_land_rate": 0}, Weights: map[string]float64{"building_density": -1}}.Merge()
	if cfg.Ideal["composite_far"] != 1.5 || cfg.Ideal["idle_land_rate"] != 2 || cfg.Weights["building_density"] != 0.05 || len(notes) != 3 {
		t.Errorf("merge = %+v, notes %v", cfg, notes)
	}
	var sum float64
	for _, w := range DefaultEvalConfig().Weights {
		sum += w
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("default weights sum to %v", sum)
	}
}
