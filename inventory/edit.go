package inventory

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Edit operations, as recorded in each version's op (修改类型).
const (
	OpCreate  = "create"
	OpUpdate  = "update"
	OpArchive = "archive"
	OpRestore = "restore"
)

// Change is a write to one feature: new properties (as a client sends them, confidential ones
// under "confidential" or beside the public ones) and/or a new GeoJSON geometry.
type Change struct {
	Properties map[string]any
	Geometry   json.RawMessage
	// Note is an optional change note (修改说明).
	Note string
}

// Version is one entry of a feature's history (修改历史): who made it, when, what kind of change,
// and what changed against the version before.
type Version struct {
	Version      int        `json:"version"`
	Op           string     `json:"op"`
	ValidFrom    time.Time  `json:"valid_from"`
	ValidTo      *time.Time `json:"valid_to"`             // nil while current
	ChangedBy    string     `json:"changed_by,omitempty"` // empty for the public
	Note         string     `json:"note,omitempty"`
	Archived     bool       `json:"archived"`
	RestoredFrom *int       `json:"restored_from,omitempty"`
	// GeometryChanged says whether the geometry differs from the version before.
	GeometryChanged bool `json:"geometry_changed"`
	// Changes lists the properties that differ from the version before (every set property for
	// the first version). Confidential properties appear only for planners and admins.
	Changes []PropertyChange `json:"changes"`
	// Unchanged says that a write changed nothing and wrote no version: this is the live
	// version, as it was (not part of the history's JSON).
	Unchanged bool `json:"-"`
}

// PropertyChange is one property's value before and after a version.
type PropertyChange struct {
	Field  string `json:"field"`
	Before any    `json:"before"`
	After  any    `json:"after"`
	// Secret marks a confidential property (shown only to planners and admins).
	Secret bool `json:"secret,omitempty"`
}

// Editor changes the inventory. Every method takes the acting user from the context
// (ViewerFrom) and refuses viewers (EUnauthorized for the anonymous public, EForbidden for a
// signed-in viewer). Every write is one transaction: a refused write changes nothing. The
// database's rules (geometry, zone, overlaps, plants in plots, lifecycles) are the source of
// truth; CheckChange catches malformed properties first, naming the field.
//
// ifMatch is the ETag the client last saw (Feature.ETag): empty is EPreconditionRequired, a
// stale one EPrecondition; "*" (any version) is EPreconditionRequired too, since it would skip
// the lost-update protection.
type Editor interface {
	// Create adds a new feature (version 1). Its code must not be live.
	Create(ctx context.Context, l *Layer, zone string, c Change) (*Feature, error)
	// Update writes a new version with the changed properties and/or geometry.
	Update(ctx context.Context, l *Layer, zone, code, ifMatch string, c Change) (*Feature, error)
	// Archive writes a new, archived version: the feature leaves current views but stays in
	// the history and can be restored.
	Archive(ctx context.Context, l *Layer, zone, code, ifMatch, note string) (*Version, error)
	// Restore writes a new version copying version n (lifecycle rules do not apply: undoing a
	// mistake must be possible; every other rule does). ifMatch may be empty.
	Restore(ctx context.Context, l *Layer, zone, code string, n int, ifMatch string) (*Feature, error)
}

// HistoryReader reads a feature's history (修改历史). The public gets no changed_by, no note and
// no confidential field (the viewer comes from the context).
type HistoryReader interface {
	// History lists every version of a feature, oldest first.
	History(ctx context.Context, l *Layer, zone, code string) ([]Version, error)
}

// CanWrite returns nil when v may edit, else EUnauthorized (no credentials) or EForbidden.
func CanWrite(v Viewer) error {
	if v.CanEdit() {
		return nil
	}
	if v.Name == "" {
		return Errorf(EUnauthorized, "", "sign in as a planner to change the inventory (a password at /signin, or Authorization: Bearer TOKEN)").With(CodeUnauthorized, nil)
	}
	return Errorf(EForbidden, "", "user %s is a %s; only planners and admins change the inventory", v.Name, v.Role).With(CodeForbidden, nil)
}

