package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// ogcEnv serves the demo database, recording every request's URL (to see what GDAL sends).
type ogcEnv struct {
	db  *postgis.DB
	srv *httptest.Server
	mu  sync.Mutex
	log []*url.URL
}

func newOGCEnv(t *testing.T) *ogcEnv {
	t.Helper()
	e := &ogcEnv{db: postgistest.NewWithDemo(t)}
	h := newServer(t, storeDeps(e.db))
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		u := *r.URL
		e.log = append(e.log, &u)
		e.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

// requests returns the recorded requests whose path is path, and forgets all.
func (e *ogcEnv) requests(path string) []*url.URL {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []*url.URL
	for _, u := range e.log {
		if u.Path == path {
			out = append(out, u)
		}
	}
	e.log = nil
	return out
}

// ogcFC is an OGC FeatureCollection.
type ogcFC struct {
	Type           string              `json:"type"`
	NumberMatched  int                 `json:"numberMatched"`
	NumberReturned int                 `json:"numberReturned"`
	TimeStamp      string              `json:"timeStamp"`
	Links          []map[string]string `json:"links"`
	Features       []feature           `json:"features"`
}

func sortedCodes(fs []feature) []string {
	c := codes(fs)
	sort.Strings(c)
	return c
}

func TestOGCDiscovery(t *testing.T) {
	srv := demo(t)
	var landing struct{ Links []map[string]string }
	getJSON(t, srv, "/ogc", 200, &landing)
	rels := map[string]string{}
	for _, l := range landing.Links {
		rels[l["rel"]] = l["href"]
	}
	for _, rel := range []string{"conformance", "data", "service-desc", "service-doc", "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"} {
		if rels[rel] == "" {
			t.Errorf("landing page has no %s link: %v", rel, landing.Links)
		}
		getJSON(t, srv, strings.TrimPrefix(rels[rel], srv.URL), 200, nil)
	}
	var conf struct{ ConformsTo []string }
	getJSON(t, srv, "/ogc/conformance", 200, &conf)
	if !slices.Contains(conf.ConformsTo, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core") {
		t.Errorf("conformance: %v", conf.ConformsTo)
	}
	var cs struct {
		Collections []struct {
			ID, Title, ItemType, StorageCrs string
			Crs                             []string
			Extent                          struct {
				Spatial  struct{ Bbox [][4]float64 }
				Temporal struct{ Interval [][2]*string }
			}
			Links []map[string]string
		}
	}
	getJSON(t, srv, "/ogc/collections", 200, &cs)
	var ids []string
	for _, c := range cs.Collections {
		ids = append(ids, c.ID)
		if c.ItemType != "feature" || c.StorageCrs == "" || len(c.Crs) == 0 || !strings.Contains(c.Title, " / ") {
			t.Errorf("collection %s: %+v", c.ID, c)
		}
		b := c.Extent.Spatial.Bbox[0]
		if b[0] < 100 || b[2] > 120 || b[0] >= b[2] || b[1] >= b[3] {
			t.Errorf("collection %s: bbox %v", c.ID, b)
		}
		if c.ID != "zones" {
			if iv := c.Extent.Temporal.Interval[0]; iv[0] == nil || iv[1] != nil {
				t.Errorf("collection %s: temporal interval %v", c.ID, iv)
			}
			if !slices.Contains(c.Crs, "http://www.opengis.net/def/crs/EPSG/0/4546") {
				t.Errorf("collection %s: crs %v", c.ID, c.Crs)
			}
		}
		getJSON(t, srv, "/ogc/collections/"+c.ID, 200, nil)
	}
	if strings.Join(ids, ",") != "zones,layout,plots,plants,idle-sites,roads" {
		t.Errorf("collections: %v", ids)
	}
	var api struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	getJSON(t, srv, "/ogc/api", 200, &api)
	if !strings.HasPrefix(api.OpenAPI, "3.0") || api.Paths["/collections/plots/items"]["get"] == nil || api.Paths["/tileMatrixSets/WebMercatorQuad"]["get"] == nil {
		t.Fatalf("openapi %s, paths %v", api.OpenAPI, api.Paths)
	}
	var params struct {
		Components struct {
			Parameters map[string]struct {
				Schema struct{ Enum []string }
			}
		}
	}
	getJSON(t, srv, "/ogc/api", 200, &params)
	if !slices.Contains(params.Components.Parameters["filter-lang"].Schema.Enum, "cql-text") {
		t.Error("the OpenAPI document does not list filter-lang cql-text")
	}
}

// TestOGCItemsAreTheAPIsItems: the same sets as /api/v1 with the equivalent parameters.
func TestOGCItemsAreTheAPIsItems(t *testing.T) {
	srv := demo(t)
	all := allPlots(t, srv)
	for _, c := range []struct{ ogc, api string }{
		{"limit=10000", "limit=10000"},
		{"limit=10000&status=ready", "limit=10000&status=ready"},
		{"limit=10000&bbox=111.5,36.0,111.6,36.1", "limit=10000&bbox=111.5,36.0,111.6,36.1"},
		{"limit=10000&filter=" + url.QueryEscape("status IN ('ready','idle') AND area_mu >= 30"), "limit=10000&status=ready,idle&min_area_mu=30"},
		{"limit=10000&datetime=2000-01-01", "limit=10000&as_of=2000-01-01"},
		{"limit=10000&datetime=" + url.QueryEscape(time.Now().Format(time.RFC3339)), "limit=10000&as_of=" + url.QueryEscape(time.Now().Format(time.RFC3339))},
	} {
		var o ogcFC
		var a fc
		h := getJSON(t, srv, "/ogc/collections/plots/items?"+c.ogc, 200, &o)
		getJSON(t, srv, "/api/v1/plots?"+c.api, 200, &a)
		if strings.Join(sortedCodes(o.Features), ",") != strings.Join(sortedCodes(a.Features), ",") || o.NumberMatched != a.NumberMatched || o.NumberReturned != len(o.Features) {
			t.Errorf("%s: %d features (%d matched), /api/v1 %s: %d", c.ogc, len(o.Features), o.NumberMatched, c.api, len(a.Features))
		}
		if h.Get("Content-Type") != "application/geo+json" || o.TimeStamp == "" {
			t.Errorf("%s: content type %q, timeStamp %q", c.ogc, h.Get("Content-Type"), o.TimeStamp)
		}
	}
	// Paging: next links walk every plot once, in code order.
	var seen []string
	next := "/ogc/collections/plots/items?limit=97"
	for pages := 0; next != ""; pages++ {
		var o ogcFC
		getJSON(t, srv, next, 200, &o)
		seen = append(seen, codes(o.Features)...)
		next = ""
		for _, l := range o.Links {
			if l["rel"] == "next" {
				next = strings.TrimPrefix(l["href"], srv.URL)
			}
		}
		if pages > 100 {
			t.Fatal("paging does not end")
		}
	}
	if strings.Join(seen, ",") != strings.Join(codes(all), ",") {
		t.Errorf("paging saw %d plots, want %d", len(seen), len(all))
	}
	// One item: the same feature and ETag as /api/v1.
	code := all[0].ID
	h1 := getJSON(t, srv, "/ogc/collections/plots/items/"+code, 200, nil)
	h2 := getJSON(t, srv, "/api/v1/plots/"+code, 200, nil)
	if h1.Get("ETag") == "" || h1.Get("ETag") != h2.Get("ETag") {
		t.Errorf("item ETag %q, /api/v1 %q", h1.Get("ETag"), h2.Get("ETag"))
	}
	getJSON(t, srv, "/ogc/collections/plots/items/NOPE-1", 404, nil)
	// Sorting and trimming.
	var sorted ogcFC
	getJSON(t, srv, "/ogc/collections/plots/items?limit=10000&sortby=-area_mu,code&properties=code,status,area_mu", 200, &sorted)
	for i, f := range sorted.Features {
		if len(f.Properties) != 3 {
			t.Fatalf("properties=code,status,area_mu gives %v", f.Properties)
		}
		if i > 0 && f.Properties["area_mu"].(float64) > sorted.Features[i-1].Properties["area_mu"].(float64) {
			t.Fatalf("sortby=-area_mu: %v after %v", f.Properties["area_mu"], sorted.Features[i-1].Properties["area_mu"])
		}
	}
}

// TestOGCRefusals: each bad parameter is a 400 problem naming it.
func TestOGCRefusals(t *testing.T) {
	srv := demo(t)
	for _, c := range []struct{ query, field string }{
		{"bogus=1", "bogus"},
		{"datetime=2024-01-01/2024-02-01", "datetime"},
		{"datetime=../2024-02-01", "datetime"},
		{"crs=EPSG:2000", "crs"},
		{"bbox-crs=EPSG:4546", "bbox-crs"},
		{"limit=10001", "limit"},
		{"status=sold", "status"},
		{"investment_wan=5", "investment_wan"},
		{"filter=" + url.QueryEscape("investment_wan > 0"), "filter"},
		{"filter=" + url.QueryEscape("status = 'ready"), "filter"},
		{"filter=" + url.QueryEscape("name = 'x' OR 1=1 --'"), "filter"},
		{"filter-lang=cql2-text", "filter-lang"},
		{"filter=" + url.QueryEscape("status = 'ready'") + "&filter-lang=sql", "filter-lang"},
		{"filter=" + strings.Repeat("a", 17000), "filter"},
		{"sortby=investment_wan", "sortby"},
		{"sortby=geometry", "sortby"},
		{"properties=enterprise", "properties"},
	} {
		resp, err := http.Get(srv.URL + "/ogc/collections/plots/items?" + c.query)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			Field  string
			Detail string
		}
		_ = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if resp.StatusCode != 400 || p.Field != c.field || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%.60s = %d %+v, want 400 naming %s", c.query, resp.StatusCode, p, c.field)
		}
	}
	// A quote inside a string literal stays a literal: no plot is named so.
	var o ogcFC
	getJSON(t, srv, "/ogc/collections/plots/items?filter="+url.QueryEscape("name = 'x'' OR ''1''=''1'"), 200, &o)
	if o.NumberMatched != 0 {
		t.Errorf("quote injection matched %d plots", o.NumberMatched)
	}
}

