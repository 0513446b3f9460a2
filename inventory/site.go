package inventory

import "context"

// SiteMap is a small map of one site (a plot or a building) and its neighbours, drawn by PostGIS
// as SVG path data (ST_AsSVG) for the site sheet (地块/厂房推介单). Coordinates are Web Mercator
// metres (EPSG:3857) with y pointing down, as ST_AsSVG writes them, so ViewBox can be used as
// the SVG's viewBox directly.
type SiteMap struct {
	// ViewBox is minX, minY, width, height of the map, in the paths' coordinates.
	ViewBox [4]float64
	// Site is the outline of the site itself.
	Site string
	// Plots, Plants and Roads are the live neighbours inside the view (the site excluded).
	Plots  []MapShape
	Plants []MapShape
	Roads  []MapShape
	// Zone is the zone's boundary, clipped to the view.
	Zone string
	// MetresPerUnit converts a length in the paths' units to metres on the ground at the map's
	// centre (Web Mercator stretches lengths by 1/cos(latitude)).
	MetresPerUnit float64
}

// MapShape is one neighbour on a SiteMap: its code, name, status and SVG path; LabelX/LabelY
// is where its name may be written (a point on it, in the path's coordinates).
type MapShape struct {
	Code   string
	Name   string
	NameEN string
	Status string
	Path   string
	LabelX float64
	LabelY float64
}

// SiteService draws what a site sheet needs beyond the read services.
type SiteService interface {
	// SiteMap draws the live feature code of layer (plots or plants) in zone and its
	// neighbours; ENotFound naming code when there is none. Only public geometry and names
	// are read.
	SiteMap(ctx context.Context, l *Layer, zone, code string) (*SiteMap, error)
}

// Explanation is a plain explanation of a field for investors, in Chinese and English.
type Explanation struct {
	ZH string
	EN string
}

// IndicatorExplanations explains the standard-land control indicators (标准地控制指标,
// DOMAIN.md §3) and the terms a site sheet shows, by field name.
var IndicatorExplanations = map[string]Explanation{
	"min_investment_wan_per_mu": {"项目固定资产投资总额除以用地面积，不得低于此值。", "Fixed-asset investment divided by the land area must reach at least this."},
	"min_tax_wan_per_mu_year":   {"投产后每亩用地每年缴纳的税收，不得低于此值。", "Taxes paid per mu of land each year once in production must reach at least this."},
	"min_output_wan_per_mu":     {"投产后每亩用地每年的产值，不得低于此值。", "Annual output value per mu of land once in production must reach at least this."},
	"min_far":                   {"总建筑面积与用地面积之比的下限：建得太少的土地视为低效。", "Floor area divided by land area must be at least this: land built too thinly counts as under-used."},
	"max_far":                   {"总建筑面积与用地面积之比的上限。", "Floor area divided by land area may be at most this."},
	"min_building_coverage_pct": {"建筑物、构筑物占地面积占用地面积的比例，不得低于此值。", "The share of the land covered by buildings and structures must be at least this."},
	"max_green_ratio_pct":       {"绿地面积占用地面积的比例，不得高于此值（工业用地不鼓励大面积绿化）。", "The share of the land used as green space may be at most this (industrial land is meant for production)."},
	"max_admin_share_pct":       {"办公及生活服务设施用地占总用地的比例，不得高于此值。", "Land for offices and staff facilities may take at most this share of the site."},
	"max_energy_tce_per_wan":    {"每万元增加值消耗的能源（折合吨标准煤），不得高于此值。", "Energy used per 10,000 yuan of value added, in tonnes of standard coal equivalent, may be at most this."},
	"environmental_standard":    {"项目须满足的污染物排放和环境准入要求。", "The emission and environmental entry rules the project must meet."},
	"min_rd_share_pct":          {"研发经费占营业收入的比例，不得低于此值。", "R&D spending as a share of revenue must be at least this."},
}
