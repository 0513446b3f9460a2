package web_test

// The write API. Over 450 lines for a reason: it holds the table of every refusal of the
// editing rules (status, field and "nothing changed" per case) and the setup they share.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
	"github.com/landinv/landinv/web"
)

// editEnv is a hand-made zone served with the write API: zone 111.50–111.60 E, 36.00–36.10 N
// (districts W and E split at 111.55), plot P1 (111.51–111.52, 36.01–36.02, ready) holding
// plant S1, idle site I1 (survey) and road R1; planners alice and carol, viewer bob.
type editEnv struct {
	db     *postgis.DB
	server *web.Server // built by web.NewServer, as cmd/landinv builds it
	srv    *httptest.Server
	tokens map[string]string
}

func newEditEnv(t *testing.T) *editEnv {
	t.Helper()
	db := postgistest.New(t)
	ctx := context.Background()
	for _, s := range []string{
		`insert into zones (code, name, province, geom) values ('hand', 'Hand-made zone', '山西省', ST_Multi(ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326)))`,
		`insert into layout (zone_id, code, kind, name, geom) values
			(1, 'W', 'district', 'West', ST_MakeEnvelope(111.50, 36.00, 111.55, 36.10, 4326)),
			(1, 'E', 'district', 'East', ST_MakeEnvelope(111.55, 36.00, 111.60, 36.10, 4326))`,
		`insert into plots (zone_id, code, land_use, status, enterprise, investment_wan, geom) values
			(1, 'P1', '100101', 'ready', '机密企业XYZ', 98765.4321, ST_Multi(ST_MakeEnvelope(111.51, 36.01, 111.52, 36.02, 4326)))`,
		`insert into plants (zone_id, code, status, floors, tenants, geom) values
			(1, 'S1', 'completed', 2, '[{"name": "秘密租户", "area_m2": 100, "rent_yuan_per_m2_month": 97.31}]',
			 ST_Multi(ST_MakeEnvelope(111.512, 36.012, 111.513, 36.013, 4326)))`,
		`insert into idle_sites (zone_id, code, stage, geom) values
			(1, 'I1', 'survey', ST_Multi(ST_MakeEnvelope(111.56, 36.05, 111.57, 36.06, 4326)))`,
		`insert into roads (zone_id, code, name, status, geom) values
			(1, 'R1', '第六大道', 'planned', ST_Multi(ST_MakeLine(ST_Point(111.50, 36.03, 4326), ST_Point(111.60, 36.03, 4326))))`,
	} {
		if _, err := db.Pool.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	e := &editEnv{db: db, tokens: map[string]string{}}
	for name, role := range map[string]inventory.Role{"alice": inventory.RolePlanner, "carol": inventory.RolePlanner, "bob": inventory.RoleViewer} {
		if _, err := db.AddUser(ctx, name, role); err != nil {
			t.Fatal(err)
		}
		tok, err := db.CreateToken(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[name] = tok
	}
	e.server = newServer(t, storeDeps(db))
	e.srv = httptest.NewServer(e.server)
	t.Cleanup(e.srv.Close)
	return e
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

// getWith sends GET url with the headers given as name, value pairs (a pair with an empty
// value is left out), as the public, and returns the reply.
func getWith(t testing.TB, url string, header ...string) reply {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] != "" {
			req.Header.Set(header[i], header[i+1])
		}
	}
	return roundTrip(t, req)
}

// roundTrip sends req and returns its reply, the body read whole.
func roundTrip(t testing.TB, req *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, b}
}

// inventoryRevision reads the inventory's revision (inventory_revision.n).
func inventoryRevision(t testing.TB, db *postgis.DB) int64 {
	t.Helper()
	var n int64
	if err := db.Pool.QueryRow(context.Background(), "select n from inventory_revision").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return m
}

// do sends a request as user ("" for the public), with If-Match when given.
func (e *editEnv) do(t *testing.T, method, path, user, ifMatch, body string) reply {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		tok, ok := e.tokens[user]
		if !ok {
			tok = user // a raw, bad token
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	req.Header.Set("Content-Type", "application/geo+json")
	return roundTrip(t, req)
}

// snapshot is a digest of every row of every layer table: equal snapshots mean nothing changed.
func (e *editEnv) snapshot(t *testing.T) string {
	t.Helper()
	var out []string
	for _, tb := range []string{"layout", "plots", "plants", "idle_sites", "roads", "projects", "enterprises"} {
		var s string
		err := e.db.Pool.QueryRow(context.Background(),
			fmt.Sprintf("select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by id)), '') from %s t", tb)).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tb+"="+s)
	}
	return strings.Join(out, " ")
}

