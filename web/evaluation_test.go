package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
)

// perMuFirm adds, through the API as the planner alice, an enterprise holding P1 (秘密亩均企业),
// its 2025 figures (tax 4321.987 万元) and the 2025 evaluation; it returns the credit code.
func perMuFirm(t *testing.T, e *editEnv) string {
	t.Helper()
	code, err := inventory.CompleteCreditCode("91141000MA000077")
	if err != nil {
		t.Fatal(err)
	}
	if r := e.do(t, "POST", "/api/v1/enterprises", "alice", "", fmt.Sprintf(`{"type":"Feature","geometry":null,"properties":{"code":%q,
		"name":"秘密亩均企业","size_class":"above_scale","plots":["P1"]}}`, code)); r.status != 201 {
		t.Fatalf("create enterprise: %d %s", r.status, r.body)
	}
	if r := e.do(t, "PUT", "/api/v1/enterprises/"+code+"/figures/2025", "alice", "", `{"source":"税务局","date":"2026-03-01",
		"tax_wan":4321.987,"revenue_wan":9000,"value_added_wan":3000,"energy_tce":100,"emissions_t":5,"employees":50,"rd_wan":90}`); r.status != 201 {
		t.Fatalf("put figures: %d %s", r.status, r.body)
	}
	if r := e.do(t, "POST", "/api/v1/evaluations/2025", "alice", "", ""); r.status != 200 {
		t.Fatalf("evaluate: %d %s", r.status, r.body)
	}
	return code
}

