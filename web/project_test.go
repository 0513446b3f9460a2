package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/landinv/landinv/inventory"
)

// signedProject creates project code (investor 秘密项目投资方, 54321.123 万元) through the API as
// alice and moves it to signed on plot, which it reserves.
func signedProject(t *testing.T, e *editEnv, code, plot string) {
	t.Helper()
	r := e.do(t, "POST", "/api/v1/projects", "alice", "", fmt.Sprintf(`{"type":"Feature","properties":{"code":%q,
		"confidential":{"name":"新材料项目","investor_name":"秘密项目投资方","total_investment_wan":54321.123,"cluster":"new_materials",
		"area_mu_min":10,"area_mu_max":20,"tax_wan_per_mu_year":30}}}`, code))
	if r.status != 201 {
		t.Fatalf("create project: %d %s", r.status, r.body)
	}
	etag := r.header.Get("ETag")
	for _, step := range []string{`{"stage":"negotiating"}`, fmt.Sprintf(`{"stage":"signed","date":"2026-01-15","plot_code":%q,"note":"签约"}`, plot)} {
		r = e.do(t, "POST", "/api/v1/projects/"+code+"/stage", "alice", etag, step)
		if r.status != 200 {
			t.Fatalf("stage %s: %d %s", step, r.status, r.body)
		}
		etag = r.header.Get("ETag")
	}
}

// TestProjectRoutesAreConfidential: the public gets 401 and a viewer 403 on every project route
// and on turning an enquiry into a project; a reserved plot shows the public only its status.
func TestProjectRoutesAreConfidential(t *testing.T) {
	e := newEditEnv(t)
	signedProject(t, e, "PJ1", "P1")
	before := e.snapshot(t)
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/api/v1/projects", ""},
		{"GET", "/api/v1/projects/PJ1", ""},
		{"GET", "/api/v1/projects/PJ1/history", ""},
		{"GET", "/api/v1/projects/NOPE", ""},
		{"POST", "/api/v1/projects", `{"type":"Feature","properties":{"code":"X","name":"x","investor_name":"y"}}`},
		{"PATCH", "/api/v1/projects/PJ1", `{"type":"Feature","properties":{"officer":"x"}}`},
		{"DELETE", "/api/v1/projects/PJ1", ""},
		{"POST", "/api/v1/projects/PJ1/stage", `{"stage":"supplied"}`},
		{"POST", "/api/v1/enquiries/1/project", ""},
	} {
		for user, want := range map[string]int{"": 401, "bob": 403} {
			r := e.do(t, c.method, c.path, user, `"projects-PJ1-v3"`, c.body)
			if r.status != want {
				t.Errorf("%s %s as %q = %d, want %d", c.method, c.path, user, r.status, want)
			}
			if strings.Contains(string(r.body), "秘密项目投资方") || strings.Contains(string(r.body), "PJ1\\\"") {
				t.Errorf("%s %s as %q leaks: %s", c.method, c.path, user, r.body)
			}
		}
	}
	if e.snapshot(t) != before {
		t.Error("a refused request changed the inventory")
	}
	// The public sees P1 as reserved, and nothing of the project.
	r := e.do(t, "GET", "/api/v1/plots/P1", "", "", "")
	var f struct {
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(r.body, &f); err != nil {
		t.Fatal(err)
	}
	if f.Properties["status"] != "reserved" {
		t.Errorf("public P1 status = %v, want reserved", f.Properties["status"])
	}
	for _, s := range []string{"PJ1", "秘密项目投资方", "新材料项目", "54321"} {
		if strings.Contains(string(r.body), s) {
			t.Errorf("public P1 holds %s: %s", s, r.body)
		}
	}
	// A planner reads the project, its history (3 versions, by alice) and as_of.
	r = e.do(t, "GET", "/api/v1/projects/PJ1/history", "alice", "", "")
	if r.status != 200 || strings.Count(string(r.body), `"changed_by":"alice"`) != 3 {
		t.Errorf("history: %d %s", r.status, r.body)
	}
}

