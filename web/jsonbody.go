package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/landinv/landinv/inventory"
)

// readJSONBody is the one reader of a JSON request body: every route that takes one (features,
// enterprises, figures, the evaluation scheme and objections, enquiries, sign-in) decodes it
// here into v, so that each refuses the same bad bodies with the same problems, changing
// nothing:
//
//   - more than max bytes: 413 naming "body" (code too_large);
//   - nesting deeper than inventory.MaxJSONDepth, or a string or key that is not UTF-8 or
//     holds a NUL: refused by inventory.CheckJSON before decoding, naming the place (e.g.
//     properties.name, note; code too_deep or bad_text);
//   - a member of the wrong JSON type: named, with the type wanted (code wrong_type);
//   - a member v does not have: named (code unknown_property);
//   - anything else that is not one JSON value: "body" (code bad_json).
//
// Numbers are kept exact (json.Number) where v takes any value.
func readJSONBody(w http.ResponseWriter, r *http.Request, max int64, v any) error {
	b, err := readBody(w, r, max)
	if err != nil {
		return err
	}
	return decodeJSONBody(b, v)
}

// readBody reads a request's body whole, at most max bytes (413 naming "body" beyond).
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, inventory.Errorf(inventory.ETooLarge, "body", "is larger than %d bytes", max).With(inventory.CodeTooLarge, map[string]any{"max": max})
		}
		return nil, inventory.Errorf(inventory.EInvalid, "body", "could not be read: %v", err).With(inventory.CodeBadJSON, nil)
	}
	return b, nil
}

// decodeJSONBody decodes a body read by readBody into v, as readJSONBody says.
func decodeJSONBody(b []byte, v any) error {
	if err := inventory.CheckJSON(b, inventory.MaxJSONDepth); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) && ute.Field != "" {
			return inventory.Errorf(inventory.EInvalid, jsonMember(ute.Field), "has the wrong JSON type: want %s", jsonKind(ute.Type)).With(inventory.CodeWrongType, nil)
		}
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return inventory.Errorf(inventory.EInvalid, strings.Trim(name, `"`), "is not a member here").With(inventory.CodeUnknownProperty, nil)
		}
		return inventory.Errorf(inventory.EInvalid, "body", "is not the JSON object expected: %v", err).With(inventory.CodeBadJSON, nil)
	}
	if dec.More() {
		return inventory.Errorf(inventory.EInvalid, "body", "holds more than one JSON value").With(inventory.CodeBadJSON, nil)
	}
	return nil
}

// readJSON is readJSONBody for the bodies that may be as large as a feature (MaxFeatureBytes).
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	return readJSONBody(w, r, MaxFeatureBytes, v)
}

// jsonMember is the member a decoding error's field path names, without the Go names of
// embedded structs (a path such as "NewEnquiry.area_mu" names area_mu): JSON members here are
// lower case, Go type names are not.
func jsonMember(path string) string {
	parts := strings.Split(path, ".")
	for len(parts) > 1 && parts[0] != "" && parts[0][0] >= 'A' && parts[0][0] <= 'Z' {
		parts = parts[1:]
	}
	return strings.Join(parts, ".")
}

// jsonKind says in words which JSON type a Go type takes.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "another type"
}