// TestPerMuAPI walks the evaluation's API: figures (create, new version, history, as_of), the
// scheme, the evaluation and its filters, the states, and who may call what.
func TestPerMuAPI(t *testing.T) {
	e := newEditEnv(t)
	code := perMuFirm(t, e)
	base := "/api/v1/enterprises/" + code

	// Figures already recorded are replaced only with the ETag of the version read.
	if r := e.do(t, "PUT", base+"/figures/2025", "alice", "", `{"source":"统计局","energy_tce":120}`); r.status != 428 {
		t.Fatalf("second put without If-Match: %d %s", r.status, r.body)
	}
	cur := e.do(t, "GET", base+"/figures/2025", "alice", "", "")
	r := e.do(t, "PUT", base+"/figures/2025", "alice", cur.header.Get("ETag"), `{"source":"统计局","energy_tce":120}`)
	if r.status != 200 {
		t.Fatalf("second put: %d %s", r.status, r.body)
	}
	props := r.json(t)["properties"].(map[string]any)["confidential"].(map[string]any)
	if props["energy_tce"] != 120.0 || props["energy_tce_source"] != "统计局" || props["tax_wan_source"] != "税务局" || props["tax_wan"] != 4321.987 {
		t.Errorf("figures after the second put: %v", props)
	}
	if r := e.do(t, "GET", base+"/figures/2025/history", "alice", "", ""); r.status != 200 || !strings.Contains(string(r.body), `"version":2`) {
		t.Errorf("figures history: %d %s", r.status, r.body)
	}
	for _, tt := range []struct {
		method, path, user, body string
		status                   int
		field                    string
	}{
		{"GET", base, "", "", 401, ""},
		{"GET", base, "bob", "", 403, ""},
		{"GET", base + "/figures/2025", "", "", 401, ""},
		{"GET", "/api/v1/enterprises", "bob", "", 403, ""},
		{"GET", "/api/v1/evaluations/2025", "", "", 401, ""},
		{"GET", "/api/v1/evaluations/2025/scheme", "bob", "", 403, ""},
		{"POST", "/api/v1/evaluations/2025", "bob", "", 403, ""},
		{"PUT", base + "/figures/2025", "alice", `{"tax_wan":1}`, 422, "source"},
		{"PUT", base + "/figures/2025", "alice", `{"source":"x","tax_wan":-1}`, 422, "tax_wan"},
		{"PUT", base + "/figures/2025", "alice", `{"source":"x","profit_wan":1}`, 422, "profit_wan"},
		{"PUT", "/api/v1/enterprises/91141000MA0000777X/figures/2025", "alice", `{"source":"x","tax_wan":1}`, 404, "credit_code"},
		{"GET", base + "/figures/1899", "alice", "", 404, "year"},
		{"PUT", "/api/v1/evaluations/2025/scheme", "alice", `{"indicators":[{"name":"tax_per_ha","weight":1,"benchmark":"zone_average"}]}`, 422, "indicators[0].name"},
		{"GET", "/api/v1/evaluations/2025?grade=E", "alice", "", 400, "grade"},
		{"GET", "/api/v1/evaluations/2024", "alice", "", 404, "year"},
		{"GET", "/api/v1/evaluations/2025?credit_code=91141000MA0000777X", "alice", "", 400, "credit_code"},
		{"POST", "/api/v1/evaluations/2025/publish?until=yesterday", "alice", "", 400, "until"},
		{"POST", "/api/v1/evaluations/2025/finalize", "alice", "", 409, "state"},
		{"POST", "/api/v1/evaluations/2025/objections", "alice", `{"credit_code":"` + code + `","figure":"tax_wan","reason":""}`, 422, "reason"},
		{"POST", "/api/v1/enterprises", "alice", `{"type":"Feature","properties":{"code":"91141000MA00007770","name":"x"}}`, 422, "code"},
	} {
		ifMatch := "" // figures already recorded are replaced with the current ETag only
		if tt.method == "PUT" && tt.path == base+"/figures/2025" {
			ifMatch = e.do(t, "GET", tt.path, "alice", "", "").header.Get("ETag")
		}
		r := e.do(t, tt.method, tt.path, tt.user, ifMatch, tt.body)
		if r.status != tt.status {
			t.Errorf("%s %s as %q: %d %s, want %d", tt.method, tt.path, tt.user, r.status, r.body, tt.status)
			continue
		}
		if tt.field != "" && r.json(t)["field"] != tt.field {
			t.Errorf("%s %s: problem names %v, want %s", tt.method, tt.path, r.json(t)["field"], tt.field)
		}
	}
	// The evaluation: one firm on P1, graded on the default scheme against itself.
	r = e.do(t, "GET", "/api/v1/evaluations/2025?grade=A,B,C,D", "alice", "", "")
	var ev inventory.Evaluation
	if err := json.Unmarshal(r.body, &ev); err != nil || r.status != 200 {
		t.Fatalf("evaluation: %d %s", r.status, r.body)
	}
	if len(ev.Results) != 1 || ev.Results[0].CreditCode != code || ev.Results[0].Grade == nil {
		t.Fatalf("results %+v", ev.Results)
	}
	var raw map[string]any
	json.Unmarshal(r.body, &raw)
	res := raw["results"].([]any)[0].(map[string]any)
	for _, k := range []string{"land_mu", "tax_per_mu", "revenue_per_mu", "value_added_per_mu", "value_added_per_tce", "value_added_per_emission",
		"value_added_per_employee", "rd_share_pct", "score", "rank", "grade", "exempt_reason", "missing"} {
		if _, ok := res[k]; !ok {
			t.Errorf("result has no %s", k)
		}
	}
	var pg struct {
		Plots map[string]struct {
			CreditCode string  `json:"credit_code"`
			Grade      *string `json:"grade"`
		} `json:"plots"`
	}
	r = e.do(t, "GET", "/api/v1/evaluations/2025/plots", "alice", "", "")
	if err := json.Unmarshal(r.body, &pg); err != nil || len(pg.Plots) != 1 || pg.Plots["P1"].CreditCode != code ||
		pg.Plots["P1"].Grade == nil || *pg.Plots["P1"].Grade != *ev.Results[0].Grade {
		t.Errorf("plot grades: %d %s", r.status, r.body)
	}
	if r := e.do(t, "GET", "/api/v1/evaluations/2025/plots", "", "", ""); r.status != 401 {
		t.Errorf("plot grades, publicly: %d", r.status)
	}
	if r := e.do(t, "GET", "/api/v1/evaluations/2025?credit_code="+code, "alice", "", ""); !strings.Contains(string(r.body), `"credit_code":"`+code) {
		t.Errorf("one firm: %s", r.body)
	}
	if r := e.do(t, "GET", "/api/v1/evaluations/2025?district=E", "alice", "", ""); !strings.Contains(string(r.body), `"results":[]`) {
		t.Errorf("district E holds no firm: %s", r.body)
	}
	// The reclamation list's one action: an idle case over the firm's plot.
	if r := e.do(t, "POST", base+"/idle-case?plot=P2", "alice", "", ""); r.status != 400 {
		t.Errorf("idle case on a plot the firm does not hold: %d %s", r.status, r.body)
	}
	r = e.do(t, "POST", base+"/idle-case?plot=P1", "alice", "", "")
	if r.status != 201 || !strings.Contains(string(r.body), `"stage":"survey"`) {
		t.Fatalf("idle case: %d %s", r.status, r.body)
	}
	if r := e.do(t, "GET", "/api/v1/idle-sites/RC-P1", "", "", ""); r.status != 200 || strings.Contains(string(r.body), "秘密亩均企业") {
		t.Errorf("the idle case, publicly: %d %s", r.status, r.body)
	}
}
