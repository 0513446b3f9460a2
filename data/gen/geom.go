package main

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// frame is a local plane in metres (u along a rotated east, v along a rotated north) around a
// lon/lat origin. It is used only to lay out the invented shapes; over the ±8 km of a zone part
// its distortion is below 0.1%.
type frame struct {
	lon0, lat0 float64 // origin, degrees
	rot        float64 // rotation of the u axis from east, counter-clockwise, radians
	mPerDegLat float64
	mPerDegLon float64
}

func newFrame(lon0, lat0, rotDeg float64) frame {
	const a, f = 6378137.0, 1 / 298.257223563
	e2 := f * (2 - f)
	phi := lat0 * math.Pi / 180
	s := math.Sin(phi)
	w := math.Sqrt(1 - e2*s*s)
	m := a * (1 - e2) / (w * w * w) // meridian radius of curvature
	n := a / w                      // prime-vertical radius of curvature
	return frame{lon0: lon0, lat0: lat0, rot: rotDeg * math.Pi / 180,
		mPerDegLat: m * math.Pi / 180, mPerDegLon: n * math.Cos(phi) * math.Pi / 180}
}

func round7(x float64) float64 { return math.Round(x*1e7) / 1e7 }

// ll converts a local point to rounded lon/lat.
func (f frame) ll(p orb.Point) orb.Point {
	c, s := math.Cos(f.rot), math.Sin(f.rot)
	x := p[0]*c - p[1]*s
	y := p[0]*s + p[1]*c
	return orb.Point{round7(f.lon0 + x/f.mPerDegLon), round7(f.lat0 + y/f.mPerDegLat)}
}

func (f frame) ring(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[i] = f.ll(p)
	}
	return out
}

func (f frame) line(l orb.LineString) orb.LineString {
	out := make(orb.LineString, len(l))
	for i, p := range l {
		out[i] = f.ll(p)
	}
	return out
}

func closeRing(r orb.Ring) orb.Ring {
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	return r
}

// ccw makes a closed ring counter-clockwise (RFC 7946 outer rings).
func ccw(r orb.Ring) orb.Ring {
	if planar.Area(r) < 0 {
		out := make(orb.Ring, len(r))
		for i := range r {
			out[i] = r[len(r)-1-i]
		}
		return out
	}
	return r
}

func cross(o, a, b orb.Point) float64 {
	return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
}

// segsCross reports whether segments ab and cd intersect (including touching).
func segsCross(a, b, c, d orb.Point) bool {
	d1, d2 := cross(c, d, a), cross(c, d, b)
	d3, d4 := cross(a, b, c), cross(a, b, d)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	on := func(p, q, r orb.Point) bool {
		return math.Min(p[0], q[0]) <= r[0] && r[0] <= math.Max(p[0], q[0]) &&
			math.Min(p[1], q[1]) <= r[1] && r[1] <= math.Max(p[1], q[1])
	}
	return (d1 == 0 && on(c, d, a)) || (d2 == 0 && on(c, d, b)) ||
		(d3 == 0 && on(a, b, c)) || (d4 == 0 && on(a, b, d))
}

// rect is an axis-aligned rectangle in a local frame.
type rect struct{ u0, v0, u1, v1 float64 }

func (r rect) w() float64    { return r.u1 - r.u0 }
func (r rect) h() float64    { return r.v1 - r.v0 }
func (r rect) area() float64 { return r.w() * r.h() }
func (r rect) grow(d float64) rect {
	return rect{r.u0 - d, r.v0 - d, r.u1 + d, r.v1 + d}
}
func (r rect) ring() orb.Ring {
	return orb.Ring{{r.u0, r.v0}, {r.u1, r.v0}, {r.u1, r.v1}, {r.u0, r.v1}, {r.u0, r.v0}}
}

// ringInside reports whether the closed ring a lies wholly inside the closed ring b: every
// vertex of a inside b and no edges crossing.
func ringInside(a, b orb.Ring) bool {
	for _, p := range a[:len(a)-1] {
		if !planar.RingContains(b, p) {
			return false
		}
	}
	for i := 0; i+1 < len(a); i++ {
		for j := 0; j+1 < len(b); j++ {
			if segsCross(a[i], a[i+1], b[j], b[j+1]) {
				return false
			}
		}
	}
	return true
}

