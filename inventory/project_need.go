package inventory

import "strings"

// ProjectSiteNeed converts a project (a feature of ProjectLayer, read by a viewer who sees its
// confidential fields) into what it needs from a site on layer (MatchLayers) in zone: the land
// need, committed per-mu figures and total investment (from which matching derives the
// investment per 亩 where none was committed: SiteNeed.InvestmentPerMu) for "plots", the plant
// need for "plants". A field left
// empty on the project is no requirement. A layer that is neither is EInvalid naming layer.
func ProjectSiteNeed(f *Feature, zone, layer string) (SiteNeed, error) {
	if err := CheckMatchLayer(layer); err != nil {
		return SiteNeed{}, err
	}
	p := f.Confidential
	if p == nil {
		return SiteNeed{}, Errorf(EForbidden, "", "the project's figures are confidential")
	}
	n := SiteNeed{Zone: zone, Layer: layer}
	if layer == "plots" {
		n.AreaMuMin, n.AreaMuMax = needNumber(p["area_mu_min"]), needNumber(p["area_mu_max"])
		n.LandUse, _ = p["land_use"].(string)
		n.LandUse = strings.TrimSpace(n.LandUse)
		n.Cluster, _ = p["cluster"].(string)
		n.InvestmentWanPerMu = needNumber(p["investment_wan_per_mu"])
		n.TotalInvestmentWan = needNumber(p["total_investment_wan"])
		n.TaxWanPerMuYear = needNumber(p["tax_wan_per_mu_year"])
		n.OutputWanPerMu = needNumber(p["output_wan_per_mu"])
		n.MaxRoadDistanceM = needNumber(p["max_road_distance_m"])
		return n, nil
	}
	n.PlantAreaM2 = needNumber(p["plant_area_m2"])
	n.FloorLoadKNm2 = needNumber(p["floor_load_kn_m2"])
	n.ClearHeightM = needNumber(p["clear_height_m"])
	n.CraneCapacityT = needNumber(p["crane_capacity_t"])
	return n, nil
}

// needNumber reads a property's number (as the store gives it); nil when absent.
func needNumber(v any) *float64 {
	if x, ok := number(v); ok {
		return &x
	}
	return nil
}
