package cql2

import (
	"fmt"
	"strconv"
	"strings"
)

// Rules both encodings share: what may stand where, function arity, LIKE patterns.

// checkPattern: a LIKE pattern is a character literal, or CASEI of one, and must not end
// in a lone escape character.
func checkPattern(pat Expr) error {
	inner := pat
	if c, ok := pat.(*CaseI); ok {
		inner = c.Arg
	}
	s, ok := inner.(*String)
	if !ok {
		return &TypeError{Pos: pat.Pos(), Path: pathOf(pat), Msg: "a LIKE pattern must be a character literal (or CASEI of one)"}
	}
	n := 0
	for i := len(s.Value) - 1; i >= 0 && s.Value[i] == '\\'; i-- {
		n++
	}
	if n%2 == 1 {
		return &TypeError{Pos: s.Pos(), Path: pathOf(s), Msg: `a LIKE pattern must not end with a lone escape character \`}
	}
	return nil
}

// function builds a function node from its arguments (shared by both encodings).
func function(up string, at At, args []Expr) (Expr, error) {
	want := map[string]int{"CASEI": 1, SIntersects: 2, SDWithin: 3}[up]
	if len(args) != want {
		return nil, &SyntaxError{Pos: at.Offset, Path: at.Path, Expected: fmt.Sprintf("%d argument(s) to %s", want, up), Found: strconv.Itoa(len(args))}
	}
	switch up {
	case "CASEI":
		return &CaseI{At: at, Arg: args[0]}, nil
	case SIntersects:
		return &Spatial{At: at, Op: SIntersects, Left: args[0], Right: args[1]}, nil
	}
	d, ok := args[2].(*Number)
	if !ok || d.Value < 0 {
		return nil, &TypeError{Pos: args[2].Pos(), Path: pathOf(args[2]), Msg: "the distance of S_DWITHIN must be a number of metres, 0 or more"}
	}
	return &Spatial{At: at, Op: SDWithin, Left: args[0], Right: args[1], Distance: d}, nil
}

func unsupportedFunction(up string, pos int, path string) error {
	switch {
	case strings.HasPrefix(up, "S_"):
		return &UnsupportedError{What: "spatial function " + up + " (use S_INTERSECTS or S_DWITHIN)", Pos: pos, Path: path}
	case strings.HasPrefix(up, "T_"):
		return &UnsupportedError{What: "temporal function " + up, Pos: pos, Path: path}
	case strings.HasPrefix(up, "A_"):
		return &UnsupportedError{What: "array function " + up, Pos: pos, Path: path}
	}
	return &UnsupportedError{What: "function " + short(up), Pos: pos, Path: path}
}

// isPredicate says whether e can stand where CQL2 wants a boolean: a predicate, TRUE/FALSE,
// or a property (whose type Check verifies).
func isPredicate(e Expr) bool {
	switch e.(type) {
	case *And, *Or, *Not, *Compare, *Like, *Between, *In, *IsNull, *Spatial, *Bool, *Property:
		return true
	}
	return false
}

// isValue says whether e can be an operand of a comparison or function.
func isValue(e Expr) bool {
	switch e.(type) {
	case *Property, *String, *Number, *Bool, *Timestamp, *Date, *Geometry, *CaseI, *Arith:
		return true
	}
	return false
}

func wantPredicate(e Expr) error {
	if isPredicate(e) {
		return nil
	}
	return &SyntaxError{Pos: e.Pos(), Path: pathOf(e), Expected: "a predicate", Found: short(e.String())}
}

func wantValue(e Expr) error {
	if isValue(e) {
		return nil
	}
	return &SyntaxError{Pos: e.Pos(), Path: pathOf(e), Expected: "a value", Found: "predicate " + short(e.String())}
}

// pathOf is the JSON Pointer of a node read from CQL2-JSON ("" for CQL2-Text).
func pathOf(e Expr) string {
	type located interface{ loc() At }
	if l, ok := e.(located); ok {
		return l.loc().Path
	}
	return ""
}

func (a At) loc() At { return a }
