package cql2

import (
	"slices"
	"strings"
)

// Type is the type of a queryable, as /queryables publishes it.
type Type string

// Queryable types.
const (
	TypeString    Type = "string"
	TypeNumber    Type = "number"
	TypeInteger   Type = "integer"
	TypeBoolean   Type = "boolean"
	TypeDate      Type = "date"
	TypeTimestamp Type = "timestamp"
	TypeGeometry  Type = "geometry"
)

// Queryable describes one filterable property (可查询属性). Enum, when set, lists the only
// values a string property takes; comparing it for equality with another value is an error.
type Queryable struct {
	Type Type
	Enum []string
}

// Queryables is the allow-list of a collection's filterable properties for one viewer: a
// property a viewer may not see is simply absent, so filtering on it is an unknown property.
type Queryables map[string]Queryable

// class groups types that compare with each other.
type class int

const (
	cString class = iota + 1
	cNumber
	cBool
	cTemporal
	cGeometry
)

var className = map[class]string{cString: "a string", cNumber: "a number", cBool: "a boolean", cTemporal: "a date/time", cGeometry: "a geometry"}

func classOf(t Type) class {
	switch t {
	case TypeNumber, TypeInteger:
		return cNumber
	case TypeBoolean:
		return cBool
	case TypeDate, TypeTimestamp:
		return cTemporal
	case TypeGeometry:
		return cGeometry
	}
	return cString
}

// Check verifies e against q: every property is a queryable, every operator gets operands
// of types it accepts, both sides of a comparison have the same type, and a string
// compared for equality with an enum property is one of its values. Errors are
// *UnknownPropertyError or *TypeError.
//
// For GDAL 3.6, which writes dates as strings ('2024-05-01T'), Check replaces a character
// literal compared with a date or timestamp property by the DATE or TIMESTAMP it spells, in
// place. Call Check before compiling a filter.
func (q Queryables) Check(e Expr) error {
	return q.predicate(e)
}

func (q Queryables) predicate(e Expr) error {
	switch e := e.(type) {
	case *And:
		return q.all(e.Args)
	case *Or:
		return q.all(e.Args)
	case *Not:
		return q.predicate(e.Arg)
	case *Bool:
		return nil
	case *Property:
		c, err := q.class(e)
		if err == nil && c != cBool {
			err = &TypeError{Pos: e.Pos(), Path: pathOf(e), Msg: "property " + e.String() + " is " + className[c] + ", not a boolean"}
		}
		return err
	case *Compare:
		q.coerce(&e.Left, e.Right)
		q.coerce(&e.Right, e.Left)
		c, err := q.same(e, e.Left, e.Right)
		if err != nil {
			return err
		}
		if c == cGeometry {
			return &TypeError{Pos: e.Pos(), Path: pathOf(e), Msg: "geometries do not compare with " + e.Op + "; use S_INTERSECTS"}
		}
		if c == cBool && e.Op != "=" && e.Op != "<>" {
			return &TypeError{Pos: e.Pos(), Path: pathOf(e), Msg: "booleans compare only with = and <>"}
		}
		if err := q.enum(e.Left, e.Right); err != nil {
			return err
		}
		return q.enum(e.Right, e.Left)
	case *Like:
		if err := q.want(e.Expr, cString, "LIKE"); err != nil {
			return err
		}
		return q.want(e.Pattern, cString, "LIKE")
	case *Between:
		q.coerce(&e.Low, e.Expr)
		q.coerce(&e.High, e.Expr)
		c, err := q.same(e, e.Expr, e.Low, e.High)
		if err != nil {
			return err
		}
		if c != cNumber && c != cTemporal {
			return &TypeError{Pos: e.Pos(), Path: pathOf(e), Msg: "BETWEEN takes numbers or dates, not " + className[c]}
		}
		return nil
	case *In:
		args := []Expr{e.Expr}
		for i := range e.List {
			q.coerce(&e.List[i], e.Expr)
			args = append(args, e.List[i])
		}
		c, err := q.same(e, args...)
		if err != nil {
			return err
		}
		if c == cGeometry {
			return &TypeError{Pos: e.Pos(), Path: pathOf(e), Msg: "IN does not take geometries"}
		}
		for _, v := range e.List {
			if err := q.enum(e.Expr, v); err != nil {
				return err
			}
		}
		return nil
	case *IsNull:
		_, err := q.class(e.Expr)
		return err
	case *Spatial:
		if err := q.want(e.Left, cGeometry, e.Op); err != nil {
			return err
		}
		return q.want(e.Right, cGeometry, e.Op)
	}
	return &TypeError{Pos: e.Pos(), Path: pathOf(e), Msg: "expected a predicate, not " + short(e.String())}
}

