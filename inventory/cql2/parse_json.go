package cql2

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// ParseJSON parses a CQL2-JSON filter into the same tree ParseText gives for the equivalent
// text. Nodes carry Pos() == -1 and a JSON Pointer; errors name that pointer ("at
// /args/1/args/0"), except JSON syntax errors, which give the byte offset.
func ParseJSON(src []byte) (Expr, error) {
	if err := checkText(string(src), 0, ""); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonSyntax(err, dec, len(src))
	}
	off := int(dec.InputOffset())
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		off += len(src[off:]) - len(bytes.TrimLeft(src[off:], " \t\r\n"))
		return nil, &SyntaxError{Pos: off, Expected: "end of input after the JSON value", Found: "more data"}
	}
	j := &jparser{}
	e, err := j.expr(v, "")
	if err != nil {
		return nil, err
	}
	if err := wantPredicate(e); err != nil {
		return nil, err
	}
	return e, nil
}

func jsonSyntax(err error, dec *json.Decoder, n int) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &SyntaxError{Pos: int(se.Offset), Msg: "invalid JSON: " + se.Error()}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &SyntaxError{Pos: n, Expected: "a JSON value", Found: "end of input"}
	}
	return &SyntaxError{Pos: int(dec.InputOffset()), Msg: "invalid JSON: " + err.Error()}
}

type jparser struct{ depth int }

func jat(path string) At { return At{Offset: -1, Path: path} }

func (j *jparser) expr(v any, path string) (Expr, error) {
	j.depth++
	defer func() { j.depth-- }()
	if j.depth > MaxDepth {
		return nil, &SyntaxError{Pos: -1, Path: path, Msg: fmt.Sprintf("filter nests deeper than %d levels", MaxDepth)}
	}
	at := jat(path)
	switch v := v.(type) {
	case string:
		if err := checkText(v, 0, path); err != nil {
			return nil, err
		}
		return &String{At: at, Value: v}, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || math.IsInf(f, 0) {
			return nil, &SyntaxError{Pos: -1, Path: path, Msg: "number out of range", Found: short(string(v))}
		}
		return &Number{At: at, Value: f}, nil
	case bool:
		return &Bool{At: at, Value: v}, nil
	case nil:
		return nil, &SyntaxError{Pos: -1, Path: path, Expected: "a value", Found: "null (use isNull)"}
	case []any:
		return nil, &SyntaxError{Pos: -1, Path: path, Expected: "a value", Found: "an array (arrays are only the list of 'in')"}
	case map[string]any:
		return j.object(v, path)
	}
	return nil, &SyntaxError{Pos: -1, Path: path, Expected: "a value"}
}

func (j *jparser) object(m map[string]any, path string) (Expr, error) {
	at := jat(path)
	str := func(key string) (string, error) {
		s, ok := m[key].(string)
		if !ok {
			return "", &SyntaxError{Pos: -1, Path: path + "/" + key, Expected: "a string"}
		}
		if err := checkText(s, 0, path+"/"+key); err != nil {
			return "", err
		}
		if len(m) != 1 {
			return "", &SyntaxError{Pos: -1, Path: path, Expected: "an object with only the member " + strconv.Quote(key)}
		}
		return s, nil
	}
	switch {
	case m["op"] != nil:
		return j.op(m, path)
	case m["property"] != nil:
		name, err := str("property")
		if err != nil {
			return nil, err
		}
		if name == "" {
			return nil, &SyntaxError{Pos: -1, Path: path + "/property", Expected: "a property name", Found: `""`}
		}
		return &Property{At: at, Name: name}, nil
	case m["timestamp"] != nil || m["date"] != nil:
		key, kind := "timestamp", "TIMESTAMP"
		if m["date"] != nil {
			key, kind = "date", "DATE"
		}
		s, err := str(key)
		if err != nil {
			return nil, err
		}
		return temporal(kind, s, jat(path+"/"+key), at)
	case m["bbox"] != nil:
		arr, ok := m["bbox"].([]any)
		if !ok {
			return nil, &SyntaxError{Pos: -1, Path: path + "/bbox", Expected: "an array of 4 numbers"}
		}
		v := make([]float64, len(arr))
		for i, x := range arr {
			n, ok := x.(json.Number)
			f, err := strconv.ParseFloat(string(n), 64)
			if !ok || err != nil {
				return nil, &SyntaxError{Pos: -1, Path: fmt.Sprintf("%s/bbox/%d", path, i), Expected: "a number"}
			}
			v[i] = f
		}
		return bboxNode(v, at)
	case m["interval"] != nil:
		return nil, &UnsupportedError{What: "an interval literal", Pos: -1, Path: path}
	case m["type"] != nil:
		return geoJSON(m, at)
	}
	return nil, &SyntaxError{Pos: -1, Path: path, Expected: `an object with "op", "property", "timestamp", "date", "bbox" or a GeoJSON geometry`}
}

func geoJSON(m map[string]any, at At) (Expr, error) {
	t, _ := m["type"].(string)
	switch t {
	case "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon":
	case "GeometryCollection":
		return nil, &UnsupportedError{What: "a GeometryCollection literal", Pos: -1, Path: at.Path}
	default:
		return nil, &SyntaxError{Pos: -1, Path: at.Path + "/type", Expected: "a GeoJSON geometry type (Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon)", Found: short(fmt.Sprint(m["type"]))}
	}
	g, ok := coordinates(t, m["coordinates"])
	if !ok {
		return nil, &SyntaxError{Pos: -1, Path: at.Path + "/coordinates", Expected: "GeoJSON " + t + " coordinates of 2 numbers each"}
	}
	if err := checkGeometry(g, at); err != nil {
		return nil, err
	}
	return &Geometry{At: at, Geom: g}, nil
}