func box(x0, y0, x1, y1 float64) string {
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%v,%v],[%v,%v],[%v,%v],[%v,%v],[%v,%v]]]}`, x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)
}

func feat(geom, props string) string {
	return fmt.Sprintf(`{"type":"Feature","geometry":%s,"properties":%s}`, geom, props)
}

func TestEveryRefusedWriteChangesNothing(t *testing.T) {
	e := newEditEnv(t)
	okProps := `{"code":"P2","land_use":"100101","status":"planned"}`
	big := feat(box(111.53, 36.03, 111.54, 36.04), `{"code":"P9","land_use":"100101","status":"planned","name":"`+strings.Repeat("x", web.MaxFeatureBytes)+`"}`)
	tests := []struct {
		name, method, path, user, ifMatch, body string
		status                                  int
		field, reason                           string
		// code is the rule's problem code (inventory/codes.go); "" for the kind's own.
		code string
	}{
		{"public may not write", "POST", "/api/v1/plots", "", "", feat(box(111.53, 36.03, 111.54, 36.04), okProps), 401, "", "sign in", "unauthorized"},
		{"bad token", "POST", "/api/v1/plots", "li_not-a-token", "", feat(box(111.53, 36.03, 111.54, 36.04), okProps), 401, "Authorization", "unknown or revoked", ""},
		{"viewer may not write", "POST", "/api/v1/plots", "bob", "", feat(box(111.53, 36.03, 111.54, 36.04), okProps), 403, "", "viewer", "forbidden"},
		{"self-intersection", "POST", "/api/v1/plots", "alice", "",
			feat(`{"type":"Polygon","coordinates":[[[111.53,36.03],[111.54,36.04],[111.54,36.03],[111.53,36.04],[111.53,36.03]]]}`, okProps), 422, "geometry", "Self-intersection", "self_intersection"},
		{"unclosed ring", "POST", "/api/v1/plots", "alice", "",
			feat(`{"type":"Polygon","coordinates":[[[111.53,36.03],[111.54,36.03],[111.54,36.04],[111.53,36.04]]]}`, okProps), 422, "geometry", "", "invalid_geometry"},
		{"too few points", "POST", "/api/v1/plots", "alice", "",
			feat(`{"type":"Polygon","coordinates":[[[111.53,36.03],[111.54,36.03],[111.53,36.03]]]}`, okProps), 422, "geometry", "", "invalid_geometry"},
		{"empty geometry", "POST", "/api/v1/plots", "alice", "", feat(`{"type":"Polygon","coordinates":[]}`, okProps), 422, "geometry", "", "geometry_empty"},
		{"no geometry", "POST", "/api/v1/plots", "alice", "", feat(`null`, okProps), 422, "geometry", "missing", "geometry_missing"},
		{"point for a plot", "POST", "/api/v1/plots", "alice", "", feat(`{"type":"Point","coordinates":[111.53,36.03]}`, okProps), 422, "geometry", "Polygon", "geometry_type"},
		{"polygon for a road", "POST", "/api/v1/roads", "alice", "", feat(box(111.53, 36.03, 111.54, 36.04), `{"code":"R2","name":"x","status":"planned"}`), 422, "geometry", "LineString", "geometry_type"},
		{"outside the zone", "POST", "/api/v1/plots", "alice", "", feat(box(111.70, 36.03, 111.71, 36.04), okProps), 422, "geometry", "outside the zone", "outside_zone"},
		{"lat and lon swapped", "POST", "/api/v1/plots", "alice", "", feat(box(36.03, 111.53, 36.04, 111.54), okProps), 422, "geometry", "swapped", "swapped_axes"},
		{"overlaps P1", "POST", "/api/v1/plots", "alice", "", feat(box(111.515, 36.015, 111.525, 36.025), okProps), 409, "geometry", "P1", "overlap"},
		{"plant outside any plot", "POST", "/api/v1/plants", "alice", "", feat(box(111.53, 36.03, 111.531, 36.031), `{"code":"S2","status":"planned","floors":3}`), 422, "geometry", "inside any plot", "plant_outside_plot"},
		{"unknown field", "POST", "/api/v1/plots", "alice", "", feat(box(111.53, 36.03, 111.54, 36.04), `{"code":"P2","land_use":"100101","status":"planned","colour":"red"}`), 422, "colour", "not a property", "unknown_property"},
		{"missing required field", "POST", "/api/v1/plots", "alice", "", feat(box(111.53, 36.03, 111.54, 36.04), `{"code":"P2","land_use":"100101"}`), 422, "status", "required", "required"},
		{"unknown enum value", "POST", "/api/v1/plots", "alice", "", feat(box(111.53, 36.03, 111.54, 36.04), `{"code":"P2","land_use":"100101","status":"sold"}`), 422, "status", "unknown value", "unknown_value"},
		{"unknown land-use code", "POST", "/api/v1/plots", "alice", "", feat(box(111.53, 36.03, 111.54, 36.04), `{"code":"P2","land_use":"9999","status":"planned"}`), 422, "land_use", "", "unknown_land_use"},
		{"wrong type", "POST", "/api/v1/plots", "alice", "", feat(box(111.53, 36.03, 111.54, 36.04), `{"code":"P2","land_use":"100101","status":"planned","min_far":"high"}`), 422, "min_far", "number", "not_a_number"},
		{"computed field", "POST", "/api/v1/plots", "alice", "", feat(box(111.53, 36.03, 111.54, 36.04), `{"code":"P2","land_use":"100101","status":"planned","area_m2":5}`), 422, "area_m2", "computed", "computed"},
		{"public field inside confidential", "POST", "/api/v1/plots", "alice", "", feat(box(111.53, 36.03, 111.54, 36.04), `{"code":"P2","land_use":"100101","status":"planned","confidential":{"name":"x"}}`), 422, "confidential.name", "not confidential", "not_confidential"},
		{"existing code", "POST", "/api/v1/plots", "alice", "", feat(box(111.53, 36.03, 111.54, 36.04), `{"code":"P1","land_use":"100101","status":"planned"}`), 409, "code", "already exists", "exists"},
		{"not a feature", "POST", "/api/v1/plots", "alice", "", `{"type":"FeatureCollection","features":[]}`, 422, "features", "", "not_a_feature"},
		{"not JSON", "POST", "/api/v1/plots", "alice", "", `plot please`, 422, "body", "JSON", "bad_json"},
		{"body over the limit", "POST", "/api/v1/plots", "alice", "", big, 413, "body", "larger", "too_large"},
		{"illegal status jump", "PATCH", "/api/v1/plots/P1", "alice", `"plots-P1-v1"`, `{"type":"Feature","properties":{"status":"in_production"}}`, 422, "status", "cannot go from ready to in_production", "illegal_transition"},
		{"illegal stage jump", "PATCH", "/api/v1/idle-sites/I1", "alice", `"idle-sites-I1-v1"`, `{"type":"Feature","properties":{"stage":"implementation"}}`, 422, "stage", "cannot go from survey", "illegal_transition"},
		{"code is immutable", "PATCH", "/api/v1/plots/P1", "alice", `"plots-P1-v1"`, `{"type":"Feature","properties":{"code":"P7"}}`, 422, "code", "immutable", "code_immutable"},
		{"required field nulled", "PATCH", "/api/v1/plots/P1", "alice", `"plots-P1-v1"`, `{"type":"Feature","properties":{"land_use":null}}`, 422, "land_use", "required", "required"},
		{"PATCH without If-Match", "PATCH", "/api/v1/plots/P1", "alice", "", `{"type":"Feature","properties":{"name":"x"}}`, 428, "If-Match", "required", "precondition_required"},
		{"PATCH with a stale ETag", "PATCH", "/api/v1/plots/P1", "alice", `"plots-P1-v0"`, `{"type":"Feature","properties":{"name":"x"}}`, 412, "If-Match", "not the current version", "stale_etag"},
		{"DELETE without If-Match", "DELETE", "/api/v1/plots/P1", "alice", "", "", 428, "If-Match", "required", "precondition_required"},
		{"id is not the URL's code", "PATCH", "/api/v1/plots/P1", "alice", `"plots-P1-v1"`, `{"type":"Feature","id":"P7","properties":{"name":"x"}}`, 422, "code", "immutable", "code_immutable"},
		{"public may not archive", "DELETE", "/api/v1/plots/P1", "", `"plots-P1-v1"`, "", 401, "", "sign in", "unauthorized"},
		{"viewer may not change", "PATCH", "/api/v1/plots/P1", "bob", `"plots-P1-v1"`, `{"type":"Feature","properties":{"name":"x"}}`, 403, "", "viewer", "forbidden"},
		{"viewer may not archive", "DELETE", "/api/v1/plots/P1", "bob", "", "", 403, "", "viewer", "forbidden"},
		{"viewer may not restore", "POST", "/api/v1/plots/P1/restore?version=1", "bob", "", "", 403, "", "viewer", "forbidden"},
		{"moving P1 away from its plant", "PATCH", "/api/v1/plots/P1", "alice", `"plots-P1-v1"`, feat(box(111.53, 36.03, 111.54, 36.04), `{}`), 409, "geometry", "S1", "plants_left_outside"},
		{"archiving P1 under its plant", "DELETE", "/api/v1/plots/P1", "alice", `"plots-P1-v1"`, "", 409, "geometry", "S1", "plants_left_outside"},
		{"unknown feature", "PATCH", "/api/v1/plots/NOPE", "alice", `"plots-NOPE-v1"`, `{"type":"Feature","properties":{"name":"x"}}`, 404, "code", "", "not_found"},
		{"restore a version that never was", "POST", "/api/v1/plots/P1/restore?version=7", "alice", "", "", 422, "version", "no version 7", "no_such_version"},
		{"restore without a version", "POST", "/api/v1/plots/P1/restore", "alice", "", "", 400, "version", "", "required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot(t)
			r := e.do(t, tc.method, tc.path, tc.user, tc.ifMatch, tc.body)
			if r.status != tc.status {
				t.Fatalf("%s %s = %d, want %d: %s", tc.method, tc.path, r.status, tc.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", ct)
			}
			p := r.json(t)
			if tc.field != "" && p["field"] != tc.field {
				t.Errorf("field = %v, want %s (%s)", p["field"], tc.field, r.body)
			}
			if want := tc.code; p["code"] != want && want != "" {
				t.Errorf("code = %v, want %s (%s)", p["code"], want, r.body)
			}
			if _, ok := p["params"].(map[string]any); !ok {
				t.Errorf("params = %v, want an object", p["params"])
			}
			if _, ok := inventory.Codes()[fmt.Sprint(p["code"])]; !ok {
				t.Errorf("code %v is not in the table of codes", p["code"])
			}
			if !strings.Contains(fmt.Sprint(p["detail"]), tc.reason) {
				t.Errorf("detail %q does not mention %q", p["detail"], tc.reason)
			}
			if after := e.snapshot(t); after != before {
				t.Errorf("a refused write changed the inventory:\n before %s\n after  %s", before, after)
			}
		})
	}
	// The overlap names the plot and the overlap area (0.005° × 0.005° at 36° N ≈ 250 000 m²/…).
	r := e.do(t, "POST", "/api/v1/plots", "alice", "", feat(box(111.515, 36.015, 111.525, 36.025), okProps))
	var want float64
	e.db.Pool.QueryRow(context.Background(), `select round(ST_Area(ST_MakeEnvelope(111.515, 36.015, 111.52, 36.02, 4326)::geography)::numeric, 1)::float8`).Scan(&want)
	if p, _ := r.json(t)["params"].(map[string]any); p["other"] != "P1" || p["others"] != "P1" || p["overlap_m2"] != want {
		t.Errorf("overlap params = %v, want other P1 and %v m²", p, want)
	}
	if r := e.do(t, "POST", "/api/v1/plots", "alice", "", feat(box(111.53, 36.03, 111.54, 36.04), `{"code":"P2","land_use":"9999","status":"planned"}`)); r.json(t)["params"].(map[string]any)["value"] != "9999" {
		t.Errorf("unknown land use: params %s, want value 9999", r.body)
	}
	if r := e.do(t, "PATCH", "/api/v1/plots/P1", "alice", `"plots-P1-v1"`, `{"type":"Feature","properties":{"status":"in_production"}}`); fmt.Sprint(r.json(t)["params"]) != "map[from:ready to:in_production]" {
		t.Errorf("illegal transition: params %s, want from ready to in_production", r.body)
	}
	conf, _ := r.json(t)["conflicts"].([]any)
	if len(conf) != 1 || conf[0].(map[string]any)["code"] != "P1" || conf[0].(map[string]any)["overlap_m2"] != want {
		t.Errorf("conflicts = %v, want P1 with %v m²", conf, want)
	}
	// The 401 tells the client how to authenticate.
	if r := e.do(t, "POST", "/api/v1/plots", "", "", "{}"); r.header.Get("WWW-Authenticate") == "" {
		t.Errorf("401 without WWW-Authenticate")
	}
}

func TestSecondPlannerGets412(t *testing.T) {
	e := newEditEnv(t)
	r := e.do(t, "GET", "/api/v1/plots/P1", "alice", "", "")
	tag := r.header.Get("ETag")
	if r2 := e.do(t, "GET", "/api/v1/plots/P1", "carol", "", ""); r2.header.Get("ETag") != tag || tag != `"plots-P1-v1"` {
		t.Fatalf("ETags %q and %q", tag, r2.header.Get("ETag"))
	}
	a := e.do(t, "PATCH", "/api/v1/plots/P1", "alice", tag, `{"type":"Feature","properties":{"status":"reserved","name":"alice"}}`)
	if a.status != 200 || a.header.Get("ETag") != `"plots-P1-v2"` {
		t.Fatalf("alice: %d %s %s", a.status, a.header.Get("ETag"), a.body)
	}
	before := e.snapshot(t)
	c := e.do(t, "PATCH", "/api/v1/plots/P1", "carol", tag, `{"type":"Feature","properties":{"name":"carol"}}`)
	if c.status != 412 {
		t.Fatalf("carol: %d %s", c.status, c.body)
	}
	if e.snapshot(t) != before {
		t.Fatal("the refused edit changed the inventory")
	}
	var f feature
	getJSON(t, e.srv, "/api/v1/plots/P1", 200, &f)
	if f.Properties["name"] != "alice" {
		t.Fatalf("name = %v, want alice's", f.Properties["name"])
	}

	// At the same time: exactly one of two edits from the same version wins.
	tag = `"plots-P1-v2"`
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i, who := range []string{"alice", "carol"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = e.do(t, "PATCH", "/api/v1/plots/P1", who, tag, `{"type":"Feature","properties":{"name":"`+who+`2"}}`).status
		}()
	}
	wg.Wait()
	if !(statuses[0] == 200 && statuses[1] == 412 || statuses[0] == 412 && statuses[1] == 200) {
		t.Fatalf("concurrent edits answered %v, want one 200 and one 412", statuses)
	}
	var n int
	e.db.Pool.QueryRow(context.Background(), "select count(*) from plots where code = 'P1'").Scan(&n)
	if n != 3 {
		t.Fatalf("P1 has %d versions, want 3", n)
	}
}

// TestHistoryRestoreAndAsOf runs a hand-made sequence of edits and checks the history, a
// restore, and the inventory as it stood between the edits.
func TestHistoryRestoreAndAsOf(t *testing.T) {
	e := newEditEnv(t)
	stamp := func() string {
		time.Sleep(5 * time.Millisecond)
		s := time.Now().UTC().Format(time.RFC3339Nano)
		time.Sleep(5 * time.Millisecond)
		return s
	}
	t0 := stamp()
	g1, g2 := box(111.53, 36.03, 111.54, 36.04), box(111.53, 36.03, 111.545, 36.04)
	r := e.do(t, "POST", "/api/v1/plots", "alice", "", `{"type":"Feature","note":"new plot","geometry":`+g1+`,"properties":{"code":"Q","land_use":"100101","status":"planned","name":"first","confidential":{"enterprise":"机密企业XYZ"}}}`)
	if r.status != 201 || r.header.Get("ETag") != `"plots-Q-v1"` || r.header.Get("Location") != "/api/v1/plots/Q" {
		t.Fatalf("create: %d %v %s", r.status, r.header, r.body)
	}
	t1 := stamp()
	r = e.do(t, "PATCH", "/api/v1/plots/Q", "carol", `"plots-Q-v1"`, `{"type":"Feature","properties":{"status":"ready","name":"second"}}`)
	if r.status != 200 {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	t2 := stamp()
	r = e.do(t, "PATCH", "/api/v1/plots/Q", "alice", `"plots-Q-v2"`, `{"type":"Feature","geometry":`+g2+`}`)
	if r.status != 200 {
		t.Fatalf("patch geometry: %d %s", r.status, r.body)
	}
	t3 := stamp()
	r = e.do(t, "DELETE", "/api/v1/plots/Q?note=mistake", "alice", `"plots-Q-v3"`, "")
	if r.status != 200 || r.header.Get("ETag") != `"plots-Q-v4"` {
		t.Fatalf("archive: %d %s", r.status, r.body)
	}
	t4 := stamp()
	getJSON(t, e.srv, "/api/v1/plots/Q", 404, nil)

	var h struct {
		Versions []inventory.Version `json:"versions"`
	}
	r = e.do(t, "GET", "/api/v1/plots/Q/history", "alice", "", "")
	if err := json.Unmarshal(r.body, &h); err != nil || r.status != 200 {
		t.Fatalf("history: %d %s", r.status, r.body)
	}
	type step struct {
		op, by   string
		geom     bool
		archived bool
		changed  string // the changed fields, in field order
	}
	want := []step{
		{"create", "alice", true, false, "illustrative,name,district,land_use,status,standard_land,enterprise,area_m2"},
		{"update", "carol", false, false, "name,status"},
		{"update", "alice", true, false, "area_m2"},
		{"archive", "alice", false, true, ""},
	}
	if len(h.Versions) != len(want) {
		t.Fatalf("history has %d versions, want %d: %s", len(h.Versions), len(want), r.body)
	}
	for i, w := range want {
		v := h.Versions[i]
		var names []string
		for _, c := range v.Changes {
			names = append(names, c.Field)
		}
		got := step{v.Op, v.ChangedBy, v.GeometryChanged, v.Archived, strings.Join(names, ",")}
		if got != w || v.Version != i+1 {
			t.Errorf("version %d = %+v, want %+v", v.Version, got, w)
		}
	}
	if h.Versions[3].Note != "mistake" {
		t.Errorf("planner's history: archive note %q, want %q", h.Versions[3].Note, "mistake")
	}
	// The public sees when and what, but neither the notes nor who made the changes.
	var pub struct {
		Versions []inventory.Version `json:"versions"`
	}
	getJSON(t, e.srv, "/api/v1/plots/Q/history", 200, &pub)
	if len(pub.Versions) != len(want) {
		t.Fatalf("public history has %d versions", len(pub.Versions))
	}
	for _, v := range pub.Versions {
		if v.Note != "" || v.ChangedBy != "" {
			t.Errorf("public history of version %d shows note %q, changed_by %q", v.Version, v.Note, v.ChangedBy)
		}
	}
	if c := h.Versions[1].Changes[1]; c.Before != "planned" || c.After != "ready" {
		t.Errorf("status change = %+v", c)
	}
	if h.Versions[0].Note != "new plot" || h.Versions[3].Note != "mistake" {
		t.Errorf("notes: %q, %q", h.Versions[0].Note, h.Versions[3].Note)
	}

	// As of each moment, the plot is as it was then.
	asOf := []struct {
		at      string
		status  int
		version float64
		name    string
	}{{t0, 404, 0, ""}, {t1, 200, 1, "first"}, {t2, 200, 2, "second"}, {t3, 200, 3, "second"}, {t4, 404, 0, ""}}
	for _, a := range asOf {
		var f feature
		getJSON(t, e.srv, "/api/v1/plots/Q?as_of="+url.QueryEscape(a.at), a.status, &f)
		if a.status == 200 && (f.Properties["version"] != a.version || f.Properties["name"] != a.name) {
			t.Errorf("as of %s: version %v name %v, want %v %v", a.at, f.Properties["version"], f.Properties["name"], a.version, a.name)
		}
		var list fc
		getJSON(t, e.srv, "/api/v1/plots?as_of="+url.QueryEscape(a.at), 200, &list)
		found := false
		for _, f := range list.Features {
			found = found || f.ID == "Q"
		}
		if found != (a.status == 200) {
			t.Errorf("list as of %s: Q present = %v", a.at, found)
		}
	}

	// Restore version 1: a new version 5, planned again (the lifecycle does not bind a
	// restore), with version 1's geometry and name.
	r = e.do(t, "POST", "/api/v1/plots/Q/restore?version=1", "carol", "", "")
	if r.status != 200 || r.header.Get("ETag") != `"plots-Q-v5"` {
		t.Fatalf("restore: %d %s", r.status, r.body)
	}
	var f feature
	json.Unmarshal(r.body, &f)
	if f.Properties["status"] != "planned" || f.Properties["name"] != "first" {
		t.Errorf("restored %v", f.Properties)
	}
	var same bool
	e.db.Pool.QueryRow(context.Background(), `select a.geom = b.geom from plots a, plots b
		where a.code = 'Q' and b.code = 'Q' and a.version = 1 and b.version = 5`).Scan(&same)
	if !same {
		t.Error("restored geometry differs from version 1's")
	}
	r = e.do(t, "GET", "/api/v1/plots/Q/history", "alice", "", "")
	json.Unmarshal(r.body, &h)
	last := h.Versions[len(h.Versions)-1]
	if last.Op != "restore" || last.RestoredFrom == nil || *last.RestoredFrom != 1 || last.ChangedBy != "carol" || !last.GeometryChanged {
		t.Errorf("restore version = %+v", last)
	}
	// A restore checks every other rule: restoring P1's plant-less... (overlap): put a plot
	// where Q's version 3 was, then restoring version 3 of Q overlaps it.
	if r := e.do(t, "POST", "/api/v1/plots", "alice", "", feat(box(111.5405, 36.03, 111.545, 36.04), `{"code":"Z","land_use":"100101","status":"planned"}`)); r.status != 201 {
		t.Fatalf("create Z: %d %s", r.status, r.body)
	}
	before := e.snapshot(t)
	if r := e.do(t, "POST", "/api/v1/plots/Q/restore?version=3", "alice", `"plots-Q-v5"`, ""); r.status != 409 {
		t.Fatalf("restore over Z: %d %s", r.status, r.body)
	}
	if e.snapshot(t) != before {
		t.Fatal("refused restore changed the inventory")
	}
}

// TestPublicNeverSeesConfidential calls every GET route of the server, and the history, as the
// public and as a viewer: no response holds the key "confidential" or any confidential value.
// A planner's responses do hold them (so the check can fail).
func TestPublicNeverSeesConfidential(t *testing.T) {
	e := newEditEnv(t)
	// A version with a confidential change, so the history has one to leak.
	if r := e.do(t, "PATCH", "/api/v1/plots/P1", "alice", `"plots-P1-v1"`, `{"type":"Feature","properties":{"confidential":{"contact":"13800000000"}}}`); r.status != 200 {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	// An enterprise with figures and an evaluation, so the enterprise and evaluation routes have
	// secrets to leak: its name, its tax and its score's firm.
	firm := perMuFirm(t, e)
	// An investment project signed on P1 (which becomes reserved), so the project routes and
	// the plot have secrets to leak: its investor and its investment.
	signedProject(t, e, "P1", "P1")
	// The tenant's rent is 97.31, not a number a timestamp can hold (17.77 once matched a
	// history's valid_from at hh:mm:17.77…: seconds never reach 97).
	secrets := []string{`"confidential"`, "机密企业XYZ", "98765.4321", "秘密租户", "97.31", "13800000000", "秘密亩均企业", "4321.987", firm,
		"秘密项目投资方", "54321.123",
		// alice is the planner who made the versions above: changed_by, a staff login name, is staff-only.
		`"alice"`}
	var paths []string
	// e.server is built by web.NewServer, the constructor cmd/landinv serves: walking its router
	// visits every route the binary serves.
	err := chi.Walk(e.server.Routes(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method != "GET" {
			return nil
		}
		p := route
		p = strings.ReplaceAll(p, "/*", "/")
		// /ogc items name the layer the same way: /ogc/collections/{layer}/items/{code}.
		layerOf := strings.Replace(p, "/ogc/collections/", "/api/v1/", 1)
		layerOf = strings.Replace(layerOf, "/items/{code}", "/{code}", 1)
		if strings.HasPrefix(p, "/ogc/collections/zones/items/{code}") {
			p = strings.ReplaceAll(p, "{code}", "hand")
		}
		switch {
		case strings.Contains(p, "{tileMatrix}"):
			// The OGC tile of the zoom-12 tile holding P1 and S1: row is y, column is x.
			n := math.Exp2(12)
			lat := 36.015 * math.Pi / 180
			x, y := int((111.515+180)/360*n), int((1-math.Log(math.Tan(lat)+1/math.Cos(lat))/math.Pi)/2*n)
			p = strings.NewReplacer("{tileMatrix}", "12", "{tileRow}", fmt.Sprint(y), "{tileCol}", fmt.Sprint(x)).Replace(p)
		case strings.HasPrefix(p, "/api/v1/enterprises/{code}") || strings.HasPrefix(p, "/api/v1/evaluations/{year}"):
			p = strings.NewReplacer("{code}", firm, "{year}", "2025").Replace(p)
		case strings.HasPrefix(layerOf, "/api/v1/plants/{code}"):
			p = strings.ReplaceAll(p, "{code}", "S1")
		case strings.HasPrefix(layerOf, "/api/v1/idle-sites/{code}"):
			p = strings.ReplaceAll(p, "{code}", "I1")
		case strings.HasPrefix(layerOf, "/api/v1/roads/{code}"):
			p = strings.ReplaceAll(p, "{code}", "R1")
		case strings.HasPrefix(layerOf, "/api/v1/layout/{code}"):
			p = strings.ReplaceAll(p, "{code}", "W")
		default:
			p = strings.ReplaceAll(p, "{code}", "P1")
		}
		if strings.Contains(p, "{layer}/{z}/{x}/{y}") {
			// The zoom-12 tile holding P1 and S1.
			n := math.Exp2(12)
			lat := 36.015 * math.Pi / 180
			x, y := int((111.515+180)/360*n), int((1-math.Log(math.Tan(lat)+1/math.Cos(lat))/math.Pi)/2*n)
			for _, l := range []string{"plots", "plants", "idle-sites", "idle_sites", "roads", "layout"} {
				q := strings.NewReplacer("{layer}", l, "{z}", "12", "{x}", fmt.Sprint(x), "{y}", fmt.Sprint(y)).Replace(p)
				paths = append(paths, q)
			}
			return nil
		}
		if strings.HasPrefix(p, "/api/v1/reports/") && !strings.Contains(p, "{") {
			paths = append(paths, p, p+"?format=csv", p+"?include=plots")
			return nil
		}
		if strings.Contains(p, "{") {
			t.Logf("skipping %s", route)
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	paths = append(paths, "/api/v1/plots?as_of="+url.QueryEscape(time.Now().UTC().Format(time.RFC3339Nano)),
		"/api/v1/plots/P1?as_of="+url.QueryEscape(time.Now().UTC().Format(time.RFC3339Nano)),
		// The OGC API's own ways of reading: datetime, crs, properties, sortby, filters.
		"/ogc/collections/plots/items?datetime="+url.QueryEscape(time.Now().UTC().Format(time.RFC3339Nano)),
		"/ogc/collections/plots/items?crs=EPSG:4546&properties=code,status", "/ogc/collections/plots/items/P1?crs=EPSG:4490",
		"/ogc/collections/plots/items?sortby=-area_mu&filter="+url.QueryEscape("status = 'ready' AND area_mu > 0"),
		"/ogc/collections/plants/items?filter-lang=cql-json&filter="+url.QueryEscape(`{"op":"=","args":[{"property":"status"},"completed"]}`))
	if len(paths) < 15 {
		t.Fatalf("only %d GET routes found: %v", len(paths), paths)
	}
	leaks := 0
	for _, p := range paths {
		for _, user := range []string{"", "bob", "alice"} {
			r := e.do(t, "GET", p, user, "", "")
			if strings.HasPrefix(p, "/tiles/") && r.status == 200 && user == "" && len(r.body) < 50 {
				t.Errorf("GET %s: an empty tile; the check would see nothing", p)
			}
			confidentialReport := strings.HasPrefix(p, "/api/v1/reports/"+inventory.ReportPipeline) // projects: 401 / 403
			if r.status >= 500 || (r.status >= 400 && strings.HasPrefix(p, "/api/v1/reports/") && !strings.Contains(p, "include") &&
				!(confidentialReport && user != "alice")) {
				t.Errorf("GET %s as %q = %d", p, user, r.status)
			}
			if confidentialReport && user != "alice" && r.status != 401 && r.status != 403 {
				t.Errorf("GET %s as %q = %d, want 401 or 403", p, user, r.status)
			}
			for _, sct := range secrets {
				if sct == `"confidential"` && (strings.HasPrefix(p, "/api/v1/meta") || strings.HasPrefix(p, "/api/v1/reports")) {
					// The field metadata and the reports say which fields are confidential
					// ("confidential": true/false flags); what must never appear is the object.
					sct = `"confidential":{`
				}
				if strings.Contains(string(r.body), sct) {
					if user == "alice" {
						leaks++
						continue
					}
					t.Errorf("GET %s as %q holds %s", p, user, sct)
				}
			}
		}
	}
	if leaks < 10 {
		t.Errorf("a planner saw confidential values only %d times; the check would not notice a leak", leaks)
	}
}

func TestTokensAreHashedAndRevocable(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()
	var plain int
	e.db.Pool.QueryRow(ctx, "select count(*) from api_tokens where token_hash = convert_to($1, 'UTF8')", e.tokens["alice"]).Scan(&plain)
	var hashed int
	e.db.Pool.QueryRow(ctx, "select count(*) from api_tokens where token_hash = sha256(convert_to($1, 'UTF8'))", e.tokens["alice"]).Scan(&hashed)
	if plain != 0 || hashed != 1 {
		t.Fatalf("token stored plain %d times, as SHA-256 %d times", plain, hashed)
	}
	var me map[string]any
	r := e.do(t, "GET", "/api/v1/me", "alice", "", "")
	json.Unmarshal(r.body, &me)
	if me["name"] != "alice" || me["role"] != "planner" || me["can_edit"] != true {
		t.Fatalf("me = %v", me)
	}
	if _, err := e.db.RevokeTokens(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if r := e.do(t, "GET", "/api/v1/plots", "alice", "", ""); r.status != 401 {
		t.Errorf("revoked token: %d", r.status)
	}
	if err := e.db.DisableUser(ctx, "carol"); err != nil {
		t.Fatal(err)
	}
	if r := e.do(t, "GET", "/api/v1/plots", "carol", "", ""); r.status != 401 {
		t.Errorf("disabled user's token: %d", r.status)
	}
	if r := e.do(t, "GET", "/api/v1/me", "", "", ""); r.status != 200 || r.json(t)["signed_in"] != false {
		t.Errorf("public me: %d %s", r.status, r.body)
	}
}

func TestImportOverHTTP(t *testing.T) {
	e := newEditEnv(t)
	file := `{"type":"FeatureCollection","features":[` +
		feat(box(111.53, 36.03, 111.54, 36.04), `{"编号":"N1","land_use":"100101","status":"planned"}`) + `,` +
		feat(box(111.515, 36.015, 111.525, 36.025), `{"编号":"N2","land_use":"100101","status":"planned"}`) + `]}`
	before := e.snapshot(t)
	for _, tc := range []struct {
		user, query string
		status      int
	}{
		{"", "?layer=plots&map=编号=code", 401},
		{"bob", "?layer=plots&map=编号=code", 403},
		{"alice", "?layer=lakes&map=编号=code", 400},
		{"alice", "?layer=plots&crs=EPSG:x", 400},
		{"alice", "?layer=plots&colour=red", 400},
		{"alice", "?layer=plots", 422}, // 编号 is not a property of plots
		{"alice", "?layer=plots&map=" + url.QueryEscape("编号=code") + "&dry_run=true", 422},
		{"alice", "?layer=plots&map=" + url.QueryEscape("编号=code"), 422},
	} {
		r := e.do(t, "POST", "/api/v1/import"+tc.query, tc.user, "", file)
		if r.status != tc.status {
			t.Fatalf("%s as %q: %d, want %d: %s", tc.query, tc.user, r.status, tc.status, r.body)
		}
		if e.snapshot(t) != before {
			t.Fatalf("%s as %q changed the inventory", tc.query, tc.user)
		}
		if tc.status == 422 && strings.Contains(tc.query, "map") {
			var rep struct {
				Rejected []struct {
					Index int    `json:"index"`
					Code  string `json:"code"`
					Field string `json:"field"`
				} `json:"rejected"`
				Committed bool `json:"committed"`
			}
			json.Unmarshal(r.body, &rep)
			if len(rep.Rejected) != 1 || rep.Rejected[0].Index != 1 || rep.Rejected[0].Code != "N2" || rep.Committed {
				t.Errorf("report %s", r.body)
			}
		}
	}
	good := `{"type":"FeatureCollection","features":[` + feat(box(111.53, 36.03, 111.54, 36.04), `{"编号":"N1","land_use":"100101","status":"planned"}`) + `]}`
	r := e.do(t, "POST", "/api/v1/import?layer=plots&map="+url.QueryEscape("编号=code"), "alice", "", good)
	if r.status != 200 || r.json(t)["committed"] != true {
		t.Fatalf("good import: %d %s", r.status, r.body)
	}
	// A planner reads who imported it; the public does not (a member of staff's login name).
	var f feature
	if err := json.Unmarshal(e.do(t, "GET", "/api/v1/plots/N1", "alice", "", "").body, &f); err != nil {
		t.Fatal(err)
	}
	if f.Properties["changed_by"] != "alice" || f.Properties["status"] != "planned" {
		t.Errorf("imported N1: %v", f.Properties)
	}
	var pub feature
	getJSON(t, e.srv, "/api/v1/plots/N1", 200, &pub)
	if _, ok := pub.Properties["changed_by"]; ok || pub.Properties["status"] != "planned" {
		t.Errorf("imported N1 as the public: %v", pub.Properties)
	}
}

// TestPublicETagNamesTheSameVersion: the public's ETag of a version ("…-vN-public", from an
// anonymous GET, as a GIS client reading before it signs in gets it) is accepted as If-Match for
// that version; an older version's public ETag is still refused as stale.
func TestPublicETagNamesTheSameVersion(t *testing.T) {
	e := newEditEnv(t)
	pub := e.do(t, "GET", "/api/v1/plots/P1", "", "", "")
	tag := pub.header.Get("ETag")
	if pub.status != 200 || !strings.HasSuffix(tag, `-public"`) {
		t.Fatalf("public GET: %d, ETag %q", pub.status, tag)
	}
	if r := e.do(t, "PATCH", "/api/v1/plots/P1", "alice", tag, `{"type":"Feature","properties":{"name":"by public etag"}}`); r.status != 200 {
		t.Fatalf("PATCH with the public ETag of the current version: %d %s", r.status, r.body)
	}
	if r := e.do(t, "PATCH", "/api/v1/plots/P1", "alice", tag, `{"type":"Feature","properties":{"name":"again"}}`); r.status != 412 {
		t.Errorf("PATCH with the public ETag of the version before: %d %s", r.status, r.body)
	}
	// A replace (PUT) clears what its body leaves out: the public's copy lacks the confidential
	// properties, so a replace naming it is refused and P1 keeps its enterprise.
	cur := e.do(t, "GET", "/api/v1/plots/P1", "", "", "")
	put := `{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[111.51,36.01],[111.52,36.01],[111.52,36.02],[111.51,36.02],[111.51,36.01]]]]},"properties":{"land_use":"100101","status":"ready"}}`
	if r := e.do(t, "PUT", "/ogc/collections/plots/items/P1", "alice", cur.header.Get("ETag"), put); r.status != 412 || !strings.Contains(string(r.body), "public") {
		t.Errorf("PUT with the public ETag: %d %s", r.status, r.body)
	}
	if r := e.do(t, "GET", "/api/v1/plots/P1", "alice", "", ""); !strings.Contains(string(r.body), "机密企业XYZ") {
		t.Errorf("P1 lost its enterprise: %s", r.body)
	}
}