// TestProjectStageAPI: If-Match is required; a skipped stage is 422 naming stage and changes
// nothing; an enquiry becomes a lead project (201) keeping the enquiry as it was.
func TestProjectStageAPI(t *testing.T) {
	e := newEditEnv(t)
	signedProject(t, e, "PJ1", "P1")
	if r := e.do(t, "POST", "/api/v1/projects/PJ1/stage", "alice", "", `{"stage":"supplied"}`); r.status != 428 {
		t.Errorf("stage without If-Match: %d %s", r.status, r.body)
	}
	before := e.snapshot(t)
	r := e.do(t, "POST", "/api/v1/projects/PJ1/stage", "alice", `"projects-PJ1-v3"`, `{"stage":"in_production","date":"2026-02-01"}`)
	if r.status != 422 || !strings.Contains(string(r.body), `"stage"`) {
		t.Errorf("skipping to in_production: %d %s", r.status, r.body)
	}
	if r := e.do(t, "POST", "/api/v1/projects/PJ1/stage", "alice", `"projects-PJ1-v3"`, `{"stage":"supplied","bogus":1}`); r.status != 422 && r.status != 400 {
		t.Errorf("unknown member: %d %s", r.status, r.body)
	}
	if e.snapshot(t) != before {
		t.Error("a refused stage changed the inventory")
	}
	r = e.do(t, "POST", "/api/v1/projects/PJ1/stage", "alice", `"projects-PJ1-v3"`, `{"stage":"supplied","date":"2026-02-01"}`)
	if r.status != 200 {
		t.Fatalf("supplied: %d %s", r.status, r.body)
	}
	var status string
	e.db.Pool.QueryRow(context.Background(), `select status from plots where code = 'P1' and valid_to = 'infinity'`).Scan(&status)
	if status != "supplied" {
		t.Errorf("P1 is %s after supply", status)
	}
	// An enquiry becomes a project.
	r = e.do(t, "POST", "/api/v1/enquiries", "", "", goodEnquiry)
	id := int(r.json(t)["id"].(float64))
	r = e.do(t, "POST", fmt.Sprintf("/api/v1/enquiries/%d/project", id), "alice", "", "")
	if r.status != 201 || r.header.Get("Location") != fmt.Sprintf("/api/v1/projects/PRJ-E%d", id) {
		t.Fatalf("enquiry → project: %d %s %s", r.status, r.header.Get("Location"), r.body)
	}
	if r := e.do(t, "POST", fmt.Sprintf("/api/v1/enquiries/%d/project", id), "alice", "", `{"code":"AGAIN"}`); r.status != 409 {
		t.Errorf("second project of an enquiry: %d %s", r.status, r.body)
	}
	if r := e.do(t, "POST", "/api/v1/enquiries/abc/project", "alice", "", ""); r.status != 404 {
		t.Errorf("enquiry abc: %d", r.status)
	}
}

// TestArchivingAProjectHoldingLandIsRefused: DELETE of a signed project holding its plot is a
// 409 naming stage with the rule's code, and changes nothing; dropped first, it is archived and
// its plot is ready again.
func TestArchivingAProjectHoldingLandIsRefused(t *testing.T) {
	e := newEditEnv(t)
	signedProject(t, e, "PJ1", "P1")
	before := e.snapshot(t)
	r := e.do(t, "DELETE", "/api/v1/projects/PJ1", "alice", `"projects-PJ1-v3"`, "")
	if r.status != 409 || r.json(t)["code"] != inventory.CodeProjectHoldsSite || r.json(t)["field"] != "stage" {
		t.Fatalf("archive of a project holding P1: %d %s", r.status, r.body)
	}
	if e.snapshot(t) != before {
		t.Error("a refused archive changed the inventory")
	}
	r = e.do(t, "POST", "/api/v1/projects/PJ1/stage", "alice", `"projects-PJ1-v3"`, `{"stage":"dropped","drop_reason":"投资方撤回"}`)
	if r.status != 200 {
		t.Fatalf("drop: %d %s", r.status, r.body)
	}
	if r = e.do(t, "DELETE", "/api/v1/projects/PJ1", "alice", r.header.Get("ETag"), ""); r.status != 200 && r.status != 204 {
		t.Fatalf("archive after dropping: %d %s", r.status, r.body)
	}
	var status string
	if err := e.db.Pool.QueryRow(context.Background(), `select status from plots where code = 'P1' and valid_to = 'infinity'`).Scan(&status); err != nil || status != "ready" {
		t.Errorf("P1 is %q (%v), want ready", status, err)
	}
}

