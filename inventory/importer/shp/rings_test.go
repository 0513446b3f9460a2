package shp

import (
	"reflect"
	"testing"
)

func flatRing(r ring) []float64 {
	var f []float64
	for _, p := range r {
		f = append(f, p[0], p[1])
	}
	return f
}

// TestPolygonsByContainment groups hand-made rings (square() in gdal_test.go: outer rings
// clockwise, holes counter-clockwise).
func TestPolygonsByContainment(t *testing.T) {
	// notched is an L-shaped outer ring whose bounding box holds inNotch, which lies in the
	// notch, outside it; bigger holds inNotch.
	notched := ring{{501000, 3990000}, {501000, 3990010}, {501003, 3990010}, {501003, 3990003}, {501010, 3990003}, {501010, 3990000}, {501000, 3990000}}
	inNotch := square(6, 6, 2, false)
	bigger := square(-100, -100, 300, true)
	ccwOuter := square(0, 0, 10, false)
	tests := []struct {
		name  string
		rings []ring
		want  [][]ring
	}{
		{"one ring, counter-clockwise", []ring{ccwOuter}, [][]ring{{ccwOuter}}},
		{"hole after its outer", []ring{outerA, holeA}, [][]ring{{outerA, holeA}}},
		{"hole after another outer", []ring{outerA, outerB, holeA}, [][]ring{{outerA, holeA}, {outerB}}},
		{"hole before its outer", []ring{holeA, outerB, outerA}, [][]ring{{outerB}, {outerA, holeA}}},
		{"hole in no outer: a polygon of its own", []ring{outerB, holeA}, [][]ring{{outerB}, {holeA}}},
		{"smallest containing outer wins", []ring{big, island, islandEye, bigHole}, [][]ring{{big, bigHole}, {island, islandEye}}},
		{"in the box, not the ring", []ring{bigger, notched, inNotch}, [][]ring{{bigger, inNotch}, {notched}}},
		{"hole touching its outer at a vertex", []ring{outerB, outerA, touching}, [][]ring{{outerB}, {outerA, touching}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var in [][]float64
			for _, r := range tc.rings {
				in = append(in, flatRing(r))
			}
			if got := polys(t, polygons(in)); !reflect.DeepEqual(got, ringsOf(tc.want)) {
				t.Errorf("got %v,\nwant %v", got, tc.want)
			}
		})
	}
}

func TestLocate(t *testing.T) {
	sq := []float64{0, 0, 0, 10, 10, 10, 10, 0, 0, 0}
	open := sq[:8] // the same ring, not closed
	for _, tc := range []struct {
		x, y float64
		want int
	}{
		{5, 5, 1}, {15, 5, -1}, {-1, 5, -1}, {0, 5, 0}, {10, 10, 0}, {5, 0, 0}, {5, 10.5, -1}, {0.001, 9.999, 1},
	} {
		for _, r := range [][]float64{sq, open} {
			if got := locate(tc.x, tc.y, r); got != tc.want {
				t.Errorf("(%g %g) in %v: %d, want %d", tc.x, tc.y, r, got, tc.want)
			}
		}
	}
}
