package inventory

// The supply report: ready standard land (地等项目) and standard-plant space (厂房等项目).

// SupplyRow is ready standard land (地等项目) in one district or cluster.
type SupplyRow struct {
	Key    string  `json:"key"`
	Plots  int64   `json:"plots"`
	AreaMu float64 `json:"area_mu"`
}

// ReadyPlot is one ready standard-land plot with what a buyer commits to.
type ReadyPlot struct {
	Code                  string   `json:"code"`
	Name                  string   `json:"name,omitempty"`
	District              string   `json:"district,omitempty"`
	Cluster               string   `json:"cluster,omitempty"`
	LandUse               string   `json:"land_use"`
	AreaMu                float64  `json:"area_mu"`
	MinInvestmentWanPerMu *float64 `json:"min_investment_wan_per_mu"`
	MinTaxWanPerMuYear    *float64 `json:"min_tax_wan_per_mu_year"`
	MinFAR                *float64 `json:"min_far"`
	MaxFAR                *float64 `json:"max_far"`
}

// PlantSpace is standard-plant floor space (厂房等项目) in one district (or in all).
type PlantSpace struct {
	Key        string   `json:"key"`
	Plants     int64    `json:"plants"`
	FloorM2    float64  `json:"total_floor_area_m2"`
	LeasableM2 float64  `json:"leasable_area_m2"`
	LeasedM2   float64  `json:"leased_area_m2"`
	FreeM2     float64  `json:"free_area_m2"`
	VacancyPct *float64 `json:"vacancy_pct"`
}

// SupplyReport is what the zone can offer an investor on the report date.
type SupplyReport struct {
	ReportHeader
	// Ready is standard land with status ready: total, by district and by cluster (a plot with
	// no cluster counts under "none"), and the plots.
	Ready           SupplyRow   `json:"ready"`
	ReadyByDistrict []SupplyRow `json:"ready_by_district"`
	ReadyByCluster  []SupplyRow `json:"ready_by_cluster"`
	ReadyPlots      []ReadyPlot `json:"ready_plots"`
	// Plants counts completed standard plants (space that can be let today); vacancy = free /
	// leasable. Pipeline counts plants planned or under construction.
	Plants           PlantSpace   `json:"plants"`
	PlantsByDistrict []PlantSpace `json:"plants_by_district"`
	Pipeline         PlantSpace   `json:"pipeline"`
}

// Tables: ready land by district and by cluster, ready plots, plants by district.
func (r *SupplyReport) Tables() []Table {
	ready := func(name, title string, by Column, rows []SupplyRow) Table {
		t := Table{Name: name, Title: title, Columns: []Column{by, colPlots, colAreaMu}}
		for _, x := range append(rows, SupplyRow{Key: "total", Plots: r.Ready.Plots, AreaMu: r.Ready.AreaMu}) {
			t.Rows = append(t.Rows, []any{x.Key, x.Plots, x.AreaMu})
		}
		return t
	}
	byD := ready("ready_by_district", "地等项目(按片区) Ready standard land by district", colDistrict, r.ReadyByDistrict)
	byC := ready("ready_by_cluster", "地等项目(按产业集群) Ready standard land by cluster", colCluster, r.ReadyByCluster)
	pl := Table{Name: "ready_plots", Title: "待供标准地 Ready standard-land plots", Columns: []Column{
		colPlot, colName, colDistrict, colCluster,
		{Key: "land_use", Label: "用地性质", LabelEN: "Land use"}, colAreaMu,
		{Key: "min_investment_wan_per_mu", Label: "投资强度下限", LabelEN: "Min investment", Unit: "万元/亩"},
		{Key: "min_tax_wan_per_mu_year", Label: "亩均税收下限", LabelEN: "Min tax", Unit: "万元/亩·年"},
		{Key: "min_far", Label: "容积率下限", LabelEN: "Min FAR"}, {Key: "max_far", Label: "容积率上限", LabelEN: "Max FAR"},
	}}
	for _, p := range r.ReadyPlots {
		pl.Rows = append(pl.Rows, []any{p.Code, p.Name, p.District, p.Cluster, p.LandUse, p.AreaMu, p.MinInvestmentWanPerMu, p.MinTaxWanPerMuYear, p.MinFAR, p.MaxFAR})
	}
	plants := Table{Name: "plants", Title: "厂房等项目 Standard-plant space (completed)", Columns: []Column{
		colDistrict, {Key: "plants", Label: "栋数", LabelEN: "Buildings"},
		{Key: "total_floor_area_m2", Label: "总建筑面积", LabelEN: "Total floor area", Unit: "m²"},
		{Key: "leasable_area_m2", Label: "可租售面积", LabelEN: "Leasable", Unit: "m²"},
		{Key: "leased_area_m2", Label: "已租售面积", LabelEN: "Leased or sold", Unit: "m²"},
		{Key: "free_area_m2", Label: "空置面积", LabelEN: "Free", Unit: "m²"},
		{Key: "vacancy_pct", Label: "空置率", LabelEN: "Vacancy", Unit: "%"},
	}}
	for _, x := range append(r.PlantsByDistrict, r.Plants) {
		plants.Rows = append(plants.Rows, []any{x.Key, x.Plants, x.FloorM2, x.LeasableM2, x.LeasedM2, x.FreeM2, x.VacancyPct})
	}
	return []Table{byD, byC, pl, plants}
}
