package inventory

import (
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
