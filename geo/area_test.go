package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// qHand is Snyder's formula 3-12 written out again, independently of the package code.
func qHand(latDeg float64) float64 {
	const a, f = 6378137.0, 1 / 298.257223563
	e2 := f * (2 - f)
	e := math.Sqrt(e2)
	s := math.Sin(latDeg * math.Pi / 180)
	return (1 - e2) * (s/(1-e2*s*s) - math.Log((1-e*s)/(1+e*s))/(2*e))
}

// cellHand is the ellipsoidal area of a quadrangle between two parallels:
// a²·Δλ·(q(φ2) − q(φ1))/2 (the authalic-sphere zone formula).
func cellHand(lat1, lat2, dLon float64) float64 {
	const a = 6378137.0
	return a * a * dLon * math.Pi / 180 * (qHand(lat2) - qHand(lat1)) / 2
}

// cell builds a lon/lat quadrangle whose east–west edges follow the parallels closely: vertices
// every 0.01° along them, so that the geodesic between neighbours strays from the parallel by
// about a centimetre.
func cell(lon1, lat1, lon2, lat2 float64) orb.Polygon {
	var r orb.Ring
	n := int(math.Round((lon2 - lon1) / 0.01))
	for i := 0; i <= n; i++ {
		r = append(r, orb.Point{lon1 + (lon2-lon1)*float64(i)/float64(n), lat1})
	}
	for i := n; i >= 0; i-- {
		r = append(r, orb.Point{lon1 + (lon2-lon1)*float64(i)/float64(n), lat2})
	}
	r = append(r, r[0])
	return orb.Polygon{r}
}

func TestEllipsoidArea(t *testing.T) {
	ring := func(pts ...orb.Point) orb.Ring { return append(orb.Ring(pts), pts[0]) }
	sq := ring(orb.Point{111.5, 36.0}, orb.Point{111.6, 36.0}, orb.Point{111.6, 36.1}, orb.Point{111.5, 36.1})
	hole := ring(orb.Point{111.52, 36.02}, orb.Point{111.52, 36.04}, orb.Point{111.54, 36.04}, orb.Point{111.54, 36.02})
	tests := []struct {
		name string
		geom orb.Geometry
		want float64
		rel  float64
	}{
		// Hand-worked: a²·Δλ·q(1°)/2 with q from formula 3-12 ≈ 12,308,463,894 m².
		{"1°×1° cell at the equator", cell(0, 0, 1, 1), cellHand(0, 1, 1), 1e-7},
		{"1°×1° cell at 36°N", cell(111, 36, 112, 37), cellHand(36, 37, 1), 1e-7},
		{"1°×1° cell at 36°S, clockwise", orb.Polygon{reverse(cell(111, -37, 112, -36)[0])}, cellHand(-37, -36, 1), 1e-7},
		// Values reported by PostGIS 3 ST_Area(geom::geography) (geodesic edges) for the same
		// four-vertex polygons.
		{"0.1° square at Linfen (PostGIS)", orb.Polygon{sq}, 99982357.900, 1e-7},
		{"1°×1° four-vertex cell at the equator, geodesic edges (PostGIS)", orb.Polygon{ring(orb.Point{0, 0}, orb.Point{1, 0}, orb.Point{1, 1}, orb.Point{0, 1})}, 12308778361.47, 1e-6},
		{"0.1° square with hole (PostGIS)", orb.Polygon{sq, hole}, 99982357.900 - 4000292.898, 1e-7},
		{"multipolygon of both", orb.MultiPolygon{{sq}, {ring(orb.Point{111.7, 36.2}, orb.Point{111.72, 36.2}, orb.Point{111.71, 36.22})}}, 99982357.900 + 1995858.561, 1e-7},
		{"line has no area", orb.LineString{{0, 0}, {1, 1}}, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := EllipsoidArea(tc.geom)
			if d := math.Abs(got - tc.want); d > tc.rel*math.Abs(tc.want) {
				t.Errorf("area = %.3f m², want %.3f m² (rel diff %.2g)", got, tc.want, d/tc.want)
			}
		})
	}
}

func TestHandWorkedEquatorCell(t *testing.T) {
	// q(1°) worked by hand from 3-12 with e² = 0.00669437999014: sin 1° = 0.0174524064,
	// q ≈ 2(1−e²)·sinφ·(1 + (2/3)e²sin²φ + …) = 2 × 0.0173355734 × 1.0000013594 = 0.0346711939;
	// area = a²·(π/180)·q/2 = 4.0680631591e13 × 0.0174532925 × 0.0173355970 ≈ 1.23084639e10 m².
	// (PostGIS gives 12,308,778,361 m² for the four-vertex cell because its top edge is a
	// geodesic, which bulges north of the parallel.)
	if got, want := AuthalicZoneArea(0, 1, 1), 12308463894.0; math.Abs(got-want) > 2e3 {
		t.Errorf("AuthalicZoneArea(0,1,1) = %.0f, want ≈ %.0f", got, want)
	}
}

func reverse(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i := range r {
		out[i] = r[len(r)-1-i]
	}
	return out
}
