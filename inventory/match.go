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
	// TotalInvestmentWan is the project's total investment (总投资, 万元). Where the project
	// committed no investment per 亩, matching derives it for each plot: see InvestmentPerMu.
	TotalInvestmentWan *float64

	// Plant need (厂房需求), for Layer "plants".
	PlantAreaM2    *float64 // free area needed
	FloorLoadKNm2  *float64 // floor load needed (kN/m²)
	ClearHeightM   *float64 // clear height needed (m)
	CraneCapacityT *float64 // crane needed (t); nil = no crane needed
}

// InvestmentPerMu is the investment intensity (固定资产投资强度, 万元/亩) that site matching
// compares with a standard-land plot's preset minimum (min_investment_wan_per_mu) for a plot of
// areaMu 亩: the project's committed figure when it made one (basis BasisCommitted), else its
// total investment ÷ the plot's area (BasisDerived), else none (nil, ""). The plot is the
// project's whole site, so the intensity it would reach there is what it invests over that
// area; a smaller plot gives a higher intensity.
//
// The national and Shanxi definition is fixed-asset investment (固定资产投资, buildings,
// equipment and land, without working capital) ÷ the land area; projects record only their
// total investment (总投资), which may include working capital, so a derived figure can be
// above the intensity the project will be assessed on. It is labelled derived for that reason,
// and a committed figure always takes precedence. Tax and output per 亩 cannot be derived: a
// project that committed none fails those conditions against a plot presetting a minimum, with
// ReasonNotCommitted. The one SQL statement (inventory/postgis/match.go) computes the same rule.
func (n SiteNeed) InvestmentPerMu(areaMu float64) (*float64, string) {
	switch {
	case n.InvestmentWanPerMu != nil:
		return n.InvestmentWanPerMu, BasisCommitted
	case n.TotalInvestmentWan != nil && areaMu > 0:
		v := *n.TotalInvestmentWan / areaMu
		return &v, BasisDerived
	}
	return nil, ""
}

// The basis of a standard-land condition's value (MatchCondition.Basis), and the reason a
// condition fails for want of a commitment (MatchCondition.Reason).
const (
	BasisCommitted     = "committed"     // the project's committed per-mu figure (承诺)
	BasisDerived       = "derived"       // total investment ÷ the plot's area (按总投资÷面积)
	ReasonNotCommitted = "not_committed" // the plot presets a minimum; the project committed no figure
)

// MatchCondition is one condition of a match, with its outcome: the condition's name (a stable
// English key such as "area_mu", "land_use", "min_tax_wan_per_mu_year", "road_distance_m"),
// whether it passes, the site's value and what the project requires. For the standard-land
// minimums the roles turn round: Value is the project's committed figure and Required the
// plot's preset minimum; Basis says where that value came from (BasisCommitted, BasisDerived;
// empty elsewhere) and Reason why it fails without one (ReasonNotCommitted). Every condition and
// its rule: PlotMatchConditions, PlantMatchConditions.
type MatchCondition struct {
	Name     string `json:"name"`
	Pass     bool   `json:"pass"`
	Value    any    `json:"value"`
	Required any    `json:"required"`
	Basis    string `json:"basis,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// SiteMatch is one ranked candidate site: its code, its score (higher is better; the ranking
// rule is documented where it is defined: MatchRanking) and every condition with its outcome.
type SiteMatch struct {
	Code       string           `json:"code"`
	Score      float64          `json:"score"`
	Conditions []MatchCondition `json:"conditions"`
}

// SiteMatches is one ranking of a need's candidate sites: the best limit of them, and how many
// there are.
type SiteMatches struct {
	// Candidates counts every candidate site ranked (the zone's live ready plots, or its live
	// completed buildings with free space), Passing those that meet every condition; Matches
	// holds the first of them in rank order, at most the limit asked for.
	Candidates int         `json:"candidates"`
	Passing    int         `json:"passing"`
	Matches    []SiteMatch `json:"matches"`
}

// SiteMatcher ranks the ready plots, or the buildings with enough free space, that can take a
// need. It is implemented by the PostGIS store.
type SiteMatcher interface {
	MatchSites(ctx context.Context, need SiteNeed, limit int) (*SiteMatches, error)
}
