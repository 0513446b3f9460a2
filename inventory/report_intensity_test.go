package inventory

import (
	"math"
	"testing"
)

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
