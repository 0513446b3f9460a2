package inventory

import "github.com/landinv/landinv/geo"

// Plot statuses (地块状态), in lifecycle order. A plot moves one step forward at a time:
// planned → ready → reserved → supplied → under_construction → in_production. A reservation may
// lapse (reserved → ready), any status may become idle, and idle land may be re-offered or
// resumed (idle → ready | reserved | supplied | under_construction | in_production).
// The database enforces this between consecutive versions; a restore is exempt, since undoing
// a mistake must be possible.
var PlotStatuses = []string{"planned", "ready", "reserved", "supplied", "under_construction", "in_production", "idle"}

// Clusters are the zone's five industry clusters (五大产业集群) from its 2020 work plan.
var Clusters = []string{"intelligent_manufacturing", "energy_saving_environmental", "new_energy", "new_materials", "modern_services"}

// EvalClasses are the land-status classes of the national land-use intensity evaluation
// (开发区土地集约利用评价, DOMAIN.md §6): A built-up, B not yet built, C not buildable.
var EvalClasses = []string{"A1", "A2", "A31", "A32", "A4", "A51", "A52", "A6", "B11", "B12", "B21", "B22", "C1", "C2", "C3"}

// SupplyClasses: D supplied (D1 allocated, D21 paid and not expired, D22 expired and not
// disposed), E still suppliable, F not suppliable.
var SupplyClasses = []string{"D1", "D21", "D22", "E", "F"}

// HightechClasses: H1 and H2 high-tech industry land.
var HightechClasses = []string{"H1", "H2"}

