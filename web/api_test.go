package web_test

// The read API against the demo zone. Over 450 lines for a reason: it is one table-driven
// suite per filter, each checked against an independent computation on the same demo database.

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// demoServer serves the API over a fresh copy of the demo database; one per test binary.
var (
	demoOnce sync.Once
	demoSrv  *httptest.Server
)

func demo(t *testing.T) *httptest.Server {
	t.Helper()
	demoOnce.Do(func() {
		db := postgistest.NewWithDemo(&keep{t})
		demoSrv = httptest.NewServer(newServer(&keep{t}, storeDeps(db)))
	})
	if demoSrv == nil {
		t.Fatal("demo server did not start")
	}
	return demoSrv
}

// keep is a testing.TB whose cleanups run when the whole test binary ends (TestMain), so the
// shared demo database lives as long as the tests that use it.
type keep struct{ testing.TB }

var cleanups []func()

func (k *keep) Cleanup(f func()) { cleanups = append(cleanups, f) }

func TestMain(m *testing.M) {
	if serveRaceSide() { // BenchmarkPageRace's servers run in processes of their own
		os.Exit(0)
	}
	code := m.Run()
	if demoSrv != nil {
		demoSrv.Close()
	}
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	os.Exit(code)
}

type fc struct {
	Type           string    `json:"type"`
	NumberMatched  int       `json:"number_matched"`
	NumberReturned int       `json:"number_returned"`
	Next           string    `json:"next"`
	Features       []feature `json:"features"`
}

type feature struct {
	Type     string `json:"type"`
	ID       string `json:"id"`
	Geometry struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

func getJSON(t *testing.T, srv *httptest.Server, path string, want int, v any) http.Header {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET %s = %d, want %d: %s", path, resp.StatusCode, want, body)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %v: %s", path, err, body)
		}
	}
	return resp.Header
}

// allPlots fetches every plot, unfiltered.
func allPlots(t *testing.T, srv *httptest.Server) []feature {
	t.Helper()
	var all fc
	getJSON(t, srv, "/api/v1/plots?limit=10000", 200, &all)
	if all.NumberMatched != len(all.Features) || len(all.Features) < 300 {
		t.Fatalf("unfiltered: matched %d, returned %d", all.NumberMatched, len(all.Features))
	}
	return all.Features
}

func codes(fs []feature) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

func TestPlotFiltersMatchAnIndependentComputation(t *testing.T) {
	srv := demo(t)
	all := allPlots(t, srv)
	str := func(f feature, k string) string { s, _ := f.Properties[k].(string); return s }
	districts := map[string]bool{}
	for _, f := range all {
		districts[str(f, "district")] = true
	}
	var aDistrict string
	for d := range districts {
		if aDistrict == "" || d < aDistrict {
			aDistrict = d
		}
	}
	// The bbox: the south-west quarter of the plots' extent.
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, f := range all {
		for _, p := range points(t, f) {
			minX, minY, maxX, maxY = math.Min(minX, p[0]), math.Min(minY, p[1]), math.Max(maxX, p[0]), math.Max(maxY, p[1])
		}
	}
	bbox := [4]float64{minX, minY, (minX + maxX) / 2, (minY + maxY) / 2}

	tests := []struct {
		query string
		keep  func(f feature) bool
	}{
		{"status=ready", func(f feature) bool { return str(f, "status") == "ready" }},
		{"status=ready,reserved", func(f feature) bool { s := str(f, "status"); return s == "ready" || s == "reserved" }},
		{"district=" + aDistrict, func(f feature) bool { return str(f, "district") == aDistrict }},
		{"cluster=new_materials", func(f feature) bool { return str(f, "cluster") == "new_materials" }},
		{"land_use=1001", func(f feature) bool { return strings.HasPrefix(str(f, "land_use"), "1001") }},
		{"land_use=100102", func(f feature) bool { return str(f, "land_use") == "100102" }},
		{"standard_land=true", func(f feature) bool { return f.Properties["standard_land"] == true }},
		{"standard_land=false", func(f feature) bool { return f.Properties["standard_land"] == false }},
		{"min_area_mu=50", func(f feature) bool { return muOf(t, f) >= 50 }},
		{"max_area_mu=30", func(f feature) bool { return muOf(t, f) <= 30 }},
		{"min_area_mu=50&max_area_mu=200&cluster=new_materials&status=ready&standard_land=true", func(f feature) bool {
			mu := muOf(t, f)
			return mu >= 50 && mu <= 200 && str(f, "cluster") == "new_materials" && str(f, "status") == "ready" && f.Properties["standard_land"] == true
		}},
		{fmt.Sprintf("bbox=%v,%v,%v,%v", bbox[0], bbox[1], bbox[2], bbox[3]), func(f feature) bool { return intersectsBox(points(t, f), bbox) }},
	}
	// The area filters are checked with areas computed in Go (geo.EllipsoidArea, which agrees
	// with PostGIS to about 1e-7): no plot may sit so close to a threshold that the two could
	// disagree.
	for _, f := range all {
		for _, limit := range []float64{30, 50, 200} {
			if mu := muOf(t, f); math.Abs(mu-limit)/limit < 1e-5 {
				t.Fatalf("plot %s is %.6f 亩, too close to %v 亩 for an independent check", f.ID, mu, limit)
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var want []string
			for _, f := range all {
				if tt.keep(f) {
					want = append(want, f.ID)
				}
			}
			var got fc
			getJSON(t, srv, "/api/v1/plots?limit=10000&"+tt.query, 200, &got)
			if got.NumberMatched != len(want) || got.NumberReturned != len(got.Features) {
				t.Errorf("number_matched %d, number_returned %d, features %d; independent count %d", got.NumberMatched, got.NumberReturned, len(got.Features), len(want))
			}
			if g := strings.Join(codes(got.Features), ","); g != strings.Join(want, ",") {
				t.Errorf("got  %s\nwant %s", g, strings.Join(want, ","))
			}
			if len(want) == 0 || len(want) == len(all) {
				t.Errorf("filter %s keeps %d of %d plots: the demo data does not exercise it", tt.query, len(want), len(all))
			}
		})
	}
}

