package postgis_test

import (
	"context"
	"testing"

	"github.com/landinv/landinv/inventory"
)

// BenchmarkMatchSites100k matches one project against the synthetic zone's 100 000 plots
// (14 286 of them ready, every condition applicable, the road condition at 300 m of 43 built
// roads; "plots-derived": the investment per 亩 from the total investment ÷ each plot's
// area) and its 2 000 plants. The bound: under 200 ms per match of plots.
func BenchmarkMatchSites100k(b *testing.B) {
	db := syntheticZone(b)
	ctx := context.Background()
	f := func(v float64) *float64 { return &v }
	needs := map[string]inventory.SiteNeed{
		"plots": {Zone: "synth", Layer: inventory.MatchPlots, AreaMuMin: f(50), AreaMuMax: f(70), LandUse: "1001",
			Cluster: "new_materials", InvestmentWanPerMu: f(320), TaxWanPerMuYear: f(25), OutputWanPerMu: f(500), MaxRoadDistanceM: f(300)},
		"plots-derived": {Zone: "synth", Layer: inventory.MatchPlots, AreaMuMin: f(50), AreaMuMax: f(70), LandUse: "1001",
			Cluster: "new_materials", TotalInvestmentWan: f(20000), TaxWanPerMuYear: f(25), OutputWanPerMu: f(500), MaxRoadDistanceM: f(300)},
		"plants": {Zone: "synth", Layer: inventory.MatchPlants, PlantAreaM2: f(1500), FloorLoadKNm2: f(10), ClearHeightM: f(8), CraneCapacityT: f(5)},
	}
	for _, name := range []string{"plots", "plots-derived", "plants"} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				m, err := matchList(db.MatchSites(ctx, needs[name], 50))
				if err != nil {
					b.Fatal(err)
				}
				if len(m) == 0 {
					b.Fatal("no candidates")
				}
			}
		})
	}
}