// PlotLayer is the layer of plots (地块): parcels of land with their use, cluster, status and,
// for standard land (标准地), the control indicators a buyer commits to (DOMAIN.md §3).
//
// Rules: code is unique among the zone's live plots; plots lie inside the zone and overlap no
// other plot by more than 1 m²; area_m2/area_mu/area_ha are computed on the ellipsoid; district
// is the district holding most of the plot unless given.
var PlotLayer = &Layer{
	Name: "plots", Table: "plots", Label: "地块", LabelEN: "Plots", Geometry: "polygon",
	Fields: append(versionFields(),
		Field{Name: "name", Type: Text, Label: "名称", LabelEN: "Name"},
		Field{Name: "name_en", Type: Text, Label: "英文名称", LabelEN: "English name"},
		Field{Name: "district", Type: Text, Label: "片区", LabelEN: "District", Derived: true},
		Field{Name: "land_use", Type: Text, Label: "用地性质", LabelEN: "Land use", Required: true},
		Field{Name: "cluster", Type: Enum, Enum: Clusters, Label: "产业集群", LabelEN: "Industry cluster"},
		Field{Name: "status", Type: Enum, Enum: PlotStatuses, Label: "状态", LabelEN: "Status", Required: true},
		Field{Name: "standard_land", Type: Bool, Label: "标准地", LabelEN: "Standard land"},
		Field{Name: "min_investment_wan_per_mu", Type: Number, Unit: "万元/亩", Label: "固定资产投资强度(下限)", LabelEN: "Fixed-asset investment intensity (min)"}.Between(0, 10000),
		Field{Name: "min_tax_wan_per_mu_year", Type: Number, Unit: "万元/亩·年", Label: "亩均税收(下限)", LabelEN: "Tax per mu (min)"}.Between(0, 1000),
		Field{Name: "min_output_wan_per_mu", Type: Number, Unit: "万元/亩·年", Label: "产出强度(下限)", LabelEN: "Output per mu (min)"}.Between(0, 20000),
		Field{Name: "min_far", Type: Number, Label: "容积率(下限)", LabelEN: "Floor-area ratio (min)"}.Between(0, 10),
		Field{Name: "max_far", Type: Number, Label: "容积率(上限)", LabelEN: "Floor-area ratio (max)"}.Between(0, 10),
		Field{Name: "min_building_coverage_pct", Type: Number, Unit: "%", Label: "建筑系数(下限)", LabelEN: "Building coverage (min)"}.Between(0, 100),
		Field{Name: "max_green_ratio_pct", Type: Number, Unit: "%", Label: "绿地率(上限)", LabelEN: "Green ratio (max)"}.Between(0, 100),
		Field{Name: "max_admin_share_pct", Type: Number, Unit: "%", Label: "行政办公及生活服务设施用地比例(上限)", LabelEN: "Office and service facilities share (max)"}.Between(0, 100),
		Field{Name: "max_energy_tce_per_wan", Type: Number, Unit: "吨标煤/万元", Label: "单位能耗(上限)", LabelEN: "Energy per unit value added (max)"}.Between(0, 50),
		Field{Name: "environmental_standard", Type: Text, Label: "环境标准", LabelEN: "Environmental standard"},
		Field{Name: "min_rd_share_pct", Type: Number, Unit: "%", Label: "研发经费占比(下限)", LabelEN: "R&D spend share (min)"}.Between(0, 100),
		Field{Name: "eval_class", Type: Enum, Enum: EvalClasses, Label: "评价用地状况", LabelEN: "Evaluation land class"},
		Field{Name: "supply_class", Type: Enum, Enum: SupplyClasses, Label: "供应状况", LabelEN: "Supply class"},
		Field{Name: "hightech_class", Type: Enum, Enum: HightechClasses, Label: "高新技术产业用地", LabelEN: "High-tech land class"},
		Field{Name: "floor_area_m2", Type: Number, Unit: "m²", Label: "总建筑面积", LabelEN: "Total floor area"}.Between(0, 1e7),
		Field{Name: "footprint_m2", Type: Number, Unit: "m²", Label: "建筑基底面积", LabelEN: "Building footprint"}.Between(0, 1e7),
		Field{Name: "supplied_on", Type: Date, Label: "供地日期", LabelEN: "Supplied on"},
		Field{Name: "agreed_start_date", Type: Date, Label: "约定动工日期", LabelEN: "Agreed start date"},
		Field{Name: "started_on", Type: Date, Label: "实际动工日期", LabelEN: "Started on"},
		Field{Name: "stopped_on", Type: Date, Label: "停工日期", LabelEN: "Stopped on"},
		Field{Name: "built_area_share", Type: Number, Label: "已建面积占应建比例", LabelEN: "Share of due construction built"}.Between(0, 1),
		Field{Name: "asking_price_wan_per_mu", Type: Number, Unit: "万元/亩", Label: "挂牌价", LabelEN: "Asking price"}.Between(0, 10000),
		Field{Name: "reference_land_price_wan_per_mu", Type: Number, Unit: "万元/亩", Label: "参考地价", LabelEN: "Reference land price"}.Between(0, 10000),
		Field{Name: "lease_term_years", Type: Integer, Unit: "年", Label: "出让年限", LabelEN: "Land-use term"}.Between(1, 70),
		Field{Name: "enterprise", Type: Text, Label: "用地企业", LabelEN: "Enterprise", Confidential: true},
		Field{Name: "contact", Type: Text, Label: "联系人", LabelEN: "Contact", Confidential: true},
		Field{Name: "investment_wan", Type: Number, Unit: "万元", Label: "累计固定资产投资", LabelEN: "Cumulative fixed-asset investment", Confidential: true}.Between(0, 1e7),
		Field{Name: "planned_investment_wan", Type: Number, Unit: "万元", Label: "计划总投资", LabelEN: "Planned total investment", Confidential: true}.Between(0, 1e7),
		Field{Name: "tax_wan_per_year", Type: Number, Unit: "万元/年", Label: "年税收", LabelEN: "Tax per year", Confidential: true}.Between(0, 1e6),
		Field{Name: "output_wan_per_year", Type: Number, Unit: "万元/年", Label: "年产值", LabelEN: "Output per year", Confidential: true}.Between(0, 1e8),
		Field{Name: "population", Type: Integer, Unit: "人", Label: "常住人口", LabelEN: "Resident population", Confidential: true}.Between(0, 1e6),
		Field{Name: "area_m2", Type: Number, Unit: "m²", Label: "面积", LabelEN: "Area", Computed: true},
		Field{Name: "area_mu", Type: Number, Unit: "亩", Label: "面积", LabelEN: "Area", Computed: true},
		Field{Name: "area_ha", Type: Number, Unit: "公顷", Label: "面积", LabelEN: "Area", Computed: true},
	),
	Filters: []Filter{
		{Param: "bbox", Kind: FilterBBox},
		{Param: "district", Kind: FilterIn, Field: "district"},
		{Param: "status", Kind: FilterIn, Field: "status", Enum: PlotStatuses},
		{Param: "cluster", Kind: FilterIn, Field: "cluster", Enum: Clusters},
		{Param: "land_use", Kind: FilterPrefix, Field: "land_use"},
		{Param: "standard_land", Kind: FilterBool, Field: "standard_land"},
		{Param: "min_area_mu", Kind: FilterMin, Field: "area_m2", Scale: geo.SquareMetresPerMu},
		{Param: "max_area_mu", Kind: FilterMax, Field: "area_m2", Scale: geo.SquareMetresPerMu},
		{Param: "near_road_m", Kind: FilterNearRoad, Max: MaxNearRoadM},
		{Param: "road_status", Kind: FilterRoadStat, Enum: RoadStatuses},
		{Param: "q", Kind: FilterText, Fields: []string{"code", "name", "name_en"}},
	},
	Sorts: plotSorts,
}
