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
	"bytes"
	"encoding/json"
	"fmt"

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
	Records  []Record
}

// Read decodes a file by its content: a zip archive is a Shapefile, "SQLite format 3" a
// GeoPackage, anything else GeoJSON. GeoPackages need a file on disk: Read writes a temporary
// copy.
func Read(b []byte) (*Source, error) {
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return ReadShapefileZip(b)
	case bytes.HasPrefix(b, []byte("SQLite format 3\x00")):
		return ReadGeoPackage(b)
	}
	trim := bytes.TrimSpace(b)
	if len(trim) > 0 && trim[0] == '{' {
		return ReadGeoJSON(b)
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
