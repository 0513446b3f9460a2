package main

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/landinv/landinv/geo"
)

// plot is one invented land parcel, laid out as a rectangle (sometimes with a cut corner) in
// its part's local frame.
type plot struct {
	d          *district
	r          rect
	ring       orb.Ring // local metres, closed, CCW
	areaM2     float64  // geodesic area of the rounded lon/lat ring (used only to size figures)
	dExisting  float64  // distance to the nearest existing or remediated road, m
	dNew       float64  // distance to the nearest new, planned or preliminary road, m
	code, name string
	nameEN     string
	park       bool // standard-plant park
	props      map[string]any
	// filled in by attributes
	landUse, status string
	idleTest        bool
}

func (p *plot) mu() float64 { return geo.MuFromSquareMetres(p.areaM2) }

const (
	setback   = 15.0 // from road edge to plot
	plotGap   = 16.0 // between neighbouring plots (≥ 10 m)
	edgeClear = 25.0 // from district and zone boundaries (≥ 15 m)
	minPlotM2 = 6 * geo.SquareMetresPerMu
	maxPlotM2 = 480 * geo.SquareMetresPerMu
)

// drawArea draws a plot size with a log-normal skew: median ~50 亩, many 20–120 亩, few > 300.
func (g *gen) drawArea() float64 {
	mu := math.Exp(math.Log(50) + 0.75*g.rng.NormFloat64())
	mu = math.Max(6, math.Min(470, mu))
	return geo.SquareMetresFromMu(mu)
}

// fillChance is the share of blocks that carry plots; the rest is farmland or open land.
func (g *gen) fillChance(p *part, c rect) float64 {
	mu, mv := (c.u0+c.u1)/2, (c.v0+c.v1)/2
	if p == g.old {
		if mu < g.riverRoadU {
			return 0 // ecological corridor
		}
		return 0.6
	}
	switch {
	case mu < splitU && mv < 1100 && mu > -5400: // starting-area core
		return 0.33
	case mu < splitU:
		return 0.04
	case mu < 3300 && mv < 600: // opened up by the new roads
		return 0.3
	default:
		return 0.02
	}
}

func (g *gen) buildPlots() {
	for _, p := range []*part{g.old, g.gt} {
		b := p.outline.Bound()
		us := append([]float64{b.Min[0]}, p.positions(true)...)
		us = append(us, b.Max[0])
		vs := append([]float64{b.Min[1]}, p.positions(false)...)
		vs = append(vs, b.Max[1])
		for j := 0; j+1 < len(vs); j++ {
			for i := 0; i+1 < len(us); i++ {
				c := rect{us[i], vs[j], us[i+1], vs[j+1]}
				if g.rng.Float64() >= g.fillChance(p, c) {
					continue
				}
				m := func(vert bool, pos float64) float64 {
					if hw := p.halfWidthAt(vert, pos); hw > 0 {
						return hw + setback
					}
					return 0
				}
				blk := rect{c.u0 + m(true, c.u0), c.v0 + m(false, c.v0), c.u1 - m(true, c.u1), c.v1 - m(false, c.v1)}
				if blk.w() < 60 || blk.h() < 60 {
					continue
				}
				for _, r := range g.subdivide(blk) {
					g.place(p, r)
				}
			}
		}
	}
}

// place keeps a plot rectangle if it lies, with edgeClear to spare, inside one district.
func (g *gen) place(p *part, r rect) {
	if r.area() < minPlotM2 {
		return
	}
	grown := r.grow(edgeClear).ring()
	for _, d := range p.districts {
		if !ringInside(grown, d.ring) {
			continue
		}
		ring := r.ring()
		if g.rng.Float64() < 0.18 && r.w() > 80 && r.h() > 80 {
			// cut one corner
			cu := 10 + 25*g.rng.Float64()
			cv := 10 + 25*g.rng.Float64()
			k := g.rng.IntN(4)
			corners := []orb.Point{{r.u0, r.v0}, {r.u1, r.v0}, {r.u1, r.v1}, {r.u0, r.v1}}
			var out orb.Ring
			for i, q := range corners {
				if i != k {
					out = append(out, q)
					continue
				}
				prev, next := corners[(i+3)%4], corners[(i+1)%4]
				step := func(from, to orb.Point, d float64) orb.Point {
					l := math.Hypot(to[0]-from[0], to[1]-from[1])
					return orb.Point{from[0] + (to[0]-from[0])*d/l, from[1] + (to[1]-from[1])*d/l}
				}
				dPrev, dNext := cv, cu
				if prev[1] == q[1] {
					dPrev, dNext = cu, cv
				}
				out = append(out, step(q, prev, dPrev), step(q, next, dNext))
			}
			ring = closeRing(out)
		}
		pl := &plot{d: d, r: r, ring: ring}
		pl.areaM2 = geo.EllipsoidArea(orb.Polygon{p.f.ring(ring)})
		if pl.mu() < 5.5 || pl.mu() > 495 {
			return
		}
		pl.dExisting, pl.dNew = math.Inf(1), math.Inf(1)
		dAny := math.Inf(1)
		for _, rd := range p.roads {
			for _, l := range rd.pieces {
				dAny = math.Min(dAny, ringLineDist(ring, l))
				dist := ringLineDist(ring, l) - rd.width/2
				if rd.existing() {
					pl.dExisting = math.Min(pl.dExisting, dist)
				} else {
					pl.dNew = math.Min(pl.dNew, dist)
				}
			}
		}
		if dAny > 200 {
			// Keep only a handful of plots far from every road.
			g.farN++
			if g.farN%6 != 1 {
				return
			}
		}
		g.plots = append(g.plots, pl)
		return
	}
}

// subdivide cuts a block into strips parallel to its long side and the strips into plots.
func (g *gen) subdivide(b rect) []rect {
	long := b.w() >= b.h()
	depth := b.h()
	length := b.w()
	if !long {
		depth, length = b.w(), b.h()
	}
	n := 2
	if depth < 260 {
		n = 1
	} else if depth > 600 && g.rng.Float64() < 0.3 {
		n = 3
	}
	sd := (depth - plotGap*float64(n-1)) / float64(n)
	var out []rect
	mk := func(a0, a1, d0, d1 float64) rect { // along, across → rect
		if long {
			return rect{b.u0 + a0, b.v0 + d0, b.u0 + a1, b.v0 + d1}
		}
		return rect{b.u0 + d0, b.v0 + a0, b.u0 + d1, b.v0 + a1}
	}
	for s := 0; s < n; s++ {
		d0 := float64(s) * (sd + plotGap)
		pos := 0.0
		for pos < length-1 {
			rem := length - pos
			w := math.Max(35, g.drawArea()/sd)
			if w*sd > maxPlotM2 {
				w = maxPlotM2 / sd
			}
			if rem-w-plotGap < 40 {
				w = rem
				if w*sd > maxPlotM2 {
					w = rem/2 - plotGap/2
				}
			}
			if w < 35 {
				break
			}
			if w < 90 && sd > 150 && g.rng.Float64() < 0.5 {
				f := sd * (0.4 + 0.2*g.rng.Float64())
				out = append(out, mk(pos, pos+w, d0, d0+f), mk(pos, pos+w, d0+f+plotGap, d0+sd))
			} else {
				out = append(out, mk(pos, pos+w, d0, d0+sd))
			}
			pos += w + plotGap
		}
	}
	return out
}
