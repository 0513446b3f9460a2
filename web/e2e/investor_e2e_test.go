package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestInvestorMap uses the land map as a first-time investor would, in headless chromium at
// 1366×768 and 375×740, in Chinese and English (investor.mjs; screenshots investor-*.png in
// test-output/): the default list is land available now or planned; "built roads only" works on
// its own at the stated distance; free text finds a plot by its code and plots by a road's name;
// each sort orders the list as the API does; results are outlined and the rest faded, with a
// legend key; the English view shows no Chinese outside deliberately bilingual text (marked
// lang=zh: the unit glossary, the language switch, free-text data); the language follows the
// browser and the choice is remembered; the details panel docks beside or under the map and
// keeps the site in view; tap targets are at least 44 px on a phone; the zone's place and area,
// a scale bar and a north arrow show; the measuring tools are geodesic; nothing is requested
// beyond the server.
func TestInvestorMap(t *testing.T) {
	node := tools(t)
	db := openDB(t, postgistest.URL(t, true))
	base := serveWith(t, storeDeps(db), nil) // no rate limits: the checks search many times a minute
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(root(t), "web/e2e/investor.mjs"), "--base", base,
		"--out", filepath.Join(root(t), "test-output"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	got := map[string]result{}
	var order []string
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var r result
		if line := sc.Bytes(); len(line) > 0 && line[0] == '{' && json.Unmarshal(line, &r) == nil && r.Check != "" {
			got[r.Check] = r
			order = append(order, r.Check)
		}
	}
	if err != nil || len(got) == 0 {
		t.Fatalf("investor.mjs: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if r, ok := got["script"]; ok {
		t.Fatalf("investor.mjs failed: %s", r.Detail)
	}
	want := []string{
		"default list is available land", "result count above the fold at 1366",
		"results highlighted, the rest faded, the highlight in the legend",
		"built roads only works alone, with the stated distance", "free text finds a plot by its code",
		"free text finds plots by a road name", "sorts order the list as the API does",
		"English view has no untranslated string", "English units written out, mu and 10,000 yuan explained",
		"language follows the browser, the choice is remembered, the link wins", "English view on a phone has no untranslated string",
		"area tool measures geodesically (matches the API area)", "distance tool measures the clicked points",
		"no request beyond the server, no console error",
		"page URL keeps land and building searches apart (/?lang=en&status=planned,ready&sort=area&b_status=planned&b_sort=free_area&b_q=1)",
		"page URL keeps land and building searches apart (/?status=planned,ready)",
	}
	for _, lang := range []string{"zh", "en"} {
		for _, size := range []string{"1366", "375"} {
			want = append(want, "zone, place, area, scale and north arrow shown ("+lang+" "+size+")",
				"legend compact or folded ("+lang+" "+size+")", "details panel docks, the site stays in view ("+lang+" "+size+")")
			if size == "375" {
				want = append(want, "tap targets at least 44 px ("+lang+" 375)", "result count above the fold ("+lang+" 375)",
					"panel switch says what it does ("+lang+" 375)")
			}
		}
	}
	for _, name := range want {
		t.Run(name, func(t *testing.T) {
			r, ok := got[name]
			if !ok {
				t.Fatalf("check did not run; ran: %s", strings.Join(order, "; "))
			}
			if !r.OK {
				t.Errorf("failed: %s", r.Detail)
			}
		})
	}
}
