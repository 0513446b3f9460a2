package importer

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"

	"github.com/landinv/landinv/inventory/importer/internal/gdaltest"
)

// gdalSource is a GeoJSON source for ogr2ogr: a plot with a hole and a two-part plot, with
// Chinese attributes, in EPSG:4546 metres (binary fractions, exact in any text form).
var gdalPolys = [][][][][2]float64{
	{{{{501000, 3990000}, {501000, 3990100.5}, {501100.5, 3990100.5}, {501100.5, 3990000}, {501000, 3990000}},
		{{501020.25, 3990020.25}, {501040, 3990020.25}, {501040, 3990040}, {501020.25, 3990040}, {501020.25, 3990020.25}}}},
	{{{{501200, 3990000}, {501200, 3990050}, {501250, 3990050}, {501250, 3990000}, {501200, 3990000}}},
		{{{501300, 3990000}, {501300, 3990025.125}, {501325, 3990025.125}, {501325, 3990000}, {501300, 3990000}}}},
}

var gdalProps = []map[string]any{
	{"编号": "GT-01", "用途": "100101", "面积": 10000.25, "名称": "甘亭工业园一号地"},
	{"编号": "GT-02", "用途": "090101", "面积": 3125.5, "名称": nil},
}

func gdalSourceFile(t *testing.T, dir string) string {
	t.Helper()
	var feats []any
	for i, p := range gdalPolys {
		feats = append(feats, map[string]any{"type": "Feature", "properties": gdalProps[i],
			"geometry": map[string]any{"type": "MultiPolygon", "coordinates": p}})
	}
	b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
	if err != nil {
		t.Fatal(err)
	}
	return gdaltest.WriteFile(t, dir, "src.geojson", b)
}

// zipDir zips the files of dir whose names start with stem.
func zipDir(t *testing.T, dir string, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create("survey/" + n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkRecords compares what a reader returned with gdalPolys and gdalProps.
func checkRecords(t *testing.T, src *Source) {
	t.Helper()
	if len(src.Records) != len(gdalPolys) {
		t.Fatalf("%d records, want %d", len(src.Records), len(gdalPolys))
	}
	for i, r := range src.Records {
		g, err := wkb.Unmarshal(r.WKB)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		mp, ok := g.(*geom.MultiPolygon)
		if !ok {
			t.Fatalf("record %d: %T, want a MultiPolygon", i, g)
		}
		var got [][][][2]float64
		for j := range mp.NumPolygons() {
			var rings [][][2]float64
			for k := range mp.Polygon(j).NumLinearRings() {
				var ring [][2]float64
				for _, c := range mp.Polygon(j).LinearRing(k).Coords() {
					ring = append(ring, [2]float64{c[0], c[1]})
				}
				rings = append(rings, ring)
			}
			got = append(got, rings)
		}
		if !reflect.DeepEqual(got, gdalPolys[i]) {
			t.Errorf("record %d: geometry %v, want %v", i, got, gdalPolys[i])
		}
		if !reflect.DeepEqual(r.Props, gdalProps[i]) {
			t.Errorf("record %d: properties %#v, want %#v", i, r.Props, gdalProps[i])
		}
	}
}

// TestGDALShapefileZip reads zipped Shapefiles that ogr2ogr wrote, with GBK and UTF-8
// attributes, with and without .cpg.
func TestGDALShapefileZip(t *testing.T) {
	gdaltest.Require(t)
	dir := t.TempDir()
	gdalSourceFile(t, dir)
	for _, enc := range []string{"GBK", "UTF-8"} {
		gdaltest.OGR2OGR(t, dir, "-a_srs", "EPSG:4546", "-lco", "ENCODING="+enc, "-nln", enc, enc+".shp", "src.geojson")
		for _, cpg := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s, .cpg %v", enc, cpg), func(t *testing.T) {
				names := []string{enc + ".shp", enc + ".shx", enc + ".dbf", enc + ".prj"}
				if cpg {
					names = append(names, enc+".cpg")
				}
				src, err := ReadShapefileZip(zipDir(t, dir, names...))
				if err != nil {
					t.Fatal(err)
				}
				if src.Format != "shapefile" || src.SRID != 4546 || src.CRSFrom != ".prj" || src.Encoding != enc {
					t.Errorf("format %s, EPSG:%d from %s, encoding %s; want shapefile, EPSG:4546 from .prj, %s", src.Format, src.SRID, src.CRSFrom, src.Encoding, enc)
				}
				if want := [4]float64{501000, 3990000, 501325, 3990100.5}; src.BBox == nil || *src.BBox != want {
					t.Errorf("bbox %v, want %v", src.BBox, want)
				}
				checkRecords(t, src)
			})
		}
	}
}

