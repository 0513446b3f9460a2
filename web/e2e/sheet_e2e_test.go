package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
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

	cctx, cancel := context.WithTimeout(ctx, 6*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, node, filepath.Join(root(t), "web/e2e/sheet.mjs"), "--base", base,
		"--out", filepath.Join(root(t), "test-output"), "--token", token, "--plot", plot, "--plant", plant)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	got := map[string]result{}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var r result
		if line := sc.Bytes(); len(line) > 0 && line[0] == '{' && json.Unmarshal(line, &r) == nil && r.Check != "" {
			got[r.Check] = r
		}
	}
	if err != nil || len(got) == 0 {
		t.Fatalf("sheet.mjs: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if r, ok := got["script"]; ok {
		t.Fatalf("sheet.mjs failed: %s", r.Detail)
	}
	for _, name := range []string{"sheets load without errors or outside requests", "sheet prints on one A4 page",
		"enquiry from the sheet appears in the planner list", "details panel links to the sheet", "sheet map labels never overlap"} {
		t.Run(name, func(t *testing.T) {
			r, ok := got[name]
			if !ok {
				t.Fatal("check did not run")
			}
			if !r.OK {
				t.Errorf("failed: %s", r.Detail)
			}
			t.Log(r.Detail)
		})
	}
}
