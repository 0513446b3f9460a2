package main

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/landinv/landinv/geo"
)

// TargetAreaKm2 is the zone's planned area in the 2020 work plan; the invented boundary is
// scaled until its geodesic area equals it.
const TargetAreaKm2 = 131.76

// part is one piece of the zone: the old area or Ganting.
type part struct {
	key       string // "old" or "ganting"
	f         frame
	base      orb.Ring // unscaled outline, local metres, closed, CCW
	outline   orb.Ring // scaled outline (with split vertices for Ganting)
	districts []*district
	roads     []*roadDef
}

type district struct {
	code, name, nameEn, short string
	shortEn                   string // the short name in English, for plot names
	p                         *part
	ring                      orb.Ring // local metres, closed, CCW
}

type roadDef struct {
	code, name, segment string // segment "" → null
	class, status       string
	year                int // 0 → null
	width               float64
	vert                bool    // runs along v (north–south in the part's frame)
	pos                 float64 // u for vertical roads, v for horizontal ones
	from, to            float64 // extent along the road
	p                   *part
	pieces              []orb.LineString // clipped to the zone, local metres
}

func (r *roadDef) existing() bool { return r.status == "existing" || r.status == "remediation" }

// starOutline draws an irregular, star-shaped (hence simple) ring around the origin.
func (g *gen) starOutline(n int, a, b, amp2, amp3 float64) orb.Ring {
	p2, p3 := g.rng.Float64()*2*math.Pi, g.rng.Float64()*2*math.Pi
	var r orb.Ring
	for k := 0; k < n; k++ {
		th := (float64(k) + (g.rng.Float64()-0.5)*0.5) * 2 * math.Pi / float64(n)
		c, s := math.Cos(th), math.Sin(th)
		rad := a * b / math.Hypot(b*c, a*s)
		rad *= 1 + amp2*math.Sin(2*th+p2) + amp3*math.Sin(3*th+p3)
		rad *= 0.97 + 0.06*g.rng.Float64()
		r = append(r, orb.Point{rad * c, rad * s})
	}
	return closeRing(r)
}

func (p *part) zoneRing() orb.Ring { return ccw(p.f.ring(p.outline)) }

// buildOutlines makes the two parts and scales them about their centres until the geodesic
// area of the whole zone is TargetAreaKm2.
func (g *gen) buildOutlines() {
	g.old = &part{key: "old", f: newFrame(111.545, 36.083, 6)}
	g.old.base = g.starOutline(16, 2900, 2700, 0.05, 0.04)
	g.gt = &part{key: "ganting", f: newFrame(111.625, 36.178, -4)}
	g.gt.base = g.starOutline(24, 6800, 4800, 0.06, 0.05)
	s := 1.0
	for i := 0; i < 8; i++ {
		g.old.outline = scaleRing(g.old.base, s)
		g.gt.outline = scaleRing(g.gt.base, s)
		a := geo.EllipsoidArea(g.zoneGeom()) / 1e6
		s *= math.Sqrt(TargetAreaKm2 / a)
	}
	g.old.outline = scaleRing(g.old.base, s)
	g.gt.outline = scaleRing(g.gt.base, s)
	g.scale = s
}

func (g *gen) zoneGeom() orb.MultiPolygon {
	return orb.MultiPolygon{{g.old.zoneRing()}, {g.gt.zoneRing()}}
}

// insertHit inserts into closed ring r the first crossing of the ray from a through b and
// returns the new ring and the point.
func insertHit(r orb.Ring, a, b orb.Point) (orb.Ring, orb.Point) {
	best, bi, bp := math.Inf(1), -1, orb.Point{}
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
		if t > 0 && s > 0 && s < 1 && t < best {
			best, bi = t, i
			bp = orb.Point{math.Round(a[0] + dx*t), math.Round(a[1] + dy*t)}
		}
	}
	if bi < 0 {
		panic("insertHit: no crossing")
	}
	out := append(orb.Ring{}, r[:bi+1]...)
	out = append(out, bp)
	out = append(out, r[bi+1:]...)
	return out, bp
}

func indexOf(r orb.Ring, p orb.Point) int {
	for i, q := range r[:len(r)-1] {
		if q == p {
			return i
		}
	}
	panic("indexOf: not found")
}

// cyc returns the open ring's points from i to j inclusive, walking forward.
func cyc(r orb.Ring, i, j int) []orb.Point {
	n := len(r) - 1
	var out []orb.Point
	for k := i; ; k = (k + 1) % n {
		out = append(out, r[k])
		if k == j {
			break
		}
	}
	return out
}

// splitU is where the Ganting part is split into the starting area (west) and the expansion
// area (east); 第六大道 runs along it.
const splitU = -300.0

