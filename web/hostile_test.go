package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer/shp"
)

// The hostile-input suite: one table per class of bad input, each case sent to the server as
// a hostile client would, asserting the status, the problem's field (and, where it matters,
// the words), and that nothing changed (a digest of every layer table, before and after).
// Unknown and repeated parameters on every route are TestEveryRouteRefusesUnknownAndRepeated
// Parameters (routes_test.go), which walks the router; TestEveryRouteRefusesBadText below
// walks it too, for NUL and bad UTF-8.

// hostileCase is one hostile request and the answer it must get.
type hostileCase struct {
	name, method, path, ifMatch, body string
	status                            int
	field                             string
	// detail, when set, is a part of the problem's detail (or of the report's first rejection).
	detail string
}

// runHostile sends each case as planner alice and checks its answer and that the inventory
// did not change.
func runHostile(t *testing.T, e *editEnv, cases []hostileCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.snapshot(t)
			r := e.do(t, c.method, c.path, "alice", c.ifMatch, c.body)
			if r.status != c.status {
				t.Fatalf("%s %s = %d, want %d: %s", c.method, c.path, r.status, c.status, r.body)
			}
			var p struct {
				Field, Detail string
				Rejected      []struct{ Field, Reason string }
				Created       *int
			}
			if err := json.Unmarshal(r.body, &p); err != nil {
				t.Fatalf("answer is not JSON: %s", r.body)
			}
			field, detail := p.Field, p.Detail
			if len(p.Rejected) > 0 { // an import's report
				field, detail = p.Rejected[0].Field, p.Rejected[0].Reason
				if p.Created == nil || *p.Created != 0 {
					t.Errorf("a refused import reports created %v: %s", p.Created, r.body)
				}
			} else if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want a problem: %s", ct, r.body)
			}
			if field != c.field {
				t.Errorf("field %q, want %q: %s", field, c.field, r.body)
			}
			if !strings.Contains(detail, c.detail) {
				t.Errorf("detail %q does not say %q", detail, c.detail)
			}
			if after := e.snapshot(t); after != before {
				t.Errorf("a refused request changed the inventory:\n before %s\n after  %s", before, after)
			}
		})
	}
}

const newPlot = `{"code":"P2","land_use":"100101","status":"planned"`

// plotWith is a new plot P2 (free ground east of P1) with extra properties (JSON members).
func plotWith(extra string) string {
	props := newPlot + "}"
	if extra != "" {
		props = newPlot + "," + extra + "}"
	}
	return feat(box(111.53, 36.03, 111.54, 36.04), props)
}

func TestHostileNUL(t *testing.T) {
	e := newEditEnv(t)
	runHostile(t, e, []hostileCase{
		{"in a query parameter", "GET", "/api/v1/plots?district=W%00", "", "", 400, "district", "NUL"},
		{"in a filter of another layer", "GET", "/api/v1/roads?name=%00", "", "", 400, "name", "NUL"},
		{"in a report parameter", "GET", "/api/v1/reports/idle?zone=hand%00", "", "", 400, "zone", "NUL"},
		{"in a path segment", "GET", "/api/v1/plots/P1%00", "", "", 400, "code", "NUL"},
		{"in a tile path", "GET", "/tiles/plots%00/0/0/0.mvt", "", "", 400, "layer", "NUL"},
		{"in a JSON string", "POST", "/api/v1/plots", "", plotWith(`"name":"甘亭\u0000"`), 422, "properties.name", "NUL"},
		{"in a confidential string", "POST", "/api/v1/plots", "", plotWith(`"confidential":{"enterprise":"\u0000"}`), 422, "properties.confidential.enterprise", "NUL"},
		{"in a key", "POST", "/api/v1/plots", "", plotWith(`"na\u0000me":"x"`), 422, "properties.na\x00me (a key)", "NUL"},
		{"in a change note", "PATCH", "/api/v1/plots/P1", `"plots-P1-v1"`, `{"type":"Feature","properties":{"name":"x"},"note":"why\u0000"}`, 422, "note", "NUL"},
		{"in an archive note", "DELETE", "/api/v1/idle-sites/I1?note=%00", `"idle-sites-I1-v1"`, "", 400, "note", "NUL"},
		{"in an import's attribute", "POST", "/api/v1/import?layer=plots", "",
			`{"type":"FeatureCollection","features":[` + plotWith(`"name":"\u0000"`) + `]}`, 422, "name", "NUL"},
	})
}

