package shp

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/twpayne/go-geom"

	"github.com/landinv/landinv/inventory/importer/internal/gdaltest"
)

// Rings for the GDAL fixtures, in EPSG:4546 metres (CGCS2000 GK CM 111°E), outer rings
// clockwise and holes counter-clockwise as the format wants them (GDAL writes them so anyway).
// Coordinates are binary fractions, so that every text form of them is exact.
type ring = [][2]float64

func square(x, y, w float64, clockwise bool) ring {
	x, y = 501000+x, 3990000+y
	if clockwise {
		return ring{{x, y}, {x, y + w}, {x + w, y + w}, {x + w, y}, {x, y}}
	}
	return ring{{x, y}, {x + w, y}, {x + w, y + w}, {x, y + w}, {x, y}}
}

var (
	outerA    = square(0, 0, 100.5, true)
	holeA     = square(20.25, 20.25, 10, false)
	outerB    = square(200, 0, 50.125, true)
	big       = square(400, 400, 300, true)
	bigHole   = square(450, 450, 200, false)
	island    = square(500, 500, 100, true)
	islandEye = square(525, 525, 20, false)
	// touching is a hole of outerA with a vertex on outerA's left edge.
	touching = ring{{501000, 3990050}, {501030.5, 3990040}, {501030.5, 3990060}, {501000, 3990050}}
)

// TestReadGDALPolygons reads a Shapefile that ogr2ogr wrote from GeoJSON and compares every
// shape's polygons, rings and coordinates with the source, and with what GDAL itself reads
// back from the file. Some sources list a hole after another polygon's outer ring (a GeoJSON
// polygon whose "hole" lies in another polygon: GDAL writes its rings as given), so only
// containment puts the hole in the right polygon.
func TestReadGDALPolygons(t *testing.T) {
	gdaltest.Require(t)
	tests := []struct {
		name string
		// src is the GeoJSON geometry: a MultiPolygon's coordinates (nil: a null geometry).
		src  [][]ring
		want [][]ring
	}{
		{"polygon with a hole", [][]ring{{outerA, holeA}}, [][]ring{{outerA, holeA}}},
		{"two polygons, a hole in the first", [][]ring{{outerA, holeA}, {outerB}}, [][]ring{{outerA, holeA}, {outerB}}},
		{"hole listed after a second outer ring", [][]ring{{outerA}, {outerB, holeA}}, [][]ring{{outerA, holeA}, {outerB}}},
		{"hole touching its outer ring, listed after another", [][]ring{{outerB}, {outerA, touching}}, [][]ring{{outerB}, {outerA, touching}}},
		{"touching hole after a second outer ring", [][]ring{{outerA}, {outerB, touching}}, [][]ring{{outerA, touching}, {outerB}}},
		{"island in a hole, holes listed last", [][]ring{{island}, {big, islandEye, bigHole}}, [][]ring{{island, islandEye}, {big, bigHole}}},
		{"island in a hole, in order", [][]ring{{big, bigHole}, {island, islandEye}}, [][]ring{{big, bigHole}, {island, islandEye}}},
		{"null geometry", nil, nil},
	}
	var feats []any
	for i, tc := range tests {
		var g any
		if tc.src != nil {
			g = map[string]any{"type": "MultiPolygon", "coordinates": tc.src}
		}
		feats = append(feats, map[string]any{"type": "Feature", "geometry": g,
			"properties": map[string]any{"name": tc.name, "n": i, "a": float64(i) + 0.25}})
	}
	dir := t.TempDir()
	writeJSON(t, dir, "src.geojson", map[string]any{"type": "FeatureCollection", "features": feats})
	gdaltest.OGR2OGR(t, dir, "-lco", "ENCODING=UTF-8", "out.shp", "src.geojson")
	f, err := Read(readFile(t, dir, "out.shp"))
	if err != nil {
		t.Fatal(err)
	}
	if f.ShapeType != Polygon || len(f.Geometries) != len(tests) {
		t.Fatalf("shape type %d, %d shapes; want %d, %d", f.ShapeType, len(f.Geometries), Polygon, len(tests))
	}
	if want := [4]float64{501000, 3990000, 501700, 3990700}; f.BBox != want {
		t.Errorf("bbox %v, want %v", f.BBox, want)
	}
	// What GDAL reads back from its own file.
	gdaltest.OGR2OGR(t, dir, "-f", "GeoJSON", "back.geojson", "out.shp")
	var back struct {
		Features []struct {
			Geometry *struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(readFile(t, dir, "back.geojson"), &back); err != nil {
		t.Fatal(err)
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := f.Geometries[i]
			if tc.want == nil {
				if g != nil {
					t.Fatalf("geometry %v, want none", g)
				}
				return
			}
			got := polys(t, g)
			if !reflect.DeepEqual(got, ringsOf(tc.want)) {
				t.Errorf("got %v,\nwant %v", got, tc.want)
			}
			var gdal [][][][2]float64
			switch bg := back.Features[i].Geometry; bg.Type {
			case "Polygon":
				var p [][][2]float64
				json.Unmarshal(bg.Coordinates, &p)
				gdal = [][][][2]float64{p}
			case "MultiPolygon":
				json.Unmarshal(bg.Coordinates, &gdal)
			}
			if !reflect.DeepEqual(sorted(got), sorted(gdal)) {
				t.Errorf("got %v,\nGDAL reads %v", got, gdal)
			}
		})
	}
	tab, err := ReadDBF(readFile(t, dir, "out.dbf"), string(readFile(t, dir, "out.cpg")))
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range tests {
		got := map[string]any{}
		for j, f := range tab.Fields {
			got[f.Name] = tab.Records[i][j]
		}
		if want := map[string]any{"name": tc.name, "n": int64(i), "a": float64(i) + 0.25}; !reflect.DeepEqual(got, want) {
			t.Errorf("record %d: %#v, want %#v", i, got, want)
		}
	}
}