// FlattenProperties moves the members of properties.confidential up beside the public
// properties, as they are stored. A "confidential" member that is not an object is an error.
func FlattenProperties(props map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(props)+8)
	for k, v := range props {
		if k != "confidential" {
			out[k] = v
		}
	}
	if c, ok := props["confidential"]; ok && c != nil {
		m, ok := c.(map[string]any)
		if !ok {
			return nil, Errorf(EInvalid, "confidential", "must be an object of confidential properties").With(CodeNotJSON, nil)
		}
		for k, v := range m {
			if _, dup := out[k]; dup {
				return nil, Errorf(EInvalid, "confidential."+k, "is given twice, inside and outside confidential").With(CodeNotConfidential, nil)
			}
			out["\x00"+k] = v // marked: must be a confidential field
		}
	}
	return out, nil
}

// CheckChange checks flattened-or-not properties of a write against the layer's fields before
// any SQL runs, and returns them flattened. create says whether this is a new feature (required
// fields must be present). It refuses, naming the field: unknown properties, computed ones,
// values of the wrong type, unknown enum values, numbers outside the field's range
// (Field.Min, Field.Max), text that is not UTF-8 or holds NUL (CheckText), JSON values nested
// deeper than MaxJSONDepth, nulls in required fields, and a missing required field on create.
func CheckChange(l *Layer, props map[string]any, create bool) (map[string]any, error) {
	flat, err := FlattenProperties(props)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(flat))
	keys := make([]string, 0, len(flat))
	for k := range flat {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		v := flat[key]
		name, inConf := strings.CutPrefix(key, "\x00")
		shown := name
		if inConf {
			shown = "confidential." + name
		}
		f, ok := l.Field(name)
		if !ok {
			return nil, Errorf(EInvalid, shown, "is not a property of %s; known: %s", l.Name, strings.Join(WritableFields(l), ", ")).With(CodeUnknownProperty, nil)
		}
		if inConf && !f.Confidential {
			return nil, Errorf(EInvalid, shown, "is not confidential; put it beside the other properties").With(CodeNotConfidential, nil)
		}
		if f.Computed {
			return nil, Errorf(EInvalid, shown, "is computed by the inventory and cannot be written").With(CodeComputed, nil)
		}
		if err := checkValue(f, shown, v); err != nil {
			return nil, err
		}
		out[name] = v
	}
	if c, ok := out["code"].(string); ok && l.CheckCode != nil {
		if err := l.CheckCode(c); err != nil {
			return nil, err
		}
	}
	if create {
		for _, f := range l.Fields {
			if !f.Required {
				continue
			}
			if v, ok := out[f.Name]; !ok || v == nil {
				return nil, Errorf(EInvalid, f.Name, "is required").With(CodeRequired, nil)
			}
		}
	}
	return out, nil
}

// CheckNote refuses a change note (修改说明) that is not UTF-8 text without NUL, or longer than
// 2000 bytes, naming note.
func CheckNote(note string) error {
	if len(note) > 2000 {
		return Errorf(EInvalid, "note", "is longer than 2000 bytes").With(CodeTooLong, map[string]any{"max": 2000})
	}
	return CheckText("note", note)
}

// WritableFields lists the names of the properties a client may write.
func WritableFields(l *Layer) []string {
	var out []string
	for _, f := range l.Fields {
		if !f.Computed {
			out = append(out, f.Name)
		}
	}
	return out
}