func (j *jparser) op(m map[string]any, path string) (Expr, error) {
	at := jat(path)
	name, ok := m["op"].(string)
	if !ok {
		return nil, &SyntaxError{Pos: -1, Path: path + "/op", Expected: "an operator name"}
	}
	raw, ok := m["args"].([]any)
	if !ok {
		return nil, &SyntaxError{Pos: -1, Path: path + "/args", Expected: "an array of arguments"}
	}
	if len(m) != 2 {
		return nil, &SyntaxError{Pos: -1, Path: path, Expected: `an object with only "op" and "args"`}
	}
	op := strings.ToLower(name)
	arity := map[string]int{"not": 1, "isnull": 1, "like": 2, "between": 3, "in": 2,
		"=": 2, "<>": 2, "<": 2, ">": 2, "<=": 2, ">=": 2, "+": 2, "-": 2, "*": 2, "/": 2}
	if n, ok := arity[op]; ok && len(raw) != n {
		return nil, &SyntaxError{Pos: -1, Path: path + "/args", Expected: fmt.Sprintf("%d argument(s) to %s", n, name), Found: strconv.Itoa(len(raw))}
	}
	if (op == "and" || op == "or") && len(raw) < 2 {
		return nil, &SyntaxError{Pos: -1, Path: path + "/args", Expected: "at least 2 arguments to " + name, Found: strconv.Itoa(len(raw))}
	}
	if op == "accenti" {
		return nil, &UnsupportedError{What: "ACCENTI (accent-insensitive comparison)", Pos: -1, Path: path}
	}
	var args []Expr
	for i, a := range raw {
		p := path + "/args/" + strconv.Itoa(i)
		if op == "in" && i == 1 {
			break // the list, below
		}
		e, err := j.expr(a, p)
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	switch op {
	case "and", "or":
		for _, a := range args {
			if err := wantPredicate(a); err != nil {
				return nil, err
			}
		}
		if op == "and" {
			return &And{At: at, Args: args}, nil
		}
		return &Or{At: at, Args: args}, nil
	case "not":
		if err := wantPredicate(args[0]); err != nil {
			return nil, err
		}
		return &Not{At: at, Arg: args[0]}, nil
	}
	for _, a := range args {
		if err := wantValue(a); err != nil {
			return nil, err
		}
	}
	switch op {
	case "=", "<>", "<", ">", "<=", ">=":
		return &Compare{At: at, Op: op, Left: args[0], Right: args[1]}, nil
	case "+", "-", "*", "/":
		return &Arith{At: at, Op: op, Left: args[0], Right: args[1]}, nil
	case "like":
		if err := checkPattern(args[1]); err != nil {
			return nil, err
		}
		return &Like{At: at, Expr: args[0], Pattern: args[1]}, nil
	case "between":
		return &Between{At: at, Expr: args[0], Low: args[1], High: args[2]}, nil
	case "isnull":
		return &IsNull{At: at, Expr: args[0]}, nil
	case "in":
		list, ok := raw[1].([]any)
		if !ok || len(list) == 0 {
			return nil, &SyntaxError{Pos: -1, Path: path + "/args/1", Expected: "a non-empty array of values"}
		}
		in := &In{At: at, Expr: args[0]}
		for i, x := range list {
			e, err := j.expr(x, path+"/args/1/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			if err := wantValue(e); err != nil {
				return nil, err
			}
			in.List = append(in.List, e)
		}
		return in, nil
	case "casei", "s_intersects", "s_dwithin":
		return function(strings.ToUpper(op), at, args)
	}
	return nil, unsupportedFunction(strings.ToUpper(op), -1, path+"/op")
}

// coordinates reads the coordinates member of a GeoJSON geometry of type t. orb/geojson is
// not used: it pulls in a BSON module the project does not otherwise need.
func coordinates(t string, v any) (orb.Geometry, bool) {
	point := func(v any) (orb.Point, bool) {
		a, ok := v.([]any)
		if !ok || len(a) != 2 {
			return orb.Point{}, false
		}
		var p orb.Point
		for i := range 2 {
			n, ok := a[i].(json.Number)
			f, err := strconv.ParseFloat(string(n), 64)
			if !ok || err != nil {
				return orb.Point{}, false
			}
			p[i] = f
		}
		return p, true
	}
	points := func(v any) ([]orb.Point, bool) {
		a, ok := v.([]any)
		if !ok {
			return nil, false
		}
		pts := make([]orb.Point, 0, len(a))
		for _, x := range a {
			p, ok := point(x)
			if !ok {
				return nil, false
			}
			pts = append(pts, p)
		}
		return pts, true
	}
	polygon := func(v any) (orb.Polygon, bool) {
		a, ok := v.([]any)
		if !ok {
			return nil, false
		}
		var pg orb.Polygon
		for _, x := range a {
			r, ok := points(x)
			if !ok {
				return nil, false
			}
			pg = append(pg, orb.Ring(r))
		}
		return pg, true
	}
	switch t {
	case "Point":
		return point(v)
	case "MultiPoint":
		p, ok := points(v)
		return orb.MultiPoint(p), ok
	case "LineString":
		p, ok := points(v)
		return orb.LineString(p), ok
	}
	a, ok := v.([]any)
	if !ok {
		return nil, false
	}
	switch t {
	case "MultiLineString":
		var ml orb.MultiLineString
		for _, x := range a {
			p, ok := points(x)
			if !ok {
				return nil, false
			}
			ml = append(ml, p)
		}
		return ml, true
	case "Polygon":
		return polygon(v)
	case "MultiPolygon":
		var mp orb.MultiPolygon
		for _, x := range a {
			pg, ok := polygon(x)
			if !ok {
				return nil, false
			}
			mp = append(mp, pg)
		}
		return mp, true
	}
	return nil, false
}