// clipLine returns the pieces of segment ab that lie inside ring r, shrunk by pull metres at
// each end that meets the boundary.
func clipLine(r orb.Ring, a, b orb.Point, pull float64) []orb.LineString {
	ts := []float64{0, 1}
	dx, dy := b[0]-a[0], b[1]-a[1]
	for i := 0; i+1 < len(r); i++ {
		c, d := r[i], r[i+1]
		ex, ey := d[0]-c[0], d[1]-c[1]
		den := dx*ey - dy*ex
		if den == 0 {
			continue
		}
		t := ((c[0]-a[0])*ey - (c[1]-a[1])*ex) / den
		s := ((c[0]-a[0])*dy - (c[1]-a[1])*dx) / den
		if t > 0 && t < 1 && s >= 0 && s <= 1 {
			ts = append(ts, t)
		}
	}
	sort.Float64s(ts)
	l := math.Hypot(dx, dy)
	at := func(t float64) orb.Point { return orb.Point{a[0] + dx*t, a[1] + dy*t} }
	var out []orb.LineString
	for i := 0; i+1 < len(ts); i++ {
		t0, t1 := ts[i], ts[i+1]
		if !planar.RingContains(r, at((t0+t1)/2)) {
			continue
		}
		if t0 > 0 {
			t0 += pull / l
		}
		if t1 < 1 {
			t1 -= pull / l
		}
		if (t1-t0)*l < 100 {
			continue
		}
		out = append(out, orb.LineString{at(t0), at(t1)})
	}
	return out
}

// clipHalf clips ring r (closed) to the half-plane where keep(p) >= 0, keep being linear
// (Sutherland–Hodgman).
func clipHalf(r orb.Ring, keep func(orb.Point) float64) orb.Ring {
	var out orb.Ring
	n := len(r) - 1
	for i := 0; i < n; i++ {
		p, q := r[i], r[i+1]
		kp, kq := keep(p), keep(q)
		if kp >= 0 {
			out = append(out, p)
		}
		if (kp >= 0) != (kq >= 0) {
			t := kp / (kp - kq)
			out = append(out, orb.Point{p[0] + (q[0]-p[0])*t, p[1] + (q[1]-p[1])*t})
		}
	}
	return closeRing(out)
}

// scaleRing scales a ring about the origin.
func scaleRing(r orb.Ring, s float64) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[i] = orb.Point{p[0] * s, p[1] * s}
	}
	return out
}

func segDist(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
}

// ringLineDist is the distance between a closed ring (as an area) and a polyline.
func ringLineDist(r orb.Ring, l orb.LineString) float64 {
	for _, p := range l {
		if planar.RingContains(r, p) {
			return 0
		}
	}
	best := math.Inf(1)
	for i := 0; i+1 < len(r); i++ {
		for j := 0; j+1 < len(l); j++ {
			if segsCross(r[i], r[i+1], l[j], l[j+1]) {
				return 0
			}
			best = math.Min(best, segDist(r[i], l[j], l[j+1]))
			best = math.Min(best, segDist(l[j], r[i], r[i+1]))
		}
	}
	if n := len(l); n > 0 {
		for i := 0; i+1 < len(r); i++ {
			best = math.Min(best, segDist(l[n-1], r[i], r[i+1]))
		}
	}
	return best
}

// densifyRing adds vertices so that no edge is longer than maxLen (keeps long straight clip
// edges from straying from the geodesic that PostGIS draws between their ends).
func densifyRing(r orb.Ring, maxLen float64) orb.Ring {
	var out orb.Ring
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		n := int(math.Ceil(math.Hypot(b[0]-a[0], b[1]-a[1]) / maxLen))
		for k := 0; k < n; k++ {
			t := float64(k) / float64(n)
			out = append(out, orb.Point{math.Round(a[0] + (b[0]-a[0])*t), math.Round(a[1] + (b[1]-a[1])*t)})
		}
	}
	return closeRing(out)
}
