package inventory

import (
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// FieldType is the type of a property.
type FieldType string

// Field types.
const (
	Text    FieldType = "text"
	Number  FieldType = "number"
	Integer FieldType = "integer"
	Bool    FieldType = "boolean"
	Date    FieldType = "date"
	Enum    FieldType = "enum"
	JSON    FieldType = "json"
)

// Field describes one property of a layer. Field names are snake_case and are the only
// identifiers a store may put into SQL.
type Field struct {
	Name    string    `json:"name"`
	Type    FieldType `json:"type"`
	Enum    []string  `json:"enum,omitempty"`
	Unit    string    `json:"unit,omitempty"`
	Label   string    `json:"label"`    // Chinese label
	LabelEN string    `json:"label_en"` // English label
	// Confidential properties reach only planners and admins, under properties.confidential.
	Confidential bool `json:"confidential,omitempty"`
	// Computed properties are written by PostGIS (areas, lengths, derived codes) or by the
	// store (versions), never by a client.
	Computed bool `json:"computed,omitempty"`
	// Derived properties are computed when a client leaves them out (district, plot_code).
	Derived  bool `json:"derived,omitempty"`
	Required bool `json:"required,omitempty"`
}

// Layer describes one kind of feature.
type Layer struct {
	// Name is the layer's name in URLs: plots, plants, idle-sites, roads, layout.
	Name string `json:"name"`
	// Table is the store's table for the layer.
	Table   string `json:"-"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
	// Geometry is "polygon", "line" or "any".
	Geometry string   `json:"geometry"`
	Fields   []Field  `json:"fields"`
	Filters  []Filter `json:"filters"`
}

// Field returns the field named name.
func (l *Layer) Field(name string) (Field, bool) {
	for _, f := range l.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// FilterKind says how a query parameter narrows a layer.
type FilterKind string

// Filter kinds.
const (
	FilterBBox     FilterKind = "bbox"      // minLon,minLat,maxLon,maxLat: intersects
	FilterIn       FilterKind = "in"        // comma list of enum values or codes
	FilterEquals   FilterKind = "equals"    // exact text
	FilterPrefix   FilterKind = "prefix"    // code prefix
	FilterBool     FilterKind = "bool"      // true | false
	FilterMin      FilterKind = "min"       // field >= value × Scale
	FilterMax      FilterKind = "max"       // field <= value × Scale
	FilterNearRoad FilterKind = "near_road" // within N metres of a road (see road_status)
	FilterRoadStat FilterKind = "road_status"
)

// Filter is one query parameter a layer's list accepts.
type Filter struct {
	Param string     `json:"param"`
	Kind  FilterKind `json:"kind"`
	// Field is the property the filter reads.
	Field string `json:"field,omitempty"`
	// Scale converts the parameter's unit to the field's (亩 to m² for min_area_mu).
	Scale float64 `json:"-"`
	// Enum lists the values an "in" filter accepts; empty means any code.
	Enum []string `json:"enum,omitempty"`
	// Max bounds a numeric parameter (e.g. near_road_m ≤ 50 000).
	Max float64 `json:"-"`
}

// Paging limits for list endpoints.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
	MaxNearRoadM = 50000
)

// Condition is one parsed, checked filter. Field is always a Field name of the layer.
type Condition struct {
	Kind  FilterKind
	Field string
	// Values for FilterIn; Value for the rest.
	Values []string
	Value  any
}

// Query is a parsed, checked list request for one layer.
type Query struct {
	Layer *Layer
	// Zone is the zone's code; empty means the service's default zone.
	Zone       string
	Conditions []Condition
	// BBox, when set, is minLon, minLat, maxLon, maxLat.
	BBox *[4]float64
	// NearRoadM, when set, keeps features within that many metres of a live road whose status
	// is in RoadStatus (any status when RoadStatus is empty).
	NearRoadM  *float64
	RoadStatus []string
	// AsOf, when set, reads the inventory as it stood at that time.
	AsOf   *time.Time
	Limit  int
	Offset int
}

// commonParams are accepted by every list endpoint besides the layer's filters.
var commonParams = map[string]bool{"limit": true, "offset": true, "zone": true, "as_of": true}

// ParseQuery checks a list request's parameters against the layer's filters. An unknown
// parameter, a malformed value or an unknown value of an enumerated filter is an EInvalid
// error naming the parameter.
func ParseQuery(l *Layer, v url.Values) (Query, error) {
	q := Query{Layer: l, Limit: DefaultLimit}
	byParam := make(map[string]Filter, len(l.Filters))
	for _, f := range l.Filters {
		byParam[f.Param] = f
	}
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		vals := v[name]
		if len(vals) != 1 {
			return q, Errorf(EInvalid, name, "is given %d times; give it once", len(vals))
		}
		raw := strings.TrimSpace(vals[0])
		if commonParams[name] {
			if err := q.common(name, raw); err != nil {
				return q, err
			}
			continue
		}
		f, ok := byParam[name]
		if !ok {
			return q, Errorf(EInvalid, name, "is not a parameter of %s; known: %s", l.Name, strings.Join(l.ParamNames(), ", "))
		}
		if raw == "" {
			return q, Errorf(EInvalid, name, "is empty")
		}
		if err := q.add(f, raw); err != nil {
			return q, err
		}
	}
	var lo, hi *Condition
	for i := range q.Conditions {
		c := &q.Conditions[i]
		if c.Field == "area_m2" && c.Kind == FilterMin {
			lo = c
		}
		if c.Field == "area_m2" && c.Kind == FilterMax {
			hi = c
		}
	}
	if lo != nil && hi != nil && lo.Value.(float64) > hi.Value.(float64) {
		return q, Errorf(EInvalid, "min_area_mu", "is greater than max_area_mu")
	}
	if len(q.RoadStatus) > 0 && q.NearRoadM == nil {
		return q, Errorf(EInvalid, "road_status", "only applies together with near_road_m")
	}
	return q, nil
}

// ParamNames lists the parameters the layer's list accepts.
func (l *Layer) ParamNames() []string {
	out := make([]string, 0, len(l.Filters)+len(commonParams))
	for _, f := range l.Filters {
		out = append(out, f.Param)
	}
	for k := range commonParams {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (q *Query) common(name, raw string) error {
	switch name {
	case "limit":
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > MaxLimit {
			return Errorf(EInvalid, name, "must be a whole number from 1 to %d", MaxLimit)
		}
		q.Limit = n
	case "offset":
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			return Errorf(EInvalid, name, "must be a whole number ≥ 0")
		}
		q.Offset = n
	case "zone":
		if !validCode(raw) {
			return Errorf(EInvalid, name, "is not a zone code")
		}
		q.Zone = raw
	case "as_of":
		t, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			return Errorf(EInvalid, name, "must be an RFC 3339 time, e.g. 2026-01-31T12:00:00+08:00")
		}
		q.AsOf = &t
	}
	return nil
}

func (q *Query) add(f Filter, raw string) error {
	switch f.Kind {
	case FilterBBox:
		b, err := ParseBBox(raw)
		if err != nil {
			return Errorf(EInvalid, f.Param, "%s", err)
		}
		q.BBox = &b
	case FilterIn, FilterRoadStat:
		vals := strings.Split(raw, ",")
		for i, s := range vals {
			s = strings.TrimSpace(s)
			vals[i] = s
			if s == "" {
				return Errorf(EInvalid, f.Param, "has an empty item")
			}
			if len(f.Enum) > 0 && !contains(f.Enum, s) {
				return Errorf(EInvalid, f.Param, "has unknown value %q; known: %s", s, strings.Join(f.Enum, ", "))
			}
			if len(f.Enum) == 0 && !validCode(s) {
				return Errorf(EInvalid, f.Param, "has malformed code %q", s)
			}
		}
		if f.Kind == FilterRoadStat {
			q.RoadStatus = vals
			return nil
		}
		q.Conditions = append(q.Conditions, Condition{Kind: FilterIn, Field: f.Field, Values: vals})
	case FilterEquals:
		if len(raw) > 200 {
			return Errorf(EInvalid, f.Param, "is too long")
		}
		q.Conditions = append(q.Conditions, Condition{Kind: FilterEquals, Field: f.Field, Value: raw})
	case FilterPrefix:
		if !isDigits(raw) || len(raw) > 8 {
			return Errorf(EInvalid, f.Param, "must be a land-use code or code prefix of digits, e.g. 1001")
		}
		q.Conditions = append(q.Conditions, Condition{Kind: FilterPrefix, Field: f.Field, Value: raw})
	case FilterBool:
		b, err := strconv.ParseBool(raw)
		if err != nil || (raw != "true" && raw != "false") {
			return Errorf(EInvalid, f.Param, "must be true or false")
		}
		q.Conditions = append(q.Conditions, Condition{Kind: FilterBool, Field: f.Field, Value: b})
	case FilterMin, FilterMax, FilterNearRoad:
		x, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return Errorf(EInvalid, f.Param, "must be a number")
		}
		if x < 0 {
			return Errorf(EInvalid, f.Param, "must not be negative")
		}
		if f.Max > 0 && x > f.Max {
			return Errorf(EInvalid, f.Param, "must be at most %g", f.Max)
		}
		if f.Kind == FilterNearRoad {
			q.NearRoadM = &x
			return nil
		}
		scale := f.Scale
		if scale == 0 {
			scale = 1
		}
		q.Conditions = append(q.Conditions, Condition{Kind: f.Kind, Field: f.Field, Value: x * scale})
	default:
		return Errorf(EInternal, f.Param, "unknown filter kind %q", f.Kind)
	}
	return nil
}

// ParseBBox parses "minLon,minLat,maxLon,maxLat" in degrees.
func ParseBBox(s string) ([4]float64, error) {
	var b [4]float64
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return b, fmt.Errorf("must be minLon,minLat,maxLon,maxLat")
	}
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return b, fmt.Errorf("item %d (%q) is not a number", i+1, p)
		}
		b[i] = x
	}
	if b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 {
		return b, fmt.Errorf("must lie within longitude -180..180 and latitude -90..90")
	}
	if b[0] > b[2] || b[1] > b[3] {
		return b, fmt.Errorf("minimum is greater than maximum")
	}
	return b, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// validCode reports whether s is a well-formed feature or zone code: letters, digits, '.', '_'
// and '-', starting with a letter or digit, at most 64 characters.
func validCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || (i > 0 && (r == '.' || r == '_' || r == '-'))
		if !ok {
			return false
		}
	}
	return true
}

// ValidCode reports whether s is a well-formed feature code.
func ValidCode(s string) bool { return validCode(s) }

// Layers lists every layer, in the order they are drawn and documented.
func Layers() []*Layer {
	return []*Layer{LayoutLayer, PlotLayer, PlantLayer, IdleSiteLayer, RoadLayer}
}

// LayerNamed returns the layer whose URL name is name.
func LayerNamed(name string) (*Layer, bool) {
	for _, l := range Layers() {
		if l.Name == name {
			return l, true
		}
	}
	return nil, false
}

// versionFields are the fields every versioned layer has.
func versionFields() []Field {
	return []Field{
		{Name: "code", Type: Text, Label: "编号", LabelEN: "Code", Required: true},
		{Name: "version", Type: Integer, Label: "版本", LabelEN: "Version", Computed: true},
		{Name: "valid_from", Type: Text, Label: "生效时间", LabelEN: "Valid from", Computed: true},
		{Name: "changed_by", Type: Text, Label: "修改人", LabelEN: "Changed by", Computed: true},
		{Name: "illustrative", Type: Bool, Label: "示意数据", LabelEN: "Illustrative"},
	}
}
