package postgis_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
)

func TestIdleHandMade(t *testing.T) {
	db := landZone(t)
	rep, err := db.Idle(planner, params(t, "idle"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range rep.Candidates {
		got = append(got, c.Code+":"+c.Test)
	}
	if strings.Join(got, " ") != "I1:not_started I3:stopped I4:stopped" {
		t.Errorf("candidates = %v, want I1 not started, I3 and I4 stopped", got)
	}
	pub, err := db.Idle(public, params(t, "idle"))
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, c := range pub.Candidates {
		got = append(got, c.Code)
	}
	if strings.Join(got, " ") != "I1 I3" {
		t.Errorf("public candidates = %v, want I1 I3 (I4 only fails on investment, which is confidential)", got)
	}
	stages := map[string]int64{}
	for _, s := range rep.Stages {
		stages[s.Stage] = s.Sites
	}
	if stages["survey"] != 1 || stages["implementation"] != 1 || stages["reactivated"] != 1 || rep.Sites != 3 {
		t.Errorf("stages = %v", stages)
	}
	years := fmt.Sprint(rep.Years)
	var y2024, y2025 inventory.IdleYearRow
	for _, y := range rep.Years {
		switch y.Year {
		case 2024:
			y2024 = y
		case 2025:
			y2025 = y
		}
	}
	if len(rep.Years) != 2 || y2024.Reclaimed != 2 || y2024.Relet != 0 || y2025.Reclaimed != 0 || y2025.Relet != 1 {
		t.Errorf("years = %s, want 2024: 2 reclaimed; 2025: 1 re-let", years)
	}
	// Before I1's agreed date had been a year past (as of now − 18 months... its rows exist only
	// since the test began, so an earlier as_of sees nothing at all).
	old, err := db.Idle(planner, params(t, "idle", "as_of", "2020-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if len(old.Candidates) != 0 || old.Sites != 0 {
		t.Errorf("as of 2020: %d candidates, %d sites; want none", len(old.Candidates), old.Sites)
	}
}
