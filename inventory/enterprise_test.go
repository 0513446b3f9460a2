package inventory

import (
	"strings"
	"testing"
)

func TestCheckCreditCode(t *testing.T) {
	// Real, published codes (and the standard's own example), checked by hand against
	// GB 32100-2015's weights.
	for _, code := range []string{"9144030071526726XG", "91330100716105852F", "91110000802100433B", "91350100M000100Y43", "91110108551385082Q"} {
		if err := CheckCreditCode(code); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
	tests := []struct{ code, want string }{
		{"9144030071526726XH", "checksum"},     // wrong last character
		{"9144030071526726X", "18 characters"}, // too short
		{"9144030071526726XGG", "18 characters"},
		{"9144030071526726IG", "alphabet"}, // I is not in the alphabet
		{"9144030071526726xg", "alphabet"}, // lower case
		{"", "18 characters"},
	}
	for _, tt := range tests {
		err := CheckCreditCode(tt.code)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want one saying %q", tt.code, err, tt.want)
		}
	}
	// Every other last character is refused.
	for _, c := range creditCharset {
		code := "9144030071526726X" + string(c)
		if err := CheckCreditCode(code); (err == nil) != (c == 'G') {
			t.Errorf("%s: error %v", code, err)
		}
	}
}

func TestFigureCodeAndChange(t *testing.T) {
	if err := checkFigureCode(FigureCode("9144030071526726XG", 2025)); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"9144030071526726XH-2025", "9144030071526726XG-1999", "9144030071526726XG", "9144030071526726XG-20x5"} {
		if err := checkFigureCode(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	got, err := FigureChange(map[string]any{"tax_wan": 12.5, "energy_tce": 3.0, "energy_tce_source": "统计局", "source": "税务局", "date": "2026-03-01", "listed": true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"tax_wan": 12.5, "tax_wan_source": "税务局", "tax_wan_date": "2026-03-01", "energy_tce": 3.0,
		"energy_tce_source": "统计局", "energy_tce_date": "2026-03-01", "listed": true}
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if _, err := FigureChange(map[string]any{"tax_wan": 1.0}); err == nil || !strings.Contains(err.Error(), "source") {
		t.Errorf("a figure without a source: %v", err)
	}
	if _, err := CheckChange(FigureLayer, map[string]any{"code": "9144030071526726XH-2025"}, true); err == nil {
		t.Error("a figures code with a bad credit code passes CheckChange")
	}
	if _, err := CheckChange(EnterpriseLayer, map[string]any{"code": "9144030071526726XG", "name": "腾讯"}, true); err != nil {
		t.Errorf("a good enterprise is refused: %v", err)
	}
}