// TestOGCCRS: crs=EPSG:4546 gives northing, easting as PostGIS ST_Transform computes them,
// within a millimetre; EPSG:4326 is CRS84 with the axes swapped; bbox-crs finds the same plots.
func TestOGCCRS(t *testing.T) {
	e := newOGCEnv(t)
	ctx := context.Background()
	var code, want string
	err := e.db.Pool.QueryRow(ctx, `select code, ST_AsGeoJSON(ST_Transform(geom, 4546), 9) from plots
		where valid_to = 'infinity' and not archived order by code limit 1`).Scan(&code, &want)
	if err != nil {
		t.Fatal(err)
	}
	var f, crs84, lat feature
	h := getJSON(t, e.srv, "/ogc/collections/plots/items/"+code+"?crs="+url.QueryEscape("http://www.opengis.net/def/crs/EPSG/0/4546"), 200, &f)
	if h.Get("Content-Crs") != "<http://www.opengis.net/def/crs/EPSG/0/4546>" {
		t.Errorf("Content-Crs %q", h.Get("Content-Crs"))
	}
	var ref struct{ Coordinates [][][][2]float64 }
	if err := json.Unmarshal([]byte(want), &ref); err != nil {
		t.Fatal(err)
	}
	var got [][][][2]float64
	if err := json.Unmarshal(f.Geometry.Coordinates, &got); err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := range ref.Coordinates {
		for j := range ref.Coordinates[i] {
			for k, p := range ref.Coordinates[i][j] {
				q := got[i][j][k]
				// EPSG:4546 is northing, easting; PostGIS writes easting, northing.
				if math.Abs(q[0]-p[1]) > 0.001 || math.Abs(q[1]-p[0]) > 0.001 {
					t.Fatalf("vertex %v, PostGIS %v", q, p)
				}
				n++
			}
		}
	}
	if n < 4 || ref.Coordinates[0][0][0][0] < 300000 {
		t.Fatalf("only %d vertices compared: %v", n, ref.Coordinates)
	}
	// Projected coordinates are rounded to the millimetre.
	if s := string(f.Geometry.Coordinates); strings.Contains(s, ".") && len(strings.Split(strings.Split(s, ",")[0], ".")[1]) > 3 {
		t.Errorf("more than 3 decimals: %.80s", s)
	}
	getJSON(t, e.srv, "/ogc/collections/plots/items/"+code, 200, &crs84)
	getJSON(t, e.srv, "/ogc/collections/plots/items/"+code+"?crs=EPSG:4326", 200, &lat)
	var a, b [][][][2]float64
	_ = json.Unmarshal(crs84.Geometry.Coordinates, &a)
	_ = json.Unmarshal(lat.Geometry.Coordinates, &b)
	if a[0][0][0][0] != b[0][0][0][1] || a[0][0][0][1] != b[0][0][0][0] {
		t.Errorf("EPSG:4326 %v is not CRS84 %v swapped", b[0][0][0], a[0][0][0])
	}
	// bbox in EPSG:4546 (northing, easting) around the zone finds what the CRS84 bbox finds.
	var box [4]float64
	if err := e.db.Pool.QueryRow(ctx, `select ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) from
		(select ST_Extent(ST_Transform(geom, 4546)) e from plots where valid_to = 'infinity' and not archived and code < 'P') x`).
		Scan(&box[0], &box[1], &box[2], &box[3]); err != nil {
		t.Fatal(err)
	}
	var inGK, all ogcFC
	getJSON(t, e.srv, fmt.Sprintf("/ogc/collections/plots/items?limit=10000&bbox-crs=EPSG:4546&bbox=%f,%f,%f,%f", box[1], box[0], box[3], box[2]), 200, &inGK)
	getJSON(t, e.srv, "/ogc/collections/plots/items?limit=10000", 200, &all)
	if inGK.NumberMatched < 1 || inGK.NumberMatched > all.NumberMatched {
		t.Errorf("bbox in EPSG:4546 finds %d of %d plots", inGK.NumberMatched, all.NumberMatched)
	}
	// Which plots, checked in EPSG:4546 by PostGIS: every plot the box was drawn around (code
	// < 'P') is found, and every plot found lies within a metre of the box.
	found := map[string]bool{}
	for _, f := range inGK.Features {
		found[f.ID] = true
	}
	rows, err := e.db.Pool.Query(ctx, `select code, code < 'P', ST_DWithin(ST_Transform(geom, 4546), ST_MakeEnvelope($1, $2, $3, $4, 4546), 1)
		from plots where valid_to = 'infinity' and not archived`, box[0], box[1], box[2], box[3])
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	inside := 0
	for rows.Next() {
		var c string
		var drawn, near bool
		if err := rows.Scan(&c, &drawn, &near); err != nil {
			t.Fatal(err)
		}
		if drawn && !found[c] {
			t.Errorf("bbox in EPSG:4546 misses plot %s, which it was drawn around", c)
		}
		if found[c] && !near {
			t.Errorf("bbox in EPSG:4546 finds plot %s, which lies outside it", c)
		}
		if drawn {
			inside++
		}
	}
	if inside == 0 || len(found) != len(inGK.Features) || len(inGK.Features) != inGK.NumberMatched {
		t.Errorf("bbox in EPSG:4546: %d drawn around, %d features for %d matched", inside, len(inGK.Features), inGK.NumberMatched)
	}
}

