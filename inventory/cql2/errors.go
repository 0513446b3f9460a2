package cql2

import (
	"fmt"

	"github.com/landinv/landinv/inventory"
)

// Every error this package returns is one of the types below. Each also answers
// errors.As(err, **inventory.Error) with an EInvalid error about the parameter "filter"
// (Detail carries "position" or "path", and the type's own facts), so the HTTP layer turns
// it into a 400 problem document without knowing this package.

// SyntaxError says the filter is not CQL2: what the parser expected and where.
type SyntaxError struct {
	Pos      int    // byte offset (from 0) in CQL2-Text; -1 in CQL2-JSON
	Path     string // JSON Pointer of the offending member in CQL2-JSON
	Expected string // e.g. "')'", "a value"; empty when Msg says it all
	Found    string // e.g. "'OR'", "end of input"
	Msg      string // extra explanation, e.g. "nesting deeper than 64"
}

func (e *SyntaxError) Error() string {
	s := e.Msg
	if e.Expected != "" {
		s = "expected " + e.Expected
	}
	s += " " + where(e.Pos, e.Path)
	if e.Found != "" {
		s += ", found " + e.Found
	}
	if e.Expected != "" && e.Msg != "" {
		s += " (" + e.Msg + ")"
	}
	return s
}

// As lets errors.As see a SyntaxError as an *inventory.Error.
func (e *SyntaxError) As(target any) bool {
	d := detail(e.Pos, e.Path)
	if e.Expected != "" {
		d["expected"] = e.Expected
	}
	return asInventory(target, e.Error(), d)
}

// UnknownPropertyError names a property that is not among the queryables (or not visible to
// the viewer: the two are indistinguishable on purpose).
type UnknownPropertyError struct {
	Name string
	Pos  int
	Path string
}

func (e *UnknownPropertyError) Error() string {
	return fmt.Sprintf("unknown property %q %s", e.Name, where(e.Pos, e.Path))
}

// As lets errors.As see an UnknownPropertyError as an *inventory.Error.
func (e *UnknownPropertyError) As(target any) bool {
	d := detail(e.Pos, e.Path)
	d["property"] = e.Name
	return asInventory(target, e.Error(), d)
}

// TypeError says an operand has the wrong type for its operator (a number property compared
// with a string, LIKE on a number, a value outside a property's enum, ...).
type TypeError struct {
	Pos  int
	Path string
	Msg  string
}

func (e *TypeError) Error() string { return e.Msg + " " + where(e.Pos, e.Path) }

// As lets errors.As see a TypeError as an *inventory.Error.
func (e *TypeError) As(target any) bool {
	return asInventory(target, e.Error(), detail(e.Pos, e.Path))
}

// UnsupportedError names a CQL2 feature this package does not implement (ACCENTI, temporal
// and array functions, other spatial functions, custom functions, 3D coordinates).
type UnsupportedError struct {
	What string
	Pos  int
	Path string
}

func (e *UnsupportedError) Error() string {
	return e.What + " is not supported " + where(e.Pos, e.Path)
}

// As lets errors.As see an UnsupportedError as an *inventory.Error.
func (e *UnsupportedError) As(target any) bool {
	return asInventory(target, e.Error(), detail(e.Pos, e.Path))
}

func where(pos int, path string) string {
	if pos < 0 {
		if path == "" {
			path = "/"
		}
		return "at " + path
	}
	return fmt.Sprintf("at position %d", pos)
}

func detail(pos int, path string) map[string]any {
	if pos < 0 {
		return map[string]any{"path": path}
	}
	return map[string]any{"position": pos}
}

func asInventory(target any, reason string, d map[string]any) bool {
	p, ok := target.(**inventory.Error)
	if !ok {
		return false
	}
	*p = &inventory.Error{Kind: inventory.EInvalid, Field: "filter", Reason: reason, Detail: d}
	return true
}
