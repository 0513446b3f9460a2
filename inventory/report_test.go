package inventory

import (
	"math"
	"net/url"
	"testing"
)

func TestParseReportParams(t *testing.T) {
	tests := []struct {
		kind, query, field string // field: the parameter the error must name ("" = accepted)
	}{
		{"intensity", "", ""},
		{"intensity", "group=district&include=plots&district=D1,D2&cluster=new_energy&as_of=2025-01-31", ""},
		{"intensity", "as_of=2025-01-31T12:00:00%2B08:00&format=xlsx", ""},
		{"roads", "tolerance_m=0&frontage_m=5000&loop_cover_pct=100", ""},
		{"supply", "format=csv&table=ready_plots", ""},
		{"intensity", "group=city", "group"},
		{"intensity", "include=roads", "include"},
		{"intensity", "district=D1%3Bdrop", "district"},
		{"intensity", "district=", "district"},
		{"intensity", "cluster=steel", "cluster"},
		{"intensity", "as_of=31/01/2025", "as_of"},
		{"intensity", "format=pdf", "format"},
		{"intensity", "tolerance_m=5", "tolerance_m"},
		{"intensity", "group=zone&group=district", "group"},
		{"roads", "tolerance_m=NaN", "tolerance_m"},
		{"roads", "tolerance_m=1001", "tolerance_m"},
		{"roads", "frontage_m=0", "frontage_m"},
		{"roads", "loop_cover_pct=0", "loop_cover_pct"},
		{"supply", "table=plants", "table"},
		{"compliance", "zone=Bad Zone", "zone"},
		{"taxes", "", "report"},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.query)
		p, err := ParseReportParams(tt.kind, v)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s?%s: %v", tt.kind, tt.query, err)
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Kind != EInvalid || e.Field != tt.field {
			t.Errorf("%s?%s: err = %v (%+v), want invalid %s", tt.kind, tt.query, err, p, tt.field)
		}
	}
	p, _ := ParseReportParams("roads", url.Values{})
	if p.ToleranceM != 5 || p.FrontageM != 50 || p.LoopCoverPct != 95 || p.Format != "json" {
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
