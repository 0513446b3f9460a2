package web_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/landinv/landinv/inventory"
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
		// A cache holding several versions sends them all (RFC 9110): one matching is enough.
		if r := get(path, `W/"plots-1-00", `+tag); r.status != 304 {
			t.Errorf("%s with its ETag in a list: %d, want 304", path, r.status)
		}
	}
	// A feature's strong tag weakened on the way (nginx's gzip does so) still revalidates: the
	// comparison is weak, as RFC 9110 has it for If-None-Match; another version's does not.
	f := get("/api/v1/plots/P1?zone=hand", "")
	ftag := f.header.Get("ETag")
	if f.status != 200 || !strings.HasPrefix(ftag, `"plots-P1-v`) {
		t.Fatalf("P1: %d, ETag %q", f.status, ftag)
	}
	if r := get("/api/v1/plots/P1?zone=hand", "W/"+ftag); r.status != 304 {
		t.Errorf("P1 with its ETag weakened: %d, want 304", r.status)
	}
	if r := get("/api/v1/plots/P1?zone=hand", strings.Replace(ftag, "-v", "-v9", 1)); r.status != 200 {
		t.Errorf("P1 with another version's ETag: %d, want 200", r.status)
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
	// A tag anyone can compute does not make an unknown zone a 304, and an unknown zone with a
	// district named is a 404 naming zone, not an unknown district.
	// The list's tag as web/api.go makes it (storeDeps' release, the query, the audience); it
	// must reproduce a real tag first, or the forged one below would prove nothing.
	tagOf := func(path string) string {
		u, _ := url.Parse(path)
		sum := sha256.Sum256([]byte("test|" + u.Query().Encode() + "|false"))
		return fmt.Sprintf(`W/"plots-%d-%x"`, revision(), sum[:8])
	}
	if real := get("/api/v1/plots?zone=hand&limit=3", "").header.Get("ETag"); real != tagOf("/api/v1/plots?zone=hand&limit=3") {
		t.Fatalf("the tag's formula here does not make the server's tag: %q against %q", tagOf("/api/v1/plots?zone=hand&limit=3"), real)
	}
	other := strings.Replace(empty, "zone=hand", "zone=nowhere", 1)
	forged := tagOf(other)
	for _, c := range []struct{ path, inm string }{{other, forged}, {"/api/v1/plots?zone=nowhere&district=W", ""}} {
		if got := get(c.path, c.inm); got.status != 404 || !strings.Contains(string(got.body), `"field":"zone"`) {
			t.Errorf("%s (If-None-Match %q): %d %s, want 404 naming zone", c.path, c.inm, got.status, got.body)
		}
	}
}

// TestListETagNamesTheRelease: a list's ETag names the release that wrote it as well as the
// revision and the query, so that a page a new release writes differently (a property added, a
// number written otherwise) is not taken for the old one: a server of another release answers
// the old release's tag with the page, not 304, and its own tag with 304.
func TestListETagNamesTheRelease(t *testing.T) {
	e := newEditEnv(t)
	path := "/api/v1/plots?zone=hand&limit=5"
	old := getWith(t, e.srv.URL+path)
	oldTag := old.header.Get("ETag")
	if old.status != 200 || oldTag == "" {
		t.Fatalf("%s: %d, ETag %q", path, old.status, oldTag)
	}
	d := storeDeps(e.db)
	d.Release = "next"
	next := httptest.NewServer(newServer(t, d))
	defer next.Close()
	r := getWith(t, next.URL+path, "If-None-Match", oldTag)
	newTag := r.header.Get("ETag")
	if r.status != 200 || newTag == "" || newTag == oldTag {
		t.Errorf("another release with the old release's tag: %d, ETag %q (old %q), want the page under a tag of its own", r.status, newTag, oldTag)
	}
	if r := getWith(t, next.URL+path, "If-None-Match", newTag); r.status != 304 {
		t.Errorf("the new release with its own tag: %d, want 304", r.status)
	}
	if r := getWith(t, e.srv.URL+path, "If-None-Match", oldTag); r.status != 304 {
		t.Errorf("the old release with its own tag: %d, want 304", r.status)
	}
}

// countingRevisions counts the calls of the store's Revision (each waits for one of the store's
// shared reads, which several calls may share).
type countingRevisions struct {
	inventory.FeatureReader
	n atomic.Int64
}

func (c *countingRevisions) Revision(ctx context.Context) (int64, error) {
	c.n.Add(1)
	return c.FeatureReader.Revision(ctx)
}

// TestListReadsNoRevisionOfItsOwn: a page without If-None-Match takes its ETag's revision from
// its own statement and reads none apart (a revalidation does, before its query).
func TestListReadsNoRevisionOfItsOwn(t *testing.T) {
	e := newEditEnv(t)
	d := storeDeps(e.db)
	revs := &countingRevisions{FeatureReader: e.db}
	d.Features = revs
	srv := httptest.NewServer(newServer(t, d))
	defer srv.Close()
	for _, path := range []string{"/api/v1/plots?zone=hand", "/api/v1/plots?zone=hand&bbox=111.5,36.0,111.6,36.1&limit=5", "/api/v1/plots?limit=1"} {
		before := revs.n.Load()
		r := getWith(t, srv.URL+path)
		if r.status != 200 || r.header.Get("ETag") == "" || revs.n.Load() != before {
			t.Errorf("%s: %d, ETag %q, %d revision reads of its own (want 0)", path, r.status, r.header.Get("ETag"), revs.n.Load()-before)
		}
		before = revs.n.Load()
		if again := getWith(t, srv.URL+path, "If-None-Match", r.header.Get("ETag")); again.status != 304 || revs.n.Load() == before {
			t.Errorf("%s revalidated: %d, %d revision reads (want 304 after one)", path, again.status, revs.n.Load()-before)
		}
	}
}