// TestNearRoadMatchesAnIndependentDistance compares near_road_m with a distance computed in Go
// on a local equirectangular projection: plots clearly nearer than N (by 1%) must be in, plots
// clearly farther must be out.
func TestNearRoadMatchesAnIndependentDistance(t *testing.T) {
	srv := demo(t)
	all := allPlots(t, srv)
	var roads fc
	getJSON(t, srv, "/api/v1/roads?limit=10000", 200, &roads)
	for _, tt := range []struct {
		n      float64
		status string
	}{{200, ""}, {50, ""}, {200, "existing"}, {300, "existing,remediation"}} {
		t.Run(fmt.Sprintf("%v m of %q", tt.n, tt.status), func(t *testing.T) {
			var segs [][2][2]float64
			for _, r := range roads.Features {
				if tt.status != "" && !strings.Contains(","+tt.status+",", ","+r.Properties["status"].(string)+",") {
					continue
				}
				segs = append(segs, segments(t, r)...)
			}
			q := fmt.Sprintf("/api/v1/plots?limit=10000&near_road_m=%v", tt.n)
			if tt.status != "" {
				q += "&road_status=" + tt.status
			}
			var got fc
			getJSON(t, srv, q, 200, &got)
			in := map[string]bool{}
			for _, c := range codes(got.Features) {
				in[c] = true
			}
			clearlyIn, clearlyOut := 0, 0
			for _, f := range all {
				d := distance(segments(t, f), segs)
				switch {
				case d < tt.n*0.99:
					clearlyIn++
					if !in[f.ID] {
						t.Errorf("plot %s is %.1f m from a road but not returned", f.ID, d)
					}
				case d > tt.n*1.01:
					clearlyOut++
					if in[f.ID] {
						t.Errorf("plot %s is %.1f m from a road but returned", f.ID, d)
					}
				}
			}
			if clearlyIn == 0 || clearlyOut == 0 {
				t.Errorf("%d plots clearly in, %d clearly out: the demo data does not exercise it", clearlyIn, clearlyOut)
			}
		})
	}
}

func TestPagingIsStableAndComplete(t *testing.T) {
	srv := demo(t)
	all := allPlots(t, srv)
	var seen []string
	next := "/api/v1/plots?limit=70"
	pages := 0
	for next != "" {
		var p fc
		getJSON(t, srv, next, 200, &p)
		if p.NumberMatched != len(all) {
			t.Fatalf("page %d: number_matched %d, want %d", pages, p.NumberMatched, len(all))
		}
		seen = append(seen, codes(p.Features)...)
		next = p.Next
		pages++
		if pages > 100 {
			t.Fatal("too many pages")
		}
	}
	if want := (len(all) + 69) / 70; pages != want {
		t.Errorf("%d pages, want %d", pages, want)
	}
	if !sort.StringsAreSorted(seen) || strings.Join(seen, ",") != strings.Join(codes(all), ",") {
		t.Errorf("paging did not return every plot once, in code order")
	}
}