func TestHostileBadUTF8(t *testing.T) {
	e := newEditEnv(t)
	runHostile(t, e, []hostileCase{
		{"in a query parameter", "GET", "/api/v1/plots?district=%FF", "", "", 400, "district", "UTF-8"},
		{"in as_of", "GET", "/api/v1/plots?as_of=%C3", "", "", 400, "as_of", "UTF-8"},
		{"in a path segment", "GET", "/api/v1/plots/%FF/history", "", "", 400, "code", "UTF-8"},
		{"in a JSON string", "POST", "/api/v1/plots", "", plotWith("\"name\":\"\xff\xfe\""), 422, "properties.name", "UTF-8"},
		{"in a tenant", "PATCH", "/api/v1/plants/S1", `"plants-S1-v1"`, "{\"type\":\"Feature\",\"properties\":{\"confidential\":{\"tenants\":[{\"name\":\"\xc3\"}]}}}", 422, "properties.confidential.tenants[0].name", "UTF-8"},
		{"in a change note", "PATCH", "/api/v1/plots/P1", `"plots-P1-v1"`, "{\"type\":\"Feature\",\"properties\":{\"name\":\"x\"},\"note\":\"\xe4\xb8\"}", 422, "note", "UTF-8"},
		{"in an import note", "POST", "/api/v1/import?layer=plots&note=%FF", "", `{"type":"FeatureCollection","features":[]}`, 400, "note", "UTF-8"},
		{"in an imported GeoJSON file", "POST", "/api/v1/import?layer=plots", "",
			"{\"type\":\"FeatureCollection\",\"features\":[" + plotWith("\"name\":\"\xff\"") + "]}", 422, "file", "UTF-8"},
	})
}

func TestHostileDepth(t *testing.T) {
	e := newEditEnv(t)
	deep := func(n int) string { return strings.Repeat("[", n) + "1" + strings.Repeat("]", n) }
	runHostile(t, e, []hostileCase{
		{"a body thousands of levels deep", "POST", "/api/v1/plots", "", plotWith(`"name":` + deep(5000)), 422, "body", "deeper than 32"},
		{"tenants 40 levels deep", "PATCH", "/api/v1/plants/S1", `"plants-S1-v1"`, `{"type":"Feature","properties":{"confidential":{"tenants":` + deep(40) + `}}}`, 422, "body", "deeper"},
		{"coordinates a level too deep", "POST", "/api/v1/plots", "", feat(`{"type":"Polygon","coordinates":[[[[111.53,36.03]]]]}`, newPlot+"}"), 422, "geometry", "nest deeper"},
		{"an imported JSON property too deep", "POST", "/api/v1/import?layer=plants", "",
			`{"type":"FeatureCollection","features":[` + feat(box(111.514, 36.014, 111.515, 36.015), `{"code":"S9","status":"planned","floors":1,"confidential":{"tenants":`+deep(40)+`}}`) + `]}`, 422, "tenants", "deeply"},
	})
	// A real MultiPolygon with a hole (the deepest geometry a layer takes) is not refused.
	mp := `{"type":"MultiPolygon","coordinates":[[[[111.53,36.03],[111.54,36.03],[111.54,36.04],[111.53,36.04],[111.53,36.03]],[[111.533,36.033],[111.533,36.035],[111.535,36.035],[111.535,36.033],[111.533,36.033]]]]}`
	if r := e.do(t, "POST", "/api/v1/plots", "alice", "", feat(mp, newPlot+`,"name":"ok"}`)); r.status != 201 {
		t.Errorf("a MultiPolygon with a hole: %d %s", r.status, r.body)
	}
}

