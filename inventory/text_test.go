package inventory

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func fieldOf(t *testing.T, err error) string {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%v is not an *Error", err)
	}
	return e.Field
}

func TestCheckJSON(t *testing.T) {
	deep := strings.Repeat("[", 5000) + strings.Repeat("]", 5000)
	for _, c := range []struct {
		name, body, field string
	}{
		{"ok feature", `{"type":"Feature","properties":{"name":"甘亭","tenants":[{"name":"x"}]},"geometry":{"type":"MultiPolygon","coordinates":[[[[1,2],[3,4]]]]}}`, ""},
		{"NUL in a property", `{"type":"Feature","properties":{"name":"a\u0000b"}}`, "properties.name"},
		{"NUL in a key", `{"type":"Feature","properties":{"na\u0000me":"x"}}`, "properties.na\x00me (a key)"},
		{"bad UTF-8 in a property", "{\"type\":\"Feature\",\"properties\":{\"name\":\"\xff\"}}", "properties.name"},
		{"bad UTF-8 in an array", "{\"properties\":{\"tenants\":[{\"name\":\"ok\"},{\"name\":\"\xc3\"}]}}", "properties.tenants[1].name"},
		{"NUL in a note", `{"type":"Feature","note":"\u0000"}`, "note"},
		{"deep", `{"properties":{"tenants":` + deep + `}}`, "body"},
		{"syntax left to the decoder", `{"type":`, ""},
	} {
		err := CheckJSON([]byte(c.body), MaxJSONDepth)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if err == nil || fieldOf(t, err) != c.field {
			t.Errorf("%s: %v, want field %q", c.name, err, c.field)
		}
	}
	// 32 levels pass, 33 do not.
	at := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	if err := CheckJSON([]byte(at(MaxJSONDepth)), MaxJSONDepth); err != nil {
		t.Errorf("%d levels: %v", MaxJSONDepth, err)
	}
	if err := CheckJSON([]byte(at(MaxJSONDepth+1)), MaxJSONDepth); err == nil {
		t.Errorf("%d levels accepted", MaxJSONDepth+1)
	}
}

func TestCheckChangeRangesAndText(t *testing.T) {
	for _, c := range []struct {
		name  string
		l     *Layer
		props map[string]any
		field string
		want  string
	}{
		{"min_far 1e308", PlotLayer, map[string]any{"min_far": json.Number("1e308")}, "min_far", "must be between 0 and 10"},
		{"min_far -0.1", PlotLayer, map[string]any{"min_far": -0.1}, "min_far", "between 0 and 10"},
		{"min_far 10 is in range", PlotLayer, map[string]any{"min_far": 10.0}, "", ""},
		{"green ratio 100.5 %", PlotLayer, map[string]any{"max_green_ratio_pct": 100.5}, "max_green_ratio_pct", "between 0 and 100 %"},
		{"population 1e308", PlotLayer, map[string]any{"confidential": map[string]any{"population": 1e308}}, "confidential.population", "between 0 and 1000000"},
		{"floors 0", PlantLayer, map[string]any{"floors": 0.0}, "floors", "between 1 and 50"},
		{"year 3000", RoadLayer, map[string]any{"planned_year": json.Number("3000")}, "planned_year", "between 1900 and 2100"},
		{"NUL in a name", PlotLayer, map[string]any{"name": "a\x00b"}, "name", "NUL"},
		{"bad UTF-8 in a name", PlotLayer, map[string]any{"name": "a\xffb"}, "name", "UTF-8"},
		{"bad UTF-8 in an enum", PlotLayer, map[string]any{"status": "\xff"}, "status", "UTF-8"},
		{"NUL inside tenants", PlantLayer, map[string]any{"tenants": []any{map[string]any{"name": "\x00"}}}, "tenants[0].name", "NUL"},
		{"tenants too deep", PlantLayer, map[string]any{"tenants": nest(40)}, "tenants", "deeply"},
	} {
		_, err := CheckChange(c.l, c.props, false)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if err == nil || fieldOf(t, err) != c.field || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %s: …%s…", c.name, err, c.field, c.want)
		}
	}
	if err := CheckNote("a\x00"); err == nil || fieldOf(t, err) != "note" {
		t.Errorf("a note with NUL: %v", err)
	}
}

