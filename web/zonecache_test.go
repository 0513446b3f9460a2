package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestZoneCacheSeesZoneWrites: zones are resolved once per revision (zoneAt); a zone written
// since is seen by the next request. A new zone named by zone= is found at once, and one whose
// code sorts first becomes the default zone at once (a cache that kept the default across
// revisions would go on answering with the old one).
func TestZoneCacheSeesZoneWrites(t *testing.T) {
	e := newEditEnv(t)
	zoneID := func(path string) string {
		t.Helper()
		r := e.do(t, "GET", path, "", "", "")
		if r.status != 200 {
			t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
		var f struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(r.body, &f); err != nil {
			t.Fatal(err)
		}
		return f.ID
	}
	for range 2 { // the second from the cache
		if z := zoneID("/api/v1/zone"); z != "hand" {
			t.Fatalf("default zone %q, want hand", z)
		}
		if r := e.do(t, "GET", "/api/v1/plots?zone=aaa", "", "", ""); r.status != 404 || !strings.Contains(string(r.body), "zone") {
			t.Fatalf("zone=aaa before it exists: %d %s", r.status, r.body)
		}
	}
	if _, err := e.db.Pool.Exec(context.Background(), `insert into zones (code, name, geom)
		values ('aaa', 'First by code', ST_Multi(ST_MakeEnvelope(112.50, 36.00, 112.60, 36.10, 4326)))`); err != nil {
		t.Fatal(err)
	}
	if r := e.do(t, "GET", "/api/v1/plots?zone=aaa", "", "", ""); r.status != 200 {
		t.Fatalf("zone=aaa after it was written: %d %s", r.status, r.body)
	}
	if z := zoneID("/api/v1/zone"); z != "aaa" {
		t.Fatalf("default zone after a zone sorting first was written: %q, want aaa", z)
	}
	if z := zoneID("/api/v1/zone?zone=hand"); z != "hand" {
		t.Fatalf("zone=hand: %q", z)
	}
}
