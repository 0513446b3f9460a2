package inventory

import (
	"errors"
	"testing"
)

// TestCheckScored: a layer whose every condition weighs 0 (set so; a condition left out weighs
// its default) is refused with the layer's code; one condition above 0 is enough; a layer not
// asked about is not checked.
func TestCheckScored(t *testing.T) {
	zero := func(conds ...[]string) map[string]float64 {
		w := map[string]float64{}
		for _, cs := range conds {
			for _, c := range cs {
				w[c] = 0
			}
		}
		return w
	}
	oneLeft := zero(PlotMatchConditions)
	oneLeft["road_distance_m"] = 0.5
	for _, c := range []struct {
		name    string
		weights map[string]float64
		layers  []string
		code    string // "" accepted
	}{
		{"the defaults", nil, MatchLayers, ""},
		{"plots all 0", zero(PlotMatchConditions), MatchLayers, CodeRankingPlotsAllZero},
		{"plants all 0", zero(PlantMatchConditions), MatchLayers, CodeRankingPlantsAllZero},
		{"plants all 0, only plots ranked", zero(PlantMatchConditions), []string{MatchPlots}, ""},
		{"plots all 0 but one", oneLeft, MatchLayers, ""},
		{"all but one plot condition set to 0, the last left to its default", func() map[string]float64 {
			w := zero(PlotMatchConditions)
			delete(w, "cluster")
			return w
		}(), MatchLayers, ""},
		{"both all 0", zero(PlotMatchConditions, PlantMatchConditions), []string{MatchPlants}, CodeRankingPlantsAllZero},
	} {
		err := MatchRanking{Weights: c.weights}.CheckScored(c.layers...)
		var e *Error
		field := ""
		if errors.As(err, &e) {
			field = e.Field
		}
		if got := CodeOf(err); c.code == "" && err != nil || c.code != "" && (got != c.code || field != "weights") {
			t.Errorf("%s: %v (code %q), want code %q", c.name, err, got, c.code)
		}
	}
}
