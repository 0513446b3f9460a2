package inventory

import "testing"

// TestStageChangeCheck: what a stage change says on its own, each refusal naming its field.
func TestStageChangeCheck(t *testing.T) {
	m2 := 120.0
	tests := []struct {
		c     StageChange
		field string // "" = accepted
	}{
		{StageChange{Stage: "negotiating"}, ""},
		{StageChange{Stage: "signed", Date: "2026-01-31", PlotCode: "LF-D1-0001"}, ""},
		{StageChange{Stage: "supplied", PlantCode: "S1", LeasedM2: &m2}, ""},
		{StageChange{Stage: "dropped", DropReason: "资金未到位"}, ""},
		{StageChange{Stage: "won"}, "stage"},
		{StageChange{Stage: ""}, "stage"},
		{StageChange{Stage: "signed", Date: "31.01.2026"}, "date"},
		{StageChange{Stage: "started", PlotCode: "P1"}, "plot_code"},
		{StageChange{Stage: "signed", PlotCode: "bad code"}, "plot_code"},
		{StageChange{Stage: "signed", PlantCode: "S1"}, "plant_code"},
		{StageChange{Stage: "supplied", LeasedM2: &m2}, "leased_m2"},
		{StageChange{Stage: "dropped"}, "drop_reason"},
		{StageChange{Stage: "signed", DropReason: "x"}, "drop_reason"},
		{StageChange{Stage: "lead", Note: "a\x00b"}, "note"},
	}
	for _, tt := range tests {
		_, err := tt.c.Check()
		got := ""
		if e, ok := err.(*Error); ok {
			got = e.Field
		} else if err != nil {
			t.Errorf("%+v: %v is no *Error", tt.c, err)
		}
		if got != tt.field {
			t.Errorf("%+v: refused on %q (%v), want %q", tt.c, got, err, tt.field)
		}
	}
}

// TestProjectStepOK against the stages' order written out by hand.
func TestProjectStepOK(t *testing.T) {
	ok := map[string]bool{
		"lead>negotiating": true, "negotiating>signed": true, "signed>supplied": true, "supplied>started": true,
		"started>in_production": true, "lead>dropped": true, "negotiating>dropped": true, "signed>dropped": true,
		"supplied>dropped": true, "started>dropped": true,
	}
	for _, a := range ProjectStages {
		for _, b := range ProjectStages {
			want := a == b || ok[a+">"+b]
			if got := ProjectStepOK(a, b); got != want {
				t.Errorf("%s → %s: %v, want %v", a, b, got, want)
			}
		}
	}
	if ProjectStepOK("won", "won") {
		t.Error("an unknown stage may stay")
	}
}

// TestCheckMatchLayer: the one rule of the layers site matching ranks, used by the route, the
// project's need and CheckSiteNeed alike.
func TestCheckMatchLayer(t *testing.T) {
	for layer, ok := range map[string]bool{"plots": true, "plants": true, "": false, "roads": false, "Plots": false, "projects": false} {
		err := CheckMatchLayer(layer)
		if (err == nil) != ok {
			t.Errorf("CheckMatchLayer(%q) = %v, want ok %v", layer, err, ok)
		}
		if _, nerr := ProjectSiteNeed(&Feature{Confidential: map[string]any{}}, "z", layer); (nerr == nil) != ok {
			t.Errorf("ProjectSiteNeed on %q = %v, want ok %v", layer, nerr, ok)
		}
		if cerr := CheckSiteNeed(SiteNeed{Layer: layer}); (cerr == nil) != ok {
			t.Errorf("CheckSiteNeed on %q = %v, want ok %v", layer, cerr, ok)
		}
		if !ok && CodeOf(err) != CodeUnknownValue {
			t.Errorf("CheckMatchLayer(%q) code %s, want %s", layer, CodeOf(err), CodeUnknownValue)
		}
	}
}
