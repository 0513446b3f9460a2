package web_test

import (
	"context"
	"testing"
)

// TestNoOpWritesNoVersion: a PATCH that changes nothing (the same properties, the same
// boundary as the API wrote it, or nothing at all) and a restore of the live version's content
// write no version: 200, the ETag unchanged, X-Landinv-Unchanged: true, the history as long as
// before and the rows untouched. A real change still writes one (so the check can fail).
func TestNoOpWritesNoVersion(t *testing.T) {
	e := newEditEnv(t)
	versions := func() int {
		var n int
		if err := e.db.Pool.QueryRow(context.Background(), "select count(*) from plots where code = 'P1'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	got := e.do(t, "GET", "/api/v1/plots/P1", "alice", "", "")
	geom := string(got.json(t)["geometry"].(map[string]any)["type"].(string))
	if geom == "" {
		t.Fatal("no geometry")
	}
	// The boundary exactly as the API wrote it.
	var gj string
	e.db.Pool.QueryRow(context.Background(), "select ST_AsGeoJSON(geom, 7) from plots where code = 'P1'").Scan(&gj)
	for _, tc := range []struct{ name, body string }{
		{"same properties", `{"type":"Feature","properties":{"status":"ready","land_use":"100101","confidential":{"enterprise":"机密企业XYZ"}}}`},
		{"same boundary", `{"type":"Feature","geometry":` + gj + `}`},
		{"same boundary as a Polygon, same status", `{"type":"Feature","geometry":` + box(111.51, 36.01, 111.52, 36.02) + `,"properties":{"status":"ready"}}`},
		{"nothing at all", `{"type":"Feature","properties":{}}`},
	} {
		before, n := e.snapshot(t), versions()
		r := e.do(t, "PATCH", "/api/v1/plots/P1", "alice", `"plots-P1-v1"`, tc.body)
		if r.status != 200 || r.header.Get("X-Landinv-Unchanged") != "true" || r.header.Get("ETag") != `"plots-P1-v1"` {
			t.Fatalf("%s: %d ETag %s unchanged %q: %s", tc.name, r.status, r.header.Get("ETag"), r.header.Get("X-Landinv-Unchanged"), r.body)
		}
		if v := r.json(t)["properties"].(map[string]any)["version"]; v != 1.0 {
			t.Errorf("%s: answered version %v, want 1", tc.name, v)
		}
		if versions() != n || e.snapshot(t) != before {
			t.Errorf("%s: a no-op write changed the inventory", tc.name)
		}
	}
	// A real change writes version 2 and says nothing of being unchanged.
	r := e.do(t, "PATCH", "/api/v1/plots/P1", "alice", `"plots-P1-v1"`, `{"type":"Feature","properties":{"status":"reserved"}}`)
	if r.status != 200 || r.header.Get("ETag") != `"plots-P1-v2"` || r.header.Get("X-Landinv-Unchanged") != "" || versions() != 2 {
		t.Fatalf("real change: %d %s %q, %d versions", r.status, r.header.Get("ETag"), r.header.Get("X-Landinv-Unchanged"), versions())
	}
	// A boundary moved by 1 m is a change (and derives the area again).
	r = e.do(t, "PATCH", "/api/v1/plots/P1", "alice", `"plots-P1-v2"`, `{"type":"Feature","geometry":`+box(111.51, 36.01, 111.52001, 36.02)+`}`)
	if r.status != 200 || r.header.Get("ETag") != `"plots-P1-v3"` || r.header.Get("X-Landinv-Unchanged") != "" {
		t.Fatalf("moved boundary: %d %s %s", r.status, r.header.Get("ETag"), r.body)
	}
	// Restoring version 3 (the live one's content) writes nothing; restoring version 1 does.
	before := e.snapshot(t)
	r = e.do(t, "POST", "/api/v1/plots/P1/restore?version=3", "alice", "", "")
	if r.status != 200 || r.header.Get("X-Landinv-Unchanged") != "true" || r.header.Get("ETag") != `"plots-P1-v3"` || e.snapshot(t) != before {
		t.Errorf("restore of the live content: %d %s %q", r.status, r.header.Get("ETag"), r.header.Get("X-Landinv-Unchanged"))
	}
	r = e.do(t, "POST", "/api/v1/plots/P1/restore?version=1", "alice", "", "")
	if r.status != 200 || r.header.Get("X-Landinv-Unchanged") != "" || r.header.Get("ETag") != `"plots-P1-v4"` {
		t.Errorf("restore of version 1: %d %s %q", r.status, r.header.Get("ETag"), r.header.Get("X-Landinv-Unchanged"))
	}
	// The history holds the four versions written, none empty.
	var h struct {
		Versions []struct {
			Changes  []any `json:"changes"`
			Geometry bool  `json:"geometry_changed"`
		} `json:"versions"`
	}
	getJSON(t, e.srv, "/api/v1/plots/P1/history", 200, &h)
	if len(h.Versions) != 4 {
		t.Fatalf("history has %d versions, want 4", len(h.Versions))
	}
	for i, v := range h.Versions {
		if len(v.Changes) == 0 && !v.Geometry {
			t.Errorf("version %d is empty", i+1)
		}
	}
}
