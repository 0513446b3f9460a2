package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
	"github.com/landinv/landinv/web"
)

// TestReportPage draws the report page (/reports) in headless chromium on the demo data, as the
// public and as a planner, in Chinese and English, at 1366 × 768 and 375 px, and prints it to A4
// PDFs, which poppler reads (numbered pages, page fill). Screenshots (report-*-zh|en-1366|375.png),
// the PDFs (report-zh.pdf, report-en.pdf) and their pages (report-*-pdf-N.png) go to test-output/.
func TestReportPage(t *testing.T) {
	node := tools(t)
	db := openDB(t, postgistest.URL(t, true))
	const token = "report-e2e-planner"
	d := storeDeps(db)
	// A stand-in for the sign-in (not what this test is about): one bearer token is a planner.
	d.Authenticate = func(r *http.Request) (inventory.Viewer, error) {
		if r.Header.Get("Authorization") == "Bearer "+token {
			return inventory.Viewer{Name: "planner", Role: inventory.RolePlanner}, nil
		}
		return inventory.Anonymous, nil
	}
	// The issuing unit is the zone's setting (zones.evaluation).
	if _, err := db.Pool.Exec(context.Background(), `update zones set evaluation = evaluation ||
		'{"issuer": "临汾经济开发区管理委员会", "issuer_en": "Linfen Economic Development Zone Administrative Committee"}'`); err != nil {
		t.Fatal(err)
	}
	// A second server with a small costly budget for the public (8 a minute; one view of the
	// page asks for five reports): the page must say so in its own language.
	limited := storeDeps(db)
	limited.Limits = web.Limits{AnonymousCostlyPerMinute: 8}
	results := runScript(t, node, "report.mjs", 5*time.Minute, "--base", serveWith(t, d, nil), "--token", token,
		"--limited", serveWith(t, limited, nil))
	want := []string{"public page loads without errors or outside requests", "every chart draws", "indicator table shows the API figures",
		"public report respects the disclosure rule", "Chinese and English are never mixed, dates in the locale's format", "groups are named",
		"fits a 375 px screen (zh)", "fits a 375 px screen (en)",
		"indicator bars drawn on a 375 px screen (zh)", "indicator bars drawn on a 375 px screen (en)", "planner view shows every indicator and the score",
		"prints to A4 without the controls", `printed pages are numbered "i / N"`, "no printed page under a third full, except the last",
		"the cover names zone, issuer, period, date and page count; the last page is signed off",
		"per-mu report as a planner: grade counts, firms and reclamation list equal the API", "per-mu report in English has no Chinese word",
		"per-mu report for the public: the public API's counts and no firm name", "per-mu report prints on numbered pages, none under a third full but the last",
		"pipeline report as a planner: stages, clusters, durations, overdue, waiting projects, land and plants equal the API",
		"pipeline report in English has no Chinese word outside names entered in Chinese", "pipeline report fits a 375 px screen",
		"pipeline report is neither offered to nor requested for the public",
		"pipeline report prints on numbered pages, none under a third full but the last",
		"the public's rate limit is said in the page's language", "the English report names roads in English",
		"a date before the history says when it begins",
		"sections and figures are numbered as seen", "per-mu: the reclamation list download is offered to a planner",
		"printed report has no serif font"}
	expectChecks(t, results, want...)
}
