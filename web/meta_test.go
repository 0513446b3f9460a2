package web_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/landinv/landinv/inventory"
)

// TestMetaIsAddOnly: /api/v1/meta serves the layers exactly as they marshal on their own (the
// contract before enum_labels), plus the names of enumerated values and the road status groups.
func TestMetaIsAddOnly(t *testing.T) {
	srv := demo(t)
	var got map[string]any
	getJSON(t, srv, "/api/v1/meta", 200, &got)

	// The layers without the added enum_labels are the layers' own JSON.
	layers, _ := got["layers"].([]any)
	named := 0
	for _, l := range layers {
		for _, f := range l.(map[string]any)["fields"].([]any) {
			fm := f.(map[string]any)
			if names, ok := fm["enum_labels"].(map[string]any); ok {
				named++
				enum := fm["enum"].([]any)
				if len(names) != len(enum) {
					t.Errorf("%s: %d names for %d values", fm["name"], len(names), len(enum))
				}
				for _, v := range enum {
					n, _ := names[v.(string)].(map[string]any)
					if n["label"] == "" || n["label"] == nil || n["label_en"] == "" || n["label_en"] == nil {
						t.Errorf("%s: value %v has no label and label_en: %v", fm["name"], v, n)
					}
				}
			}
			delete(fm, "enum_labels")
		}
	}
	if named < 8 {
		t.Errorf("only %d fields carry enum_labels", named)
	}
	b, _ := json.Marshal(inventory.Layers())
	var want []any
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(layers)
	wb, _ := json.Marshal(want)
	if string(gb) != string(wb) {
		t.Errorf("meta's layers differ from the layers' own JSON:\n got %.400s\nwant %.400s", gb, wb)
	}

	// Road status groups name road statuses, and "existing" is what the list filter accepts.
	groups, _ := got["road_status_groups"].(map[string]any)
	existing, _ := groups["existing"].([]any)
	if len(existing) == 0 {
		t.Fatalf("road_status_groups.existing missing: %v", got["road_status_groups"])
	}
	for _, g := range groups {
		for _, s := range g.([]any) {
			if !slices.Contains(inventory.RoadStatuses, s.(string)) {
				t.Errorf("road status group names %v, not a road status", s)
			}
		}
	}
	q := ""
	for i, s := range existing {
		if i > 0 {
			q += ","
		}
		q += s.(string)
	}
	getJSON(t, srv, "/api/v1/plots?near_road_m=100&road_status="+q+"&limit=1", 200, nil)
}
