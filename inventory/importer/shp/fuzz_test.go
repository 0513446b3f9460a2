package shp

import (
	"bytes"
	"testing"

	"github.com/twpayne/go-geom/encoding/wkb"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// The seed corpora under testdata/fuzz hold small files that ogr2ogr (GDAL 3.6) wrote —
// polygons with a hole listed after a second outer ring, a null shape, polylines; .dbf in GBK
// and UTF-8, with names GDAL cut through a character — and truncated copies of them. `make
// test` runs each target for 15 s; a crash found becomes a case of TestHostileFiles.

// FuzzSHP: Read never panics, and what it returns can be encoded as WKB.
func FuzzSHP(f *testing.F) {
	var shpB, shxB bytes.Buffer
	if err := WritePolygons(&shpB, &shxB, [][][][2]float64{{square(0, 0, 10, true), square(2, 2, 1, false)}}); err != nil {
		f.Fatal(err)
	}
	f.Add(shpB.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Read(b)
		if err != nil {
			return
		}
		for i, g := range file.Geometries {
			if g == nil {
				continue
			}
			if _, err := wkb.Marshal(g, wkb.NDR); err != nil {
				t.Errorf("shape %d: %v", i, err)
			}
		}
	})
}

// FuzzDBF: ReadDBF never panics, and every record it returns has one value per field.
func FuzzDBF(f *testing.F) {
	fields := []Field{{Name: "编号", Type: 'C', Length: 12}, {Name: "面积", Type: 'N', Length: 12, Decimals: 2}, {Name: "OK", Type: 'L', Length: 1}, {Name: "D", Type: 'D', Length: 8}}
	for _, enc := range []struct {
		cpg string
		gbk bool
	}{{"GBK", true}, {"", false}} {
		var b bytes.Buffer
		e := unicode.UTF8
		if enc.gbk {
			e = simplifiedchinese.GBK
		}
		if err := WriteDBF(&b, fields, [][]any{{"甘亭-01", 1234.5, true, "2024-03-01"}, {nil, nil, nil, nil}}, e); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes(), enc.cpg)
	}
	f.Fuzz(func(t *testing.T, b []byte, cpg string) {
		tab, err := ReadDBF(b, cpg)
		if err != nil {
			return
		}
		for i, r := range tab.Records {
			if r != nil && len(r) != len(tab.Fields) {
				t.Errorf("record %d has %d values for %d fields", i, len(r), len(tab.Fields))
			}
		}
	})
}
