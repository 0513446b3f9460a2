package inventory

import (
	"context"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
)

// Site-matching layers (选址匹配的对象): ready plots or standard-plant buildings with free space.
const (
	MatchPlots  = "plots"
	MatchPlants = "plants"
)

// MatchLayers are the layers site matching ranks: ready plots or standard plants with free
// space.
var MatchLayers = []string{MatchPlots, MatchPlants}

// CheckMatchLayer refuses a layer site matching does not rank (EInvalid naming layer).
func CheckMatchLayer(layer string) error {
	if !slices.Contains(MatchLayers, layer) {
		return Errorf(EInvalid, "layer", "must be plots or plants, not %q", layer).With(CodeUnknownValue, map[string]any{"value": layer})
	}
	return nil
}

// The conditions of site matching, by their stable names (MatchCondition.Name), in the order
// a match reports them.
//
// Plots (candidates: the zone's live plots with status ready):
//   - area_mu: the plot's area (亩) lies within [AreaMuMin, AreaMuMax]. Value: the area;
//     Required: {"min", "max"}.
//   - land_use: the plot's land-use code starts with LandUse. Value: the code.
//   - cluster: the plot's cluster is Cluster, or the plot has none (a plot not set aside for a
//     cluster takes any). Value: the plot's cluster (null when none).
//   - min_investment_wan_per_mu, min_tax_wan_per_mu_year, min_output_wan_per_mu: for standard
//     land (标准地) only, the project's committed figure (承诺亩均指标) is at least the plot's
//     preset minimum. Here the roles turn round: Required is the plot's minimum and Value the
//     project's commitment; a plot that is not standard land, or has no such minimum, requires
//     nothing (pass, Required null); a project that committed no figure fails against a plot
//     that presets one (under 承诺制 the commitment is the condition of sale), with Reason
//     "not_committed". The investment per 亩 is the exception: without a commitment it is
//     derived from the total investment ÷ the plot's area (SiteNeed.InvestmentPerMu), Basis
//     "derived" (a committed Value has Basis "committed").
//   - road_distance_m: the geodesic distance from the plot's outline to the nearest built road
//     (ExistingRoadStatuses) is at most MaxRoadDistanceM. Value: that distance in metres (one
//     decimal; null when the zone has no built road).
//
// Plants (candidates: the zone's live completed buildings with some free area):
//   - free_area_m2: free (leasable − leased) area ≥ PlantAreaM2.
//   - floor_load_kn_m2: floor load ≥ FloorLoadKNm2.
//   - floor_height_m: the building's floor height (层高, the layer records no separate clear
//     height) ≥ ClearHeightM.
//   - crane_capacity_t: crane capacity ≥ CraneCapacityT (no requirement when nil); a building
//     with no crane has 0 t, so it meets a need of 0 t. Value: the capacity (null: no crane).
//
// A condition whose requirement is nil (or, for the standard-land figures, which the plot does
// not preset) passes and is reported with Required null; it does not enter the score.
var (
	PlotMatchConditions  = []string{"area_mu", "land_use", "cluster", "min_investment_wan_per_mu", "min_tax_wan_per_mu_year", "min_output_wan_per_mu", "road_distance_m"}
	PlantMatchConditions = []string{"free_area_m2", "floor_load_kn_m2", "floor_height_m", "crane_capacity_t"}
)

// DefaultMatchLimit and MaxMatchLimit bound how many ranked candidates one call returns.
const (
	DefaultMatchLimit = 20
	MaxMatchLimit     = 200
)

// MatchRanking is the ranking rule of site matching (选址排序规则). Its weights come, condition
// by condition, from the call (a per-request override), else from the zone's stored ranking
// (RankingVersion, PUT /api/v1/projects/ranking), else from DefaultMatchWeights.
//
// Every applicable condition (one with a requirement) earns a credit between 0 and 1: 1 when
// it passes; when it fails, a numeric "at least" condition earns value ÷ required (e.g. a
// building with 800 m² free against 1 000 m² needed earns 0.8, a committed tax of 15 against a
// minimum of 20 earns 0.75), the area earns the ratio to the bound it misses (area ÷ min, or
// max ÷ area), and land use, cluster and the road distance earn 0 (no partial credit: the
// distance is only computed for the candidates returned). A missing value earns 0.
//
//	score = 100 × Σ weight·credit ÷ Σ weight, over the applicable conditions (100 when none)
//
// Candidates passing every condition come first, then by score (highest first); ties go to
// the plot whose area is nearest the middle of the range asked for (or the one bound given),
// or the building with the least free area that suffices (best fit, leaving the large spaces
// for large tenants); then by code.
type MatchRanking struct {
	// Weights by condition name (PlotMatchConditions, PlantMatchConditions); a condition
	// missing from the map weighs DefaultMatchWeights' value. Weights are from 0 to
	// MaxMatchWeight; 0 leaves a condition out of the score (it still decides "passes every
	// condition").
	Weights map[string]float64 `json:"weights"`
}

