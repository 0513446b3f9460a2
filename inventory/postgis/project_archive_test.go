package postgis_test

import (
	"errors"
	"testing"

	"github.com/landinv/landinv/inventory"
)

// TestArchivingAProjectThatHoldsASite: a project signed with a plot, with its land supplied or
// its plant leased, or started, is not archived (409 naming stage, rule project_holds_site, and
// nothing changes: its plot stays reserved or supplied, the project live); dropped first, it
// is, and the reservation has lapsed. Projects holding no site, and those in production, are
// archived as before.
func TestArchivingAProjectThatHoldsASite(t *testing.T) {
	db := projectZone(t)
	area := 200.0
	sc := func(stage, date string) inventory.StageChange { return inventory.StageChange{Stage: stage, Date: date} }
	signed := func(plot string) inventory.StageChange {
		return inventory.StageChange{Stage: "signed", Date: "2026-01-10", PlotCode: plot}
	}
	tests := []struct {
		name     string
		code     string
		steps    []inventory.StageChange
		refused  bool
		plot     string // the plot it holds, and its status afterwards
		wantPlot string
	}{
		{"a lead", "A1", nil, false, "", ""},
		{"signed without land", "A2", []inventory.StageChange{sc("negotiating", ""), sc("signed", "2026-01-10")}, false, "", ""},
		{"signed with a reserved plot", "A3", []inventory.StageChange{sc("negotiating", ""), signed("R1")}, true, "R1", "reserved"},
		{"land supplied", "A4", []inventory.StageChange{sc("negotiating", ""), signed("R2"), sc("supplied", "2026-02-01")}, true, "R2", "supplied"},
		{"construction started", "A5", []inventory.StageChange{sc("negotiating", ""), signed("R3"), sc("supplied", "2026-02-01"), sc("started", "2026-03-01")}, true, "R3", "under_construction"},
		{"plant leased", "A6", []inventory.StageChange{sc("negotiating", ""), sc("signed", "2026-01-10"),
			{Stage: "supplied", Date: "2026-02-01", PlantCode: "S1", LeasedM2: &area}}, true, "", ""},
		{"in production", "A7", []inventory.StageChange{sc("negotiating", ""), signed("R4"), sc("supplied", "2026-02-01"), sc("started", "2026-03-01"),
			sc("in_production", "2026-09-01")}, false, "R4", "in_production"},
		{"signed with a plot, then dropped", "A8", []inventory.StageChange{sc("negotiating", ""), signed("H1"),
			{Stage: "dropped", Date: "2026-02-01", DropReason: "投资方撤回"}}, false, "H1", "ready"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newProject(t, db, tt.code, map[string]any{"area_mu_min": 1.0, "area_mu_max": 100.0}, tt.steps...)
			before := inventoryState(t, db)
			_, err := db.Archive(projectPlanner, inventory.ProjectLayer, "hand", tt.code, f.ETag(), "归档")
			if tt.refused {
				var e *inventory.Error
				if !errors.As(err, &e) || e.Kind != inventory.EConflict || e.Field != "stage" || e.Code != inventory.CodeProjectHoldsSite {
					t.Fatalf("archive = %v, want a conflict on stage (%s)", err, inventory.CodeProjectHoldsSite)
				}
				if after := inventoryState(t, db); after != before {
					t.Errorf("a refused archive changed the inventory:\n%s\n→\n%s", before, after)
				}
				// Dropped first, it is archived.
				f, err = db.Stage(projectPlanner, "hand", tt.code, f.ETag(), inventory.StageChange{Stage: "dropped", DropReason: "项目终止"})
				if err != nil {
					t.Fatalf("drop: %v", err)
				}
				if _, err := db.Archive(projectPlanner, inventory.ProjectLayer, "hand", tt.code, f.ETag(), "归档"); err != nil {
					t.Fatalf("archive after dropping: %v", err)
				}
				if tt.wantPlot == "reserved" {
					tt.wantPlot = "ready" // dropping let the reservation lapse
				}
			} else if err != nil {
				t.Fatalf("archive refused: %v", err)
			}
			if _, err := db.Get(projectPlanner, inventory.ProjectLayer, "hand", tt.code); inventory.ErrorKind(err) != inventory.ENotFound {
				t.Errorf("archived project still read: %v", err)
			}
			if tt.plot != "" {
				if s := plotStatus(t, db, tt.plot); s != tt.wantPlot {
					t.Errorf("plot %s is %s, want %s", tt.plot, s, tt.wantPlot)
				}
			}
		})
	}
}