func nest(n int) any {
	var v any = "x"
	for range n {
		v = []any{v}
	}
	return v
}

// TestEveryWritableNumberHasARange: every number a client writes has a plausible range.
func TestEveryWritableNumberHasARange(t *testing.T) {
	for _, l := range Layers() {
		for _, f := range l.Fields {
			if (f.Type == Number || f.Type == Integer) && !f.Computed && (f.Min == nil || f.Max == nil || *f.Min > *f.Max) {
				t.Errorf("%s.%s has no range", l.Name, f.Name)
			}
		}
	}
}

func TestPositionsMustBeNumbers(t *testing.T) {
	for _, c := range []struct {
		geom string
		ok   bool
	}{
		{`{"type":"Polygon","coordinates":[[[111.5,36.0],[111.6,36.0],[111.6,36.1],[111.5,36.0]]]}`, true},
		{`{"type":"Polygon","coordinates":[[[1.5e2, -3E-1],[1,2]]]}`, true},
		{`{"type":"Polygon","coordinates":[]}`, true}, // empty: PostGIS names it
		{`{"type":"Polygon","coordinates":[[["111.5","36.0"],[111.6,36.0],[111.6,36.1],[111.5,36.0]]]}`, false},
		{`{"type":"Polygon","coordinates":[[[111.5,null],[111.6,36.0]]]}`, false},
		{`{"type":"Polygon","coordinates":[[[true,1],[111.6,36.0]]]}`, false},
		{`{"type":"Polygon","coordinates":[[[{"x":1},1]]]}`, false},
		{`{"type":"Polygon","coordinates":[[[[111.5,36.0]]]]}`, false}, // a level too deep
		{`{"type":"MultiPolygon","coordinates":[[[[111.5,36.0]]]]}`, true},
		{`{"type":"Polygon","coordinates":"[[[111.5,36.0]]]"}`, false},
	} {
		err := CheckGeometryJSON(PlotLayer, json.RawMessage(c.geom))
		if (err == nil) != c.ok || (err != nil && fieldOf(t, err) != "geometry") {
			t.Errorf("%s: %v, want ok %v", c.geom, err, c.ok)
		}
	}
}

// TestOneTextRule: every text check outside CheckChange — enquiries and their replies, the
// province of a report, a free-text search — refuses a NUL and bytes that are not UTF-8 by the
// one rule (CheckText): EInvalid naming the field, code bad_text.
func TestOneTextRule(t *testing.T) {
	enquiry := func(name string) error {
		e := NewEnquiry{SiteLayer: "plots", SiteCode: "P1", Name: name, Phone: "123"}
		return e.Check()
	}
	reply := func(s string) error { c := EnquiryChange{Reply: &s}; return c.Check() }
	for _, c := range []struct {
		what, field string
		check       func(string) error
	}{
		{"an enquiry's name", "name", enquiry},
		{"an enquiry's reply", "reply", reply},
		{"a report's province", "province", ValidProvince},
		{"a free-text search", "q", func(s string) error { return CheckTextQuery("q", s) }},
	} {
		for _, bad := range []string{"山西\x00省", "山西\xff"} {
			err := c.check(bad)
			var e *Error
			if !errors.As(err, &e) || e.Kind != EInvalid || e.Field != c.field || e.Code != CodeBadText {
				t.Errorf("%s %q: %#v, want EInvalid naming %s with code %s", c.what, bad, err, c.field, CodeBadText)
			}
		}
		if err := c.check("山西省"); err != nil {
			t.Errorf("%s: good text refused: %v", c.what, err)
		}
	}
}
