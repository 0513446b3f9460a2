package postgis_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/landinv/landinv/geo"
)

func TestSupplyHandMade(t *testing.T) {
	db := landZone(t)
	rep, err := db.Supply(planner, params(t, "supply"))
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	var m2 float64
	for _, p := range rep.ReadyPlots {
		codes = append(codes, p.Code)
	}
	if strings.Join(codes, ",") != "S1,S2" {
		t.Errorf("ready plots = %v, want S1, S2", codes)
	}
	// Both are 0.005° squares in one band of latitude: the same closed-form area each.
	y := 36.01
	m2 = 2 * geo.AuthalicZoneArea(y, y+0.005, 0.005)
	if math.Abs(rep.Ready.AreaMu-geo.MuFromSquareMetres(m2)) > 1e-6*rep.Ready.AreaMu {
		t.Errorf("ready = %v 亩, want %v", rep.Ready.AreaMu, geo.MuFromSquareMetres(m2))
	}
	if fmt.Sprint(len(rep.ReadyByCluster)) != "2" || rep.ReadyByCluster[0].Key != "new_energy" || rep.ReadyByCluster[1].Key != "none" {
		t.Errorf("by cluster = %+v", rep.ReadyByCluster)
	}
	if rep.Plants.Plants != 2 || rep.Plants.LeasableM2 != 1500 || rep.Plants.FreeM2 != 400 || rep.Plants.VacancyPct == nil || math.Abs(*rep.Plants.VacancyPct-400.0/15) > 1e-9 {
		t.Errorf("plants = %+v, want 2 completed, 1500 leasable, 400 free, 26.7 %% vacant", rep.Plants)
	}
	if rep.Pipeline.Plants != 1 || rep.Pipeline.LeasableM2 != 800 {
		t.Errorf("pipeline = %+v, want B3's 800 m²", rep.Pipeline)
	}
	rep, err = db.Supply(planner, params(t, "supply", "cluster", "new_energy"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.ReadyPlots) != 1 || rep.ReadyPlots[0].Code != "S1" || rep.Plants.Plants != 0 {
		t.Errorf("new_energy: ready %+v, plants %+v; want S1 only and no plants (S4 has no cluster)", rep.ReadyPlots, rep.Plants)
	}
}
