// Package shp reads and writes the parts of an ESRI Shapefile that survey data uses: the .shp
// geometry (points, polylines and polygons, with or without Z/M, which are dropped) turned into
// WKB, and the .dbf attribute table in UTF-8 or GBK (GB 18030) text. It does no geometry work:
// rings are grouped into polygons by the format's own rule (outer rings clockwise, holes
// counter-clockwise after their outer ring); PostGIS checks and transforms the result.
//
// The writer exists to make test fixtures (a survey delivered in EPSG:4546 with GBK attributes)
// without GDAL.
package shp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
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

// File is a decoded .shp: its header and each record's geometry as WKB (nil for a null shape).
type File struct {
	Header
	Geometries [][]byte
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
		if clen < 4 || off+clen > end {
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

func decode(c []byte) ([]byte, error) {
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
		w := newWKB()
		w.u32(1)
		w.f64(x)
		w.f64(y)
		return w.Bytes(), nil
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
	if nParts < 0 || nPoints < 0 || nParts > len(c)/4 || nPoints > len(c)/16 {
		return nil, fmt.Errorf("%d parts and %d points do not fit in the record", nParts, nPoints)
	}
	starts := make([]int, nParts)
	for i := range starts {
		starts[i] = r.i32()
	}
	pts := make([][2]float64, nPoints)
	for i := range pts {
		pts[i] = [2]float64{r.f64(), r.f64()}
	}
	if r.err != nil {
		return nil, r.err
	}
	parts := make([][][2]float64, 0, nParts)
	for i, s := range starts {
		e := nPoints
		if i+1 < nParts {
			e = starts[i+1]
		}
		if s < 0 || s > e || e > nPoints {
			return nil, fmt.Errorf("part %d has bad bounds %d..%d", i, s, e)
		}
		parts = append(parts, pts[s:e])
	}
	w := newWKB()
	if typ == PolyLine || typ == PolyLineZ || typ == PolyLineM {
		w.u32(5) // MultiLineString
		w.u32(uint32(len(parts)))
		for _, p := range parts {
			w.byte(1)
			w.u32(2)
			w.points(p)
		}
		return w.Bytes(), nil
	}
	// Polygons: a clockwise ring starts a polygon; counter-clockwise rings are its holes.
	var polys [][][][2]float64
	for _, ring := range parts {
		if signedArea(ring) <= 0 || len(polys) == 0 {
			polys = append(polys, [][][2]float64{ring})
			continue
		}
		polys[len(polys)-1] = append(polys[len(polys)-1], ring)
	}
	w.u32(6) // MultiPolygon
	w.u32(uint32(len(polys)))
	for _, p := range polys {
		w.byte(1)
		w.u32(3)
		w.u32(uint32(len(p)))
		for _, ring := range p {
			w.points(ring)
		}
	}
	return w.Bytes(), nil
}

// signedArea is the shoelace sum: negative for a clockwise ring (y up). It only decides the
// ring's role, as the format defines it.
func signedArea(ring [][2]float64) float64 {
	var s float64
	for i := 0; i+1 < len(ring); i++ {
		s += ring[i][0]*ring[i+1][1] - ring[i+1][0]*ring[i][1]
	}
	return s / 2
}

type wkb struct{ bytes.Buffer }

func newWKB() *wkb {
	w := &wkb{}
	w.WriteByte(1) // little endian
	return w
}

func (w *wkb) byte(b byte) { w.WriteByte(b) }
func (w *wkb) u32(v uint32) {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	w.Write(b[:])
}
func (w *wkb) f64(v float64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
	w.Write(b[:])
}
func (w *wkb) points(p [][2]float64) {
	w.u32(uint32(len(p)))
	for _, q := range p {
		w.f64(q[0])
		w.f64(q[1])
	}
}

// WritePolygons writes polygons (each a list of rings: the first outer, the rest holes) as a
// .shp and its .shx index. Rings are written as given; callers pass outer rings clockwise.
func WritePolygons(shpW, shxW io.Writer, polygons [][][][2]float64) error {
	var recs [][]byte
	bbox := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, poly := range polygons {
		var c bytes.Buffer
		le := func(v any) { binary.Write(&c, binary.LittleEndian, v) } //nolint:errcheck // bytes.Buffer
		var pts [][2]float64
		var starts []int32
		pb := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, ring := range poly {
			starts = append(starts, int32(len(pts)))
			for _, p := range ring {
				pts = append(pts, p)
				pb = [4]float64{math.Min(pb[0], p[0]), math.Min(pb[1], p[1]), math.Max(pb[2], p[0]), math.Max(pb[3], p[1])}
			}
		}
		bbox = [4]float64{math.Min(bbox[0], pb[0]), math.Min(bbox[1], pb[1]), math.Max(bbox[2], pb[2]), math.Max(bbox[3], pb[3])}
		le(int32(Polygon))
		le(pb)
		le(int32(len(starts)))
		le(int32(len(pts)))
		le(starts)
		le(pts)
		recs = append(recs, c.Bytes())
	}
	total := 100
	for _, r := range recs {
		total += 8 + len(r)
	}
	header := func(w io.Writer, words int) error {
		var h [100]byte
		binary.BigEndian.PutUint32(h[0:], 9994)
		binary.BigEndian.PutUint32(h[24:], uint32(words))
		binary.LittleEndian.PutUint32(h[28:], 1000)
		binary.LittleEndian.PutUint32(h[32:], Polygon)
		for i, v := range bbox {
			binary.LittleEndian.PutUint64(h[36+8*i:], math.Float64bits(v))
		}
		_, err := w.Write(h[:])
		return err
	}
	if err := header(shpW, total/2); err != nil {
		return err
	}
	if err := header(shxW, (100+8*len(recs))/2); err != nil {
		return err
	}
	off := 100
	for i, r := range recs {
		var rh [8]byte
		binary.BigEndian.PutUint32(rh[0:], uint32(i+1))
		binary.BigEndian.PutUint32(rh[4:], uint32(len(r)/2))
		if _, err := shpW.Write(rh[:]); err != nil {
			return err
		}
		if _, err := shpW.Write(r); err != nil {
			return err
		}
		var ix [8]byte
		binary.BigEndian.PutUint32(ix[0:], uint32(off/2))
		binary.BigEndian.PutUint32(ix[4:], uint32(len(r)/2))
		if _, err := shxW.Write(ix[:]); err != nil {
			return err
		}
		off += 8 + len(r)
	}
	return nil
}
