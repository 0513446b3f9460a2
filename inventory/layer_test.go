package inventory

import "testing"

func TestQueryValidate(t *testing.T) {
	lo, hi := 200.0, 50.0
	near := 100.0
	for _, tc := range []struct {
		name  string
		q     Query
		field string // "" = valid
	}{
		{"defaults", Query{Layer: PlotLayer, Limit: DefaultLimit}, ""},
		{"no limit", Query{Layer: PlotLayer}, "limit"},
		{"limit over the maximum", Query{Layer: PlotLayer, Limit: MaxLimit + 1}, "limit"},
		{"negative offset", Query{Layer: PlotLayer, Limit: 1, Offset: -1}, "offset"},
		{"min above max", Query{Layer: PlotLayer, Limit: 1, Conditions: []Condition{
			{Kind: FilterMin, Field: "area_m2", Value: lo}, {Kind: FilterMax, Field: "area_m2", Value: hi}}}, "min_area_mu"},
		{"min below max", Query{Layer: PlotLayer, Limit: 1, Conditions: []Condition{
			{Kind: FilterMin, Field: "area_m2", Value: hi}, {Kind: FilterMax, Field: "area_m2", Value: lo}}}, ""},
		{"road_status alone", Query{Layer: PlotLayer, Limit: 1, RoadStatus: []string{"existing"}}, "road_status"},
		{"road_status with near_road_m", Query{Layer: PlotLayer, Limit: 1, RoadStatus: []string{"existing"}, NearRoadM: &near}, ""},
	} {
		err := tc.q.Validate()
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
}

func TestEveryFilterReadsAKnownField(t *testing.T) {
	for _, l := range Layers() {
		for _, f := range l.Filters {
			if f.Field == "" {
				continue
			}
			if _, ok := l.Field(f.Field); !ok {
				t.Errorf("layer %s: filter %s reads unknown field %s", l.Name, f.Param, f.Field)
			}
		}
	}
}
