package web_test

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The checks of issue 9 with GDAL as the client (gdal-bin: `make gdal`): ogrinfo and ogr2ogr
// through the OAPIF driver against the real server on the demo database.

func gdal(t *testing.T, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: run `make gdal` (gdal-bin)", name)
	}
	cmd := exec.Command(name, args...)
	cmd.Env = append(cmd.Environ(), "GDAL_HTTP_TIMEOUT=60", "CPL_DEBUG=OFF")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// gpkgCodes reads the codes of a GeoPackage layer with ogrinfo.
func gpkgCodes(t *testing.T, file, layer string) []string {
	t.Helper()
	out := gdal(t, "ogrinfo", "-ro", "-q", "-sql", "SELECT code FROM \""+layer+"\"", file)
	var codes []string
	for _, m := range regexp.MustCompile(`(?m)^\s+code \(String\) = (.+)$`).FindAllStringSubmatch(out, -1) {
		codes = append(codes, strings.TrimSpace(m[1]))
	}
	sort.Strings(codes)
	return codes
}

func TestGDALReadsFiltersAndPagesThroughOGC(t *testing.T) {
	e := newOGCEnv(t)
	root := "OAPIF:" + e.srv.URL + "/ogc"

	// ogrinfo lists every collection.
	out := gdal(t, "ogrinfo", "-ro", "-q", root)
	for _, c := range []string{"zones", "layout", "plots", "plants", "idle-sites", "roads"} {
		if !regexp.MustCompile(`(?m)^\d+: ` + regexp.QuoteMeta(c) + `( |$)`).MatchString(out) {
			t.Errorf("ogrinfo does not list %s:\n%s", c, out)
		}
	}

	var all fc
	getJSON(t, e.srv, "/api/v1/plots?limit=10000", 200, &all)
	if len(all.Features) < 300 {
		t.Fatalf("the demo has only %d plots", len(all.Features))
	}
	dir := t.TempDir()
	e.requests("")

	// ogr2ogr copies every plot, paging at 1000.
	gpkg := filepath.Join(dir, "plots.gpkg")
	gdal(t, "ogr2ogr", "-f", "GPKG", "-oo", "PAGE_SIZE=1000", gpkg, root, "plots")
	if got, want := gpkgCodes(t, gpkg, "plots"), sortedCodes(all.Features); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ogr2ogr copied %d plots, /api/v1 has %d", len(got), len(want))
	}
	pages := e.requests("/ogc/collections/plots/items")
	if len(pages) < (len(all.Features)+999)/1000 {
		t.Errorf("ogr2ogr made %d requests for %d plots", len(pages), len(all.Features))
	}
	for _, u := range pages {
		if u.Query().Get("limit") != "1000" {
			t.Errorf("page request %s: limit is not 1000", u)
		}
	}

	// GDAL types the columns from the collection's describedBy schema, not from the first page
	// (whose indicators may all be null): numbers are Real or Integer, at GDAL's default page size.
	info := gdal(t, "ogrinfo", "-ro", "-so", root, "plots")
	for col, typ := range map[string]string{"min_far": "Real", "min_investment_wan_per_mu": "Real", "area_mu": "Real", "version": "Integer", "name": "String"} {
		if !regexp.MustCompile(`(?m)^` + col + `: ` + typ + ` `).MatchString(info) {
			t.Errorf("ogrinfo types %s not as %s:\n%s", col, typ, info)
		}
	}

	// The demo holds fewer than 1000 plots: paging itself is checked at 100 a page.
	paged := filepath.Join(dir, "paged.gpkg")
	gdal(t, "ogr2ogr", "-f", "GPKG", "-oo", "PAGE_SIZE=100", paged, root, "plots")
	if got, want := gpkgCodes(t, paged, "plots"), sortedCodes(all.Features); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ogr2ogr at 100 a page copied %d plots, /api/v1 has %d", len(got), len(want))
	}
	if n := len(e.requests("/ogc/collections/plots/items")); n < (len(all.Features)+99)/100 {
		t.Errorf("ogr2ogr at 100 a page made %d requests for %d plots", n, len(all.Features))
	}

	// -spat returns the /api/v1 bbox set (GDAL adds bbox to the request).
	spat := filepath.Join(dir, "spat.gpkg")
	gdal(t, "ogr2ogr", "-f", "GPKG", "-oo", "PAGE_SIZE=1000", "-spat", "111.5", "36.0", "111.6", "36.1", spat, root, "plots")
	var inBox fc
	getJSON(t, e.srv, "/api/v1/plots?limit=10000&bbox=111.5,36.0,111.6,36.1", 200, &inBox)
	if got, want := gpkgCodes(t, spat, "plots"), sortedCodes(inBox.Features); strings.Join(got, ",") != strings.Join(want, ",") || len(want) == 0 {
		t.Errorf("-spat copied %d plots, /api/v1 bbox has %d", len(got), len(want))
	}
	sawBBox := false
	for _, u := range e.requests("/ogc/collections/plots/items") {
		sawBBox = sawBBox || u.Query().Get("bbox") != ""
	}
	if !sawBBox {
		t.Error("GDAL did not send bbox to the server")
	}

	// -where reaches the server as CQL (filter-lang=cql-text) and gives the /api/v1 set.
	where := filepath.Join(dir, "where.gpkg")
	gdal(t, "ogr2ogr", "-f", "GPKG", "-oo", "PAGE_SIZE=1000", "-where", "status = 'ready' AND area_mu > 50", where, root, "plots")
	var ready fc
	getJSON(t, e.srv, fmt.Sprintf("/api/v1/plots?limit=10000&status=ready&min_area_mu=%v", 50), 200, &ready)
	want := []string{}
	for _, f := range ready.Features {
		if f.Properties["area_mu"].(float64) > 50 {
			want = append(want, f.ID)
		}
	}
	sort.Strings(want)
	if got := gpkgCodes(t, where, "plots"); strings.Join(got, ",") != strings.Join(want, ",") || len(want) == 0 {
		t.Errorf("-where copied %d plots, /api/v1 has %d", len(got), len(want))
	}
	// The same -where over pages of 10: GDAL follows the next links, which must carry the filter
	// as it came (a space written '+' read as a plus sign in cql-text: page 2 was a 400).
	wherePaged := filepath.Join(dir, "where-paged.gpkg")
	gdal(t, "ogr2ogr", "-f", "GPKG", "-oo", "PAGE_SIZE=10", "-where", "status = 'ready' AND area_mu > 50", wherePaged, root, "plots")
	if got := gpkgCodes(t, wherePaged, "plots"); strings.Join(got, ",") != strings.Join(want, ",") || len(want) <= 10 {
		t.Errorf("-where at 10 a page copied %d plots, /api/v1 has %d", len(got), len(want))
	}
	filtered := 0
	for _, u := range e.requests("/ogc/collections/plots/items") {
		q := u.Query()
		if f := q.Get("filter"); f != "" {
			filtered++
			if q.Get("filter-lang") != "cql-text" || !strings.Contains(f, "status") || !strings.Contains(f, "area_mu") {
				t.Errorf("filter arrived as %q in %q", f, q.Get("filter-lang"))
			}
		}
	}
	if filtered == 0 {
		t.Error("GDAL applied -where on the client: no request carried filter")
	}

	// A '+' inside a cql-text filter (GDAL sends it unescaped) is a plus sign on every page: the
	// next link carries it as %2B, not as a space.
	var plus struct {
		Links []struct{ Rel, Href string } `json:"links"`
	}
	getJSON(t, e.srv, "/ogc/collections/plots/items?filter-lang=cql-text&limit=1&filter=area_mu+0%20>%2050", 200, &plus)
	nexts := 0
	for _, l := range plus.Links {
		if l.Rel == "next" {
			nexts++
			if !strings.Contains(l.Href, "area_mu%2B0%20%3E%2050") {
				t.Errorf("next link %s does not carry the filter's '+'", l.Href)
			}
		}
	}
	if nexts != 1 {
		t.Errorf("%d next links: %+v", nexts, plus.Links)
	}

	// datetime = as_of: the plots as of a date before the demo existed are none.
	var past fc
	getJSON(t, e.srv, "/ogc/collections/plots/items?datetime=2000-01-01", 200, &past)
	if len(past.Features) != 0 {
		t.Errorf("datetime=2000-01-01 gives %d plots", len(past.Features))
	}
	_ = context.Background()
}
