package shp

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/twpayne/go-geom"
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
