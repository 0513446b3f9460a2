package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
)

// enquiryEnv is the hand-made zone of newEditEnv served with the given per-client enquiry limit.
func enquiryEnv(t *testing.T, limit int) *editEnv {
	t.Helper()
	e := newEditEnv(t)
	d := storeDeps(e.db)
	d.EnquiryLimit = limit
	e.server = newServer(t, d)
	e.srv = httptest.NewServer(e.server)
	t.Cleanup(e.srv.Close)
	return e
}

func (e *editEnv) enquiryCount(t *testing.T) (n int) {
	t.Helper()
	if err := e.db.Pool.QueryRow(context.Background(), "select count(*) from enquiries").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

const goodEnquiry = `{"site_layer":"plots","site_code":"P1","name":"王经理","company":"某某精密制造有限公司","phone":"0351-1234567",
	"email":"wang@example.com","industry":"精密机械","area_mu":50,"message":"想了解供地时间。"}`

func TestEnquiryPostAnswersOnlyTheID(t *testing.T) {
	e := enquiryEnv(t, 1000)
	r := e.do(t, "POST", "/api/v1/enquiries", "", "", goodEnquiry)
	if r.status != 201 {
		t.Fatalf("POST: %d %s", r.status, r.body)
	}
	m := r.json(t)
	if len(m) != 1 {
		t.Errorf("answer has %v; want only the id", m)
	}
	id, ok := m["id"].(float64)
	if !ok || id < 1 {
		t.Fatalf("id = %v", m["id"])
	}
	for _, secret := range []string{"王经理", "0351-1234567", "wang@example.com", "供地时间"} {
		if strings.Contains(string(r.body), secret) {
			t.Errorf("answer echoes %q: %s", secret, r.body)
		}
	}
	// The stored row is what was sent.
	var name, phone, status string
	var area float64
	if err := e.db.Pool.QueryRow(context.Background(), "select name, phone, status, area_mu from enquiries where id = $1", int64(id)).Scan(&name, &phone, &status, &area); err != nil {
		t.Fatal(err)
	}
	if name != "王经理" || phone != "0351-1234567" || status != "new" || area != 50 {
		t.Errorf("stored %q %q %q %v", name, phone, status, area)
	}
	// A building may be asked about too.
	if r := e.do(t, "POST", "/api/v1/enquiries", "", "", `{"site_layer":"plants","site_code":"S1","name":"Li","email":"li@example.com"}`); r.status != 201 {
		t.Errorf("POST about a plant: %d %s", r.status, r.body)
	}
}

func TestEnquiryListIsForPlanners(t *testing.T) {
	e := enquiryEnv(t, 1000)
	if r := e.do(t, "POST", "/api/v1/enquiries", "", "", goodEnquiry); r.status != 201 {
		t.Fatalf("POST: %d %s", r.status, r.body)
	}
	for _, tc := range []struct {
		user string
		want int
	}{{"", 401}, {"bob", 403}, {"alice", 200}} {
		r := e.do(t, "GET", "/api/v1/enquiries", tc.user, "", "")
		if r.status != tc.want {
			t.Errorf("GET as %q: %d, want %d: %s", tc.user, r.status, tc.want, r.body)
			continue
		}
		if tc.want != 200 {
			if strings.Contains(string(r.body), "王经理") {
				t.Errorf("refused answer as %q shows the enquiry", tc.user)
			}
			continue
		}
		var list struct {
			Enquiries []map[string]any `json:"enquiries"`
		}
		if err := json.Unmarshal(r.body, &list); err != nil {
			t.Fatal(err)
		}
		if len(list.Enquiries) != 1 {
			t.Fatalf("list has %d enquiries, want 1", len(list.Enquiries))
		}
		q := list.Enquiries[0]
		for k, want := range map[string]any{"site_layer": "plots", "site_code": "P1", "name": "王经理", "status": "new", "area_mu": 50.0} {
			if q[k] != want {
				t.Errorf("%s = %v, want %v", k, q[k], want)
			}
		}
		if q["etag"] != inventory.EnquiryETag(int64(q["id"].(float64)), 1) || q["created_at"] == nil {
			t.Errorf("etag %v, created_at %v", q["etag"], q["created_at"])
		}
	}
}

func TestEnquiryFollowUp(t *testing.T) {
	e := enquiryEnv(t, 1000)
	r := e.do(t, "POST", "/api/v1/enquiries", "", "", goodEnquiry)
	id := int64(r.json(t)["id"].(float64))
	path := fmt.Sprintf("/api/v1/enquiries/%d", id)
	etag := inventory.EnquiryETag(id, 1)

	// Not for the public nor a viewer; If-Match required, and current.
	for _, tc := range []struct {
		name, user, ifMatch, body string
		want                      int
		field                     string
	}{
		{"public", "", etag, `{"status":"contacted"}`, 401, ""},
		{"viewer", "bob", etag, `{"status":"contacted"}`, 403, ""},
		{"no If-Match", "alice", "", `{"status":"contacted"}`, 428, "If-Match"},
		{"stale If-Match", "alice", inventory.EnquiryETag(id, 7), `{"status":"contacted"}`, 412, "If-Match"},
		{"skipping a step", "alice", etag, `{"status":"signed"}`, 422, "status"},
		{"unknown status", "alice", etag, `{"status":"won"}`, 422, "status"},
		{"unknown member", "alice", etag, `{"state":"contacted"}`, 422, "state"},
		{"nothing to change", "alice", etag, `{}`, 422, "status"},
		{"reply too long", "alice", etag, `{"reply":"` + strings.Repeat("长", 4001) + `"}`, 422, "reply"},
		{"no such enquiry", "alice", etag, `{"status":"contacted"}`, 404, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := path
			if tc.want == 404 {
				p = "/api/v1/enquiries/999999"
			}
			r := e.do(t, "PATCH", p, tc.user, tc.ifMatch, tc.body)
			if r.status != tc.want {
				t.Fatalf("%d, want %d: %s", r.status, tc.want, r.body)
			}
			if tc.field != "" && r.json(t)["field"] != tc.field {
				t.Errorf("problem names %v, want %s: %s", r.json(t)["field"], tc.field, r.body)
			}
		})
	}
	var version int
	if err := e.db.Pool.QueryRow(context.Background(), "select version from enquiries where id = $1", id).Scan(&version); err != nil || version != 1 {
		t.Fatalf("after refused changes: version %d, %v; want 1", version, err)
	}

	// The follow-up, step by step, each under the ETag of the version before.
	steps := []struct{ body, status, reply string }{
		{`{"status":"contacted","reply":"已电话联系，约下周看地。"}`, "contacted", "已电话联系，约下周看地。"},
		{`{"status":"visiting"}`, "visiting", "已电话联系，约下周看地。"},
		{`{"status":"signed","reply":"已签约"}`, "signed", "已签约"},
	}
	for i, s := range steps {
		r := e.do(t, "PATCH", path, "alice", etag, s.body)
		if r.status != 200 {
			t.Fatalf("step %d: %d %s", i, r.status, r.body)
		}
		m := r.json(t)
		if m["status"] != s.status || m["reply"] != s.reply || m["version"] != float64(i+2) || m["updated_by"] != "alice" {
			t.Errorf("step %d: %v", i, m)
		}
		if got := r.header.Get("ETag"); got != inventory.EnquiryETag(id, i+2) || got == etag {
			t.Errorf("step %d: ETag %q", i, got)
		}
		etag = r.header.Get("ETag")
	}
	// signed is final; the history holds every version.
	if r := e.do(t, "PATCH", path, "alice", etag, `{"status":"dropped"}`); r.status != 422 || r.json(t)["field"] != "status" {
		t.Errorf("signed → dropped: %d %s", r.status, r.body)
	}
	r = e.do(t, "GET", "/api/v1/enquiries", "alice", "", "")
	var list struct {
		Enquiries []inventory.Enquiry `json:"enquiries"`
	}
	if err := json.Unmarshal(r.body, &list); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range list.Enquiries[0].History {
		got = append(got, fmt.Sprintf("%d:%s:%s", h.Version, h.Status, h.ChangedBy))
	}
	if want := "1:new: 2:contacted:alice 3:visiting:alice 4:signed:alice"; strings.Join(got, " ") != want {
		t.Errorf("history %v, want %s", got, want)
	}
}

