package cql2

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// temporal builds a TIMESTAMP or DATE literal from its quoted text. strAt locates the text
// (for the error), at the whole literal.
func temporal(kind, s string, strAt, at At) (Expr, error) {
	if kind == "DATE" {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return nil, &SyntaxError{Pos: strAt.Offset, Path: strAt.Path, Expected: "a date such as '2024-05-01'", Found: quoteShort(s)}
		}
		return &Date{At: at, Value: d}, nil
	}
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, &SyntaxError{Pos: strAt.Offset, Path: strAt.Path, Expected: "an RFC 3339 timestamp such as '2024-05-01T08:00:00Z'", Found: quoteShort(s)}
	}
	return &Timestamp{At: at, Value: ts.UTC()}, nil
}

// looseTemporal reads a character literal compared with a date or timestamp property, the
// way GDAL 3.6 writes them: '2024-05-01', '2024-05-01T' (sic), '2024-05-01T08:00:00Z', or a
// timestamp without zone (taken as UTC).
func looseTemporal(s *String) (Expr, bool) {
	v := strings.TrimSuffix(s.Value, "T")
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		return &Date{At: s.At, Value: d}, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
		if ts, err := time.Parse(layout, s.Value); err == nil {
			return &Timestamp{At: s.At, Value: ts.UTC()}, true
		}
	}
	return nil, false
}

// checkGeometry refuses geometries PostGIS would reject (non-closed or short rings, lines
// of one point, empty parts) and non-finite coordinates, so that a bad literal is a 400 and
// never a database error.
func checkGeometry(g orb.Geometry, at At) error {
	bad := func(msg string) error { return &TypeError{Pos: at.Offset, Path: at.Path, Msg: msg} }
	finite := func(pts []orb.Point) error {
		for _, p := range pts {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
				return bad("geometry coordinates must be finite numbers")
			}
		}
		return nil
	}
	line := func(ls orb.LineString) error {
		if len(ls) < 2 {
			return bad("a line needs at least 2 points")
		}
		return finite(ls)
	}
	poly := func(pg orb.Polygon) error {
		if len(pg) == 0 {
			return bad("a polygon needs at least one ring")
		}
		for _, r := range pg {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				return bad("a polygon ring needs at least 4 points and must end where it starts")
			}
			if err := finite(r); err != nil {
				return err
			}
		}
		return nil
	}
	switch g := g.(type) {
	case orb.Point:
		return finite([]orb.Point{g})
	case orb.MultiPoint:
		if len(g) == 0 {
			return bad("an empty geometry is not supported")
		}
		return finite(g)
	case orb.LineString:
		return line(g)
	case orb.MultiLineString:
		if len(g) == 0 {
			return bad("an empty geometry is not supported")
		}
		for _, ls := range g {
			if err := line(ls); err != nil {
				return err
			}
		}
		return nil
	case orb.Polygon:
		return poly(g)
	case orb.MultiPolygon:
		if len(g) == 0 {
			return bad("an empty geometry is not supported")
		}
		for _, pg := range g {
			if err := poly(pg); err != nil {
				return err
			}
		}
		return nil
	case orb.Bound:
		if err := finite([]orb.Point{g.Min, g.Max}); err != nil {
			return err
		}
		if g.Min[0] > g.Max[0] || g.Min[1] > g.Max[1] {
			return bad("a BBOX is (min x, min y, max x, max y) with min <= max; one crossing the antimeridian is not supported")
		}
		return nil
	}
	return &UnsupportedError{What: "this geometry type", Pos: at.Offset, Path: at.Path}
}