func TestBadParametersAreProblems(t *testing.T) {
	srv := demo(t)
	tests := []struct {
		path   string
		status int
		param  string
	}{
		{"/api/v1/plots?bbox=1,2,3", 400, "bbox"},
		{"/api/v1/plots?status=sold", 400, "status"},
		{"/api/v1/plots?cluster=steel", 400, "cluster"},
		{"/api/v1/plots?land_use=abc", 400, "land_use"},
		{"/api/v1/plots?standard_land=maybe", 400, "standard_land"},
		{"/api/v1/plots?min_area_mu=x", 400, "min_area_mu"},
		{"/api/v1/plots?max_area_mu=-1", 400, "max_area_mu"},
		{"/api/v1/plots?min_area_mu=200&max_area_mu=50", 400, "min_area_mu"},
		{"/api/v1/plots?district=D9", 400, "district"},
		{"/api/v1/plots?district=D1,d1", 400, "district"},
		{"/api/v1/plots?land_use=99", 400, "land_use"},
		{"/api/v1/plots?format=csv", 400, "format"},
		{"/api/v1/plots?as_of=2026-13-01", 400, "as_of"},
		{"/api/v1/plants?min_free_area_m2=lots", 400, "min_free_area_m2"},
		{"/api/v1/plants?min_floor_height_m=-3", 400, "min_floor_height_m"},
		{"/api/v1/plants?district=X", 400, "district"},
		{"/api/v1/idle-sites?kind=ghost", 400, "kind"},
		{"/api/v1/idle-sites?district=nowhere", 400, "district"},
		{"/api/v1/roads?name=" + strings.Repeat("路", 201), 400, "name"},
		{"/api/v1/plots?near_road_m=far", 400, "near_road_m"},
		{"/api/v1/plots?road_status=existing", 400, "road_status"},
		{"/api/v1/plots?limit=20000", 400, "limit"},
		{"/api/v1/plots?offset=x", 400, "offset"},
		{"/api/v1/plots?district=" + url.QueryEscape("D1' or '1'='1"), 400, "district"},
		{"/api/v1/plots?sortby=code", 400, "sortby"},
		{"/api/v1/plots?zone=nowhere", 404, "zone"},
		{"/api/v1/plants?min_floor_load_kn_m2=heavy", 400, "min_floor_load_kn_m2"},
		{"/api/v1/plants?status=leased", 400, "status"},
		{"/api/v1/plants?max_floors=-2", 400, "max_floors"},
		{"/api/v1/idle-sites?stage=gone", 400, "stage"},
		{"/api/v1/roads?status=paved", 400, "status"},
		{"/api/v1/plots/NO-SUCH-PLOT", 404, "code"},
		{"/api/v1/plants/NO-SUCH", 404, "code"},
		{"/api/v1/idle-sites/NO-SUCH", 404, "code"},
		{"/api/v1/roads/NO-SUCH", 404, "code"},
		{"/api/v1/zone?zone=nowhere", 404, "zone"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q", ct)
			}
			var p map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
				t.Fatal(err)
			}
			if p["field"] != tt.param || p["status"] != float64(tt.status) || p["detail"] == "" {
				t.Errorf("problem %v does not name %q", p, tt.param)
			}
		})
	}
}