func (g *gen) buildDistricts() {
	g.old.districts = []*district{{code: "D1", name: "老区产城融合区", nameEn: "Old Area Industry–City Integration District",
		short: "老区", shortEn: "Old Area", p: g.old, ring: g.old.outline}}
	// Ganting: split by a vertical line at splitU from the north edge down to Q, then a slanted
	// line to the south edge. The split points are inserted into the outline, so the two
	// districts share vertices exactly and their union is the outline.
	r := g.gt.outline
	r, top := insertHit(r, orb.Point{splitU, 0}, orb.Point{splitU, 1})
	q := orb.Point{splitU, -1500}
	r, bot := insertHit(r, q, orb.Point{splitU - 500, -1500 - 4000})
	g.gt.outline = r
	it, ib := indexOf(r, top), indexOf(r, bot)
	west := closeRing(append(cyc(r, it, ib), q))
	east := closeRing(append(cyc(r, ib, it), q))
	for _, d := range [][2]orb.Point{{top, q}, {q, bot}} {
		for i := 0; i+1 < len(r); i++ {
			if r[i] == d[0] || r[i] == d[1] || r[i+1] == d[0] || r[i+1] == d[1] {
				continue
			}
			if segsCross(d[0], d[1], r[i], r[i+1]) {
				panic("split line crosses the outline")
			}
		}
	}
	g.gt.districts = []*district{
		{code: "D2", name: "甘亭起步区", nameEn: "Ganting Starting Area", short: "甘亭起步区", shortEn: "Ganting Starting Area", p: g.gt, ring: west},
		{code: "D3", name: "甘亭拓展区", nameEn: "Ganting Expansion Area", short: "甘亭拓展区", shortEn: "Ganting Expansion Area", p: g.gt, ring: east},
	}
}

func (g *gen) road(p *part, code, name, seg, class, status string, year int, width float64, vert bool, pos, from, to float64) *roadDef {
	r := &roadDef{code: code, name: name, segment: seg, class: class, status: status, year: year, width: width,
		vert: vert, pos: pos, from: from, to: to, p: p}
	p.roads = append(p.roads, r)
	return r
}

const far = 1e5

func (g *gen) buildRoads() {
	o := g.old
	// West edge of the old area along the Fen river: the service road 滨河东路辅道 runs 250 m
	// inside the easternmost point of the west boundary between v = ±2000.
	west := -far
	for v := -2000.0; v <= 2000; v += 50 {
		pcs := clipLine(o.outline, orb.Point{-far, v}, orb.Point{far, v}, 0)
		if len(pcs) > 0 {
			west = math.Max(west, pcs[0][0][0])
		}
	}
	g.riverRoadU = math.Round(west + 250)
	u := g.riverRoadU
	// Old area, north–south.
	g.road(o, "R-BHDLFD", "滨河东路辅道", "", "secondary", "under_construction", 2020, 20, true, u, -far, far)
	g.road(o, "R-L-J1", "经一路", "", "secondary", "existing", 0, 24, true, -1750, -far, far)
	g.road(o, "R-L-J2", "经二路", "", "branch", "existing", 0, 16, true, -1000, -far, far)
	g.road(o, "R-CXZJ-S", "常兴中街", "南段", "primary", "existing", 0, 32, true, -250, -far, -300)
	g.road(o, "R-CXZJ-N", "常兴中街", "北段", "primary", "remediation", 2020, 32, true, -250, -300, far)
	g.road(o, "R-L-J3", "经三路", "", "branch", "existing", 0, 16, true, 550, -far, far)
	g.road(o, "R-ZDJ", "中大街", "", "primary", "existing", 0, 30, true, 1350, -far, 900)
	g.road(o, "R-ZDJ-N", "中大街", "北延", "primary", "under_construction", 2020, 30, true, 1350, 900, far)
	g.road(o, "R-L-J4", "经四路", "", "secondary", "existing", 0, 20, true, 2150, -far, far)
	// Old area, east–west.
	g.road(o, "R-L-W1", "纬一路", "", "secondary", "existing", 0, 20, false, -1900, u, far)
	g.road(o, "R-HF2W", "河汾二路", "西段", "secondary", "existing", 0, 24, false, -1100, u, 950)
	g.road(o, "R-HF2E", "河汾二路", "东段", "secondary", "under_construction", 2020, 24, false, -1100, 950, far)
	g.road(o, "R-HF1", "河汾一路", "", "secondary", "remediation", 2020, 24, false, -300, u, far)
	g.road(o, "R-HF", "河汾路", "", "trunk", "remediation", 2020, 40, false, 500, -far, far)
	g.road(o, "R-L-W2", "纬二路", "", "branch", "existing", 0, 16, false, 1300, u, far)
	g.road(o, "R-L-W3", "纬三路", "", "secondary", "existing", 0, 20, false, 2100, u, far)

	t := g.gt
	// Ganting, north–south: an existing grid in the starting area (west of splitU), new roads
	// east of it.
	for i, uu := range []float64{-5800, -4900, -4000, -3100, -2200, -1300} {
		cl, w := "branch", 16.0
		if i%2 == 0 {
			cl, w = "secondary", 24
		}
		g.road(t, fmt.Sprintf("R-G-J%d", i+5), fmt.Sprintf("经%s路", cn(i+5)), "", cl, "existing", 0, w, true, uu, -far, far)
	}
	g.road(t, "R-D6", "第六大道", "", "primary", "under_construction", 2020, 40, true, splitU, -far, far)
	g.road(t, "R-G-J12", "经十二路", "", "secondary", "planned", 2027, 24, true, 1600, -far, 1600)
	g.road(t, "R-D9", "第九大道", "", "primary", "preliminary", 2020, 40, true, 3300, -far, far)
	// Ganting, east–west.
	g.road(t, "R-NWH", "南外环", "", "trunk", "existing", 0, 50, false, -3700, -far, splitU)
	g.road(t, "R-NWH-E", "南外环", "东延", "trunk", "under_construction", 2020, 50, false, -3700, splitU, far)
	g.road(t, "R-G-W5", "纬五路", "", "branch", "existing", 0, 16, false, -2850, -far, splitU)
	g.road(t, "R-NDJ", "南大街", "", "primary", "under_construction", 2020, 36, false, -2000, -far, far)
	g.road(t, "R-G-W6", "纬六路", "", "branch", "existing", 0, 16, false, -1150, -far, splitU)
	g.road(t, "R-G-W7", "纬七路", "", "secondary", "existing", 0, 24, false, -300, -far, splitU)
	g.road(t, "R-G-W8", "纬八路", "", "primary", "existing", 0, 36, false, 600, -far, splitU)
	g.road(t, "R-G-W8E", "纬八路", "东延", "primary", "planned", 2026, 36, false, 600, splitU, far)
	g.road(t, "R-G-W9", "纬九路", "", "branch", "existing", 0, 16, false, 1500, -far, splitU)
	g.road(t, "R-G-W10", "纬十路", "", "secondary", "existing", 0, 24, false, 2400, -far, splitU)

	for _, p := range []*part{o, t} {
		for _, r := range p.roads {
			var a, b orb.Point
			if r.vert {
				a, b = orb.Point{r.pos, r.from}, orb.Point{r.pos, r.to}
			} else {
				a, b = orb.Point{r.from, r.pos}, orb.Point{r.to, r.pos}
			}
			// Roads are clipped 5 m inside the zone edge.
			r.pieces = clipLine(p.outline, a, b, 5)
			if len(r.pieces) == 0 {
				panic("road " + r.code + " lies outside the zone")
			}
		}
	}
}