func checkValue(f Field, name string, v any) error {
	if v == nil {
		if f.Required {
			return Errorf(EInvalid, name, "is required and cannot be null").With(CodeRequired, nil)
		}
		return nil
	}
	num := func() (float64, bool) {
		switch x := v.(type) {
		case float64:
			return x, true
		case json.Number:
			y, err := x.Float64()
			return y, err == nil
		case int:
			return float64(x), true
		case int64:
			return float64(x), true
		}
		return 0, false
	}
	switch f.Type {
	case Text:
		s, ok := v.(string)
		if !ok {
			return Errorf(EInvalid, name, "must be text").With(CodeNotText, nil)
		}
		if f.Name == "code" && !ValidCode(s) {
			return Errorf(EInvalid, name, "must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit").With(CodeInvalidCode, nil)
		}
		if len(s) > 2000 {
			return Errorf(EInvalid, name, "is longer than 2000 bytes").With(CodeTooLong, map[string]any{"max": 2000})
		}
		if err := CheckText(name, s); err != nil {
			return err
		}
	case Number, Integer:
		x, ok := num()
		if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
			return Errorf(EInvalid, name, "must be a number").With(CodeNotANumber, nil)
		}
		if f.Type == Integer && x != math.Trunc(x) {
			return Errorf(EInvalid, name, "must be a whole number").With(CodeNotWholeNumber, nil)
		}
		if !f.InRange(x) {
			return &Error{Kind: EInvalid, Field: name, Reason: "must be " + f.RangeText(),
				Detail: map[string]any{"min": *f.Min, "max": *f.Max},
				Code:   CodeOutOfRange, Params: map[string]any{"min": *f.Min, "max": *f.Max}}
		}
	case Bool:
		if _, ok := v.(bool); !ok {
			return Errorf(EInvalid, name, "must be true or false").With(CodeNotABoolean, nil)
		}
	case Date:
		s, ok := v.(string)
		if !ok {
			return Errorf(EInvalid, name, "must be a date, YYYY-MM-DD").With(CodeNotADate, nil)
		}
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return Errorf(EInvalid, name, "must be a date, YYYY-MM-DD, not %q", s).With(CodeNotADate, map[string]any{"value": s})
		}
	case Enum:
		s, ok := v.(string)
		if ok {
			if err := CheckText(name, s); err != nil {
				return err
			}
		}
		if !ok || !contains(f.Enum, s) {
			return Errorf(EInvalid, name, "has unknown value %v; known: %s", jsonish(v), strings.Join(f.Enum, ", ")).With(CodeUnknownValue, map[string]any{"value": v, "allowed": f.Enum})
		}
	case JSON:
		switch v.(type) {
		case []any, map[string]any:
		default:
			return Errorf(EInvalid, name, "must be a JSON array or object").With(CodeNotJSON, nil)
		}
		if err := checkValueText(name, v, MaxJSONDepth); err != nil {
			return err
		}
	}
	return nil
}

func jsonish(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return string(b)
}

// CheckGeometryJSON checks that raw is a GeoJSON geometry object of a type the layer takes,
// with numeric coordinates; PostGIS checks the rest (validity, zone, overlaps).
func CheckGeometryJSON(l *Layer, raw json.RawMessage) error {
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if len(raw) == 0 || string(raw) == "null" {
		return Errorf(EInvalid, "geometry", "is missing").With(CodeGeometryMissing, nil)
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return Errorf(EInvalid, "geometry", "is not a GeoJSON geometry object").With(CodeGeometryType, nil)
	}
	allowed := map[string][]string{
		"polygon": {"Polygon", "MultiPolygon"},
		"line":    {"LineString", "MultiLineString"},
		"any":     {"Polygon", "MultiPolygon", "LineString", "MultiLineString", "Point"}, // layout: the kind decides (migration 0067)
	}[l.Geometry]
	if !contains(allowed, g.Type) {
		return Errorf(EInvalid, "geometry", "must be a %s for %s, not %q", strings.Join(allowed, " or "), l.Name, g.Type).With(CodeGeometryType, map[string]any{"want": allowed, "got": g.Type})
	}
	if len(g.Coordinates) == 0 || string(g.Coordinates) == "null" {
		return Errorf(EInvalid, "geometry", "has no coordinates").With(CodeGeometryEmpty, nil)
	}
	return checkPositions(g.Type, g.Coordinates)
}

// coordinateDepth is how deeply each geometry type's coordinates nest: a LineString is an
// array of positions (each an array of numbers), a MultiPolygon an array of polygons of rings
// of positions.
var coordinateDepth = map[string]int{"Point": 1, "LineString": 2, "MultiLineString": 3, "Polygon": 3, "MultiPolygon": 4}

// checkPositions checks a geometry's coordinates without decoding them: only arrays and JSON
// numbers (RFC 7946 §3.1.1: a position is an array of numbers; "111.5" is a string, not a
// position), nested no deeper than the type's coordinates.
func checkPositions(typ string, coords []byte) error {
	want := coordinateDepth[typ]
	depth := 0
	for i, c := range coords {
		switch {
		case c == '[':
			depth++
			if depth > want {
				return Errorf(EInvalid, "geometry", "coordinates nest deeper than a %s's (%d levels of arrays)", typ, want).With(CodeBadCoordinates, nil)
			}
		case c == ']':
			depth--
		case c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r':
		case c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E':
		default:
			end := min(i+16, len(coords))
			return &Error{Kind: EInvalid, Field: "geometry", Reason: fmt.Sprintf("positions must be arrays of JSON numbers (RFC 7946), not strings or other values: coordinates hold %q at byte %d", coords[i:end], i), Code: CodeBadCoordinates}
		}
	}
	return nil
}
