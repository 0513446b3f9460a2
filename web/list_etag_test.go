package web_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestListETagIsItsRevision: a page's ETag names the inventory's revision its rows were read at
// (read by the page's own statement), a current If-None-Match gets 304, an older one the page;
// an empty page read without a revision first carries no ETag (a revision read after it could
// name writes it does not show), and with If-None-Match it is tagged with the revision read
// first.
func TestListETagIsItsRevision(t *testing.T) {
	e := newEditEnv(t)
	get := func(path, inm string) reply {
		t.Helper()
		return getWith(t, e.srv.URL+path, "If-None-Match", inm)
	}
	revision := func() int64 { return inventoryRevision(t, e.db) }
	for _, path := range []string{"/api/v1/plots?zone=hand", "/api/v1/plots?zone=hand&bbox=111.5,36.0,111.6,36.1&limit=5", "/api/v1/plots?zone=hand&limit=1"} {
		r := get(path, "")
		tag := r.header.Get("ETag")
		if r.status != 200 || !strings.Contains(tag, fmt.Sprintf(`-%d-`, revision())) {
			t.Fatalf("%s: %d, ETag %q, revision %d", path, r.status, tag, revision())
		}
		if r := get(path, tag); r.status != 304 {
			t.Errorf("%s with its ETag: %d, want 304", path, r.status)
		}
	}
	empty := "/api/v1/plots?zone=hand&status=idle"
	if r := get(empty, ""); r.status != 200 || r.header.Get("ETag") != "" || !strings.Contains(string(r.body), `"number_returned":0`) {
		t.Errorf("empty page: %d, ETag %q, %s", r.status, r.header.Get("ETag"), r.body)
	}
	r := get(empty, `W/"plots-1-00"`)
	if r.status != 200 || !strings.Contains(r.header.Get("ETag"), fmt.Sprintf(`-%d-`, revision())) {
		t.Errorf("empty page with an old If-None-Match: %d, ETag %q (revision %d)", r.status, r.header.Get("ETag"), revision())
	}
	if again := get(empty, r.header.Get("ETag")); again.status != 304 {
		t.Errorf("empty page with its ETag: %d, want 304", again.status)
	}
}