// geometry parses a WKT literal whose type word (POINT, ...) is name.
func (p *parser) geometry(name token, up string) (Expr, error) {
	at := At{Offset: name.pos}
	if t := p.peek(); t.kind == tIdent {
		switch strings.ToUpper(t.text) {
		case "Z", "M", "ZM":
			return nil, &UnsupportedError{What: "a geometry with Z or M coordinates", Pos: t.pos}
		case "EMPTY":
			return nil, &UnsupportedError{What: "an empty geometry", Pos: t.pos}
		}
		return nil, &SyntaxError{Pos: t.pos, Expected: "'('", Found: t.describe()}
	}
	var g orb.Geometry
	var err error
	switch up {
	case "POINT":
		var pt orb.Point
		if err = p.open(); err == nil {
			if pt, err = p.coord(); err == nil {
				err = p.close()
			}
		}
		g = pt
	case "LINESTRING":
		var ls []orb.Point
		ls, err = p.coords()
		g = orb.LineString(ls)
	case "POLYGON":
		g, err = p.polygon()
	case "MULTIPOINT":
		var mp orb.MultiPoint
		err = p.list(func() error {
			var pt orb.Point
			var err error
			if isPunct(p.peek(), "(") { // MULTIPOINT((1 2), (3 4)) or MULTIPOINT(1 2, 3 4)
				p.next()
				if pt, err = p.coord(); err == nil {
					err = p.close()
				}
			} else {
				pt, err = p.coord()
			}
			mp = append(mp, pt)
			return err
		})
		g = mp
	case "MULTILINESTRING":
		var ml orb.MultiLineString
		err = p.list(func() error {
			ls, err := p.coords()
			ml = append(ml, ls)
			return err
		})
		g = ml
	case "MULTIPOLYGON":
		var mp orb.MultiPolygon
		err = p.list(func() error {
			pg, err := p.polygon()
			mp = append(mp, pg)
			return err
		})
		g = mp
	}
	if err != nil {
		return nil, err
	}
	if err := checkGeometry(g, at); err != nil {
		return nil, err
	}
	return &Geometry{At: at, Geom: g}, nil
}

// bbox parses BBOX(minx, miny, maxx, maxy).
func (p *parser) bbox(name token) (Expr, error) {
	at := At{Offset: name.pos}
	p.next() // (
	var v []float64
	for {
		n, err := p.signed()
		if err != nil {
			return nil, err
		}
		v = append(v, n)
		c := p.next()
		if isPunct(c, ")") {
			break
		}
		if !isPunct(c, ",") || len(v) == 6 {
			return nil, &SyntaxError{Pos: c.pos, Expected: "',' or ')'", Found: c.describe()}
		}
	}
	return bboxNode(v, at)
}

func bboxNode(v []float64, at At) (Expr, error) {
	switch len(v) {
	case 4:
	case 6:
		return nil, &UnsupportedError{What: "a 3D BBOX", Pos: at.Offset, Path: at.Path}
	default:
		return nil, &SyntaxError{Pos: at.Offset, Path: at.Path, Expected: "4 numbers in BBOX", Found: strconv.Itoa(len(v))}
	}
	b := orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}
	if err := checkGeometry(b, at); err != nil {
		return nil, err
	}
	return &Geometry{At: at, Geom: b}, nil
}

func (p *parser) open() error  { _, err := p.expectPunct("("); return err }
func (p *parser) close() error { _, err := p.expectPunct(")"); return err }

// list parses ( item {, item} ).
func (p *parser) list(item func() error) error {
	if err := p.open(); err != nil {
		return err
	}
	for {
		if err := item(); err != nil {
			return err
		}
		c := p.next()
		if isPunct(c, ")") {
			return nil
		}
		if !isPunct(c, ",") {
			return &SyntaxError{Pos: c.pos, Expected: "',' or ')'", Found: c.describe()}
		}
	}
}

func (p *parser) coords() ([]orb.Point, error) {
	var pts []orb.Point
	err := p.list(func() error {
		pt, err := p.coord()
		pts = append(pts, pt)
		return err
	})
	return pts, err
}

func (p *parser) polygon() (orb.Polygon, error) {
	var pg orb.Polygon
	err := p.list(func() error {
		r, err := p.coords()
		pg = append(pg, orb.Ring(r))
		return err
	})
	return pg, err
}

// coord parses "x y"; a third number is a Z coordinate, refused.
func (p *parser) coord() (orb.Point, error) {
	x, err := p.signed()
	if err != nil {
		return orb.Point{}, err
	}
	y, err := p.signed()
	if err != nil {
		return orb.Point{}, err
	}
	if t := p.peek(); t.kind == tNumber || isPunct(t, "-") {
		return orb.Point{}, &UnsupportedError{What: "a Z or M coordinate", Pos: t.pos}
	}
	return orb.Point{x, y}, nil
}

// signed parses a number with an optional sign.
func (p *parser) signed() (float64, error) {
	t := p.next()
	sign := 1.0
	if isPunct(t, "-") || isPunct(t, "+") {
		if t.text == "-" {
			sign = -1
		}
		t = p.next()
	}
	if t.kind != tNumber {
		return 0, &SyntaxError{Pos: t.pos, Expected: "a number", Found: t.describe()}
	}
	n, err := number(t)
	if err != nil {
		return 0, err
	}
	return sign * n.(*Number).Value, nil
}
