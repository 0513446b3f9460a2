package shp

import (
	"math"

	"github.com/twpayne/go-geom"
)

// polygons groups the rings of a polygon shape into polygons as GDAL does (organizePolygons,
// as its Shapefile driver calls it): by the format's rule a clockwise ring (y up) is an outer
// ring and a counter-clockwise ring is a hole; each hole belongs to the smallest outer ring that
// contains it, wherever it comes in the shape's part list; a hole that no outer ring contains
// stands as a polygon of its own. A shape of one ring is one polygon, whichever its direction.
// The polygons come in the order of their outer rings, each with its holes in file order.
//
// Each ring is flat XY coordinates. Deciding containment is decoding, not geometry analysis:
// a hole's vertices are located in the candidate ring (the first one not on its boundary
// decides), after a bounding-box test.
func polygons(rings [][]float64) *geom.MultiPolygon {
	n := len(rings)
	area := make([]float64, n)
	box := make([][4]float64, n)
	var outers []int
	for i, r := range rings {
		area[i], box[i] = signedArea(r), bounds(r)
		if area[i] <= 0 || n == 1 { // clockwise (or flat): outer
			outers = append(outers, i)
		}
	}
	// owner[i] is the outer ring ring i is a hole of, or i itself for an outer ring.
	owner := make([]int, n)
	for i := range owner {
		owner[i] = i
	}
	for i, r := range rings {
		if area[i] <= 0 || n == 1 {
			continue
		}
		best := -1
		for _, o := range outers {
			if !within(box[i], box[o]) || best >= 0 && math.Abs(area[o]) >= math.Abs(area[best]) {
				continue
			}
			if inside(r, rings[o]) {
				best = o
			}
		}
		if best >= 0 {
			owner[i] = best
		}
	}
	holes := make([][]int, n)
	for i, o := range owner {
		if o != i {
			holes[o] = append(holes[o], i)
		}
	}
	var flat []float64
	var endss [][]int
	for i, o := range owner {
		if o != i {
			continue
		}
		flat = append(flat, rings[i]...)
		ends := []int{len(flat)}
		for _, h := range holes[i] {
			flat = append(flat, rings[h]...)
			ends = append(ends, len(flat))
		}
		endss = append(endss, ends)
	}
	return geom.NewMultiPolygonFlat(geom.XY, flat, endss)
}

// signedArea is the shoelace sum of a ring (closed or not): negative for a clockwise ring with
// y up. It only decides the ring's role, as the format defines it.
func signedArea(ring []float64) float64 {
	var s float64
	n := len(ring) / 2
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		s += ring[2*j]*ring[2*i+1] - ring[2*i]*ring[2*j+1]
	}
	return s / 2
}

// bounds is a ring's xmin, ymin, xmax, ymax.
func bounds(ring []float64) [4]float64 {
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for i := 0; i+1 < len(ring); i += 2 {
		b = [4]float64{min(b[0], ring[i]), min(b[1], ring[i+1]), max(b[2], ring[i]), max(b[3], ring[i+1])}
	}
	return b
}

// within reports whether box a lies within box b.
func within(a, b [4]float64) bool {
	return a[0] >= b[0] && a[1] >= b[1] && a[2] <= b[2] && a[3] <= b[3]
}

// inside reports whether ring hole lies inside ring outer, judged by the first of its vertices
// that is not on outer's boundary (a hole may touch its outer ring at a vertex). A hole lying
// wholly on the boundary counts as inside.
func inside(hole, outer []float64) bool {
	for i := 0; i+1 < len(hole); i += 2 {
		if loc := locate(hole[i], hole[i+1], outer); loc != 0 {
			return loc > 0
		}
	}
	return true
}

// locate says where the point (x, y) is with respect to ring (closed or not): 1 inside, -1
// outside, 0 on its boundary. It counts the crossings of a ray towards +x (even-odd rule).
func locate(x, y float64, ring []float64) int {
	in := false
	n := len(ring) / 2
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		xi, yi, xj, yj := ring[2*i], ring[2*i+1], ring[2*j], ring[2*j+1]
		if (xj-xi)*(y-yi)-(yj-yi)*(x-xi) == 0 && min(xi, xj) <= x && x <= max(xi, xj) && min(yi, yj) <= y && y <= max(yi, yj) {
			return 0
		}
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	if in {
		return 1
	}
	return -1
}
