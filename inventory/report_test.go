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
