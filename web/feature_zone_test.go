package web_test

import (
	"context"
	"encoding/json"
	"testing"
)

// TestFeatureFindsItsZoneInItsStatement: GET /api/v1/{layer}/{code} resolves no zone ahead
// (featureParams); its one statement finds the zone named, or the default zone, the first by
// code. The answers stay those of the other routes: the default zone's plot, a 404 naming zone
// for a zone that does not exist, a 400 naming zone for a malformed one, a 404 naming code for
// a code the zone lacks, and a new zone that sorts first is the default zone at once.
func TestFeatureFindsItsZoneInItsStatement(t *testing.T) {
	e := newEditEnv(t)
	field := func(r reply) string {
		var p struct {
			Field string `json:"field"`
		}
		_ = json.Unmarshal(r.body, &p)
		return p.Field
	}
	check := func(path string, status int, wantField string) reply {
		t.Helper()
		r := e.do(t, "GET", path, "", "", "")
		if r.status != status || (wantField != "" && field(r) != wantField) {
			t.Fatalf("GET %s: %d %s, want %d naming %q", path, r.status, r.body, status, wantField)
		}
		return r
	}
	r := check("/api/v1/plots/P1", 200, "")
	var f struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(r.body, &f); err != nil || f.ID != "P1" {
		t.Fatalf("the default zone's P1: %s (%v)", r.body, err)
	}
	check("/api/v1/plots/P1?zone=hand", 200, "")
	check("/api/v1/plots/P1?zone=nope", 404, "zone")
	check("/api/v1/plots/P1?zone=bad%20code", 400, "zone")
	check("/api/v1/plots/P9", 404, "code")
	if _, err := e.db.Pool.Exec(context.Background(), `insert into zones (code, name, geom)
		values ('aaa', 'First by code', ST_Multi(ST_MakeEnvelope(112.50, 36.00, 112.60, 36.10, 4326)))`); err != nil {
		t.Fatal(err)
	}
	check("/api/v1/plots/P1", 404, "code") // aaa is the default zone now, and has no P1
	check("/api/v1/plots/P1?zone=hand", 200, "")
	check("/api/v1/plots/P1?zone=aaa", 404, "code")
}