func TestEnquiryRefusesBadInput(t *testing.T) {
	e := enquiryEnv(t, 1000)
	long := func(n int) string { return strings.Repeat("字", n) }
	for _, tc := range []struct{ name, body, field string }{
		{"no phone nor email", `{"site_layer":"plots","site_code":"P1","name":"A"}`, "phone"},
		{"no name", `{"site_layer":"plots","site_code":"P1","name":" ","phone":"123"}`, "name"},
		{"bad email", `{"site_layer":"plots","site_code":"P1","name":"A","email":"not-an-address"}`, "email"},
		{"bad phone", `{"site_layer":"plots","site_code":"P1","name":"A","phone":"call me"}`, "phone"},
		{"unknown layer", `{"site_layer":"roads","site_code":"R1","name":"A","phone":"123"}`, "site_layer"},
		{"unknown site", `{"site_layer":"plots","site_code":"NOPE","name":"A","phone":"123"}`, "site_code"},
		{"area not positive", `{"site_layer":"plots","site_code":"P1","name":"A","phone":"123","area_mu":0}`, "area_mu"},
		{"area as text", `{"site_layer":"plots","site_code":"P1","name":"A","phone":"123","area_mu":"50"}`, "area_mu"},
		{"unknown member", `{"site_layer":"plots","site_code":"P1","name":"A","phone":"123","budget":1}`, "budget"},
		{"name too long", `{"site_layer":"plots","site_code":"P1","name":"` + long(101) + `","phone":"123"}`, "name"},
		{"company too long", `{"site_layer":"plots","site_code":"P1","name":"A","phone":"123","company":"` + long(201) + `"}`, "company"},
		{"industry too long", `{"site_layer":"plots","site_code":"P1","name":"A","phone":"123","industry":"` + long(201) + `"}`, "industry"},
		{"message too long", `{"site_layer":"plots","site_code":"P1","name":"A","phone":"123","message":"` + long(2001) + `"}`, "message"},
		{"control character", `{"site_layer":"plots","site_code":"P1","name":"A\u0007","phone":"123"}`, "name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(t, "POST", "/api/v1/enquiries", "", "", tc.body)
			if r.status != 422 {
				t.Fatalf("%d, want 422: %s", r.status, r.body)
			}
			if m := r.json(t); m["field"] != tc.field {
				t.Errorf("problem names %v, want %s: %s", m["field"], tc.field, r.body)
			}
		})
	}
	// At the limits exactly: accepted.
	ok := `{"site_layer":"plots","site_code":"P1","name":"` + long(100) + `","phone":"123","message":"` + long(2000) + `"}`
	if r := e.do(t, "POST", "/api/v1/enquiries", "", "", ok); r.status != 201 {
		t.Errorf("at the limits: %d %s", r.status, r.body)
	}
	// A body over the size limit: 413.
	if r := e.do(t, "POST", "/api/v1/enquiries", "", "", `{"message":"`+strings.Repeat("x", 20000)+`"}`); r.status != 413 {
		t.Errorf("huge body: %d", r.status)
	}
	if n := e.enquiryCount(t); n != 1 {
		t.Errorf("%d enquiries stored, want only the one at the limits", n)
	}
}