// TestOGCWritesNeedIfMatch: a write through /ogc without If-Match is a 428 and changes nothing;
// with the ETag of GET /ogc/.../items/{code} it is accepted; a stale one is a 412. Creating
// answers 201 with an /ogc Location; the public may not write.
func TestOGCWritesNeedIfMatch(t *testing.T) {
	e := newEditEnv(t)
	before := e.snapshot(t)
	patch := `{"type":"Feature","properties":{"name":"经OGC修改"}}`
	if r := e.do(t, "PATCH", "/ogc/collections/plots/items/P1", "alice", "", patch); r.status != 428 {
		t.Fatalf("PATCH without If-Match = %d %s", r.status, r.body)
	}
	if r := e.do(t, "PATCH", "/ogc/collections/plots/items/P1", "", `"*"`, patch); r.status != 401 {
		t.Fatalf("public PATCH = %d %s", r.status, r.body)
	}
	if e.snapshot(t) != before {
		t.Fatal("refused writes changed the inventory")
	}
	got := e.do(t, "GET", "/ogc/collections/plots/items/P1", "alice", "", "")
	etag := got.header.Get("ETag")
	if got.status != 200 || etag == "" {
		t.Fatalf("GET = %d, ETag %q", got.status, etag)
	}
	r := e.do(t, "PATCH", "/ogc/collections/plots/items/P1", "alice", etag, patch)
	if r.status != 200 || r.json(t)["properties"].(map[string]any)["name"] != "经OGC修改" {
		t.Fatalf("PATCH with the ETag = %d %s", r.status, r.body)
	}
	if r := e.do(t, "PATCH", "/ogc/collections/plots/items/P1", "alice", etag, patch); r.status != 412 {
		t.Fatalf("PATCH with a stale ETag = %d %s", r.status, r.body)
	}
	// PUT replaces: properties left out are cleared.
	etag = e.do(t, "GET", "/ogc/collections/plots/items/P1", "alice", "", "").header.Get("ETag")
	put := feat(box(111.51, 36.01, 111.52, 36.02), `{"land_use":"100101","status":"ready"}`)
	if r := e.do(t, "PUT", "/ogc/collections/plots/items/P1", "alice", etag, put); r.status != 200 || r.json(t)["properties"].(map[string]any)["name"] != nil {
		t.Fatalf("PUT = %d %s", r.status, r.body)
	}
	// A body in another CRS (Content-Crs, Part 2) is refused before anything is written:
	// Gauss-Krüger metres read as degrees would put the plot elsewhere. CRS84 goes on.
	before = e.snapshot(t)
	gk := feat(box(37417000, 3985000, 37418000, 3986000), `{"code":"P8","land_use":"100101","status":"planned"}`)
	for _, crs := range []string{"<http://www.opengis.net/def/crs/EPSG/0/4525>", "<http://www.opengis.net/def/crs/EPSG/0/4326>"} {
		req, _ := http.NewRequest("POST", e.srv.URL+"/ogc/collections/plots/items", strings.NewReader(gk))
		req.Header.Set("Authorization", "Bearer "+e.tokens["alice"])
		req.Header.Set("Content-Type", "application/geo+json")
		req.Header.Set("Content-Crs", crs)
		r := roundTrip(t, req)
		var p struct{ Field, Detail string }
		_ = json.Unmarshal(r.body, &p)
		if r.status != 400 || p.Field != "Content-Crs" || !strings.Contains(p.Detail, "OGC/1.3/CRS84") {
			t.Errorf("POST with Content-Crs %s = %d %s", crs, r.status, r.body)
		}
	}
	if e.snapshot(t) != before {
		t.Fatal("a refused Content-Crs changed the inventory")
	}
	// POST creates, with an /ogc Location.
	c := e.do(t, "POST", "/ogc/collections/plots/items", "alice", "", feat(box(111.53, 36.03, 111.54, 36.04), `{"code":"P9","land_use":"100101","status":"planned"}`))
	if c.status != 201 || !strings.HasSuffix(c.header.Get("Location"), "/ogc/collections/plots/items/P9") {
		t.Fatalf("POST = %d %s, Location %q", c.status, c.body, c.header.Get("Location"))
	}
	// DELETE archives, with If-Match.
	if r := e.do(t, "DELETE", "/ogc/collections/plots/items/P9", "alice", "", ""); r.status != 428 {
		t.Fatalf("DELETE without If-Match = %d %s", r.status, r.body)
	}
	if r := e.do(t, "DELETE", "/ogc/collections/plots/items/P9", "alice", c.header.Get("ETag"), ""); r.status != 200 {
		t.Fatalf("DELETE = %d %s", r.status, r.body)
	}
	if r := e.do(t, "GET", "/ogc/collections/plots/items/P9", "", "", ""); r.status != 404 {
		t.Fatalf("archived P9 = %d", r.status)
	}
}