func TestOtherLayersAndOneFeature(t *testing.T) {
	srv := demo(t)
	var z feature
	getJSON(t, srv, "/api/v1/zone", 200, &z)
	if z.Properties["planned_area_km2"] != 131.76 {
		t.Errorf("planned_area_km2 = %v", z.Properties["planned_area_km2"])
	}
	if a := z.Properties["area_km2"].(float64); math.Abs(a-131.76) > 0.05 {
		t.Errorf("measured area_km2 = %v, want 131.76 ± 0.05", a)
	}
	var layout fc
	getJSON(t, srv, "/api/v1/layout", 200, &layout)
	kinds := map[string]int{}
	for _, f := range layout.Features {
		kinds[f.Properties["kind"].(string)]++
		if f.Properties["code"] == nil || f.Properties["name"] == nil {
			t.Errorf("layout feature %s lacks code or name", f.ID)
		}
	}
	if kinds["corridor"] != 2 || kinds["axis"] != 3 || kinds["district"] != 3 {
		t.Errorf("layout kinds %v, want 2 corridors, 3 axes, 3 districts", kinds)
	}
	for _, path := range []string{"/api/v1/plants", "/api/v1/idle-sites", "/api/v1/roads"} {
		var c fc
		getJSON(t, srv, path+"?limit=1", 200, &c)
		if len(c.Features) != 1 || c.NumberMatched < 10 || c.Next == "" {
			t.Errorf("%s: %d features of %d, next %q", path, len(c.Features), c.NumberMatched, c.Next)
			continue
		}
		var one feature
		h := getJSON(t, srv, path+"/"+c.Features[0].ID, 200, &one)
		if one.ID != c.Features[0].ID || h.Get("ETag") == "" {
			t.Errorf("%s/%s: id %q, ETag %q", path, c.Features[0].ID, one.ID, h.Get("ETag"))
		}
	}
	// Plants: min_free_area_m2 against the free area the API reports.
	var plants fc
	getJSON(t, srv, "/api/v1/plants?limit=10000", 200, &plants)
	want := 0
	for _, p := range plants.Features {
		free := p.Properties["leasable_area_m2"].(float64) - p.Properties["leased_area_m2"].(float64)
		if math.Abs(free-p.Properties["free_area_m2"].(float64)) > 1e-6 {
			t.Errorf("plant %s: free_area_m2 %v ≠ leasable − leased %v", p.ID, p.Properties["free_area_m2"], free)
		}
		if free >= 1000 && p.Properties["floor_load_kn_m2"].(float64) >= 10 && p.Properties["floors"].(float64) <= 2 {
			want++
		}
	}
	var sel fc
	getJSON(t, srv, "/api/v1/plants?limit=10000&min_free_area_m2=1000&min_floor_load_kn_m2=10&max_floors=2", 200, &sel)
	if sel.NumberMatched != want || want == 0 {
		t.Errorf("plants filter matched %d, independent count %d", sel.NumberMatched, want)
	}
	// Public responses never carry confidential figures.
	var p fc
	getJSON(t, srv, "/api/v1/plots?limit=10000", 200, &p)
	for _, f := range p.Features {
		for _, k := range []string{"confidential", "enterprise", "investment_wan", "tax_wan_per_year", "output_wan_per_year", "contact"} {
			if _, ok := f.Properties[k]; ok {
				t.Fatalf("public plot %s carries %s", f.ID, k)
			}
		}
	}
	for _, f := range plants.Features {
		if _, ok := f.Properties["tenants"]; ok {
			t.Fatalf("public plant %s carries tenants", f.ID)
		}
	}
	var idle fc
	getJSON(t, srv, "/api/v1/idle-sites?limit=10000", 200, &idle)
	for _, f := range idle.Features {
		if _, ok := f.Properties["former_enterprise"]; ok {
			t.Fatalf("public idle site %s names its former enterprise", f.ID)
		}
	}
}

func TestHealth(t *testing.T) {
	srv := demo(t)
	getJSON(t, srv, "/healthz", 200, nil)
	getJSON(t, srv, "/readyz", 200, nil)
}

// Geometry helpers for the independent computations: plain Go, no PostGIS.

// points returns every vertex of a feature's geometry.
func points(t *testing.T, f feature) [][2]float64 {
	t.Helper()
	var out [][2]float64
	var walk func(raw json.RawMessage)
	walk = func(raw json.RawMessage) {
		var pt [2]float64
		if json.Unmarshal(raw, &pt) == nil {
			out = append(out, pt)
			return
		}
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			t.Fatalf("feature %s: coordinates: %v", f.ID, err)
		}
		for _, x := range list {
			walk(x)
		}
	}
	walk(f.Geometry.Coordinates)
	return out
}

// segments returns the segments of every ring or line of a feature's geometry.
func segments(t *testing.T, f feature) [][2][2]float64 {
	t.Helper()
	var lines [][][2]float64
	switch f.Geometry.Type {
	case "Polygon", "MultiLineString":
		json.Unmarshal(f.Geometry.Coordinates, &lines) //nolint:errcheck
	case "MultiPolygon":
		var polys [][][][2]float64
		json.Unmarshal(f.Geometry.Coordinates, &polys) //nolint:errcheck
		for _, p := range polys {
			lines = append(lines, p...)
		}
	case "LineString":
		var l [][2]float64
		json.Unmarshal(f.Geometry.Coordinates, &l) //nolint:errcheck
		lines = append(lines, l)
	default:
		t.Fatalf("feature %s: geometry type %s", f.ID, f.Geometry.Type)
	}
	var segs [][2][2]float64
	for _, l := range lines {
		for i := 1; i < len(l); i++ {
			segs = append(segs, [2][2]float64{l[i-1], l[i]})
		}
	}
	return segs
}

