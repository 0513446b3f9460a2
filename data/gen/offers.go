package main

import (
	"math"
	"math/rand/v2"
)

// Illustrative offer terms (挂牌价, 参考地价, 出让年限; 起租期限) on the land and buildings an
// investor can have now. Assumptions, not quotes:
//   - Reference land price of ready industrial and warehouse land: 15–30 万元/亩. Shanxi's
//     minimum industrial land prices (全国工业用地出让最低价标准, 国土资发〔2006〕307号, grades
//     10–12 for a prefecture-level city's zone) come to about 9–13 万元/亩; zone industrial land in
//     Shanxi's prefecture cities has been offered at roughly 15–30 万元/亩. Commercial land
//     (0901/0902) 60–120 万元/亩, housing (0701) 100–200 万元/亩.
//   - The asking price, on about half of the priced plots, is the reference price plus 0–15 %.
//   - Land-use term: the legal maximum of the land use (城镇国有土地使用权出让和转让暂行条例
//     第十二条): industrial and warehouse 50 years, commercial 40, housing 70.
//   - Standard plants: the asking rent is drawn with the building (extras.go); completed
//     buildings with free floor area state a minimum lease term of 1–5 years.
//
// They are drawn from a random stream of their own, so that adding them changed no other value
// of the demo.
var offerSeed = uint64(0x0ffe)

// offerTerms fills the offer terms of about 70 % of the ready plots and of the completed
// plants with free floor area.
func (g *gen) offerTerms() {
	rng := rand.New(rand.NewPCG(Seed1, Seed2^offerSeed))
	u := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	half := func(x float64) float64 { return math.Round(x*2) / 2 }
	for _, p := range g.plots {
		if p.status != "ready" || rng.Float64() >= 0.7 {
			continue
		}
		var lo, hi float64
		var term int
		switch {
		case industrial(p.landUse) || p.landUse == "1101":
			lo, hi, term = 15, 30, 50
		case p.landUse == "0901" || p.landUse == "0902":
			lo, hi, term = 60, 120, 40
		case p.landUse == "0701":
			lo, hi, term = 100, 200, 70
		default:
			continue // public land is allocated, not offered at a price
		}
		ref := half(u(lo, hi))
		p.props["reference_land_price_wan_per_mu"] = ref
		p.props["lease_term_years"] = term
		if rng.Float64() < 0.5 {
			p.props["asking_price_wan_per_mu"] = half(ref * u(1, 1.15))
		}
	}
	for _, s := range g.plants {
		free, _ := s.props["leasable_area_m2"].(float64)
		leased, _ := s.props["leased_area_m2"].(float64)
		if s.props["status"] != "completed" || free-leased <= 0 {
			continue
		}
		s.props["lease_term_years"] = 1 + rng.IntN(5)
	}
}