func TestHostileStringPositions(t *testing.T) {
	e := newEditEnv(t)
	strBox := `{"type":"Polygon","coordinates":[[["111.53","36.03"],["111.54","36.03"],["111.54","36.04"],["111.53","36.04"],["111.53","36.03"]]]}`
	runHostile(t, e, []hostileCase{
		{"create with string positions", "POST", "/api/v1/plots", "", feat(strBox, newPlot+"}"), 422, "geometry", "JSON numbers"},
		{"one string among numbers", "POST", "/api/v1/plots", "", feat(`{"type":"Polygon","coordinates":[[[111.53,36.03],[111.54,"36.03"],[111.54,36.04],[111.53,36.04],[111.53,36.03]]]}`, newPlot+"}"), 422, "geometry", "JSON numbers"},
		{"null in a position", "POST", "/api/v1/plots", "", feat(`{"type":"Polygon","coordinates":[[[111.53,null],[111.54,36.03],[111.54,36.04],[111.53,36.04],[111.53,36.03]]]}`, newPlot+"}"), 422, "geometry", "JSON numbers"},
		{"move with string positions", "PATCH", "/api/v1/roads/R1", `"roads-R1-v1"`, feat(`{"type":"LineString","coordinates":[["111.50","36.03"],["111.60","36.03"]]}`, `{}`), 422, "geometry", "JSON numbers"},
		{"import with string positions", "POST", "/api/v1/import?layer=plots", "", `{"type":"FeatureCollection","features":[` + feat(strBox, newPlot+"}") + `]}`, 422, "geometry", "JSON numbers"},
	})
}

func TestHostileOutOfRangeNumbers(t *testing.T) {
	e := newEditEnv(t)
	patch := func(props string) string { return `{"type":"Feature","properties":` + props + `}` }
	runHostile(t, e, []hostileCase{
		{"min_far 1e308", "POST", "/api/v1/plots", "", plotWith(`"min_far":1e308`), 422, "min_far", "between 0 and 10"},
		{"min_far 1e400 (beyond float64)", "POST", "/api/v1/plots", "", plotWith(`"min_far":1e400`), 422, "min_far", "number"},
		{"negative FAR", "PATCH", "/api/v1/plots/P1", `"plots-P1-v1"`, patch(`{"max_far":-1}`), 422, "max_far", "between 0 and 10"},
		{"green ratio 101 %", "PATCH", "/api/v1/plots/P1", `"plots-P1-v1"`, patch(`{"max_green_ratio_pct":101}`), 422, "max_green_ratio_pct", "between 0 and 100 %"},
		{"coverage -5 %", "PATCH", "/api/v1/plots/P1", `"plots-P1-v1"`, patch(`{"min_building_coverage_pct":-5}`), 422, "min_building_coverage_pct", "between 0 and 100"},
		{"investment intensity 1e9 万元/亩", "PATCH", "/api/v1/plots/P1", `"plots-P1-v1"`, patch(`{"min_investment_wan_per_mu":1e9}`), 422, "min_investment_wan_per_mu", "万元/亩"},
		{"population 1e308", "PATCH", "/api/v1/plots/P1", `"plots-P1-v1"`, patch(`{"confidential":{"population":1e308}}`), 422, "confidential.population", "between 0 and 1000000"},
		{"min_far above max_far", "PATCH", "/api/v1/plots/P1", `"plots-P1-v1"`, patch(`{"min_far":3,"max_far":2}`), 422, "min_far", "must not exceed max_far"},
		{"leased above leasable", "PATCH", "/api/v1/plants/S1", `"plants-S1-v1"`, patch(`{"leasable_area_m2":100,"leased_area_m2":200}`), 422, "leased_area_m2", "must not exceed leasable_area_m2"},
		{"floor height 0.1 m", "PATCH", "/api/v1/plants/S1", `"plants-S1-v1"`, patch(`{"floor_height_m":0.1}`), 422, "floor_height_m", "between 2 and 30 m"},
		{"floor load 1e6", "PATCH", "/api/v1/plants/S1", `"plants-S1-v1"`, patch(`{"floor_load_kn_m2":1e6}`), 422, "floor_load_kn_m2", "kN/m²"},
		{"rent 1e12", "PATCH", "/api/v1/plants/S1", `"plants-S1-v1"`, patch(`{"asking_rent_yuan_per_m2_month":1e12}`), 422, "asking_rent_yuan_per_m2_month", "between"},
		{"year 20000", "PATCH", "/api/v1/roads/R1", `"roads-R1-v1"`, patch(`{"planned_year":20000}`), 422, "planned_year", "between 1900 and 2100"},
		{"width 0", "PATCH", "/api/v1/roads/R1", `"roads-R1-v1"`, patch(`{"width_m":0}`), 422, "width_m", "between 1 and 200 m"},
		{"imported FAR 99", "POST", "/api/v1/import?layer=plots", "", `{"type":"FeatureCollection","features":[` + plotWith(`"min_far":99`) + `]}`, 422, "min_far", "between 0 and 10"},
	})
	// The check-constraint answer names the properties and the rule, never the constraint.
	r := e.do(t, "PATCH", "/api/v1/plots/P1", "alice", `"plots-P1-v1"`, patch(`{"min_far":3,"max_far":2}`))
	if p := r.json(t); fmt.Sprint(p["fields"]) != "[min_far max_far]" || p["rule"] != "min_far must not exceed max_far" || strings.Contains(string(r.body), "plots_") {
		t.Errorf("far order: %s", r.body)
	}
	// The ranges are served in /api/v1/meta.
	type metaLayer struct {
		Name   string
		Fields []struct {
			Name     string
			Min, Max *float64
		}
	}
	var meta struct {
		Layers       []metaLayer
		RecordLayers []metaLayer `json:"record_layers"`
	}
	getJSON(t, e.srv, "/api/v1/meta", 200, &meta)
	found := false
	for _, l := range meta.Layers {
		for _, f := range l.Fields {
			if l.Name == "plots" && f.Name == "min_far" {
				found = f.Min != nil && *f.Min == 0 && f.Max != nil && *f.Max == 10
			}
		}
	}
	if !found {
		t.Error("meta does not give plots.min_far the range 0 to 10")
	}
	// The record layers' too: the enterprises' annual figures.
	found = false
	for _, l := range meta.RecordLayers {
		for _, f := range l.Fields {
			if l.Name == "enterprise-figures" && f.Name == "tax_wan" {
				found = f.Min != nil && *f.Min == 0 && f.Max != nil && *f.Max == 1e7
			}
		}
	}
	if !found {
		t.Error("meta does not give enterprise-figures.tax_wan the range 0 to 1e7")
	}
}

