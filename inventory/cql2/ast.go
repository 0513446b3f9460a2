package cql2

import (
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
)

// Expr is a node of a parsed filter. CQL2-Text and CQL2-JSON parse to the same nodes.
//
// Boolean nodes (predicates): *And, *Or, *Not, *Compare, *Like, *Between, *In, *IsNull,
// *Spatial, and a *Bool literal or a boolean *Property. Scalar nodes: *Property, *String,
// *Number, *Bool, *Timestamp, *Date, *Geometry, *CaseI, *Arith.
type Expr interface {
	// Pos is where the node starts: a byte offset (from 0) into CQL2-Text, or -1 for a node
	// read from CQL2-JSON.
	Pos() int
	// String writes the node as canonical CQL2-Text (fully parenthesised, keywords in upper
	// case); parsing that text gives the same tree again.
	String() string
}

// At is the location of a node: Offset into CQL2-Text, or -1 and a JSON Pointer (Path) for
// CQL2-JSON.
type At struct {
	Offset int
	Path   string
}

// Pos implements Expr.
func (a At) Pos() int { return a.Offset }

// And is true when every argument is.
type And struct {
	At
	Args []Expr
}

// Or is true when any argument is.
type Or struct {
	At
	Args []Expr
}

// Not negates its argument.
type Not struct {
	At
	Arg Expr
}

// Compare is a binary comparison: =, <>, <, >, <=, >=.
type Compare struct {
	At
	Op          string
	Left, Right Expr
}

// Like matches Expr against a pattern (a *String, or CASEI of one) where % matches any run
// of characters, _ one character and \ escapes the next one.
type Like struct {
	At
	Expr, Pattern Expr
}

// Between is Low <= Expr <= High.
type Between struct {
	At
	Expr, Low, High Expr
}

// In is true when Expr equals one of List.
type In struct {
	At
	Expr Expr
	List []Expr
}

// IsNull is true when Expr has no value.
type IsNull struct {
	At
	Expr Expr
}

// Spatial operators.
const (
	SIntersects = "S_INTERSECTS"
	// SDWithin is this package's extension: S_DWITHIN(a, b, metres) is true when a and b lie
	// within Distance metres of each other, measured on the WGS 84 ellipsoid.
	SDWithin = "S_DWITHIN"
)

// Spatial is a spatial predicate. Distance is set (a *Number, metres) for S_DWITHIN only.
type Spatial struct {
	At
	Op          string
	Left, Right Expr
	Distance    *Number
}

// Property names a queryable of the collection.
type Property struct {
	At
	Name string
}

// String is a character literal.
type String struct {
	At
	Value string
}

// Number is a numeric literal.
type Number struct {
	At
	Value float64
}

// Bool is TRUE or FALSE.
type Bool struct {
	At
	Value bool
}

// Timestamp is an instant, TIMESTAMP('2024-05-01T08:00:00Z'), always in UTC.
type Timestamp struct {
	At
	Value time.Time
}

// Date is a calendar day, DATE('2024-05-01'); Value is midnight UTC of that day.
type Date struct {
	At
	Value time.Time
}

// Geometry is a geometry literal: a WKT or GeoJSON geometry, or a BBOX (an orb.Bound). Its
// coordinates are in the filter CRS, in that CRS's axis order (CRS84: longitude, latitude).
type Geometry struct {
	At
	Geom orb.Geometry
}

// CaseI is CASEI(x): x compared without regard to case.
type CaseI struct {
	At
	Arg Expr
}

// Arith is Left Op Right with Op one of + - * /.
type Arith struct {
	At
	Op          string
	Left, Right Expr
}

func join(args []Expr, sep string) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.String()
	}
	return strings.Join(parts, sep)
}

func (e *And) String() string { return "(" + join(e.Args, " AND ") + ")" }
func (e *Or) String() string  { return "(" + join(e.Args, " OR ") + ")" }
func (e *Not) String() string { return "(NOT " + e.Arg.String() + ")" }
func (e *Compare) String() string {
	return "(" + e.Left.String() + " " + e.Op + " " + e.Right.String() + ")"
}
func (e *Like) String() string { return "(" + e.Expr.String() + " LIKE " + e.Pattern.String() + ")" }
func (e *Between) String() string {
	return "(" + e.Expr.String() + " BETWEEN " + e.Low.String() + " AND " + e.High.String() + ")"
}
func (e *In) String() string     { return "(" + e.Expr.String() + " IN (" + join(e.List, ", ") + "))" }
func (e *IsNull) String() string { return "(" + e.Expr.String() + " IS NULL)" }
func (e *Spatial) String() string {
	if e.Distance != nil {
		return e.Op + "(" + e.Left.String() + ", " + e.Right.String() + ", " + e.Distance.String() + ")"
	}
	return e.Op + "(" + e.Left.String() + ", " + e.Right.String() + ")"
}
func (e *Property) String() string { return `"` + strings.ReplaceAll(e.Name, `"`, `""`) + `"` }
func (e *String) String() string   { return "'" + strings.ReplaceAll(e.Value, "'", "''") + "'" }
func (e *Number) String() string   { return strconv.FormatFloat(e.Value, 'g', -1, 64) }
func (e *Bool) String() string {
	if e.Value {
		return "TRUE"
	}
	return "FALSE"
}
func (e *Timestamp) String() string {
	return "TIMESTAMP('" + e.Value.UTC().Format(time.RFC3339Nano) + "')"
}
func (e *Date) String() string { return "DATE('" + e.Value.Format(time.DateOnly) + "')" }
func (e *Geometry) String() string {
	if b, ok := e.Geom.(orb.Bound); ok {
		return "BBOX(" + join([]Expr{&Number{Value: b.Min[0]}, &Number{Value: b.Min[1]}, &Number{Value: b.Max[0]}, &Number{Value: b.Max[1]}}, ", ") + ")"
	}
	return WKT(e.Geom)
}
func (e *CaseI) String() string { return "CASEI(" + e.Arg.String() + ")" }
func (e *Arith) String() string {
	return "(" + e.Left.String() + " " + e.Op + " " + e.Right.String() + ")"
}

// WKT writes g as well-known text with the shortest exact form of each coordinate (a BBOX
// as its POLYGON).
func WKT(g orb.Geometry) string { return wkt.MarshalString(g) }
