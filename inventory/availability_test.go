package inventory

import "testing"

// The land map words availability from AvailabilityTable by the keys "status" (plots) and
// "status|free" / "status|full" (plants): hand-made expectations of the site sheets' rule.
func TestAvailabilityTable(t *testing.T) {
	tbl := AvailabilityTable()
	tests := []struct{ layer, key, want, en string }{
		{"plots", "ready", "available", "Serviced land, available now"},
		{"plots", "planned", "planned", "Planned, not yet on offer"},
		{"plots", "reserved", "reserved", ""},
		{"plots", "idle", "reoffer", ""},
		{"plots", "in_production", "taken", ""},
		{"plants", "completed|free", "available", ""},
		{"plants", "completed|full", "taken", ""},
		{"plants", "planned|full", "bookable", ""},
		{"plants", "under_construction|free", "bookable", ""},
	}
	for _, tc := range tests {
		a, ok := tbl[tc.layer][tc.key]
		if !ok || a.Key != tc.want || (tc.en != "" && a.LabelEN != tc.en) || a.Label == "" {
			t.Errorf("%s %s: %+v (present %v), want key %s %q", tc.layer, tc.key, a, ok, tc.want, tc.en)
		}
	}
	if n := len(tbl["plots"]); n != len(PlotStatuses) {
		t.Errorf("%d plot entries, want one per status (%d)", n, len(PlotStatuses))
	}
	if n := len(tbl["plants"]); n != 2*len(PlantStatuses) {
		t.Errorf("%d plant entries, want two per status (%d)", n, 2*len(PlantStatuses))
	}
}
