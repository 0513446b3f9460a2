package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestSiteSheets draws the site sheets of a demo plot and building in headless chromium at
// 1366×768 and 375×740, in Chinese and English (screenshots sheet-*.png in test-output/), prints
// each to an A4 PDF and counts its pages, sends an enquiry from a sheet and finds it in the
// planners' list, and follows the land map's details panel to the sheet.
func TestSiteSheets(t *testing.T) {
	node := tools(t)
	db := openDB(t, postgistest.URL(t, true))
	ctx := context.Background()
	// A plot open to investors with control indicators, and a completed building with free space.
	var plot, plant string
	if err := db.Pool.QueryRow(ctx, `select code from plots where valid_to = 'infinity' and status = 'ready' and min_far is not null
		order by code limit 1`).Scan(&plot); err != nil {
		t.Fatalf("no ready standard plot in the demo: %v", err)
	}
	if err := db.Pool.QueryRow(ctx, `select code from plants where valid_to = 'infinity' and status = 'completed' and free_area_m2 > 0
		order by code limit 1`).Scan(&plant); err != nil {
		t.Fatalf("no building with free space in the demo: %v", err)
	}
	const token = "sheet-e2e-planner"
	d := storeDeps(db)
	// A stand-in for the sign-in (not what this test is about): one bearer token is a planner.
	d.Authenticate = func(r *http.Request) (inventory.Viewer, error) {
		if r.Header.Get("Authorization") == "Bearer "+token {
			return inventory.Viewer{Name: "planner", Role: inventory.RolePlanner}, nil
		}
		return inventory.Anonymous, nil
	}
	base := serveWith(t, d, nil)

	results := runScript(t, node, "sheet.mjs", 6*time.Minute, "--base", base, "--token", token, "--plot", plot, "--plant", plant)
	expectChecks(t, results, "sheets load without errors or outside requests", "sheet prints on one A4 page",
		"enquiry from the sheet appears in the planner list", "details panel links to the sheet", "sheet map labels never overlap")
}
