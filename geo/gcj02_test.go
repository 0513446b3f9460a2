package geo

import (
	"math"
	"testing"
)

// Published reference pairs of the GCJ-02 transform (the same figures appear in several
// independent implementations' test suites).
func TestWGS84ToGCJ02Reference(t *testing.T) {
	cases := []struct {
		name             string
		lon, lat         float64
		wantLon, wantLat float64
		tol              float64 // degrees
	}{
		// Two independent implementations give exactly this pair.
		{"Beijing, Tiananmen", 116.404, 39.915, 116.41024449916938, 39.91640428150164, 1e-11},
		// These come from implementations with slightly different constants: they agree
		// to about 1 cm (1e-7°), far below what a map shows.
		{"116E 40N", 116.0, 40.0, 116.006141221789, 40.001213650174, 2e-7},
		{"Jiaxing", 121.0917077, 30.6107779, 121.09626935575027, 30.608604331756705, 2e-7},
		{"outside China is unchanged", 2.35, 48.85, 2.35, 48.85, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lon, lat := WGS84ToGCJ02(c.lon, c.lat)
			if math.Abs(lon-c.wantLon) > c.tol || math.Abs(lat-c.wantLat) > c.tol {
				t.Errorf("WGS84ToGCJ02(%v, %v) = %.12f, %.12f; want %.12f, %.12f", c.lon, c.lat, lon, lat, c.wantLon, c.wantLat)
			}
		})
	}
}

// At Linfen the shift is about 550 m east and ~20 m south (DOMAIN.md §7). The offset is
// measured in metres on a local tangent plane of the sphere (R = 6371 km), good to well under
// a metre over ~500 m.
func TestGCJ02ShiftAtLinfen(t *testing.T) {
	const r = 6371008.8
	for _, p := range []struct {
		name     string
		lon, lat float64
	}{
		{"city centre", 111.52, 36.09},
		{"Ganting starting area", 111.61, 36.16},
	} {
		t.Run(p.name, func(t *testing.T) {
			lon, lat := WGS84ToGCJ02(p.lon, p.lat)
			east := (lon - p.lon) * math.Pi / 180 * r * math.Cos(p.lat*math.Pi/180)
			north := (lat - p.lat) * math.Pi / 180 * r
			if east < 450 || east > 650 {
				t.Errorf("east shift %.1f m, want about 550 m", east)
			}
			if north > 0 || north < -60 {
				t.Errorf("north shift %.1f m, want about 20 m south", north)
			}
			t.Logf("%s: shifted %.1f m east, %.1f m north", p.name, east, north)
		})
	}
}

func TestGCJ02RoundTrip(t *testing.T) {
	for _, p := range [][2]float64{{111.52, 36.09}, {111.61, 36.16}, {116.404, 39.915}, {87.6, 43.8}, {121.5, 31.2}} {
		gLon, gLat := WGS84ToGCJ02(p[0], p[1])
		wLon, wLat := GCJ02ToWGS84(gLon, gLat)
		if math.Abs(wLon-p[0]) > 1e-9 || math.Abs(wLat-p[1]) > 1e-9 {
			t.Errorf("round trip of %v gave %.12f, %.12f", p, wLon, wLat)
		}
	}
}
