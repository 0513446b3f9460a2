package cql2

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseText: the parser never panics, never recurses without bound, returns only typed
// errors with a position inside the input, and what it accepts prints as text that parses
// back to the same canonical text.
func FuzzParseText(f *testing.F) {
	for _, c := range equivalents {
		f.Add(c.text)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, legacy := range []bool{false, true} {
			e, err := parseText(src, legacy)
			if err != nil {
				var se *SyntaxError
				var ue *UnsupportedError
				var te *TypeError
				pos := -1
				switch {
				case errors.As(err, &se):
					pos = se.Pos
				case errors.As(err, &ue):
					pos = ue.Pos
				case errors.As(err, &te):
					pos = te.Pos
				default:
					t.Fatalf("%q: untyped error %T %v", src, err, err)
				}
				if pos < 0 || pos > len(src) {
					t.Fatalf("%q: error position %d outside the input: %v", src, pos, err)
				}
				continue
			}
			canon := e.String()
			again, err := ParseText(canon)
			var se *SyntaxError
			if errors.As(err, &se) && se.Expected == "" && strings.HasPrefix(se.Msg, "filter nests deeper") {
				continue // the canonical text adds parentheses, so it may nest deeper
			}
			if err != nil {
				t.Fatalf("%q gives %q, which does not parse: %v", src, canon, err)
			}
			if again.String() != canon {
				t.Fatalf("%q gives %q, which prints as %q", src, canon, again.String())
			}
			_ = testQueryables.Check(e) // must not panic either
		}
	})
}