// MaxMatchWeight is the largest weight a condition may carry. Only the ratios of the weights
// matter; the bound keeps a typing slip (1e9) from silently making one condition the only one.
const MaxMatchWeight = 1000

// Over is r with the weights it leaves out taken from base: a per-request override over the
// zone's stored ranking.
func (r MatchRanking) Over(base MatchRanking) MatchRanking {
	out := MatchRanking{Weights: make(map[string]float64, len(r.Weights)+len(base.Weights))}
	for n, w := range base.Weights {
		out.Weights[n] = w
	}
	for n, w := range r.Weights {
		out.Weights[n] = w
	}
	return out
}

// Resolved is every condition of both layers with its weight under r.
func (r MatchRanking) Resolved() map[string]float64 {
	out := make(map[string]float64, len(PlotMatchConditions)+len(PlantMatchConditions))
	for _, n := range slices.Concat(PlotMatchConditions, PlantMatchConditions) {
		out[n] = r.Weight(n)
	}
	return out
}

// RankingVersion is one version of a zone's stored ranking rule (选址排序规则). Version 0 is
// the documented default (DefaultMatchWeights), in force until a planner writes one; every
// change writes the next version, keeping who changed it and when (the older versions stay,
// readable with as_of). Stored holds the weights the planner set; Weights every condition's
// weight in force (the stored one, else the default).
type RankingVersion struct {
	Zone      string             `json:"zone"`
	Version   int                `json:"version"`
	ValidFrom time.Time          `json:"valid_from"`
	ChangedBy string             `json:"changed_by,omitempty"`
	Stored    map[string]float64 `json:"stored"`
	Weights   map[string]float64 `json:"weights"`
}

// ETag is the entity tag of a ranking version, the one If-Match expects when changing it.
func (v *RankingVersion) ETag() string { return `"ranking-` + itoa(v.Version) + `"` }

// MatchRankingService keeps each zone's ranking rule and ranks sites under a given one. It is
// implemented by the PostGIS store. Reading is for those who may see confidential figures
// (planners, leadership); writing for planners and admins.
type MatchRankingService interface {
	// MatchRanking is the zone's ranking in force now, or as of a time.
	MatchRanking(ctx context.Context, zone string, asOf *time.Time) (*RankingVersion, error)
	// PutMatchRanking writes r as the zone's next ranking version. ifMatch, when not empty,
	// must be the ETag of the version in force (else EPrecondition, CodeStaleETag).
	PutMatchRanking(ctx context.Context, zone, ifMatch string, r MatchRanking) (*RankingVersion, error)
	// MatchSitesRanked ranks as SiteMatcher.MatchSites does, with rank's weights over the
	// zone's stored ones.
	MatchSitesRanked(ctx context.Context, need SiteNeed, rank MatchRanking, limit int) (*SiteMatches, error)
}

// DefaultMatchWeights: the hard constraints of a site (its size, its land use, the standard
// land's preset investment and tax, the floor load and height of a building) weigh 3 or 2,
// the rest 1 or 2. Unconfirmed by any zone: a default, configurable per zone (RankingVersion)
// and per call.
var DefaultMatchWeights = map[string]float64{
	"area_mu": 3, "land_use": 3, "cluster": 1,
	"min_investment_wan_per_mu": 2, "min_tax_wan_per_mu_year": 2, "min_output_wan_per_mu": 1,
	"road_distance_m": 2,
	"free_area_m2":    3, "floor_load_kn_m2": 2, "floor_height_m": 2, "crane_capacity_t": 2,
}

// Weight is the weight of the condition name under r.
func (r MatchRanking) Weight(name string) float64 {
	if w, ok := r.Weights[name]; ok {
		return w
	}
	return DefaultMatchWeights[name]
}

