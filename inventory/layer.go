package inventory

import (
	"strconv"
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
	// StaffOnly properties reach only those who see confidential properties, but as plain
	// properties, not under confidential: who wrote a version (changed_by, 修改人) is a member of
	// staff's login name, which the public never reads, filters on or sorts by (HiddenFrom).
	StaffOnly bool `json:"staff_only,omitempty"`
	// Computed properties are written by PostGIS (areas, lengths, derived codes) or by the
	// store (versions), never by a client.
	Computed bool `json:"computed,omitempty"`
	// Derived properties are computed when a client leaves them out (district, plot_code).
	Derived  bool `json:"derived,omitempty"`
	Required bool `json:"required,omitempty"`
	// Min and Max bound a number or integer property (in Unit), both included: the plausible
	// range taken from DOMAIN.md and the national rules (see Between). CheckChange refuses a
	// value outside it, naming the field; the database holds the same range as a CHECK
	// constraint named <table>_<field>_range (migration 0045), and a drift test compares them.
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
}

// Between returns f with the plausible range lo to hi (both included).
func (f Field) Between(lo, hi float64) Field {
	f.Min, f.Max = &lo, &hi
	return f
}

// InRange reports whether x lies in the field's range (always true for a field without one).
func (f Field) InRange(x float64) bool {
	return (f.Min == nil || x >= *f.Min) && (f.Max == nil || x <= *f.Max)
}

// RangeText says the field's range in words, e.g. "between 0 and 10" or "between 0 and 100 %".
func (f Field) RangeText() string {
	if f.Min == nil || f.Max == nil {
		return ""
	}
	s := "between " + strconv.FormatFloat(*f.Min, 'f', -1, 64) + " and " + strconv.FormatFloat(*f.Max, 'f', -1, 64)
	if f.Unit != "" {
		s += " " + f.Unit
	}
	return s
}

// Layer describes one kind of feature.
type Layer struct {
	// Name is the layer's name in URLs: plots, plants, idle-sites, roads, layout.
	Name string `json:"name"`
	// Table is the store's table for the layer.
	Table   string `json:"-"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
	// Geometry is "polygon", "line" or "any" (polygons, lines or points); "none" (GeometryNone) for a non-spatial layer
	// (enterprise.go), whose rows keep a null geometry.
	Geometry string   `json:"geometry"`
	Fields   []Field  `json:"fields"`
	Filters  []Filter `json:"filters"`
	// CheckCode, when set, is the layer's own rule for its codes beyond ValidCode (a unified
	// social credit code's checksum, say); CheckChange applies it to a code written.
	CheckCode func(code string) error `json:"-"`
	// Sorts are the values of the list's sort parameter (search.go); none: code order only.
	Sorts []Sort `json:"sorts,omitempty"`
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
	// Fields are the properties a free-text filter (FilterText) reads.
	Fields []string `json:"fields,omitempty"`
	// Scale converts the parameter's unit to the field's (亩 to m² for min_area_mu).
	Scale float64 `json:"-"`
	// Enum lists the values an "in" filter accepts; empty means any code.
	Enum []string `json:"enum,omitempty"`
	// Max bounds a numeric parameter (e.g. near_road_m ≤ 5 000).
	Max float64 `json:"-"`
}

// Paging limits for list endpoints, and caps on the parameters that drive a list's cost: a
// deeper page than MaxOffset is read with the after=CODE cursor of the next link (keyset
// paging), which costs the same at any depth; a distance to roads beyond MaxNearRoadM would
// compare every plot with every road.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
	MaxOffset    = 100000
	MaxNearRoadM = 5000
)

// Condition is one parsed, checked filter. Field is always a Field name of the layer.
type Condition struct {
	Kind  FilterKind
	Field string
	// Values for FilterIn (for FilterText, the fields it reads); Value for the rest.
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

	// Filter, when set, is a CQL2 filter (a cql2.Expr) already checked against the layer's
	// queryables for the viewer; FilterCRS is the CRS of its geometry literals. The store
	// compiles it with every value bound and every property from its own allow-list.
	Filter    FilterExpr
	FilterCRS CRS
	// BBoxCRS is the CRS of BBox (minX, minY, maxX, maxY in that CRS's axis order).
	BBoxCRS CRS
	// SortBy, when set, orders the list by these properties (code breaks ties); code order
	// otherwise.
	SortBy []SortKey
	// Sort, when set, is one of the layer's Sorts (the list API's sort parameter); code breaks
	// ties. Paging under it is by offset: the after cursor is in code order.
	Sort *Sort
	// Properties, when set, trims each feature to these properties (code always stays).
	Properties []string
	// CRS is the CRS the geometries are written in (CRS84 when zero).
	CRS CRS
	// After, when set, is a keyset cursor: only features whose code sorts after it (in code
	// order, the order of every list). The next link of a page carries it.
	After string

	// Revision, when not nil, receives the inventory's revision that the page's rows were read
	// at (in the same snapshot), before the first feature is emitted: the page's ETag without a
	// statement of its own. It is left as it was when the page has no rows.
	Revision *int64
}

// Validate checks the rules a list request obeys whatever its transport: paging within
// bounds, a minimum area not above the maximum, and road_status only with near_road_m. Errors
// are EInvalid and name the parameter.
func (q Query) Validate() error {
	if q.Limit < 1 || q.Limit > MaxLimit {
		return Errorf(EInvalid, "limit", "must be a whole number from 1 to %d", MaxLimit)
	}
	if q.Offset < 0 {
		return Errorf(EInvalid, "offset", "must be a whole number ≥ 0")
	}
	if q.Offset > MaxOffset {
		return Errorf(EInvalid, "offset", "must be at most %d; page further with the next link (after=CODE)", MaxOffset)
	}
	if q.After != "" && !ValidCode(q.After) {
		return Errorf(EInvalid, "after", "is not a feature code")
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
		return Errorf(EInvalid, "min_area_mu", "is greater than max_area_mu")
	}
	if q.After != "" && q.Sort != nil && q.Sort.Kind != SortCode {
		return Errorf(EInvalid, "after", "is a cursor in code order and cannot be combined with sort; page with offset (the next link does)")
	}
	if len(q.RoadStatus) > 0 && q.NearRoadM == nil {
		return Errorf(EInvalid, "road_status", "only applies together with near_road_m")
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
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

// HiddenFrom says whether v may not read f: a confidential or staff-only property, for a viewer
// who does not see confidential properties. The one rule for items, filters, sorts, schemas
// and history.
func (f Field) HiddenFrom(v Viewer) bool {
	return (f.Confidential || f.StaffOnly) && !v.SeesConfidential()
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
		{Name: "changed_by", Type: Text, Label: "修改人", LabelEN: "Changed by", Computed: true, StaffOnly: true},
		{Name: "illustrative", Type: Bool, Label: "示意数据", LabelEN: "Illustrative"},
	}
}