// toMetres projects lon/lat to metres on a local equirectangular plane at 36.1 N.
func toMetres(p [2]float64) [2]float64 {
	const lat0 = 36.1 * math.Pi / 180
	const mPerDeg = 111194.9 // mean radius 6 371 008.8 m
	return [2]float64{p[0] * mPerDeg * math.Cos(lat0), p[1] * mPerDeg}
}

// distance is the least distance in metres between two sets of segments (0 when they cross).
// A plot wholly containing a road is not a case in the demo data.
func distance(a, b [][2][2]float64) float64 {
	best := math.Inf(1)
	for _, s := range a {
		p0, p1 := toMetres(s[0]), toMetres(s[1])
		for _, r := range b {
			q0, q1 := toMetres(r[0]), toMetres(r[1])
			best = math.Min(best, segDist(p0, p1, q0, q1))
		}
	}
	return best
}

func segDist(p0, p1, q0, q1 [2]float64) float64 {
	if crosses(p0, p1, q0, q1) {
		return 0
	}
	return math.Min(math.Min(ptSeg(p0, q0, q1), ptSeg(p1, q0, q1)), math.Min(ptSeg(q0, p0, p1), ptSeg(q1, p0, p1)))
}

func ptSeg(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
}

func cross(o, a, b [2]float64) float64 { return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0]) }

func crosses(p0, p1, q0, q1 [2]float64) bool {
	d1, d2 := cross(q0, q1, p0), cross(q0, q1, p1)
	d3, d4 := cross(p0, p1, q0), cross(p0, p1, q1)
	return ((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0))
}

// intersectsBox reports whether a polygon (its vertices, in ring order per ring; the demo plots
// are single convex-or-not rings) meets an axis-aligned box: a vertex inside the box, a box
// corner inside the polygon, or an edge crossing a box edge.
func intersectsBox(pts [][2]float64, b [4]float64) bool {
	for _, p := range pts {
		if p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3] {
			return true
		}
	}
	corners := [][2]float64{{b[0], b[1]}, {b[2], b[1]}, {b[2], b[3]}, {b[0], b[3]}}
	for _, c := range corners {
		if inRing(c, pts) {
			return true
		}
	}
	for i := 1; i < len(pts); i++ {
		for j := 0; j < 4; j++ {
			if crosses(pts[i-1], pts[i], corners[j], corners[(j+1)%4]) {
				return true
			}
		}
	}
	return false
}

func inRing(p [2]float64, ring [][2]float64) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		a, b := ring[i], ring[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// TestOtherLayerFiltersMatchAnIndependentComputation checks the plant, idle-site and road
// filters against the same selection made in Go from the unfiltered list.
func TestOtherLayerFiltersMatchAnIndependentComputation(t *testing.T) {
	srv := demo(t)
	num := func(f feature, k string) float64 { x, _ := f.Properties[k].(float64); return x }
	str := func(f feature, k string) string { s, _ := f.Properties[k].(string); return s }
	tests := []struct {
		layer, query string
		keep         func(f feature) bool
	}{
		{"plants", "district=D1", func(f feature) bool { return str(f, "district") == "D1" }},
		{"plants", "status=completed", func(f feature) bool { return str(f, "status") == "completed" }},
		{"plants", "min_free_area_m2=2000", func(f feature) bool { return num(f, "free_area_m2") >= 2000 }},
		{"plants", "min_floor_load_kn_m2=20", func(f feature) bool { return num(f, "floor_load_kn_m2") >= 20 }},
		{"plants", "min_floor_height_m=8", func(f feature) bool { return num(f, "floor_height_m") >= 8 }},
		{"plants", "max_floors=1", func(f feature) bool { return num(f, "floors") <= 1 }},
		{"idle-sites", "stage=survey,determination", func(f feature) bool { s := str(f, "stage"); return s == "survey" || s == "determination" }},
		{"idle-sites", "kind=zombie_enterprise", func(f feature) bool { return str(f, "kind") == "zombie_enterprise" }},
		{"idle-sites", "district=D2", func(f feature) bool { return str(f, "district") == "D2" }},
		{"roads", "status=existing", func(f feature) bool { return str(f, "status") == "existing" }},
		{"roads", "status=planned,preliminary", func(f feature) bool { s := str(f, "status"); return s == "planned" || s == "preliminary" }},
		{"roads", "name=" + url.QueryEscape("第六大道"), func(f feature) bool { return str(f, "name") == "第六大道" }},
	}
	for _, tt := range tests {
		t.Run(tt.layer+"?"+tt.query, func(t *testing.T) {
			var all, got fc
			getJSON(t, srv, "/api/v1/"+tt.layer+"?limit=10000", 200, &all)
			getJSON(t, srv, "/api/v1/"+tt.layer+"?limit=10000&"+tt.query, 200, &got)
			var want []string
			for _, f := range all.Features {
				if tt.keep(f) {
					want = append(want, f.ID)
				}
			}
			if g := strings.Join(codes(got.Features), ","); g != strings.Join(want, ",") || got.NumberMatched != len(want) {
				t.Errorf("got %d: %s\nwant %d: %s", got.NumberMatched, g, len(want), strings.Join(want, ","))
			}
			if len(want) == 0 || len(want) == len(all.Features) {
				t.Errorf("filter keeps %d of %d: the demo data does not exercise it", len(want), len(all.Features))
			}
		})
	}
}

func TestCollectionETag(t *testing.T) {
	srv := demo(t)
	path := "/api/v1/plots?status=ready&limit=5"
	h := getJSON(t, srv, path, 200, nil)
	etag := h.Get("ETag")
	if !strings.HasPrefix(etag, `W/"plots-`) {
		t.Fatalf("ETag %q", etag)
	}
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	req.Header.Set("If-None-Match", etag)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the current ETag: %d, want 304", resp.StatusCode)
	}
	if other := getJSON(t, srv, "/api/v1/plots?status=planned&limit=5", 200, nil).Get("ETag"); other == etag {
		t.Error("two different queries share an ETag")
	}
}