// TestOGCQueryablesFollowTheViewer: confidential properties are queryable, sortable and in the
// schema for planners only; the public's filter on one is a 400 naming it, not an oracle.
func TestOGCQueryablesFollowTheViewer(t *testing.T) {
	e := newEditEnv(t)
	for _, user := range []string{"", "bob", "alice"} {
		for _, kind := range []string{"queryables", "sortables", "schema"} {
			r := e.do(t, "GET", "/ogc/collections/plots/"+kind, user, "", "")
			props, _ := r.json(t)["properties"].(map[string]any)
			if _, ok := props["investment_wan"]; ok != (user == "alice") || props["status"] == nil {
				t.Errorf("%s as %q: investment_wan present %v", kind, user, ok)
			}
			if st, _ := props["status"].(map[string]any); st["title"] != "状态" || st["enum"] == nil {
				t.Errorf("%s: status %v", kind, props["status"])
			}
		}
		r := e.do(t, "GET", "/ogc/collections/plots/items?filter="+url.QueryEscape("investment_wan > 0"), user, "", "")
		if user == "alice" {
			if r.status != 200 || len(r.json(t)["features"].([]any)) != 1 {
				t.Errorf("planner's filter on investment_wan = %d %s", r.status, r.body)
			}
			continue
		}
		if r.status != 400 || !strings.Contains(string(r.body), `"property":"investment_wan"`) {
			t.Errorf("filter on investment_wan as %q = %d %s", user, r.status, r.body)
		}
		// A typo's refusal lists the route's own parameters and points to the queryables (listed
		// per viewer); it names no property, so it cannot name a hidden one.
		r = e.do(t, "GET", "/ogc/collections/plots/items?statu=ready", user, "", "")
		var p struct{ Field, Detail string }
		_ = json.Unmarshal(r.body, &p)
		if r.status != 400 || p.Field != "statu" || !strings.Contains(p.Detail, "/ogc/collections/plots/queryables") ||
			!strings.Contains(p.Detail, "sortby") || strings.Contains(p.Detail, "investment_wan") || strings.Contains(p.Detail, "changed_by") {
			t.Errorf("unknown parameter as %q = %d %s", user, r.status, r.body)
		}
	}
}

