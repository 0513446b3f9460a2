package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Text rules, one place for every entry: query parameters and path segments (web), JSON
// bodies (web, before decoding), properties and change notes (CheckChange, which every writer
// runs, imports included). PostgreSQL stores UTF-8 text without NUL; text that is not is bad
// input, refused naming the field, never passed on to fail as a 500.

// MaxJSONDepth is how deeply a feature's JSON may nest: a Feature (1) holding a MultiPolygon's
// coordinates (4 more) or a property such as tenants (an array of objects) needs far less.
const MaxJSONDepth = 32

// CheckText refuses text holding a NUL character or bytes that are not UTF-8, naming field.
func CheckText(field, s string) error {
	if !utf8.ValidString(s) {
		return Errorf(EInvalid, field, "is not valid UTF-8 text (byte %d)", firstInvalidUTF8([]byte(s))).With(CodeBadText, nil)
	}
	if i := strings.IndexByte(s, 0); i >= 0 {
		return Errorf(EInvalid, field, "holds a NUL character (byte %d); text may not contain one", i).With(CodeBadText, nil)
	}
	return nil
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// checkValueText walks a property's value (text, numbers, arrays and objects of them):
// every string and key must pass CheckText, and arrays and objects may nest at most depth
// levels. name is the property's name; a nested element is named by its path
// (tenants[0].name).
func checkValueText(name string, v any, depth int) error {
	return walkValueText(name, name, v, depth)
}

// walkValueText is checkValueText at the path name inside the property root (named by a
// nesting error: the path would be as long as the nesting).
func walkValueText(root, name string, v any, depth int) error {
	switch x := v.(type) {
	case string:
		return CheckText(name, x)
	case []any:
		if depth <= 0 {
			return Errorf(EInvalid, root, "nests too deeply (more than %d levels)", MaxJSONDepth).With(CodeTooDeep, nil)
		}
		for i, e := range x {
			if err := walkValueText(root, name+"["+strconv.Itoa(i)+"]", e, depth-1); err != nil {
				return err
			}
		}
	case map[string]any:
		if depth <= 0 {
			return Errorf(EInvalid, root, "nests too deeply (more than %d levels)", MaxJSONDepth).With(CodeTooDeep, nil)
		}
		for k, e := range x {
			if err := CheckText(name+" (a key)", k); err != nil {
				return err
			}
			if err := walkValueText(root, name+"."+k, e, depth-1); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckJSON scans a JSON text before it is decoded: it refuses, naming the place (a path such
// as properties.name, or "body" when the text is not JSON at all), a string or key that is not
// UTF-8 or holds a NUL (encoding/json would silently turn bad bytes into U+FFFD), and nesting
// deeper than maxDepth. It does not recurse, so any depth is scanned safely; it stops at the
// first fault. Syntax errors are left to the decoder that follows (nil here).
func CheckJSON(b []byte, maxDepth int) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	// path holds one entry per open array or object: the key or index of its current member.
	type level struct {
		key   string
		index int
		obj   bool
		// wantKey says the next string token of an object is a key.
		wantKey bool
	}
	var stack []level
	where := func() string {
		var sb strings.Builder
		for i, l := range stack {
			switch {
			case l.obj && l.key != "":
				if i > 0 && sb.Len() > 0 {
					sb.WriteByte('.')
				}
				sb.WriteString(l.key)
			case !l.obj:
				fmt.Fprintf(&sb, "[%d]", l.index)
			}
		}
		if sb.Len() == 0 {
			return "body"
		}
		return sb.String()
	}
	// member marks that a value of the innermost container ended.
	member := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].obj {
				stack[n-1].wantKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return nil // the decoder that follows names the syntax error
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if len(stack) >= maxDepth {
					return Errorf(EInvalid, "body", "nests deeper than %d levels (at %s); no feature needs that", maxDepth, where()).With(CodeTooDeep, nil)
				}
				stack = append(stack, level{obj: t == '{', wantKey: t == '{'})
			default:
				stack = stack[:len(stack)-1]
				member()
			}
		case string:
			raw := b[start:dec.InputOffset()]
			isKey := len(stack) > 0 && stack[len(stack)-1].obj && stack[len(stack)-1].wantKey
			if isKey {
				stack[len(stack)-1].key = t
				stack[len(stack)-1].wantKey = false
			}
			name := where()
			if isKey {
				name += " (a key)"
			}
			if !utf8.Valid(raw) {
				return Errorf(EInvalid, name, "is not valid UTF-8 text").With(CodeBadText, nil)
			}
			if strings.IndexByte(t, 0) >= 0 {
				return Errorf(EInvalid, name, "holds a NUL character (\\u0000); text may not contain one").With(CodeBadText, nil)
			}
			if !isKey {
				member()
			}
		default:
			member()
		}
	}
}
