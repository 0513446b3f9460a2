package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer/shp"
)

// shapefileZip zips a one-polygon-per-record Shapefile whose .dbf text is GBK, with the given
// .cpg ("" for none).
func shapefileZip(t *testing.T, cpg string, names []string) []byte {
	t.Helper()
	var shpB, shxB, dbfB bytes.Buffer
	var polys [][][][2]float64
	var recs [][]any
	for i, n := range names {
		x := 111.51 + float64(i)*0.001
		polys = append(polys, [][][2]float64{{{x, 36.01}, {x, 36.0105}, {x + 0.0005, 36.0105}, {x + 0.0005, 36.01}, {x, 36.01}}})
		recs = append(recs, []any{"C" + string(rune('1'+i)), n})
	}
	if err := shp.WritePolygons(&shpB, &shxB, polys); err != nil {
		t.Fatal(err)
	}
	fields := []shp.Field{{Name: "CODE", Type: 'C', Length: 10}, {Name: "NAME", Type: 'C', Length: 40}}
	if err := shp.WriteDBF(&dbfB, fields, recs, simplifiedchinese.GBK); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := map[string][]byte{"plots.shp": shpB.Bytes(), "plots.shx": shxB.Bytes(), "plots.dbf": dbfB.Bytes()}
	if cpg != "" {
		parts["plots.cpg"] = []byte(cpg)
	}
	for name, b := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b) //nolint:errcheck // bytes.Buffer
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDeclaredEncodingMustDecodeCleanly: a .dbf whose .cpg says UTF-8 but whose text is GBK is
// refused, naming the file, the first bad record and its field (its names were once stored as
// replacement characters); the same file declared GBK, or without a .cpg, reads its names.
func TestDeclaredEncodingMustDecodeCleanly(t *testing.T) {
	names := []string{"Plain ASCII", "甘亭标准地", "老区厂房"} // record 1 decodes either way
	_, err := ReadShapefileZip(shapefileZip(t, "UTF-8", names))
	var e *inventory.Error
	if !errors.As(err, &e) || e.Field != "file" || !strings.Contains(e.Reason, "plots.dbf") ||
		!strings.Contains(e.Reason, "record 2") || !strings.Contains(e.Reason, "field NAME") || !strings.Contains(e.Reason, "UTF-8") {
		t.Fatalf("GBK bytes declared UTF-8: %v, want a refusal naming plots.dbf, record 2 and NAME", err)
	}
	for _, cpg := range []string{"GBK", "936", ""} {
		src, err := ReadShapefileZip(shapefileZip(t, cpg, names))
		if err != nil {
			t.Fatalf(".cpg %q: %v", cpg, err)
		}
		for i, r := range src.Records {
			if r.Props["NAME"] != names[i] {
				t.Errorf(".cpg %q: record %d NAME = %q, want %q", cpg, i+1, r.Props["NAME"], names[i])
			}
		}
	}
}

// TestMapSourceTheFileLacks: a mapping whose source field the file does not have is refused,
// naming map and the missing field; one the file has is taken.
func TestMapSourceTheFileLacks(t *testing.T) {
	src := func() *Source {
		return &Source{Records: []Record{{Props: map[string]any{"编号": "P1", "land_use": "100101", "status": "ready"}}}}
	}
	err := Prepare(inventory.PlotLayer, src(), map[string]string{"编码": "code"}) // a typo of 编号
	var e *inventory.Error
	if !errors.As(err, &e) || e.Field != "map" || !strings.Contains(e.Reason, "编码") || !strings.Contains(e.Reason, "编号") {
		t.Fatalf("a mapping of a missing field: %v, want map naming 编码 and listing 编号", err)
	}
	if err := Prepare(inventory.PlotLayer, src(), map[string]string{"编号": "code"}); err != nil {
		t.Fatalf("a mapping of a field the file has: %v", err)
	}
}

// TestGeoJSONMustBeUTF8: a GeoJSON file with bytes that are not UTF-8 is refused naming file
// and the byte, not decoded into replacement characters.
func TestGeoJSONMustBeUTF8(t *testing.T) {
	b := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"name":"` + "\xff\xfe" + `"}}]}`)
	_, err := ReadGeoJSON(b)
	var e *inventory.Error
	want := bytes.IndexByte(b, 0xff)
	if !errors.As(err, &e) || e.Field != "file" || !strings.Contains(e.Reason, "UTF-8") || !strings.Contains(e.Reason, "byte "+strconv.Itoa(want)) {
		t.Fatalf("%v, want a refusal naming file and byte %d", err, want)
	}
}
