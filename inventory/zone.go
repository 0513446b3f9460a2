package inventory

import (
	"context"
	"encoding/json"
)

// Zone is a development zone (开发区). The inventory may hold many; every feature belongs to
// one. PlannedAreaKm2 is the figure from the zone's plan, which is data (sources differ); the
// measured geodesic area of the boundary is always reported beside it.
type Zone struct {
	Code           string          `json:"code"`
	Name           string          `json:"name"`
	NameEN         string          `json:"name_en,omitempty"`
	Province       string          `json:"province,omitempty"`
	Level          string          `json:"level"`
	PlannedAreaKm2 *float64        `json:"planned_area_km2"`
	AreaKm2        float64         `json:"area_km2"`
	AreaMu         float64         `json:"area_mu"`
	Illustrative   bool            `json:"illustrative"`
	BBox           [4]float64      `json:"bbox"`
	Geometry       json.RawMessage `json:"-"`
}

// Page is one page of a list: the features and how many matched in all.
type Page struct {
	Features      []Feature
	NumberMatched int64
}

// Service reads the inventory. Every method takes the viewer from the context
// (ViewerFrom): confidential properties are filled only for planners and admins.
type Service interface {
	// DefaultZone is the zone used when a request names none: the one set at start-up, or
	// the first zone by code.
	DefaultZone(ctx context.Context) (string, error)
	// Zones lists the zones.
	Zones(ctx context.Context) ([]Zone, error)
	// Zone returns the zone with the given code (ENotFound if none).
	Zone(ctx context.Context, code string) (*Zone, error)
	// List returns one page of q's layer, in code order.
	List(ctx context.Context, q Query) (*Page, error)
	// StreamList writes one page of q's layer, in code order, feature by feature: each call of
	// emit gets one complete GeoJSON Feature (as List's features would marshal). It returns how
	// many features matched in all and how many it emitted. Nothing is held beyond one row.
	StreamList(ctx context.Context, q Query, emit func(feature []byte) error) (matched int64, returned int, err error)
	// Get returns the live feature of layer with the given code in zone (ENotFound if none).
	Get(ctx context.Context, layer *Layer, zone, code string) (*Feature, error)
	// Revision returns a number that grows whenever anything in the inventory changes (a
	// plot's list may depend on the roads, through near_road_m): collection ETags are built
	// from it.
	Revision(ctx context.Context) (int64, error)
	// Ping checks that the store is reachable.
	Ping(ctx context.Context) error
}
