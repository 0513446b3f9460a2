package postgis_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
)

// TestProjectDropAfterThePlotMoved: a signed project whose reserved plot a planner has since
// has since moved on the plot layer (the reservation lapsed there: ready) can still be dropped;
// the plot is left as the planner set it (only a plot still reserved goes back to ready).
func TestProjectDropAfterThePlotMoved(t *testing.T) {
	db := projectZone(t)
	f := newProject(t, db, "D1", nil, inventory.StageChange{Stage: "negotiating"},
		inventory.StageChange{Stage: "signed", Date: "2026-01-10", PlotCode: "R1"})
	plot, err := db.Get(projectPlanner, inventory.PlotLayer, "hand", "R1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Update(projectPlanner, inventory.PlotLayer, "hand", "R1", plot.ETag(),
		inventory.Change{Properties: map[string]any{"status": "ready"}}); err != nil {
		t.Fatalf("planner lets R1 lapse: %v", err)
	}
	if _, err := db.Stage(projectPlanner, "hand", "D1", f.ETag(), inventory.StageChange{Stage: "dropped", Date: "2026-02-01", DropReason: "投资方撤回"}); err != nil {
		t.Fatalf("drop: %v", err)
	}
	if s := plotStatus(t, db, "R1"); s != "ready" {
		t.Errorf("R1 is %s after the drop, want ready (as the planner left it)", s)
	}
}

// TestProjectStageDateNotInTheFuture: a stage records what happened; a date after today (China
// time) is refused naming date, and nothing changes. Today itself is accepted.
func TestProjectStageDateNotInTheFuture(t *testing.T) {
	db := projectZone(t)
	f := newProject(t, db, "F1", nil, inventory.StageChange{Stage: "negotiating"})
	before := inventoryState(t, db)
	china := time.FixedZone("CST", 8*3600)
	for _, d := range []string{"9999-12-31", time.Now().In(china).AddDate(0, 0, 2).Format("2006-01-02")} {
		_, err := db.Stage(projectPlanner, "hand", "F1", f.ETag(), inventory.StageChange{Stage: "signed", Date: d, PlotCode: "R2"})
		var e *inventory.Error
		if !errors.As(err, &e) || e.Field != "date" || e.Kind != inventory.EInvalid {
			t.Errorf("signed on %s: %v, want a refusal naming date", d, err)
		}
		if after := inventoryState(t, db); after != before {
			t.Errorf("a refused date %s changed the inventory", d)
		}
	}
	today := time.Now().In(china).Format("2006-01-02")
	if _, err := db.Stage(projectPlanner, "hand", "F1", f.ETag(), inventory.StageChange{Stage: "signed", Date: today, PlotCode: "R2"}); err != nil {
		t.Errorf("signed today (%s): %v", today, err)
	}
}

// TestMatchPlantsNoCraneNeeded: a project needing a 0 t crane (none) is met by a building
// with no crane (B3, crane_capacity_t null: no crane, 0 t), as by every other; a 5 t crane is
// not.
func TestMatchPlantsNoCraneNeeded(t *testing.T) {
	db := matchZone(t)
	for _, c := range []struct {
		need float64
		pass bool
	}{{0, true}, {5, false}} {
		need := inventory.SiteNeed{Zone: "hand", Layer: inventory.MatchPlants, CraneCapacityT: fp(c.need)}
		ms, err := matchList(db.MatchSites(context.Background(), need, 10))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, m := range ms {
			if m.Code != "B3" {
				continue
			}
			found = true
			for _, cond := range m.Conditions {
				if cond.Name == "crane_capacity_t" && cond.Pass != c.pass {
					t.Errorf("crane %g t needed: B3 (no crane) passes %v, want %v", c.need, cond.Pass, c.pass)
				}
			}
			if c.pass && m.Score != 100 {
				t.Errorf("crane %g t needed: B3 scores %v, want 100", c.need, m.Score)
			}
		}
		if !found {
			t.Errorf("crane %g t needed: B3 not among %v", c.need, ms)
		}
	}
}

// TestProjectLandUseIsAKnownCode: a project's land use must be a code of the land-use list (any
// level); unknown text is a 422 naming land_use with the unknown-land-use code, and nothing is
// written; a class code such as 1001 is taken.
func TestProjectLandUseIsAKnownCode(t *testing.T) {
	db := projectZone(t)
	for _, c := range []struct {
		code, landUse string
		ok            bool
	}{
		{"LU-OK", "1001", true},
		{"LU-BAD", "' or 1=1", false},
		{"LU-M9", "M9", false},
	} {
		p := map[string]any{"code": c.code, "name": "用地测试", "investor_name": "某公司", "land_use": c.landUse}
		_, err := db.Create(projectPlanner, inventory.ProjectLayer, "hand", inventory.Change{Properties: p})
		if c.ok {
			if err != nil {
				t.Errorf("%s: land_use %q refused: %v", c.code, c.landUse, err)
			}
			continue
		}
		var e *inventory.Error
		if !errors.As(err, &e) || e.Field != "land_use" || e.Code != inventory.CodeUnknownLandUse {
			t.Errorf("%s: land_use %q: %v, want a problem naming land_use with %s", c.code, c.landUse, err, inventory.CodeUnknownLandUse)
		}
		if _, err := db.Get(projectPlanner, inventory.ProjectLayer, "hand", c.code); err == nil {
			t.Errorf("%s: a refused project was written", c.code)
		}
	}
}

// TestNoProjectCodedRanking: /api/v1/projects/ranking is the ranking rule, so a project coded
// "ranking" (any case) is refused with a problem naming code, and nothing is written.
func TestNoProjectCodedRanking(t *testing.T) {
	db := projectZone(t)
	for _, code := range []string{"ranking", "Ranking"} {
		p := map[string]any{"code": code, "name": "项目", "investor_name": "某公司"}
		_, err := db.Create(projectPlanner, inventory.ProjectLayer, "hand", inventory.Change{Properties: p})
		var e *inventory.Error
		if !errors.As(err, &e) || e.Field != "code" || e.Kind != inventory.EInvalid {
			t.Errorf("%s: %v, want a 422 naming code", code, err)
		}
		if _, err := db.Get(projectPlanner, inventory.ProjectLayer, "hand", code); err == nil {
			t.Errorf("%s: the refused project was written", code)
		}
	}
	newProject(t, db, "rankings", nil) // a code that only starts with it is fine
}
