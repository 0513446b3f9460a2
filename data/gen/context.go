package main

import (
	"math"

	"github.com/paulmach/orb"
)

// CityCentre is Linfen's city centre, about 36.09 N 111.52 E (DOMAIN.md §1): the point the
// land map measures the city's direction and distance from. It is the demo's data, not the
// code's: another zone names its own city centre as a city_centre layout feature.
var CityCentre = orb.Point{111.52, 36.09}

// contextFeatures are the zone's surroundings (layout kinds river, main_road, expressway,
// railway, station, exit, city_centre; migration 0067), drawn around the invented outline so
// that the demo reads like a real place: the Fen river (汾河) west of the old area, which lies
// on its east bank, with the east bank road 滨河东路 between river and zone; the railway
// (南同蒲铁路) and Linfen station east of the old area, then north past Ganting's west side;
// the G5 expressway (京昆高速) further east, with an exit for each part; the city centre.
// The names are real, the lines and points are invented (illustrative, and the points' names
// say 示意); the river meanders deterministically, without randomness, so that the other
// generated data stay as they were.
func (g *gen) contextFeatures() []*feature {
	old, gt := g.old.zoneRing().Bound(), g.gt.zoneRing().Bound()
	line := func(pts ...orb.Point) orb.LineString {
		var l orb.LineString
		for _, p := range pts {
			l = append(l, orb.Point{round7(p[0]), round7(p[1])})
		}
		return l
	}
	// The river's centre line: 400 m west of the old area's westernmost point, meandering
	// by ±110 m, from 5 km south of the zone to 4 km north of it.
	var river orb.LineString
	for lat := old.Min.Y() - 0.05; lat <= gt.Max.Y()+0.04; lat += 0.002 {
		river = append(river, orb.Point{round7(old.Min.X() - 0.0045 + 0.0012*math.Sin(lat*400)), round7(lat)})
	}
	road := line(orb.Point{old.Min.X() - 0.002, old.Min.Y() - 0.02}, orb.Point{old.Min.X() - 0.002, old.Max.Y() + 0.02})
	railX, exprX := old.Max.X()+0.006, old.Max.X()+0.016
	gap := (old.Max.Y() + gt.Min.Y()) / 2 // between the two parts
	rail := line(orb.Point{railX, old.Min.Y() - 0.05}, orb.Point{railX, old.Max.Y() + 0.006},
		orb.Point{gt.Min.X() - 0.012, gt.Min.Y() + 0.004}, orb.Point{gt.Min.X() - 0.012, gt.Max.Y() + 0.04})
	expr := line(orb.Point{exprX, old.Min.Y() - 0.05}, orb.Point{exprX, gap - 0.004},
		orb.Point{gt.Max.X() + 0.012, gap}, orb.Point{gt.Max.X() + 0.012, gt.Max.Y() + 0.04})
	pt := func(x, y float64) orb.Point { return orb.Point{round7(x), round7(y)} }
	midOld, midGt := (old.Min.Y()+old.Max.Y())/2, (gt.Min.Y()+gt.Max.Y())/2
	feat := func(geom orb.Geometry, props map[string]any) *feature {
		return &feature{Type: "Feature", Geometry: geometry{geom}, Properties: props}
	}
	c := func(kind, code, name, nameEN string) map[string]any {
		return map[string]any{"kind": kind, "code": code, "name": name, "name_en": nameEN, "illustrative": true}
	}
	return []*feature{
		feat(river, c("river", "CTX-FEN", "汾河", "Fen River")),
		feat(road, c("main_road", "CTX-BHDL", "滨河东路", "Binhe East Road")),
		feat(rail, c("railway", "CTX-RAIL", "南同蒲铁路", "Nantongpu Railway")),
		feat(expr, c("expressway", "CTX-G5", "京昆高速 G5", "Beijing–Kunming Expressway G5")),
		feat(pt(railX, midOld), c("station", "CTX-STN", "临汾站（示意）", "Linfen Station (illustrative)")),
		feat(pt(exprX, midOld-0.012), c("exit", "CTX-EXIT-OLD", "高速出口·老区（示意）", "Expressway exit, old area (illustrative)")),
		feat(pt(gt.Max.X()+0.012, midGt), c("exit", "CTX-EXIT-GT", "高速出口·甘亭（示意）", "Expressway exit, Ganting (illustrative)")),
		feat(CityCentre, c("city_centre", "CTX-CITY", "临汾市中心", "Linfen city centre")),
	}
}
