package e2e

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestProjectsInTheBrowser runs projects.mjs against the demo (its projects in every stage) with
// a planner's password and one enquiry from the public: the public page requests no project
// route; the planner sees the projects by stage, overdue ones marked, a project's matches on the
// map equal to the API's (queryRenderedFeatures), the legend key, every condition; flies to a
// match and opens its site sheet; turns the enquiry into a project, advances it a stage, and a
// skipped stage is refused in words, in Chinese and English, at 1366×768 and 375×740
// (screenshots projects-*.png in test-output/). The investment per 亩 derived from the total
// investment is marked and equals total ÷ area from the API's figures; reserving a plot failing
// a hard condition asks first, listing the failures, and the message names the plot reserved;
// the enquiry list shows the enquiry's contact fields and records a reply.
func TestProjectsInTheBrowser(t *testing.T) {
	node := tools(t)
	db := openDB(t, postgistest.URL(t, true))
	ctx := context.Background()
	if _, err := db.AddUser(ctx, "wang", inventory.RolePlanner); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPassword(ctx, "wang", "wang's password"); err != nil {
		t.Fatal(err)
	}
	area := 30.0
	enquiry, err := db.CreateEnquiry(ctx, "", inventory.NewEnquiry{SiteLayer: "plots", SiteCode: "LF-D1-0012", Name: "李先生",
		Company: "示例新材料有限公司", Phone: "13800000000", Email: "li@example.com", Industry: "新材料", AreaMu: &area, Message: "想了解地块"})
	if err != nil {
		t.Fatal(err)
	}
	base := serveWith(t, storeDeps(db), nil)
	results := runScript(t, node, "projects.mjs", 6*time.Minute, "--base", base, "--name", "wang",
		"--password", "wang's password", "--enquiry", strconv.FormatInt(enquiry, 10))
	want := []string{
		"public page requests no project route and shows none", "projects listed by stage, overdue marked",
		"matches highlighted on the map equal the API (plots), pass and fail apart", "legend shows the match styles",
		"every condition listed with pass/fail, value and required", "a match flies to its site and links to its site sheet",
		"plant matches highlighted equal the API (plants)", "an enquiry becomes a project from the enquiry list",
		"advancing a stage moves the project one stage", "a skipped stage is refused in words and changes nothing (zh)",
		"English view has no untranslated string; a skip refused in English",
		"derived investment per mu marked, equal to total investment ÷ plot area",
		"a matched plot reserved for a signed project from its match (Reserve this plot)",
		"the enquiry list shows the contact fields; a reply is recorded",
		"the site-ranking rule: shown as in force, changed and saved, the matches ranked again; refused in words; English; defaults back",
		"no page errors (planner)",
		"phone zh: panel fits, matches on the map", "phone en: panel fits, matches on the map",
	}
	expectChecks(t, results, want...)
}
