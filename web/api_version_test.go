package web

import (
	"encoding/json"
	"testing"
)

// TestFeatureVersion checks the key scan of featureVersion against encoding/json on features
// shaped as the store builds them and on shapes the scan must not be fooled by.
func TestFeatureVersion(t *testing.T) {
	for _, raw := range []string{
		`{"type":"Feature","id":"P1","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"code":"P1","version":7,"name":"x"}}`,
		`{"type":"Feature","id":"P1","geometry":null,"properties":{"code":"P1","version":12}}`,
		// a name holding the key's text (escaped quotes) before the real key
		`{"type":"Feature","id":"P1","geometry":null,"properties":{"code":"P1","name":"\"version\":99,","version":3}}`,
		// version after other keys, then a confidential object
		`{"type":"Feature","id":"P1","geometry":null,"properties":{"code":"P1","status":"ready","version":41,"confidential":{"enterprise":"E"}}}`,
		// no number where the scan looks: decoded in full
		`{"type":"Feature","id":"P1","geometry":null,"properties":{"code":"P1","version":null}}`,
		`{"type":"Feature","id":"P1","geometry":null,"properties":{"code":"P1"}}`,
	} {
		var head struct {
			Properties struct {
				Version int `json:"version"`
			} `json:"properties"`
		}
		if err := json.Unmarshal([]byte(raw), &head); err != nil {
			t.Fatal(err)
		}
		got, err := featureVersion([]byte(raw))
		if err != nil || got != head.Properties.Version {
			t.Errorf("%s: version %d (%v), encoding/json reads %d", raw, got, err, head.Properties.Version)
		}
	}
	if _, err := featureVersion([]byte(`{"properties":{"version":`)); err == nil {
		t.Error("a cut feature gave a version")
	}
}

// TestFeatureIDJSON checks the id a list keeps of its last feature against encoding/json, on
// features as the store builds them and shaped otherwise.
func TestFeatureIDJSON(t *testing.T) {
	for _, raw := range []string{
		`{"type":"Feature","id":"LF-D1-0001","geometry":null,"properties":{"code":"LF-D1-0001"}}`,
		`{"type":"Feature","id":"地块-1","geometry":null,"properties":{}}`,
		`{"type":"Feature","id":"a\"b","geometry":null,"properties":{}}`, // an escape: decoded in full
		`{"id":"X-2","type":"Feature","geometry":null,"properties":{}}`,  // another order
	} {
		var x struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal([]byte(raw), &x); err != nil {
			t.Fatal(err)
		}
		if got := lastCode(featureIDJSON([]byte(raw))); got != x.ID {
			t.Errorf("%s: id %q, encoding/json reads %q", raw, got, x.ID)
		}
	}
}
