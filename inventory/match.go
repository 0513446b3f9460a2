package inventory

import "context"

// SiteNeed is what an investment project (招商项目) needs from a site: the input of site
// matching (选址匹配). A nil number means "no requirement". A project's record becomes a
// SiteNeed (the projects layer converts it); matching itself knows nothing of projects, so it
// can be tested on a hand-made zone and benchmarked on its own.
type SiteNeed struct {
	Zone  string // zone key; matching never crosses zones
	Layer string // "plots" (ready land) or "plants" (standard factory buildings with free space)

	// Land need (用地需求), for Layer "plots".
	AreaMuMin, AreaMuMax *float64 // 亩
	LandUse              string   // land-use class prefix, e.g. "M1"; "" = any
	Cluster              string   // one of Clusters; "" = any
	// Committed per-mu figures (承诺亩均指标), compared with a standard-land plot's preset
	// minimums (min_investment_wan_per_mu, min_tax_wan_per_mu_year, min_output_wan_per_mu).
	InvestmentWanPerMu, TaxWanPerMuYear, OutputWanPerMu *float64
	MaxRoadDistanceM                                    *float64 // distance to the nearest built road

	// Plant need (厂房需求), for Layer "plants".
	PlantAreaM2    *float64 // free area needed
	FloorLoadKNm2  *float64 // floor load needed (kN/m²)
	ClearHeightM   *float64 // clear height needed (m)
	CraneCapacityT *float64 // crane needed (t); nil = no crane needed
}

// MatchCondition is one condition of a match, with its outcome: the condition's name (a stable
// English key such as "area_mu", "land_use", "min_tax_wan_per_mu_year", "road_distance_m"),
// whether it passes, the site's value and what the project requires. For the standard-land
// minimums the roles turn round: Value is the project's committed figure and Required the
// plot's preset minimum. Every condition and its rule: PlotMatchConditions, PlantMatchConditions.
type MatchCondition struct {
	Name     string `json:"name"`
	Pass     bool   `json:"pass"`
	Value    any    `json:"value"`
	Required any    `json:"required"`
}

// SiteMatch is one ranked candidate site: its code, its score (higher is better; the ranking
// rule is documented where it is defined: MatchRanking) and every condition with its outcome.
type SiteMatch struct {
	Code       string           `json:"code"`
	Score      float64          `json:"score"`
	Conditions []MatchCondition `json:"conditions"`
}

// SiteMatcher ranks the ready plots, or the buildings with enough free space, that can take a
// need. It is implemented by the PostGIS store.
type SiteMatcher interface {
	MatchSites(ctx context.Context, need SiteNeed, limit int) ([]SiteMatch, error)
}