// TestGDALPRJ finds the EPSG code of every .prj that GDAL writes for the CRSs the README lists
// for import: WGS 84, CGCS2000, and CGCS2000 / Xian 1980 / Beijing 1954 3-degree Gauss-Krüger
// by central meridian (111°E) and by zone (37). GDAL writes them in the ESRI dialect, without
// an AUTHORITY, so the names must be recognised.
func TestGDALPRJ(t *testing.T) {
	gdaltest.Require(t)
	dir := t.TempDir()
	gdalSourceFile(t, dir)
	for _, tc := range []struct {
		name string
		epsg int
	}{
		{"WGS 84", 4326},
		{"CGCS2000", 4490},
		{"CGCS2000 GK CM 111E", 4546},
		{"CGCS2000 GK zone 37", 4525},
		{"Xian 1980 GK CM 111E", 2382},
		{"Xian 1980 GK zone 37", 2361},
		{"Beijing 1954 GK CM 111E", 2434},
		{"Beijing 1954 GK zone 37", 2413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stem := fmt.Sprint("p", tc.epsg)
			gdaltest.OGR2OGR(t, dir, "-a_srs", fmt.Sprint("EPSG:", tc.epsg), "-lco", "ENCODING=UTF-8", "-nln", stem, stem+".shp", "src.geojson")
			prj, err := os.ReadFile(filepath.Join(dir, stem+".prj"))
			if err != nil {
				t.Fatal(err)
			}
			if n, err := SRIDFromPRJ(string(prj)); err != nil || n != tc.epsg {
				t.Errorf("%s: EPSG:%d, %v; want EPSG:%d", prj, n, err, tc.epsg)
			}
			src, err := ReadShapefileZip(zipDir(t, dir, stem+".shp", stem+".dbf", stem+".prj"))
			if err != nil || src.SRID != tc.epsg {
				t.Errorf("zip: %v, %v; want EPSG:%d", src, err, tc.epsg)
			}
		})
	}
}

// TestGDALGeoPackage reads a GeoPackage that ogr2ogr wrote: the CRS from its srs_id, the
// attributes and the geometries (holes and parts) as in the source.
func TestGDALGeoPackage(t *testing.T) {
	gdaltest.Require(t)
	dir := t.TempDir()
	gdalSourceFile(t, dir)
	gdaltest.OGR2OGR(t, dir, "-f", "GPKG", "-a_srs", "EPSG:4546", "-nln", "plots", "out.gpkg", "src.geojson")
	src, err := ReadGeoPackageFile(filepath.Join(dir, "out.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	if src.Format != "geopackage" || src.SRID != 4546 || src.CRSFrom != "GeoPackage srs_id" {
		t.Errorf("format %s, EPSG:%d from %s", src.Format, src.SRID, src.CRSFrom)
	}
	checkRecords(t, src)
	// And through Read, as the CLI and the API read it.
	b, err := os.ReadFile(filepath.Join(dir, "out.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	if src, err := Read(b); err != nil || src.Format != "geopackage" || len(src.Records) != len(gdalPolys) {
		t.Errorf("Read: %v, %v", src, err)
	}
}