// TestOGCTileIsTheMapsTile: /tiles/WebMercatorQuad/{z}/{row}/{col} answers the bytes of
// /tiles/plots/{z}/{col}/{row}.mvt.
func TestOGCTileIsTheMapsTile(t *testing.T) {
	e := newEditEnv(t)
	n := math.Exp2(12)
	lat := 36.015 * math.Pi / 180
	x, y := int((111.515+180)/360*n), int((1-math.Log(math.Tan(lat)+1/math.Cos(lat))/math.Pi)/2*n)
	a := e.do(t, "GET", fmt.Sprintf("/ogc/collections/plots/tiles/WebMercatorQuad/12/%d/%d", y, x), "", "", "")
	b := e.do(t, "GET", fmt.Sprintf("/tiles/plots/12/%d/%d.mvt", x, y), "", "", "")
	if a.status != 200 || len(a.body) < 50 || string(a.body) != string(b.body) {
		t.Errorf("OGC tile %d (%d bytes), map tile %d (%d bytes)", a.status, len(a.body), b.status, len(b.body))
	}
	if r := e.do(t, "GET", fmt.Sprintf("/ogc/collections/plots/tiles/WebMercatorQuad/12/%d/%d", x, y), "", "", ""); r.status == 200 && string(r.body) == string(a.body) {
		t.Error("row and column swapped give the same tile")
	}
	for _, p := range []string{"/ogc/collections/plots/tiles", "/ogc/collections/plots/tiles/WebMercatorQuad", "/ogc/collections/plots/tiles/WebMercatorQuad/tilejson", "/ogc/styles/land-map"} {
		if r := e.do(t, "GET", p, "", "", ""); r.status != 200 {
			t.Errorf("GET %s = %d %s", p, r.status, r.body)
		}
	}
	if r := e.do(t, "GET", "/ogc/collections/plots/tiles/WebMercatorQuad/12/4096/0", "", "", ""); r.status != 400 || r.json(t)["field"] != "tileRow" {
		t.Errorf("row out of range = %d %s", r.status, r.body)
	}
}

