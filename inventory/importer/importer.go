// Package importer reads the survey files that design institutes deliver — GeoJSON, zipped
// Shapefiles (with .dbf in GBK or UTF-8, honouring .cpg, and .prj for the CRS) and GeoPackages
// — into features ready for the inventory: source fields renamed by a mapping, values turned
// into the types of the layer's fields, and geometry left in the source's coordinates with the
// source's EPSG code, for PostGIS to transform and check.
//
// One file per concern: the format readers (geojson.go, shapefile.go with the shp package,
// gpkg.go), CRS detection (crs.go), field mapping and conversion (prepare.go), and the pipeline
// that the CLI and the HTTP API both run (run.go). Geometries are decoded into
// github.com/twpayne/go-geom and handed on as WKB (GeoJSON geometries are handed on as they
// came). The importer does no geometry work and no SQL; inventory/postgis loads what it reads.
package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"

	"github.com/landinv/landinv/inventory"
)

// Record is one source feature, numbered from 0 in file order.
type Record struct {
	Index int
	// Props are the source attributes, renamed by the mapping and converted to the layer's
	// field types (see Prepare).
	Props map[string]any
	// Exactly one of WKB and GeoJSON is set (neither for a null geometry): WKB (little-endian,
	// ISO) for Shapefiles and GeoPackages, the geometry object as it came for GeoJSON.
	WKB     []byte
	GeoJSON json.RawMessage
}

// Source is a decoded file.
type Source struct {
	Format string // "geojson", "shapefile" or "geopackage"
	// SRID is the EPSG code the file declares (.prj, the GeoPackage's srs_id, a GeoJSON crs
	// member), 0 when it declares none.
	SRID int
	// CRSFrom says where SRID came from.
	CRSFrom string
	// BBox, when known from the file's header, is xmin, ymin, xmax, ymax in the source CRS.
	BBox     *[4]float64
	Encoding string // the .dbf's text encoding, for shapefiles
	// Records are the features of a file read whole (a lone GeoJSON Feature, a table, a
	// Source built in code, a file read from memory). A file read from disk — a GeoJSON
	// FeatureCollection, a zipped Shapefile, a GeoPackage — is streamed instead: it has no
	// Records here; Len and All give its features, read from the file one at a time.
	Records []Record

	stream  recordStream
	convert func(*Record) // Prepare's renaming and conversion, applied as a stream is read
}

// recordStream is a file on disk whose features are read one at a time, after a first pass
// that checked the whole file and kept no feature.
type recordStream interface {
	// len is the number of features the first pass counted.
	len() int
	// probes are records that together carry every property name of the file (and each kind
	// of value a name had: an object or not), for Prepare to check; none for a file without
	// features.
	probes() []Record
	// records reads the features again, in file order; a read error is yielded last.
	records() iter.Seq2[Record, error]
}

// materialize reads a streamed Source's features into Records (for a file that is about to
// go away, or is in memory anyway).
func (s *Source) materialize() error {
	if s.stream == nil {
		return nil
	}
	var recs []Record
	for r, err := range s.stream.records() {
		if err != nil {
			return err
		}
		recs = append(recs, r)
	}
	s.Records, s.stream = recs, nil
	return nil
}

// Len is the number of features.
func (s *Source) Len() int {
	if s.stream != nil {
		return s.stream.len()
	}
	return len(s.Records)
}

// All yields every feature in file order, prepared (see Prepare). A streamed file is read
// again, one feature at a time, so that memory holds one feature and not the file; an error
// reading it is yielded last.
func (s *Source) All() iter.Seq2[Record, error] {
	if s.stream == nil {
		return func(yield func(Record, error) bool) {
			for _, r := range s.Records {
				if !yield(r, nil) {
					return
				}
			}
		}
	}
	return func(yield func(Record, error) bool) {
		for r, err := range s.stream.records() {
			if err == nil && s.convert != nil {
				s.convert(&r)
			}
			if !yield(r, err) || err != nil {
				return
			}
		}
	}
}

// Read decodes a file held in memory by its content (see ReadFrom); its features are in
// Records.
func Read(b []byte) (*Source, error) {
	src, err := ReadFrom(bytes.NewReader(b), int64(len(b)), "")
	if err != nil {
		return nil, err
	}
	return src, src.materialize()
}

// ReadFrom decodes a file of size bytes by its content: a zip archive is a Shapefile,
// "SQLite format 3" a GeoPackage, anything else GeoJSON. GeoPackages need a file on disk:
// name, when r is that file, else a temporary copy. A GeoJSON FeatureCollection, a zipped
// Shapefile and a GeoPackage named by name are streamed (see Source.All): r, and the file
// name, must stay readable until the Source has been loaded.
func ReadFrom(r io.ReaderAt, size int64, name string) (*Source, error) {
	var head [16]byte
	n, err := r.ReadAt(head[:], 0)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("read file: %w", err)
	}
	switch {
	case bytes.HasPrefix(head[:n], []byte("PK\x03\x04")):
		return readShapefileZip(r, size)
	case bytes.HasPrefix(head[:n], []byte("SQLite format 3\x00")):
		if name != "" {
			return readGeoPackageFile(name) // streamed from the file
		}
		b, err := io.ReadAll(io.NewSectionReader(r, 0, size))
		if err != nil {
			return nil, fmt.Errorf("read file: %w", err)
		}
		return ReadGeoPackage(b)
	}
	// GeoJSON: the first byte that is not white space opens an object.
	br := bufio.NewReader(io.NewSectionReader(r, 0, size))
	for {
		c, err := br.ReadByte()
		if err != nil || !bytes.ContainsRune([]byte(" \t\r\n\v\f"), rune(c)) {
			if err == nil && c == '{' {
				return readGeoJSON(r, size)
			}
			break
		}
	}
	return nil, inventory.Errorf(inventory.EInvalid, "file", "is neither GeoJSON, a zipped Shapefile nor a GeoPackage")
}

// encodeWKB is how a decoded geometry is handed on: little-endian WKB, nil for no geometry.
func encodeWKB(g geom.T) ([]byte, error) {
	if g == nil {
		return nil, nil
	}
	b, err := wkb.Marshal(g, wkb.NDR)
	if err != nil {
		return nil, fmt.Errorf("encode geometry as WKB: %w", err)
	}
	return b, nil
}