// TestEnquiryProjectBodyIsOptional: POST /api/v1/enquiries/{id}/project with no body, an empty
// body sent chunked (no Content-Length) or white space makes the project PRJ-E{id}; a chunked
// body with content is read (its code used), and a chunked body that is not JSON is a 422
// naming the body.
func TestEnquiryProjectBodyIsOptional(t *testing.T) {
	e := newEditEnv(t)
	post := func(id int, body io.Reader, chunked bool) reply {
		t.Helper()
		req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/enquiries/%d/project", e.srv.URL, id), body)
		if err != nil {
			t.Fatal(err)
		}
		if chunked {
			req.ContentLength = -1 // the client sends it chunked
			req.TransferEncoding = []string{"chunked"}
		}
		req.Header.Set("Authorization", "Bearer "+e.tokens["alice"])
		req.Header.Set("Content-Type", "application/json")
		return roundTrip(t, req)
	}
	enquiry := func() int {
		r := e.do(t, "POST", "/api/v1/enquiries", "", "", goodEnquiry)
		return int(r.json(t)["id"].(float64))
	}
	for _, c := range []struct {
		name    string
		body    string
		chunked bool
		status  int
		code    string // the project's code; "" = PRJ-E{id}
	}{
		{"no body", "", false, 201, ""},
		{"chunked, empty", "", true, 201, ""},
		{"chunked, white space", " \r\n ", true, 201, ""},
		{"chunked, a code", `{"code":"CHUNKED-1"}`, true, 201, "CHUNKED-1"},
		{"chunked, not JSON", `{"code":`, true, 422, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			id := enquiry()
			var body io.Reader
			if c.chunked {
				body = io.MultiReader(strings.NewReader(c.body)) // no length known: sent chunked
			} else {
				body = http.NoBody
			}
			r := post(id, body, c.chunked)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			if c.status != 201 {
				if !strings.Contains(string(r.body), `"body"`) {
					t.Errorf("the problem names no body: %s", r.body)
				}
				return
			}
			want := c.code
			if want == "" {
				want = fmt.Sprintf("PRJ-E%d", id)
			}
			if loc := r.header.Get("Location"); loc != "/api/v1/projects/"+want {
				t.Errorf("Location %q, want the project %s", loc, want)
			}
		})
	}
}

// needRecorder is a SiteMatcher that records the need it is asked about and answers one match:
// the matching itself is the PostGIS store's (tested there); here only the route is.
type needRecorder struct {
	mu    sync.Mutex
	needs []inventory.SiteNeed
	limit int
}

func (m *needRecorder) MatchSites(_ context.Context, n inventory.SiteNeed, limit int) (*inventory.SiteMatches, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.needs, m.limit = append(m.needs, n), limit
	return &inventory.SiteMatches{Candidates: 7, Passing: 1, Matches: []inventory.SiteMatch{
		{Code: "P9", Score: 1, Conditions: []inventory.MatchCondition{{Name: "area_mu", Pass: true, Value: 15.0, Required: "10–20"}}}}}, nil
}

