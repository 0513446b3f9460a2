package web_test

import (
	"strings"
	"testing"
)

// TestFiguresETag: GET of a year's figures answers 304 to the ETag it gave while the figures
// are unchanged, and 200 with the new version and ETag once a PUT has changed them.
func TestFiguresETag(t *testing.T) {
	e := newEditEnv(t)
	firm := perMuFirm(t, e)
	path := "/api/v1/enterprises/" + firm + "/figures/2025"
	get := func(ifNoneMatch string) reply {
		t.Helper()
		h := map[string]string{"Authorization": "Bearer " + e.tokens["alice"]}
		if ifNoneMatch != "" {
			h["If-None-Match"] = ifNoneMatch
		}
		return e.send(t, "GET", path, "", h)
	}
	first := get("")
	e1 := first.header.Get("ETag")
	if first.status != 200 || e1 == "" || !strings.Contains(string(first.body), "4321.987") {
		t.Fatalf("GET: %d, ETag %q: %s", first.status, e1, first.body)
	}
	if r := get(e1); r.status != 304 || len(r.body) != 0 || r.header.Get("ETag") != e1 {
		t.Errorf("If-None-Match of the current ETag: %d, ETag %q, %d bytes; want 304 with %s and no body", r.status, r.header.Get("ETag"), len(r.body), e1)
	}
	put := e.do(t, "PUT", path, "alice", e1, `{"source":"税务局","date":"2026-04-01","tax_wan":5000}`)
	e2 := put.header.Get("ETag")
	if put.status != 200 || e2 == "" || e2 == e1 {
		t.Fatalf("PUT: %d, ETag %q (was %q): %s", put.status, e2, e1, put.body)
	}
	if r := get(e1); r.status != 200 || r.header.Get("ETag") != e2 || !strings.Contains(string(r.body), `"tax_wan":5000`) {
		t.Errorf("If-None-Match of the old ETag: %d, ETag %q: %s; want 200 with %s and the new figures", r.status, r.header.Get("ETag"), r.body, e2)
	}
	if r := get(e2); r.status != 304 {
		t.Errorf("If-None-Match of the new ETag: %d, want 304", r.status)
	}
}