func (q Queryables) all(args []Expr) error {
	for _, a := range args {
		if err := q.predicate(a); err != nil {
			return err
		}
	}
	return nil
}

// class returns the type class of a value, checking inside it.
func (q Queryables) class(e Expr) (class, error) {
	switch e := e.(type) {
	case *Property:
		qa, ok := q[e.Name]
		if !ok {
			return 0, &UnknownPropertyError{Name: e.Name, Pos: e.Pos(), Path: pathOf(e)}
		}
		return classOf(qa.Type), nil
	case *String:
		return cString, nil
	case *Number:
		return cNumber, nil
	case *Bool:
		return cBool, nil
	case *Timestamp, *Date:
		return cTemporal, nil
	case *Geometry:
		return cGeometry, nil
	case *CaseI:
		return cString, q.want(e.Arg, cString, "CASEI")
	case *Arith:
		if err := q.want(e.Left, cNumber, e.Op); err != nil {
			return 0, err
		}
		return cNumber, q.want(e.Right, cNumber, e.Op)
	}
	return 0, &TypeError{Pos: e.Pos(), Path: pathOf(e), Msg: "expected a value, not the predicate " + short(e.String())}
}

func (q Queryables) want(e Expr, c class, op string) error {
	got, err := q.class(e)
	if err != nil {
		return err
	}
	if got != c {
		return &TypeError{Pos: e.Pos(), Path: pathOf(e), Msg: op + " takes " + className[c] + ", but " + short(e.String()) + " is " + className[got]}
	}
	return nil
}

// same checks that all values have one class and returns it.
func (q Queryables) same(at Expr, vals ...Expr) (class, error) {
	first, err := q.class(vals[0])
	if err != nil {
		return 0, err
	}
	for _, v := range vals[1:] {
		c, err := q.class(v)
		if err != nil {
			return 0, err
		}
		if c != first {
			return 0, &TypeError{Pos: v.Pos(), Path: pathOf(v), Msg: "cannot compare " + short(vals[0].String()) + " (" + className[first] + ") with " + short(v.String()) + " (" + className[c] + ")"}
		}
	}
	return first, nil
}

// coerce turns *lit into a DATE or TIMESTAMP when it is a string that spells one and other
// is a date or timestamp property.
func (q Queryables) coerce(lit *Expr, other Expr) {
	s, ok := (*lit).(*String)
	if !ok {
		return
	}
	p, ok := other.(*Property)
	if !ok {
		return
	}
	if qa, ok := q[p.Name]; ok && classOf(qa.Type) == cTemporal {
		if t, ok := looseTemporal(s); ok {
			*lit = t
		}
	}
}

// enum checks that a string literal compared with an enum property is one of its values.
func (q Queryables) enum(prop, val Expr) error {
	p, ok := prop.(*Property)
	if !ok {
		return nil
	}
	s, ok := val.(*String)
	if !ok {
		return nil
	}
	qa := q[p.Name]
	if len(qa.Enum) == 0 || slices.Contains(qa.Enum, s.Value) {
		return nil
	}
	return &TypeError{Pos: s.Pos(), Path: pathOf(s), Msg: s.String() + " is not a value of " + p.String() + " (one of " + strings.Join(qa.Enum, ", ") + ")"}
}