func TestHostileStarETag(t *testing.T) {
	e := newEditEnv(t)
	runHostile(t, e, []hostileCase{
		{"PATCH If-Match: *", "PATCH", "/api/v1/plots/P1", "*", `{"type":"Feature","properties":{"name":"x"}}`, 428, "If-Match", "ETag"},
		{"PATCH If-Match: a list with *", "PATCH", "/api/v1/plots/P1", `"plots-P1-v1", *`, `{"type":"Feature","properties":{"name":"x"}}`, 428, "If-Match", "from GET"},
		{"DELETE If-Match: *", "DELETE", "/api/v1/idle-sites/I1", "*", "", 428, "If-Match", "ETag"},
		{"restore If-Match: *", "POST", "/api/v1/roads/R1/restore?version=1", "*", "", 428, "If-Match", "ETag"},
	})
	// The ETag from GET works.
	if r := e.do(t, "PATCH", "/api/v1/plots/P1", "alice", `"plots-P1-v1"`, `{"type":"Feature","properties":{"name":"x"}}`); r.status != 200 {
		t.Errorf("PATCH with the ETag: %d %s", r.status, r.body)
	}
}

// gbkShapefile zips a Shapefile of one plot whose .dbf text is GBK, with the given .cpg.
func gbkShapefile(t *testing.T, cpg string) []byte {
	t.Helper()
	var shpB, shxB, dbfB bytes.Buffer
	ring := [][2]float64{{111.53, 36.03}, {111.53, 36.04}, {111.54, 36.04}, {111.54, 36.03}, {111.53, 36.03}}
	if err := shp.WritePolygons(&shpB, &shxB, [][][][2]float64{{ring}}); err != nil {
		t.Fatal(err)
	}
	fields := []shp.Field{{Name: "CODE", Type: 'C', Length: 10}, {Name: "LAND_USE", Type: 'C', Length: 10}, {Name: "STATUS", Type: 'C', Length: 20}, {Name: "NAME", Type: 'C', Length: 40}}
	if err := shp.WriteDBF(&dbfB, fields, [][]any{{"P3", "100101", "planned", "甘亭标准地三号"}}, simplifiedchinese.GBK); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range map[string][]byte{"p.shp": shpB.Bytes(), "p.shx": shxB.Bytes(), "p.dbf": dbfB.Bytes(), "p.cpg": []byte(cpg),
		"p.prj": []byte(`GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`)} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b) //nolint:errcheck // bytes.Buffer
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHostileEncodingsAndMaps(t *testing.T) {
	e := newEditEnv(t)
	file := `{"type":"FeatureCollection","features":[` + feat(box(111.53, 36.03, 111.54, 36.04), `{"编号":"N1","land_use":"100101","status":"planned"}`) + `]}`
	runHostile(t, e, []hostileCase{
		{"a .dbf declared UTF-8 holding GBK", "POST", "/api/v1/import?layer=plots", "", string(gbkShapefile(t, "UTF-8")), 422, "file", "p.dbf: dbf: record 1, field NAME: text is not valid UTF-8"},
		{"a map source the file lacks", "POST", "/api/v1/import?layer=plots&map=" + url.QueryEscape("编码=code"), "", file, 422, "map", "编码"},
		{"a map source the file lacks, dry run", "POST", "/api/v1/import?layer=plots&dry_run=true&map=" + url.QueryEscape("编号=code,颜色=-"), "", file, 422, "map", "颜色"},
		{"a refused import reports nothing created", "POST", "/api/v1/import?layer=plots&map=" + url.QueryEscape("编号=code"), "",
			`{"type":"FeatureCollection","features":[` + feat(box(111.53, 36.03, 111.54, 36.04), `{"编号":"N1","land_use":"100101","status":"planned"}`) + `,` +
				feat(box(111.55, 36.03, 111.56, 36.04), `{"编号":"N2","land_use":"100101","status":"planned","min_far":11}`) + `]}`, 422, "min_far", "between 0 and 10"},
	})
	// The same .dbf declared GBK imports its Chinese name intact.
	r := e.do(t, "POST", "/api/v1/import?layer=plots", "alice", "", string(gbkShapefile(t, "GBK")))
	var rep struct {
		Created   int
		Committed bool
		Encoding  string
	}
	if err := json.Unmarshal(r.body, &rep); err != nil || r.status != 200 || rep.Created != 1 || !rep.Committed || rep.Encoding != "GBK" {
		t.Fatalf("GBK declared GBK: %d %s", r.status, r.body)
	}
	var f feature
	getJSON(t, e.srv, "/api/v1/plots/P3", 200, &f)
	if f.Properties["name"] != "甘亭标准地三号" {
		t.Errorf("imported name %q", f.Properties["name"])
	}
}