// TestReadGDALLinesAndPoints reads polylines (one and several parts) and points that ogr2ogr
// wrote.
func TestReadGDALLinesAndPoints(t *testing.T) {
	gdaltest.Require(t)
	dir := t.TempDir()
	l1 := ring{{501000.5, 3990000.25}, {501100, 3990050}, {501200.75, 3990000}}
	l2 := ring{{502000, 3991000}, {502000, 3991100.5}}
	lines := []any{
		map[string]any{"type": "Feature", "properties": map[string]any{"k": 1}, "geometry": map[string]any{"type": "LineString", "coordinates": l1}},
		map[string]any{"type": "Feature", "properties": map[string]any{"k": 2}, "geometry": map[string]any{"type": "MultiLineString", "coordinates": []ring{l1, l2}}},
	}
	writeJSON(t, dir, "lines.geojson", map[string]any{"type": "FeatureCollection", "features": lines})
	gdaltest.OGR2OGR(t, dir, "-nlt", "MULTILINESTRING", "lines.shp", "lines.geojson")
	f, err := Read(readFile(t, dir, "lines.shp"))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]ring{{l1}, {l1, l2}}
	if f.ShapeType != PolyLine || len(f.Geometries) != len(want) {
		t.Fatalf("shape type %d, %d shapes", f.ShapeType, len(f.Geometries))
	}
	for i, g := range f.Geometries {
		mls, ok := g.(*geom.MultiLineString)
		if !ok {
			t.Fatalf("shape %d: %T, want *geom.MultiLineString", i, g)
		}
		var got []ring
		for j := range mls.NumLineStrings() {
			got = append(got, coords(mls.LineString(j).Coords()))
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("shape %d: %v, want %v", i, got, want[i])
		}
	}

	pts := []any{
		map[string]any{"type": "Feature", "properties": map[string]any{"k": 1}, "geometry": map[string]any{"type": "Point", "coordinates": l1[0]}},
		map[string]any{"type": "Feature", "properties": map[string]any{"k": 2}, "geometry": map[string]any{"type": "Point", "coordinates": []float64{l2[1][0], l2[1][1], 12.5}}},
	}
	writeJSON(t, dir, "pts.geojson", map[string]any{"type": "FeatureCollection", "features": pts})
	gdaltest.OGR2OGR(t, dir, "pts.shp", "pts.geojson")
	f, err = Read(readFile(t, dir, "pts.shp"))
	if err != nil {
		t.Fatal(err)
	}
	if f.ShapeType != PointZ || len(f.Geometries) != 2 {
		t.Fatalf("shape type %d, %d shapes; want PointZ (the Z is dropped), 2", f.ShapeType, len(f.Geometries))
	}
	for i, w := range [][2]float64{l1[0], l2[1]} {
		p, ok := f.Geometries[i].(*geom.Point)
		if !ok || p.Layout() != geom.XY || p.X() != w[0] || p.Y() != w[1] {
			t.Errorf("point %d: %v, want 2-D %v", i, f.Geometries[i], w)
		}
	}
}

