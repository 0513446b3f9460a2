package shp

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/twpayne/go-geom"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// polys lists a MultiPolygon's polygons as rings of points.
func polys(t *testing.T, g geom.T) [][][][2]float64 {
	t.Helper()
	mp, ok := g.(*geom.MultiPolygon)
	if !ok {
		t.Fatalf("geometry %T, want *geom.MultiPolygon", g)
	}
	out := make([][][][2]float64, mp.NumPolygons())
	for i := range out {
		p := mp.Polygon(i)
		for j := range p.NumLinearRings() {
			var ring [][2]float64
			for _, c := range p.LinearRing(j).Coords() {
				ring = append(ring, [2]float64{c[0], c[1]})
			}
			out[i] = append(out[i], ring)
		}
	}
	return out
}

func TestPolygonsRoundTripWithHoles(t *testing.T) {
	outer := [][2]float64{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}} // clockwise
	hole := [][2]float64{{2, 2}, {4, 2}, {4, 4}, {2, 4}, {2, 2}}      // counter-clockwise
	second := [][2]float64{{20, 0}, {20, 5}, {25, 5}, {25, 0}, {20, 0}}
	// Written as one shape of three parts, they are two polygons, the first with a hole.
	var shpB, shxB bytes.Buffer
	if err := WritePolygons(&shpB, &shxB, [][][][2]float64{{outer, hole, second}, {second}}); err != nil {
		t.Fatal(err)
	}
	f, err := Read(shpB.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if f.ShapeType != Polygon || f.BBox != [4]float64{0, 0, 25, 10} || len(f.Geometries) != 2 {
		t.Fatalf("header %+v, %d shapes", f.Header, len(f.Geometries))
	}
	got := polys(t, f.Geometries[0])
	want := [][][][2]float64{{outer, hole}, {second}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if shxB.Len() != 100+8*2 {
		t.Errorf(".shx is %d bytes", shxB.Len())
	}
	if _, err := Read(shpB.Bytes()[:150]); err == nil {
		t.Error("a truncated .shp was read")
	}
}

func TestDBFEncodings(t *testing.T) {
	fields := []Field{{Name: "编号", Type: 'C', Length: 12}, {Name: "面积", Type: 'N', Length: 12, Decimals: 2},
		{Name: "N", Type: 'N', Length: 6}, {Name: "OK", Type: 'L', Length: 1}, {Name: "D", Type: 'D', Length: 8}}
	recs := [][]any{{"甘亭-01", 1234.5, int64(42), true, "2024-03-01"}, {nil, nil, nil, nil, nil}}
	for _, tc := range []struct {
		name, cpg, want string
		gbk             bool
	}{
		{"GBK with .cpg", "GBK", "GBK", true},
		{"GBK with cp936 .cpg", "936", "GBK", true},
		{"GBK, no .cpg: detected", "", "GBK", true},
		{"UTF-8 with .cpg", "UTF-8", "UTF-8", false},
		{"UTF-8, no .cpg: detected", "", "UTF-8", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			enc := unicode.UTF8
			if tc.gbk {
				enc = simplifiedchinese.GBK
			}
			if err := WriteDBF(&b, fields, recs, enc); err != nil {
				t.Fatal(err)
			}
			tab, err := ReadDBF(b.Bytes(), tc.cpg)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Encoding != tc.want || tab.Fields[0].Name != "编号" || tab.Fields[1].Name != "面积" {
				t.Fatalf("encoding %s fields %+v", tab.Encoding, tab.Fields)
			}
			want := [][]any{{"甘亭-01", 1234.5, int64(42), true, "2024-03-01"}, {nil, nil, nil, nil, nil}}
			if !reflect.DeepEqual(tab.Records, want) {
				t.Fatalf("records %#v, want %#v", tab.Records, want)
			}
		})
	}
}
