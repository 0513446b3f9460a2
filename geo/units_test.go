package geo

import (
	"math"
	"testing"
)

func TestUnits(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"1 mu in m²", SquareMetresFromMu(1), 666.6666666666666},
		{"15 mu = 1 ha", SquareMetresFromMu(15), 10000},
		{"10000 m² = 15 mu", MuFromSquareMetres(10000), 15},
		{"1 km² = 1500 mu", MuFromSquareMetres(1e6), 1500},
		{"1 ha in m²", SquareMetresFromHectares(1), 10000},
		{"25000 m² = 2.5 ha", HectaresFromSquareMetres(25000), 2.5},
		{"131.76 km² in mu", MuFromSquareKilometres(131.76), 197640},
		{"300 mu in km²", SquareKilometresFromMu(300), 0.2},
		{"131.76e6 m² in km²", SquareKilometresFromSquareMetres(131.76e6), 131.76},
		{"2 km² in m²", SquareMetresFromSquareKilometres(2), 2e6},
		{"3 ha in mu", MuFromHectares(3), 45},
		{"45 mu in ha", HectaresFromMu(45), 3},
		{"8984.3 万元/公顷 per mu", WanYuanPerMuFromWanYuanPerHectare(8984.3), 598.9533333333333},
		{"300 万元/亩 per ha", WanYuanPerHectareFromWanYuanPerMu(300), 4500},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if math.Abs(tc.got-tc.want) > 1e-9*math.Max(1, math.Abs(tc.want)) {
				t.Errorf("got %.12g, want %.12g", tc.got, tc.want)
			}
		})
	}
}
