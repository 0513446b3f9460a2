// Package shp reads and writes the parts of an ESRI Shapefile that survey data uses: the .shp
// geometry (points, polylines and polygons, with or without Z/M, which are dropped) decoded into
// github.com/twpayne/go-geom geometries, and the .dbf attribute table in UTF-8 or GBK (GB 18030)
// text. It does no geometry work beyond what decoding needs: a polygon shape's rings are grouped
// into polygons as GDAL groups them (rings.go); PostGIS checks and transforms the result.
//
// The readers take untrusted files: every count in a file is checked against the file's length
// before anything is allocated for it, so a hostile file gets an error, never a panic or a huge
// allocation (FuzzSHP, FuzzDBF).
//
// The writers (write.go) exist to make test fixtures (a survey delivered in EPSG:4546 with GBK
// attributes) without GDAL.
package shp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/twpayne/go-geom"
)

// Shape types.
const (
	Null        = 0
	Point       = 1
	PolyLine    = 3
	Polygon     = 5
	MultiPoint  = 8
	PointZ      = 11
	PolyLineZ   = 13
	PolygonZ    = 15
	MultiPointZ = 18
	PointM      = 21
	PolyLineM   = 23
	PolygonM    = 25
)

// Header is a .shp file's header.
type Header struct {
	ShapeType int
	// BBox is xmin, ymin, xmax, ymax.
	BBox [4]float64
}

// File is a decoded .shp: its header and each record's geometry, in 2-D: a *geom.Point, a
// *geom.MultiLineString (polylines) or a *geom.MultiPolygon (polygons); nil for a null shape.
type File struct {
	Header
	Geometries []geom.T
}

// Read decodes a .shp file.
func Read(b []byte) (*File, error) {
	if len(b) < 100 {
		return nil, errors.New("shp: shorter than its 100-byte header")
	}
	if code := binary.BigEndian.Uint32(b[0:4]); code != 9994 {
		return nil, fmt.Errorf("shp: file code %d, want 9994: not a shapefile", code)
	}
	f := &File{}
	f.ShapeType = int(binary.LittleEndian.Uint32(b[32:36]))
	for i := range 4 {
		f.BBox[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[36+8*i:]))
	}
	end := int(binary.BigEndian.Uint32(b[24:28])) * 2
	if end > len(b) || end < 100 {
		end = len(b)
	}
	off := 100
	for n := 1; off+8 <= end; n++ {
		clen := int(binary.BigEndian.Uint32(b[off+4:off+8])) * 2
		off += 8
		if clen < 4 || clen > end-off {
			return nil, fmt.Errorf("shp: record %d: content length %d runs past the end of the file", n, clen)
		}
		g, err := decode(b[off : off+clen])
		if err != nil {
			return nil, fmt.Errorf("shp: record %d: %w", n, err)
		}
		f.Geometries = append(f.Geometries, g)
		off += clen
	}
	return f, nil
}

type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) i32() int {
	if r.err != nil || r.off+4 > len(r.b) {
		r.err = io.ErrUnexpectedEOF
		return 0
	}
	v := int(int32(binary.LittleEndian.Uint32(r.b[r.off:])))
	r.off += 4
	return v
}

func (r *reader) f64() float64 {
	if r.err != nil || r.off+8 > len(r.b) {
		r.err = io.ErrUnexpectedEOF
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b[r.off:]))
	r.off += 8
	return v
}

// decode turns one record's content into a geometry.
func decode(c []byte) (geom.T, error) {
	r := &reader{b: c}
	typ := r.i32()
	switch typ {
	case Null:
		return nil, nil
	case Point, PointZ, PointM:
		x, y := r.f64(), r.f64()
		if r.err != nil {
			return nil, r.err
		}
		return geom.NewPointFlat(geom.XY, []float64{x, y}), nil
	case PolyLine, PolyLineZ, PolyLineM, Polygon, PolygonZ, PolygonM:
	default:
		return nil, fmt.Errorf("shape type %d is not supported (points, polylines and polygons are)", typ)
	}
	for range 4 {
		r.f64() // bbox
	}
	nParts, nPoints := r.i32(), r.i32()
	if r.err != nil {
		return nil, r.err
	}
	// Each part takes 4 bytes and each point 16 of what is left of the record.
	if left := len(c) - r.off; nParts < 0 || nPoints < 0 || nParts > left/4 || nPoints > (left-4*nParts)/16 {
		return nil, fmt.Errorf("%d parts and %d points do not fit in the record", nParts, nPoints)
	}
	starts := make([]int, nParts)
	for i := range starts {
		starts[i] = r.i32()
	}
	flat := make([]float64, 2*nPoints)
	for i := range flat {
		flat[i] = r.f64()
	}
	if r.err != nil {
		return nil, r.err
	}
	// parts[i] is part i's flat XY coordinates; empty parts are left out.
	parts := make([][]float64, 0, nParts)
	for i, s := range starts {
		e := nPoints
		if i+1 < nParts {
			e = starts[i+1]
		}
		if s < 0 || s > e || e > nPoints {
			return nil, fmt.Errorf("part %d has bad bounds %d..%d", i, s, e)
		}
		if s < e {
			parts = append(parts, flat[2*s:2*e])
		}
	}
	if typ == PolyLine || typ == PolyLineZ || typ == PolyLineM {
		coords := make([]float64, 0, len(flat))
		ends := make([]int, len(parts))
		for i, p := range parts {
			coords = append(coords, p...)
			ends[i] = len(coords)
		}
		return geom.NewMultiLineStringFlat(geom.XY, coords, ends), nil
	}
	return polygons(parts), nil
}