// TestReadGDALDBFEncodings reads .dbf files that ogr2ogr wrote from a CSV (UTF-8, with a .csvt
// naming the column types) in GBK and in UTF-8, each with and without its .cpg, and compares
// the field names and values with the CSV. GDAL 3.6 writes no language-driver byte for these
// encodings, so without a .cpg the encoding is found from the bytes.
func TestReadGDALDBFEncodings(t *testing.T) {
	gdaltest.Require(t)
	dir := t.TempDir()
	csv := "编号,名称,面积,宗数,日期\n" +
		"GT-01,甘亭工业园一号地,1234.5,3,2024-03-01\n" +
		"GT-02,\"滨河东路东侧地块（二期）\",0.25,0,1999-12-31\n" +
		"GT-03,,,,\n"
	gdaltest.WriteFile(t, dir, "src.csv", []byte(csv))
	gdaltest.WriteFile(t, dir, "src.csvt", []byte("String,String,Real,Integer,Date\n"))
	wantNames := []string{"编号", "名称", "面积", "宗数", "日期"}
	wantTypes := []byte{'C', 'C', 'N', 'N', 'D'}
	want := [][]any{
		{"GT-01", "甘亭工业园一号地", 1234.5, int64(3), "2024-03-01"},
		{"GT-02", "滨河东路东侧地块（二期）", 0.25, int64(0), "1999-12-31"},
		{"GT-03", nil, nil, nil, nil},
	}
	for _, enc := range []string{"GBK", "UTF-8"} {
		gdaltest.OGR2OGR(t, dir, "-lco", "ENCODING="+enc, enc+".shp", "src.csv")
		cpg := string(readFile(t, dir, enc+".cpg"))
		for _, withCPG := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s, .cpg %v", enc, withCPG), func(t *testing.T) {
				c := ""
				if withCPG {
					c = cpg
				}
				tab, err := ReadDBF(readFile(t, dir, enc+".dbf"), c)
				if err != nil {
					t.Fatal(err)
				}
				if tab.Encoding != enc {
					t.Errorf("encoding %s, want %s", tab.Encoding, enc)
				}
				var names []string
				var types []byte
				for _, f := range tab.Fields {
					names, types = append(names, f.Name), append(types, f.Type)
				}
				if !reflect.DeepEqual(names, wantNames) || !reflect.DeepEqual(types, wantTypes) {
					t.Errorf("fields %q %q, want %q %q", names, types, wantNames, wantTypes)
				}
				if !reflect.DeepEqual(tab.Records, want) {
					t.Errorf("records %#v,\nwant %#v", tab.Records, want)
				}
			})
		}
	}
}

func ringsOf(ps [][]ring) [][][][2]float64 {
	out := make([][][][2]float64, len(ps))
	for i, p := range ps {
		for _, r := range p {
			out[i] = append(out[i], r)
		}
	}
	return out
}

// sorted orders polygons by their first vertex (GDAL may list them in another order).
func sorted(ps [][][][2]float64) [][][][2]float64 {
	out := append([][][][2]float64(nil), ps...)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i][0][0], out[j][0][0]
		return a[0] < b[0] || a[0] == b[0] && a[1] < b[1]
	})
	return out
}

func coords(cs []geom.Coord) ring {
	out := make(ring, len(cs))
	for i, c := range cs {
		out[i] = [2]float64{c[0], c[1]}
	}
	return out
}

func writeJSON(t *testing.T, dir, name string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	gdaltest.WriteFile(t, dir, name, b)
}

func readFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReadGDALTruncatedUTF8Names: GDAL cuts UTF-8 field names at 10 bytes, through a
// character ("地块编号" is 12 bytes). The reader keeps the whole characters, with or without the
// .cpg, and does not take the file for GBK because of the cut.
func TestReadGDALTruncatedUTF8Names(t *testing.T) {
	gdaltest.Require(t)
	dir := t.TempDir()
	writeJSON(t, dir, "src.geojson", map[string]any{"type": "FeatureCollection", "features": []any{
		map[string]any{"type": "Feature", "geometry": nil, "properties": map[string]any{"地块编号": "GT-01", "用地性质": "100101"}}}})
	gdaltest.OGR2OGR(t, dir, "-lco", "ENCODING=UTF-8", "out.shp", "src.geojson")
	for _, cpg := range []string{"UTF-8", ""} {
		tab, err := ReadDBF(readFile(t, dir, "out.dbf"), cpg)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]any{}
		for j, f := range tab.Fields {
			got[f.Name] = tab.Records[0][j]
		}
		if want := map[string]any{"地块编": "GT-01", "用地性": "100101"}; tab.Encoding != "UTF-8" || !reflect.DeepEqual(got, want) {
			t.Errorf(".cpg %q: %s %#v, want UTF-8 %#v", cpg, tab.Encoding, got, want)
		}
	}
}
