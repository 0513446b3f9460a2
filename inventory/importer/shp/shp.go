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
	"bytes"
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

// Read decodes a .shp file held in memory (see Reader for one read record by record).
func Read(b []byte) (*File, error) {
	r, err := NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	f := &File{Header: r.Header}
	for {
		g, err := r.Next()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			return nil, err
		}
		f.Geometries = append(f.Geometries, g)
	}
}

// Reader reads a .shp file record by record, so that memory holds one record and not the file.
type Reader struct {
	Header
	r   io.Reader
	off int64 // bytes read
	end int64 // where the records end: the header's file length, capped by the file's size
	n   int   // records read
	buf bytes.Buffer
}

// NewReader reads the 100-byte header of a .shp from r, whose size is size bytes (-1 when
// unknown: the header's file length is then trusted as the end).
func NewReader(r io.Reader, size int64) (*Reader, error) {
	var h [100]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, errors.New("shp: shorter than its 100-byte header")
	}
	if code := binary.BigEndian.Uint32(h[0:4]); code != 9994 {
		return nil, fmt.Errorf("shp: file code %d, want 9994: not a shapefile", code)
	}
	sr := &Reader{r: r, off: 100}
	sr.ShapeType = int(binary.LittleEndian.Uint32(h[32:36]))
	for i := range 4 {
		sr.BBox[i] = math.Float64frombits(binary.LittleEndian.Uint64(h[36+8*i:]))
	}
	sr.end = int64(binary.BigEndian.Uint32(h[24:28])) * 2
	if size >= 0 && (sr.end > size || sr.end < 100) {
		sr.end = size
	}
	return sr, nil
}

// Next decodes the next record's geometry (nil for a null shape); io.EOF after the last. A
// record's bytes are read as they arrive, so a length the file does not hold allocates
// nothing beyond what is there.
func (sr *Reader) Next() (geom.T, error) {
	if sr.off+8 > sr.end {
		return nil, io.EOF
	}
	sr.n++
	var rh [8]byte
	if _, err := io.ReadFull(sr.r, rh[:]); err != nil {
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			return nil, io.EOF // the header's file length overstates what is there
		}
		return nil, fmt.Errorf("shp: record %d: %w", sr.n, err)
	}
	sr.off += 8
	clen := int64(binary.BigEndian.Uint32(rh[4:8])) * 2
	if clen < 4 || clen > sr.end-sr.off {
		return nil, fmt.Errorf("shp: record %d: content length %d runs past the end of the file", sr.n, clen)
	}
	sr.buf.Reset()
	if got, err := io.CopyN(&sr.buf, sr.r, clen); err != nil {
		if err == io.EOF {
			return nil, fmt.Errorf("shp: record %d: content length %d runs past the end of the file (%d bytes left)", sr.n, clen, got)
		}
		return nil, fmt.Errorf("shp: record %d: %w", sr.n, err)
	}
	sr.off += clen
	g, err := decode(sr.buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("shp: record %d: %w", sr.n, err)
	}
	return g, nil
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
