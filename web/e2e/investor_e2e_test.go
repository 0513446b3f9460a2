package e2e

import (
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
	results := runScript(t, node, "investor.mjs", 8*time.Minute, "--base", base)
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
	// A link to one site, and a refused area range (this session's walk-through findings).
	for _, name := range []string{"zh-1366", "en-375"} {
		want = append(want, "a link to one plot lands on it ("+name+")", "min above max refused in place ("+name+")",
			"the refusal follows a language switch ("+name+")", "correcting the range searches again ("+name+")")
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
	expectChecks(t, results, want...)
}