// Check refuses an unknown condition name or a weight that is not a number from 0 to
// MaxMatchWeight. Errors are EInvalid naming "weights" (unknown names in sorted order, then the
// conditions in their documented order, so the same input always names the same condition).
func (r MatchRanking) Check() error {
	for _, name := range slices.Sorted(maps.Keys(r.Weights)) {
		if !IsMatchCondition(name) {
			return Errorf(EInvalid, "weights", "unknown match condition %q; known: %s, %s", name,
				strings.Join(PlotMatchConditions, ", "), strings.Join(PlantMatchConditions, ", "))
		}
	}
	for _, name := range slices.Concat(PlotMatchConditions, PlantMatchConditions) {
		if w, ok := r.Weights[name]; ok && !(w >= 0 && w <= MaxMatchWeight) { // NaN fails both
			return Errorf(EInvalid, "weights", "the weight of %s must be a number from 0 to %d", name, MaxMatchWeight).
				With(CodeOutOfRange, map[string]any{"min": 0, "max": MaxMatchWeight})
		}
	}
	return nil
}

// CheckScored refuses weights under which the score of a layer's sites means nothing: every
// condition of the layer weighing 0 (set so, or left out where the default is 0), so that every
// site would score 100. Checked for each of layers (MatchPlots, MatchPlants) on r as it ranks:
// a zone's stored ranking for both layers when it is written, a call's weights over it for the
// layer it ranks (a stored rule written before this check still ranks, every site at 100).
// Errors are EInvalid naming "weights" (CodeRankingPlotsAllZero, CodeRankingPlantsAllZero).
func (r MatchRanking) CheckScored(layers ...string) error {
	scored := func(conds []string) bool {
		return slices.ContainsFunc(conds, func(n string) bool { return r.Weight(n) > 0 })
	}
	for _, l := range layers {
		switch {
		case l == MatchPlots && !scored(MatchConditionsOf(l)):
			return Errorf(EInvalid, "weights", "every condition of plots weighs 0, so every plot would score 100; give at least one a weight above 0").
				With(CodeRankingPlotsAllZero, nil)
		case l == MatchPlants && !scored(MatchConditionsOf(l)):
			return Errorf(EInvalid, "weights", "every condition of standard plants weighs 0, so every building would score 100; give at least one a weight above 0").
				With(CodeRankingPlantsAllZero, nil)
		}
	}
	return nil
}

// MatchConditionsOf is the conditions of a match layer (MatchPlots, MatchPlants), in order; nil
// for another layer.
func MatchConditionsOf(layer string) []string {
	switch layer {
	case MatchPlots:
		return PlotMatchConditions
	case MatchPlants:
		return PlantMatchConditions
	}
	return nil
}

// IsMatchCondition reports whether name is a condition of site matching.
func IsMatchCondition(name string) bool {
	return slices.Contains(PlotMatchConditions, name) || slices.Contains(PlantMatchConditions, name)
}

// CheckSiteNeed refuses a need site matching cannot answer: an unknown layer, an unknown
// cluster, a negative or non-finite figure, or a minimum area above the maximum.
func CheckSiteNeed(n SiteNeed) error {
	if err := CheckMatchLayer(n.Layer); err != nil {
		return err
	}
	if n.Cluster != "" && !slices.Contains(Clusters, n.Cluster) {
		return Errorf(EInvalid, "cluster", "unknown cluster %q", n.Cluster)
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{
		{"area_mu_min", n.AreaMuMin}, {"area_mu_max", n.AreaMuMax},
		{"investment_wan_per_mu", n.InvestmentWanPerMu}, {"tax_wan_per_mu_year", n.TaxWanPerMuYear},
		{"output_wan_per_mu", n.OutputWanPerMu}, {"max_road_distance_m", n.MaxRoadDistanceM},
		{"total_investment_wan", n.TotalInvestmentWan},
		{"plant_area_m2", n.PlantAreaM2}, {"floor_load_kn_m2", n.FloorLoadKNm2},
		{"clear_height_m", n.ClearHeightM}, {"crane_capacity_t", n.CraneCapacityT},
	} {
		if f.v != nil && (*f.v < 0 || math.IsNaN(*f.v) || math.IsInf(*f.v, 0)) {
			return Errorf(EInvalid, f.name, "must be a finite number ≥ 0")
		}
	}
	if n.AreaMuMin != nil && n.AreaMuMax != nil && *n.AreaMuMin > *n.AreaMuMax {
		return Errorf(EInvalid, "area_mu_min", "the minimum area is above the maximum")
	}
	return nil
}

// MatchLimit is limit bounded to [1, MaxMatchLimit], DefaultMatchLimit when ≤ 0.
func MatchLimit(limit int) int {
	if limit <= 0 {
		return DefaultMatchLimit
	}
	return min(limit, MaxMatchLimit)
}