// TestEveryRouteRefusesBadText sends, on every route of the router, a NUL and bytes that are
// not UTF-8 in lang (which every route takes): each is a 400 naming lang, and nothing changes.
func TestEveryRouteRefusesBadText(t *testing.T) {
	e := newEditEnv(t)
	before := e.snapshot(t)
	for _, rt := range routes(t, e.server) {
		if pageRoutes[rt.pattern] {
			continue
		}
		for _, q := range []string{"?lang=zh%00", "?lang=%FF"} {
			r := e.do(t, rt.method, concrete(rt.pattern)+q, "alice", "", "")
			if r.status != 400 || r.json(t)["field"] != "lang" {
				t.Errorf("%s %s%s = %d %s, want 400 naming lang", rt.method, rt.pattern, q, r.status, r.body)
			}
		}
	}
	if e.snapshot(t) != before {
		t.Error("refused requests changed the inventory")
	}
}

// jsonBodyRoutes are the routes that take a JSON body, each with a body whose one string
// member (marked X) the hostile text replaces, and the field a problem about that member names.
// Routes of the router that write and are missing here must be in noJSONBody: the test walks
// the router, so a new JSON route cannot go untested.
var jsonBodyRoutes = []struct {
	method, pattern, path, ifMatch, body, field string
}{
	{"POST", "/api/v1/plots", "/api/v1/plots", "", `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"PATCH", "/api/v1/plots/{code}", "/api/v1/plots/P1", `"plots-P1-v1"`, `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"POST", "/api/v1/plants", "/api/v1/plants", "", `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"PATCH", "/api/v1/plants/{code}", "/api/v1/plants/S1", `"plants-S1-v1"`, `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"POST", "/api/v1/idle-sites", "/api/v1/idle-sites", "", `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"PATCH", "/api/v1/idle-sites/{code}", "/api/v1/idle-sites/I1", `"idle-sites-I1-v1"`, `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"POST", "/api/v1/roads", "/api/v1/roads", "", `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"PATCH", "/api/v1/roads/{code}", "/api/v1/roads/R1", `"roads-R1-v1"`, `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"POST", "/api/v1/layout", "/api/v1/layout", "", `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"PATCH", "/api/v1/layout/{code}", "/api/v1/layout/L1", `"layout-L1-v1"`, `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"POST", "/api/v1/enterprises", "/api/v1/enterprises", "", `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"PATCH", "/api/v1/enterprises/{code}", "/api/v1/enterprises/FIRM", `"enterprises-FIRM-v1"`, `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"PUT", "/api/v1/enterprises/{code}/figures/{year}", "/api/v1/enterprises/FIRM/figures/2024", "", `{"revenue_source":X}`, "revenue_source"},
	{"PUT", "/api/v1/evaluations/{year}/scheme", "/api/v1/evaluations/2024/scheme", "", `{"name":X}`, "name"},
	{"POST", "/api/v1/evaluations/{year}/objections", "/api/v1/evaluations/2024/objections", "", `{"reason":X}`, "reason"},
	{"POST", "/api/v1/enquiries", "/api/v1/enquiries", "", `{"site_code":"I1","name":X}`, "name"},
	{"PATCH", "/api/v1/enquiries/{id}", "/api/v1/enquiries/1", `"enquiry-1-v1"`, `{"reply":X}`, "reply"},
	{"POST", "/api/v1/projects", "/api/v1/projects", "", `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"PATCH", "/api/v1/projects/{code}", "/api/v1/projects/PX", `"projects-PX-v1"`, `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"POST", "/api/v1/projects/{code}/stage", "/api/v1/projects/PX/stage", `"projects-PX-v1"`, `{"stage":"negotiating","date":"2024-05-01","note":X}`, "note"},
	{"PUT", "/api/v1/projects/ranking", "/api/v1/projects/ranking", "", `{"weights":{"area_mu":X}}`, "weights.area_mu"},
	{"POST", "/api/v1/enquiries/{id}/project", "/api/v1/enquiries/1/project", "", `{"note":X}`, "note"},
	{"POST", "/api/v1/session", "/api/v1/session", "", `{"name":X,"password":"secret"}`, "name"},
	{"POST", "/api/v1/me/tokens", "/api/v1/me/tokens", "", `{"expires_in_days":X}`, "expires_in_days"},
	{"POST", "/ogc/collections/plots/items", "/ogc/collections/plots/items", "", `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"PUT", "/ogc/collections/plots/items/{code}", "/ogc/collections/plots/items/P1", `"plots-P1-v1"`, `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
	{"PATCH", "/ogc/collections/plots/items/{code}", "/ogc/collections/plots/items/P1", `"plots-P1-v1"`, `{"type":"Feature","properties":{"name":X}}`, "properties.name"},
}

// noJSONBody are the write routes that take no JSON body: a file, or parameters only.
var noJSONBody = map[string]bool{
	"POST /api/v1/import": true, "DELETE /api/v1/session": true,
	"POST /api/v1/enterprises/{code}/idle-case": true, "POST /api/v1/evaluations/{year}": true,
	"POST /api/v1/evaluations/{year}/publish": true, "POST /api/v1/evaluations/{year}/finalize": true,
}

// fullSnapshot is e.snapshot and a digest of the tables the other JSON routes write.
func fullSnapshot(t *testing.T, e *editEnv) string {
	t.Helper()
	out := e.snapshot(t)
	for _, tb := range []string{"enterprises", "enterprise_figures", "enquiries", "evaluation_schemes", "evaluation_runs", "evaluation_events"} {
		var s string
		if err := e.db.Pool.QueryRow(context.Background(),
			fmt.Sprintf("select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from %s t", tb)).Scan(&s); err != nil {
			t.Fatal(err)
		}
		out += " " + tb + "=" + s
	}
	return out
}

// TestEveryJSONBodyRefusesHostileJSON sends every route that takes a JSON body a NUL and
// bytes that are not UTF-8 in a string member, and a member nested too deep: each is a 400 or
// 422 naming the member (the body, for the depth), and nothing changes. All of them go
// through one reader (readJSONBody), which runs inventory.CheckJSON before decoding.
func TestEveryJSONBodyRefusesHostileJSON(t *testing.T) {
	e := newEditEnv(t)
	covered := map[string]bool{}
	for _, rt := range jsonBodyRoutes {
		covered[rt.method+" "+rt.pattern] = true
	}
	for _, rt := range routes(t, e.server) {
		key := rt.method + " " + rt.pattern
		if rt.method == "GET" || rt.method == "HEAD" || noJSONBody[key] || covered[key] ||
			strings.HasSuffix(rt.pattern, "/restore") || rt.method == "DELETE" {
			continue
		}
		// The layers' routes are covered by their plots pattern for the other layers of /ogc.
		if strings.HasPrefix(rt.pattern, "/ogc/collections/") && covered[rt.method+" "+strings.Replace(rt.pattern, rt.pattern[len("/ogc/collections/"):strings.Index(rt.pattern, "/items")], "plots", 1)] {
			continue
		}
		t.Errorf("%s takes a body and is not in jsonBodyRoutes (or noJSONBody)", key)
	}
	// An enterprise, so that its routes get as far as their body.
	firm, err := inventory.CompleteCreditCode("91141000MA000077")
	if err != nil {
		t.Fatal(err)
	}
	if r := e.do(t, "POST", "/api/v1/enterprises", "alice", "", fmt.Sprintf(`{"type":"Feature","geometry":null,"properties":{"code":%q,"name":"企业","size_class":"above_scale"}}`, firm)); r.status != 201 {
		t.Fatalf("create enterprise: %d %s", r.status, r.body)
	}
	deep := strings.Repeat("[", 40) + `"x"` + strings.Repeat("]", 40)
	for _, rt := range jsonBodyRoutes {
		rt.path, rt.ifMatch = strings.ReplaceAll(rt.path, "FIRM", firm), strings.ReplaceAll(rt.ifMatch, "FIRM", firm)
		for _, c := range []struct {
			name, value, field, detail string
		}{
			{"NUL", `"a\u0000b"`, rt.field, "NUL"},
			{"bad UTF-8", "\"a\xff\xfeb\"", rt.field, "UTF-8"},
			{"too deep", deep, "body", "deeper"},
		} {
			t.Run(rt.method+" "+rt.pattern+" "+c.name, func(t *testing.T) {
				before := fullSnapshot(t, e)
				r := e.do(t, rt.method, rt.path, "alice", rt.ifMatch, strings.Replace(rt.body, "X", c.value, 1))
				if r.status != 400 && r.status != 422 {
					t.Fatalf("%d, want 400 or 422: %s", r.status, r.body)
				}
				p := r.json(t)
				if p["field"] != c.field || !strings.Contains(fmt.Sprint(p["detail"]), c.detail) {
					t.Errorf("field %v, detail %v; want %s, saying %q", p["field"], p["detail"], c.field, c.detail)
				}
				if r.header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("Content-Type %q, want a problem", r.header.Get("Content-Type"))
				}
				if after := fullSnapshot(t, e); after != before {
					t.Errorf("a refused request changed the inventory:\n before %s\n after  %s", before, after)
				}
			})
		}
	}
}
