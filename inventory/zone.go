package inventory

import (
	"context"
	"encoding/json"
	"time"
)

// Zone is a development zone (开发区). The inventory may hold many; every feature belongs to
// one. PlannedAreaKm2 is the figure from the zone's plan, which is data (sources differ); the
// measured geodesic area of the boundary is always reported beside it.
type Zone struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	NameEN   string `json:"name_en,omitempty"`
	Province string `json:"province,omitempty"`
	// ProvinceEN, City and CityEN say where the zone is, for the land map's header.
	ProvinceEN string `json:"province_en,omitempty"`
	City       string `json:"city,omitempty"`
	CityEN     string `json:"city_en,omitempty"`
	// Contact is the zone's public contact for investors (招商联系方式), in Chinese and English:
	// an office, a phone number, an email address. Every site sheet shows it.
	Contact        string          `json:"contact,omitempty"`
	ContactEN      string          `json:"contact_en,omitempty"`
	Level          string          `json:"level"`
	PlannedAreaKm2 *float64        `json:"planned_area_km2"`
	AreaKm2        float64         `json:"area_km2"`
	AreaMu         float64         `json:"area_mu"`
	Illustrative   bool            `json:"illustrative"`
	BBox           [4]float64      `json:"bbox"`
	Geometry       json.RawMessage `json:"-"`
}

// ZoneQuery asks for one page of the zones (a national inventory holds thousands), in code
// order: Limit zones (1 to MaxLimit) from Offset (up to MaxOffset), or after the zone coded
// After (a keyset cursor, which costs the same at any depth); only the zones of Province when
// it is set.
type ZoneQuery struct {
	Limit, Offset int
	After         string
	Province      string
}

// Page is one page of a list: the features and how many matched in all.
type Page struct {
	Features      []Feature
	NumberMatched int64
}

// ZoneService answers about the zones (开发区).
type ZoneService interface {
	// DefaultZone is the zone used when a request names none: the one set at start-up, or
	// the first zone by code.
	DefaultZone(ctx context.Context) (string, error)
	// ResolveZone returns the code of the zone a request names: code itself when such a zone
	// exists (ENotFound naming "zone" when none does), the default zone when code is empty.
	ResolveZone(ctx context.Context, code string) (string, error)
	// Zones lists the zones.
	Zones(ctx context.Context) ([]Zone, error)
	// ZonePage returns one page of the zones, in code order, and how many match in all.
	ZonePage(ctx context.Context, q ZoneQuery) (zones []Zone, matched int64, err error)
	// Zone returns the zone with the given code (ENotFound if none).
	Zone(ctx context.Context, code string) (*Zone, error)
}

// FeatureReader reads the features of the layers, live now or as they stood at a time. Every
// method takes the viewer from the context (ViewerFrom): confidential properties are filled
// only for planners and admins.
type FeatureReader interface {
	// List returns one page of q's layer, in code order.
	List(ctx context.Context, q Query) (*Page, error)
	// StreamList writes one page of q's layer, in code order, feature by feature: each call of
	// emit gets one complete GeoJSON Feature (as List's features would marshal). It returns how
	// many features matched in all and how many it emitted. Nothing is held beyond one row.
	StreamList(ctx context.Context, q Query, emit func(feature []byte) error) (matched int64, returned int, err error)
	// Get returns the live feature of layer with the given code in zone (ENotFound if none).
	Get(ctx context.Context, layer *Layer, zone, code string) (*Feature, error)
	// GetAsOf returns the feature as it stood at t (live now when t is nil).
	GetAsOf(ctx context.Context, l *Layer, zone, code string, t *time.Time) (*Feature, error)
	// Revision returns a number that grows whenever anything in the inventory changes (a
	// plot's list may depend on the roads, through near_road_m): collection ETags are built
	// from it.
	Revision(ctx context.Context) (int64, error)
}

// Pinger checks that the store is reachable.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Service reads the inventory: the zones, the features, and the store's health. A handler
// depends on the one of these it uses.
type Service interface {
	ZoneService
	FeatureReader
	Pinger
}