// muOf computes a plot's area in 亩 from its GeoJSON geometry in Go, on the ellipsoid
// (geo.EllipsoidArea), independently of PostGIS.
func muOf(t *testing.T, f feature) float64 {
	t.Helper()
	var mp orb.MultiPolygon
	switch f.Geometry.Type {
	case "MultiPolygon":
		var c [][][][2]float64
		if err := json.Unmarshal(f.Geometry.Coordinates, &c); err != nil {
			t.Fatal(err)
		}
		for _, p := range c {
			var poly orb.Polygon
			for _, r := range p {
				var ring orb.Ring
				for _, pt := range r {
					ring = append(ring, orb.Point(pt))
				}
				poly = append(poly, ring)
			}
			mp = append(mp, poly)
		}
	default:
		t.Fatalf("plot %s: geometry %s", f.ID, f.Geometry.Type)
	}
	return geo.MuFromSquareMetres(geo.EllipsoidArea(mp))
}

func TestHeadAndAudienceETags(t *testing.T) {
	srv := demo(t)
	resp, err := http.Head(srv.URL + "/api/v1/plots?limit=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == "" {
		t.Errorf("HEAD: %d, ETag %q", resp.StatusCode, resp.Header.Get("ETag"))
	}
	// A planner sees confidential figures the public does not: the two must not share a
	// single-feature ETag, and the response varies by Authorization.
	db := postgistest.NewWithDemo(t)
	d := storeDeps(db)
	d.Authenticate = func(r *http.Request) (inventory.Viewer, error) {
		if r.Header.Get("Authorization") == "Bearer planner" {
			return inventory.Viewer{Name: "p", Role: inventory.RolePlanner}, nil
		}
		return inventory.Anonymous, nil
	}
	h := httptest.NewServer(newServer(t, d))
	defer h.Close()
	var all fc
	getJSON(t, h, "/api/v1/plots?limit=1", 200, &all)
	path := h.URL + "/api/v1/plots/" + all.Features[0].ID
	tags := map[string]string{}
	for _, who := range []string{"", "Bearer planner"} {
		req, _ := http.NewRequest("GET", path, nil)
		if who != "" {
			req.Header.Set("Authorization", who)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		tags[who] = resp.Header.Get("ETag")
		if vary := strings.Join(resp.Header.Values("Vary"), ", "); !strings.Contains(vary, "Authorization") || !strings.Contains(vary, "Accept-Encoding") {
			t.Errorf("%q: Vary %q, want Authorization and Accept-Encoding", who, vary)
		}
	}
	if tags[""] == tags["Bearer planner"] || tags[""] == "" {
		t.Errorf("public and planner ETags: %q, %q", tags[""], tags["Bearer planner"])
	}
}