// TestProjectMatchesParameters: layer is required and is plots or plants, limit is 1–200, other
// parameters are refused (400 naming them); a good request hands the matcher the project's need.
func TestProjectMatchesParameters(t *testing.T) {
	e := newEditEnv(t)
	signedProject(t, e, "PJ1", "P1")
	rec := &needRecorder{}
	d := storeDeps(e.db)
	d.Matcher = rec
	e.server = newServer(t, d)
	e.srv = httptest.NewServer(e.server)
	t.Cleanup(e.srv.Close)
	for _, c := range []struct {
		query  string
		status int
		field  string
	}{
		{"", 400, "layer"},
		{"?layer=roads", 400, "layer"},
		{"?layer=plots&limit=0", 400, "limit"},
		{"?layer=plots&limit=201", 400, "limit"},
		{"?layer=plots&limit=x", 400, "limit"},
		{"?layer=plots&sort=score", 400, "sort"},
		{"?layer=plots&layer=plants", 400, "layer"},
	} {
		r := e.do(t, "GET", "/api/v1/projects/PJ1/matches"+c.query, "alice", "", "")
		if r.status != c.status || !strings.Contains(string(r.body), fmt.Sprintf("%q", c.field)) {
			t.Errorf("matches%s: %d %s, want %d naming %s", c.query, r.status, r.body, c.status, c.field)
		}
	}
	if len(rec.needs) != 0 {
		t.Errorf("the matcher was asked %d times by bad requests", len(rec.needs))
	}
	for user, want := range map[string]int{"": 401, "bob": 403} {
		if r := e.do(t, "GET", "/api/v1/projects/PJ1/matches?layer=plots", user, "", ""); r.status != want {
			t.Errorf("matches as %q: %d, want %d", user, r.status, want)
		}
	}
	if r := e.do(t, "GET", "/api/v1/projects/NOPE/matches?layer=plots", "alice", "", ""); r.status != 404 {
		t.Errorf("matches of an unknown project: %d", r.status)
	}
	r := e.do(t, "GET", "/api/v1/projects/PJ1/matches?layer=plots&limit=5", "alice", "", "")
	if r.status != 200 {
		t.Fatalf("matches: %d %s", r.status, r.body)
	}
	var body struct {
		Matches             []inventory.SiteMatch `json:"matches"`
		Candidates, Passing int
	}
	if err := json.Unmarshal(r.body, &body); err != nil || len(body.Matches) != 1 || body.Matches[0].Code != "P9" || body.Matches[0].Conditions[0].Name != "area_mu" ||
		body.Candidates != 7 || body.Passing != 1 {
		t.Errorf("answer %s (%v)", r.body, err)
	}
	n := rec.needs[0]
	if n.Layer != "plots" || n.Zone != "hand" || rec.limit != 5 || n.AreaMuMin == nil || *n.AreaMuMin != 10 || *n.AreaMuMax != 20 ||
		n.Cluster != "new_materials" || n.TaxWanPerMuYear == nil || *n.TaxWanPerMuYear != 30 || n.InvestmentWanPerMu != nil {
		t.Errorf("need %+v, limit %d", n, rec.limit)
	}
}

// TestProjectMatchesServed: the matches route, wired to the store, answers a planner with the
// ready plot of the edit zone and every condition's outcome; the area condition follows the
// project's range (a plot of ≈1,480 亩 passes 1,000–2,000 亩 and fails 10–20 亩), and its value
// is the plot's area as the plots API gives it.
func TestProjectMatchesServed(t *testing.T) {
	e := newEditEnv(t)
	plot := e.do(t, "GET", "/api/v1/plots/P1", "alice", "", "").json(t)
	area := plot["properties"].(map[string]any)["area_mu"].(float64)
	for _, c := range []struct {
		code     string
		min, max float64
		pass     bool
	}{
		{"PJA", 1000, 2000, true},
		{"PJB", 10, 20, false},
	} {
		r := e.do(t, "POST", "/api/v1/projects", "alice", "", fmt.Sprintf(`{"type":"Feature","properties":{"code":%q,
			"confidential":{"name":"匹配项目","investor_name":"某投资方","area_mu_min":%g,"area_mu_max":%g}}}`, c.code, c.min, c.max))
		if r.status != 201 {
			t.Fatalf("create %s: %d %s", c.code, r.status, r.body)
		}
		r = e.do(t, "GET", "/api/v1/projects/"+c.code+"/matches?layer=plots", "alice", "", "")
		if r.status != 200 {
			t.Fatalf("matches %s: %d %s", c.code, r.status, r.body)
		}
		var got struct {
			Matches []struct {
				Code       string  `json:"code"`
				Score      float64 `json:"score"`
				Conditions []struct {
					Name     string `json:"name"`
					Pass     bool   `json:"pass"`
					Value    any    `json:"value"`
					Required any    `json:"required"`
				} `json:"conditions"`
			} `json:"matches"`
		}
		if err := json.Unmarshal(r.body, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Matches) != 1 || got.Matches[0].Code != "P1" {
			t.Fatalf("%s: matches %s, want the one ready plot P1", c.code, r.body)
		}
		found := false
		for _, k := range got.Matches[0].Conditions {
			if k.Name != "area_mu" {
				continue
			}
			found = true
			v, _ := k.Value.(float64)
			if k.Pass != c.pass || math.Abs(v-area) > 0.01 {
				t.Errorf("%s: area condition %+v, want pass=%v with value %.2f", c.code, k, c.pass, area)
			}
		}
		if !found {
			t.Errorf("%s: no area_mu condition in %s", c.code, r.body)
		}
		if r := e.do(t, "GET", "/api/v1/projects/"+c.code+"/matches?layer=plots", "", "", ""); r.status != 401 {
			t.Errorf("the public got %d on matches, want 401", r.status)
		}
	}
}