func TestEnquiryHoneypot(t *testing.T) {
	e := enquiryEnv(t, 1000)
	body := strings.Replace(goodEnquiry, `"name"`, `"website":"http://spam.example","name"`, 1)
	r := e.do(t, "POST", "/api/v1/enquiries", "", "", body)
	if r.status != 201 {
		t.Fatalf("honeypot: %d %s", r.status, r.body)
	}
	if n := e.enquiryCount(t); n != 0 {
		t.Errorf("a filled honeypot stored %d enquiries", n)
	}
	// An empty honeypot is a person.
	body = strings.Replace(goodEnquiry, `"name"`, `"website":"","name"`, 1)
	if r := e.do(t, "POST", "/api/v1/enquiries", "", "", body); r.status != 201 || e.enquiryCount(t) != 1 {
		t.Errorf("empty honeypot: %d %s, %d stored", r.status, r.body, e.enquiryCount(t))
	}
}

func TestEnquiryRateLimit(t *testing.T) {
	const limit = 3
	e := enquiryEnv(t, limit)
	for i := range limit {
		if r := e.do(t, "POST", "/api/v1/enquiries", "", "", goodEnquiry); r.status != 201 {
			t.Fatalf("post %d: %d %s", i+1, r.status, r.body)
		}
	}
	r := e.do(t, "POST", "/api/v1/enquiries", "", "", goodEnquiry)
	if r.status != 429 || r.header.Get("Retry-After") == "" || r.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("post %d: %d (Retry-After %q) %s", limit+1, r.status, r.header.Get("Retry-After"), r.body)
	}
	if n := e.enquiryCount(t); n != limit {
		t.Errorf("%d stored, want %d", n, limit)
	}
	// Planners reading the list are not limited by it.
	if r := e.do(t, "GET", "/api/v1/enquiries", "alice", "", ""); r.status != 200 {
		t.Errorf("list after the limit: %d", r.status)
	}
}