func cn(n int) string {
	d := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	switch {
	case n <= 10:
		return d[n]
	case n < 20:
		return "十" + d[n-10]
	default:
		s := d[n/10] + "十"
		if n%10 != 0 {
			s += d[n%10]
		}
		return s
	}
}

// positions returns the sorted road positions of a part in one direction.
func (p *part) positions(vert bool) []float64 {
	seen := map[float64]bool{}
	var out []float64
	for _, r := range p.roads {
		if r.vert == vert && !seen[r.pos] {
			seen[r.pos] = true
			out = append(out, r.pos)
		}
	}
	sort.Float64s(out)
	return out
}

// halfWidthAt is half the widest road at a position (0 if none).
func (p *part) halfWidthAt(vert bool, pos float64) float64 {
	w := 0.0
	for _, r := range p.roads {
		if r.vert == vert && r.pos == pos {
			w = math.Max(w, r.width/2)
		}
	}
	return w
}

func (g *gen) buildLayoutExtras() {
	// C1: ecological corridor between the Fen river edge of the old area and 滨河东路辅道.
	in := scaleRing(g.old.outline, 0.99)
	c1 := clipHalf(in, func(p orb.Point) float64 { return g.riverRoadU - 20 - p[0] })
	c1 = clipHalf(c1, func(p orb.Point) float64 { return 2200 - p[1] })
	c1 = clipHalf(c1, func(p orb.Point) float64 { return p[1] + 2200 })
	g.c1 = densifyRing(c1, 1000)
	// C2: industrial corridor along 南大街 across Ganting.
	in = scaleRing(g.gt.outline, 0.99)
	c2 := clipHalf(in, func(p orb.Point) float64 { return p[1] + 2450 })
	c2 = clipHalf(c2, func(p orb.Point) float64 { return -1550 - p[1] })
	g.c2 = densifyRing(c2, 1000)
	longest := func(r orb.Ring, a, b orb.Point) orb.LineString {
		var best orb.LineString
		for _, l := range clipLine(r, a, b, 0) {
			if best == nil || planar.Length(l) > planar.Length(best) {
				best = l
			}
		}
		return best
	}
	g.x1 = longest(scaleRing(g.old.outline, 0.97), orb.Point{-250, -far}, orb.Point{-250, far})
	g.x2 = longest(scaleRing(g.gt.outline, 0.97), orb.Point{-far, 600}, orb.Point{far, 600})
	g.x3 = longest(scaleRing(g.gt.outline, 0.97), orb.Point{-2200, -far}, orb.Point{-2200, far})
}
