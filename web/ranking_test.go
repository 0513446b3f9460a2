package web_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
)

// TestRankingAPI: GET|PUT /api/v1/projects/ranking and matches?weights=, through the store.
//
// By hand: project PJW asks 1 000–2 000 亩 of land-use 0901 and nothing else, so only the
// area (weight 3) and the land use (weight 3) apply. P1 (≈1 480 亩, 100101) passes the area
// and fails the land use: 3 of 6 = 50. P2 (a2 亩, well under 1 000, 0901) fails the area with
// credit a2 ÷ 1 000 and passes the land use: 100·(3·a2/1000 + 3)/6 > 50. With land_use
// weighing 0 P1 scores 3/3 = 100 and P2 100·a2/1000, so P1 comes first.
func TestRankingAPI(t *testing.T) {
	e := newEditEnv(t)
	if _, err := e.db.Pool.Exec(t.Context(), `insert into plots (zone_id, code, land_use, status, geom) values
		(1, 'P2', '0901', 'ready', ST_Multi(ST_MakeEnvelope(111.53, 36.05, 111.531, 36.051, 4326)))`); err != nil {
		t.Fatal(err)
	}
	a2 := e.do(t, "GET", "/api/v1/plots/P2", "alice", "", "").json(t)["properties"].(map[string]any)["area_mu"].(float64)
	if a2 <= 0 || a2 >= 1000 {
		t.Fatalf("P2 is %g 亩", a2)
	}
	r := e.do(t, "POST", "/api/v1/projects", "alice", "", `{"type":"Feature","properties":{"code":"PJW",
		"confidential":{"name":"权重项目","investor_name":"某投资方","area_mu_min":1000,"area_mu_max":2000,"land_use":"0901"}}}`)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	type match struct {
		Code  string  `json:"code"`
		Score float64 `json:"score"`
	}
	matches := func(query string) []match {
		t.Helper()
		r := e.do(t, "GET", "/api/v1/projects/PJW/matches?layer=plots"+query, "alice", "", "")
		if r.status != 200 {
			t.Fatalf("matches%s: %d %s", query, r.status, r.body)
		}
		var body struct {
			Matches []match `json:"matches"`
		}
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		return body.Matches
	}
	p2 := 100 * (3*a2/1000 + 3) / 6
	check := func(what string, got []match, want ...match) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %+v, want %+v", what, got, want)
		}
		for i := range want {
			if got[i].Code != want[i].Code || math.Abs(got[i].Score-want[i].Score) > 0.006 {
				t.Errorf("%s: %+v, want %+v", what, got, want)
			}
		}
	}
	defaults := []match{{"P2", p2}, {"P1", 50}}
	landUseOff := []match{{"P1", 100}, {"P2", 100 * a2 / 1000}}
	check("defaults", matches(""), defaults...)
	check("weights=land_use:0", matches("&weights=land_use:0"), landUseOff...)
	check("the override is for one request", matches(""), defaults...)

	// The zone's ranking: version 0, then a change with If-Match; the matches follow it.
	r = e.do(t, "GET", "/api/v1/projects/ranking", "alice", "", "")
	if r.status != 200 || r.header.Get("ETag") != `"ranking-0"` || !strings.Contains(string(r.body), `"area_mu":3`) {
		t.Fatalf("ranking: %d %s %s", r.status, r.header.Get("ETag"), r.body)
	}
	// The defaults are given beside the weights in force, for a form to show and put back.
	var got struct {
		Weights, Defaults map[string]float64
	}
	if err := json.Unmarshal(r.body, &got); err != nil || !maps.Equal(got.Defaults, inventory.DefaultMatchWeights) || !maps.Equal(got.Weights, inventory.DefaultMatchWeights) {
		t.Errorf("ranking 0: weights %v, defaults %v, want both %v (%v)", got.Weights, got.Defaults, inventory.DefaultMatchWeights, err)
	}
	r = e.do(t, "PUT", "/api/v1/projects/ranking", "alice", `"ranking-0"`, `{"weights":{"land_use":0}}`)
	if r.status != 200 || r.header.Get("ETag") != `"ranking-1"` {
		t.Fatalf("put: %d %s", r.status, r.body)
	}
	if err := json.Unmarshal(r.body, &got); err != nil || got.Weights["land_use"] != 0 || got.Weights["area_mu"] != 3 || !maps.Equal(got.Defaults, inventory.DefaultMatchWeights) {
		t.Errorf("ranking 1: weights %v, defaults %v (%v)", got.Weights, got.Defaults, err)
	}
	check("stored land_use 0", matches(""), landUseOff...)
	check("a request overrides the stored weight", matches("&weights=land_use:3"), defaults...)

	// Bad input: 4xx naming the field, nothing stored, nothing matched differently.
	for _, c := range []struct {
		method, query, ifMatch, body string
		status                       int
		field                        string
	}{
		{"GET", "&weights=area:1", "", "", 400, "weights"},
		{"GET", "&weights=area_mu:-1", "", "", 400, "weights"},
		{"GET", "&weights=area_mu:NaN", "", "", 400, "weights"},
		{"GET", "&weights=area_mu:Inf", "", "", 400, "weights"},
		{"GET", "&weights=area_mu:1e9", "", "", 400, "weights"},
		{"GET", "&weights=area_mu:1001", "", "", 400, "weights"},
		{"GET", "&weights=area_mu", "", "", 400, "weights"},
		{"GET", "&weights=area_mu:1,area_mu:2", "", "", 400, "weights"},
		{"GET", "&weights=area_mu:1&weights=cluster:1", "", "", 400, "weights"},
		{"PUT", "", "", `{"weights":{"area":1}}`, 422, "weights"},
		{"PUT", "", "", `{"weights":{"area_mu":-1}}`, 422, "weights"},
		{"PUT", "", "", `{"weights":{"area_mu":1e9}}`, 422, "weights"},
		{"PUT", "", "", `{"weights":{"area_mu":"3"}}`, 422, "weights"},
		{"PUT", "", "", `{}`, 422, "weights"},
		{"PUT", "", "", `{"weights":{},"extra":1}`, 422, "extra"},
		{"PUT", "", `"ranking-0"`, `{"weights":{}}`, 412, "If-Match"},
		// Every condition of the layer ranked at 0: every site would score 100.
		{"GET", "&weights=" + allZero(inventory.PlotMatchConditions, ","), "", "", 400, "ranking_plots_all_zero"},
		{"PUT", "", "", `{"weights":{` + allZero(inventory.PlotMatchConditions, `",`) + `}}`, 422, "ranking_plots_all_zero"},
		{"PUT", "", "", `{"weights":{` + allZero(inventory.PlantMatchConditions, `",`) + `}}`, 422, "ranking_plants_all_zero"},
	} {
		path := "/api/v1/projects/PJW/matches?layer=plots" + c.query
		if c.method == "PUT" {
			path = "/api/v1/projects/ranking"
		}
		r := e.do(t, c.method, path, "alice", c.ifMatch, c.body)
		if r.status != c.status || !strings.Contains(string(r.body), fmt.Sprintf("%q", c.field)) {
			t.Errorf("%s %s %s: %d %s, want %d naming %s", c.method, path, c.body, r.status, r.body, c.status, c.field)
		}
	}
	if r := e.do(t, "GET", "/api/v1/projects/ranking", "alice", "", ""); r.header.Get("ETag") != `"ranking-1"` {
		t.Errorf("refused changes moved the ranking to %s", r.header.Get("ETag"))
	}
	check("after refused changes", matches(""), landUseOff...)
	// The plants' weights at 0 do not stop a call ranking plots.
	check("plants all 0, plots ranked", matches("&weights="+allZero(inventory.PlantMatchConditions, ",")), landUseOff...)

	// The public gets 401, a viewer 403, on every ranking route; neither changes it.
	for user, want := range map[string]int{"": 401, "bob": 403} {
		for _, c := range []struct{ method, path, body string }{
			{"GET", "/api/v1/projects/ranking", ""},
			{"PUT", "/api/v1/projects/ranking", `{"weights":{"cluster":9}}`},
			{"GET", "/api/v1/projects/PJW/matches?layer=plots&weights=cluster:9", ""},
		} {
			if r := e.do(t, c.method, c.path, user, "", c.body); r.status != want || strings.Contains(string(r.body), "area_mu") {
				t.Errorf("%s %s as %q: %d %s, want %d", c.method, c.path, user, r.status, r.body, want)
			}
		}
	}
	if r := e.do(t, "GET", "/api/v1/projects/ranking", "alice", "", ""); r.header.Get("ETag") != `"ranking-1"` {
		t.Errorf("refused changes moved the ranking to %s", r.header.Get("ETag"))
	}
}

// allZero lists the conditions at weight 0, for a query (sep ",": a:0,b:0) or a JSON object's
// members (sep `",`: "a":0,"b":0).
func allZero(conds []string, sep string) string {
	parts := make([]string, len(conds))
	for i, c := range conds {
		if sep == "," {
			parts[i] = c + ":0"
		} else {
			parts[i] = `"` + c + `":0`
		}
	}
	return strings.Join(parts, ",")
}