// TestTilesetPropertiesSchema: the tileset's layer describes its properties as JSON Schema (OGC
// API – Tiles, propertiesSchema), one schema per property the tiles carry, each with a JSON type
// (the one /schema gives it) and its title; it listed titles as bare strings, which no client
// can read as a schema.
func TestTilesetPropertiesSchema(t *testing.T) {
	e := newOGCEnv(t)
	var set struct {
		Layers []struct {
			ID               string `json:"id"`
			PropertiesSchema struct {
				Type       string                     `json:"type"`
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"propertiesSchema"`
		} `json:"layers"`
	}
	getJSON(t, e.srv, "/ogc/collections/plots/tiles/WebMercatorQuad", 200, &set)
	var schema struct {
		Properties map[string]struct {
			Type string `json:"type"`
		} `json:"properties"`
	}
	getJSON(t, e.srv, "/ogc/collections/plots/schema", 200, &schema)
	if len(set.Layers) != 1 || set.Layers[0].ID != "plots" || set.Layers[0].PropertiesSchema.Type != "object" {
		t.Fatalf("tileset layers %+v", set.Layers)
	}
	props := set.Layers[0].PropertiesSchema.Properties
	if len(props) != len(inventory.TileLayers["plots"].Properties) {
		t.Errorf("%d properties described, the tiles carry %d", len(props), len(inventory.TileLayers["plots"].Properties))
	}
	for _, name := range inventory.TileLayers["plots"].Properties {
		var p struct {
			Type  string `json:"type"`
			Title string `json:"title"`
		}
		if err := json.Unmarshal(props[name], &p); err != nil {
			t.Errorf("%s: not a schema object: %s (%v)", name, props[name], err)
			continue
		}
		if p.Type == "" || p.Type != schema.Properties[name].Type || p.Title == "" {
			t.Errorf("%s: type %q (the schema's %q), title %q", name, p.Type, schema.Properties[name].Type, p.Title)
		}
	}
	// What the tiles' values are, written out here rather than taken from the code: text and
	// enumerations are strings, standard_land a boolean, area_mu a number.
	want := map[string]string{"code": "string", "name": "string", "district": "string", "land_use": "string",
		"cluster": "string", "status": "string", "standard_land": "boolean", "area_mu": "number"}
	for name, typ := range want {
		var p struct {
			Type string   `json:"type"`
			Enum []string `json:"enum"`
		}
		_ = json.Unmarshal(props[name], &p)
		if p.Type != typ {
			t.Errorf("%s: type %q, want %q", name, p.Type, typ)
		}
		if (name == "cluster" || name == "status") && len(p.Enum) == 0 {
			t.Errorf("%s: no enum, want its values", name)
		}
	}
}

// TestTileMatrixSetServedHere: the tileset and the tileset list link their tiling scheme to
// /ogc/tileMatrixSets/WebMercatorQuad on this server (no outside host), and its matrices are
// the WebMercatorQuad ones: 2^z tiles a side, 256 pixels a tile, covering ±20037508.34 m.
func TestTileMatrixSetServedHere(t *testing.T) {
	e := newOGCEnv(t)
	const rel = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
	var set struct {
		Links []struct{ Rel, Href string } `json:"links"`
	}
	getJSON(t, e.srv, "/ogc/collections/plots/tiles/WebMercatorQuad", 200, &set)
	var list struct {
		Tilesets []struct {
			Links []struct{ Rel, Href string } `json:"links"`
		} `json:"tilesets"`
	}
	getJSON(t, e.srv, "/ogc/collections/plots/tiles", 200, &list)
	links := set.Links
	for _, ts := range list.Tilesets {
		links = append(links, ts.Links...)
	}
	found := 0
	for _, l := range links {
		if l.Rel == rel {
			found++
			if !strings.HasSuffix(l.Href, "/ogc/tileMatrixSets/WebMercatorQuad") || !strings.HasPrefix(l.Href, e.srv.URL) {
				t.Errorf("tiling scheme at %s", l.Href)
			}
		}
	}
	if found != 2 {
		t.Errorf("%d tiling-scheme links, want one in the tileset and one in the list", found)
	}
	var tms struct {
		ID           string `json:"id"`
		CRS          string `json:"crs"`
		TileMatrices []struct {
			ID            string    `json:"id"`
			CellSize      float64   `json:"cellSize"`
			PointOfOrigin []float64 `json:"pointOfOrigin"`
			TileWidth     int       `json:"tileWidth"`
			MatrixWidth   int       `json:"matrixWidth"`
			MatrixHeight  int       `json:"matrixHeight"`
		} `json:"tileMatrices"`
	}
	getJSON(t, e.srv, "/ogc/tileMatrixSets/WebMercatorQuad", 200, &tms)
	if tms.ID != "WebMercatorQuad" || !strings.HasSuffix(tms.CRS, "/EPSG/0/3857") || len(tms.TileMatrices) < 17 {
		t.Fatalf("tile matrix set %+v", tms)
	}
	const side = 2 * 20037508.342789244 // the Web Mercator square, in metres
	for z, m := range tms.TileMatrices {
		covered := m.CellSize * float64(m.TileWidth) * float64(m.MatrixWidth)
		if m.ID != strconv.Itoa(z) || m.MatrixWidth != 1<<z || m.MatrixHeight != 1<<z || math.Abs(covered-side) > 0.01 ||
			len(m.PointOfOrigin) != 2 || math.Abs(m.PointOfOrigin[0]+side/2) > 0.01 || math.Abs(m.PointOfOrigin[1]-side/2) > 0.01 {
			t.Errorf("matrix %d: %+v covers %.3f m", z, m, covered)
		}
	}
}

// TestOGCMergePatch: a PATCH sent as application/merge-patch+json (RFC 7396, Part 4) may leave
// "type" out; null clears a property; "geometry": null is refused and changes nothing. Sent as
// GeoJSON, a body without "type" is still refused.
func TestOGCMergePatch(t *testing.T) {
	e := newEditEnv(t)
	send := func(ct, etag, body string) reply {
		t.Helper()
		req, _ := http.NewRequest("PATCH", e.srv.URL+"/ogc/collections/plots/items/P1", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+e.tokens["alice"])
		req.Header.Set("Content-Type", ct)
		req.Header.Set("If-Match", etag)
		return roundTrip(t, req)
	}
	etag := e.do(t, "GET", "/ogc/collections/plots/items/P1", "alice", "", "").header.Get("ETag")
	if r := send("application/geo+json", etag, `{"properties":{"name":"x"}}`); r.status != 422 {
		t.Errorf("GeoJSON PATCH without type = %d %s", r.status, r.body)
	}
	before := e.snapshot(t)
	if r := send("application/merge-patch+json", etag, `{"geometry":null,"properties":{"name":"x"}}`); r.status != 422 || !strings.Contains(string(r.body), `"field":"geometry"`) {
		t.Errorf("merge patch removing the geometry = %d %s", r.status, r.body)
	}
	if e.snapshot(t) != before {
		t.Fatal("a refused merge patch changed the inventory")
	}
	r := send("application/merge-patch+json; charset=utf-8", etag, `{"properties":{"name":"合并补丁","name_en":"Merge patch"}}`)
	props, _ := r.json(t)["properties"].(map[string]any)
	if r.status != 200 || props["name"] != "合并补丁" || props["name_en"] != "Merge patch" || props["status"] != "ready" {
		t.Fatalf("merge patch = %d %s", r.status, r.body)
	}
	r = send("application/merge-patch+json", r.header.Get("ETag"), `{"properties":{"name_en":null}}`)
	props, _ = r.json(t)["properties"].(map[string]any)
	if r.status != 200 || props["name_en"] != nil || props["name"] != "合并补丁" {
		t.Fatalf("merge patch clearing name_en = %d %s", r.status, r.body)
	}
	if g := e.do(t, "GET", "/ogc/collections/plots/items/P1", "alice", "", "").json(t)["geometry"]; g == nil {
		t.Error("the merge patch lost the geometry")
	}
}
