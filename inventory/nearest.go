package inventory

import "context"

// NearestRoad is the road (道路) closest to a feature and how far it is: the shortest distance
// on the ellipsoid between the feature's outline and the road's centre line, in metres (0 when
// the road touches or crosses the feature). PostGIS computes it.
type NearestRoad struct {
	Code      string  `json:"code"`
	Name      string  `json:"name"`
	NameEN    string  `json:"name_en,omitempty"`
	Status    string  `json:"status"`
	DistanceM float64 `json:"distance_m"`
}

// LandUse is one land-use code (用地用海分类 or GB/T 21010) with its Chinese and English name.
type LandUse struct {
	Code   string `json:"code"`
	Scheme string `json:"scheme"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Parent string `json:"parent,omitempty"`
}

// MapService answers what the land map needs beyond the read Service: the nearest road of a
// plot and the land-use code list.
type MapService interface {
	// NearestRoads returns, for the live plot with the given code, the nearest live road of
	// any status and the nearest existing one (nil when the zone has none); ENotFound when the
	// plot does not exist.
	NearestRoads(ctx context.Context, zone, plotCode string) (nearest, existing *NearestRoad, err error)
	// LandUses lists the land-use codes in code order.
	LandUses(ctx context.Context) ([]LandUse, error)
}
