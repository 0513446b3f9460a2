package inventory

// PlantStatuses are the states of a standard-plant building.
var PlantStatuses = []string{"planned", "under_construction", PlantCompleted}

// PlantCompleted is the status of a finished building (已建成): the only one whose floor space
// is let (a project's lease at supplied is refused in any other).
const PlantCompleted = "completed"

// PlantLayer is the layer of standard-plant buildings (标准化厂房): general-purpose factory
// buildings built to a unified plan for rent or sale (DOMAIN.md §4).
//
// Rules: every plant lies inside a live plot (plot_code is derived when not given, and checked
// when given); footprint_m2 is computed from the geometry; free_area_m2 = leasable − leased.
// Tenants and the rents they pay are confidential; the asking rent is public.
var PlantLayer = &Layer{
	Name: "plants", Table: "plants", Label: "标准化厂房", LabelEN: "Standard plants", Geometry: "polygon",
	Fields: append(versionFields(),
		Field{Name: "name", Type: Text, Label: "名称", LabelEN: "Name"},
		Field{Name: "name_en", Type: Text, Label: "英文名称", LabelEN: "English name"},
		Field{Name: "plot_code", Type: Text, Label: "所在地块", LabelEN: "Plot", Derived: true},
		Field{Name: "district", Type: Text, Label: "片区", LabelEN: "District", Derived: true},
		Field{Name: "status", Type: Enum, Enum: PlantStatuses, Label: "状态", LabelEN: "Status", Required: true},
		Field{Name: "floors", Type: Integer, Unit: "层", Label: "层数", LabelEN: "Floors", Required: true}.Between(1, 50),
		Field{Name: "floor_height_m", Type: Number, Unit: "m", Label: "层高", LabelEN: "Floor height"}.Between(2, 30),
		Field{Name: "floor_load_kn_m2", Type: Number, Unit: "kN/m²", Label: "楼面荷载", LabelEN: "Floor load"}.Between(0.5, 200),
		Field{Name: "span_m", Type: Number, Unit: "m", Label: "跨度", LabelEN: "Span"}.Between(1, 200),
		Field{Name: "crane_capacity_t", Type: Number, Unit: "t", Label: "行车吨位", LabelEN: "Crane capacity"}.Between(0, 500),
		Field{Name: "total_floor_area_m2", Type: Number, Unit: "m²", Label: "总建筑面积", LabelEN: "Total floor area"}.Between(0, 1e7),
		Field{Name: "leasable_area_m2", Type: Number, Unit: "m²", Label: "可租售面积", LabelEN: "Leasable area"}.Between(0, 1e7),
		Field{Name: "leased_area_m2", Type: Number, Unit: "m²", Label: "已租售面积", LabelEN: "Leased or sold area"}.Between(0, 1e7),
		Field{Name: "free_area_m2", Type: Number, Unit: "m²", Label: "空置面积", LabelEN: "Free floor area", Computed: true},
		Field{Name: "asking_rent_yuan_per_m2_month", Type: Number, Unit: "元/m²·月", Label: "挂牌租金", LabelEN: "Asking rent"}.Between(0, 1000),
		Field{Name: "asking_price_yuan_per_m2", Type: Number, Unit: "元/m²", Label: "出售挂牌价", LabelEN: "Asking sale price"}.Between(0, 100000),
		Field{Name: "lease_term_years", Type: Integer, Unit: "年", Label: "起租期限", LabelEN: "Minimum lease term"}.Between(1, 70),
		Field{Name: "tenants", Type: JSON, Label: "入驻企业", LabelEN: "Tenants", Confidential: true},
		Field{Name: "footprint_m2", Type: Number, Unit: "m²", Label: "占地面积", LabelEN: "Footprint", Computed: true},
	),
	Filters: []Filter{
		{Param: "bbox", Kind: FilterBBox},
		{Param: "district", Kind: FilterIn, Field: "district"},
		{Param: "status", Kind: FilterIn, Field: "status", Enum: PlantStatuses},
		{Param: "min_free_area_m2", Kind: FilterMin, Field: "free_area_m2"},
		{Param: "min_floor_load_kn_m2", Kind: FilterMin, Field: "floor_load_kn_m2"},
		{Param: "min_floor_height_m", Kind: FilterMin, Field: "floor_height_m"},
		{Param: "max_floors", Kind: FilterMax, Field: "floors"},
		{Param: "q", Kind: FilterText, Fields: []string{"code", "name", "name_en"}},
	},
	Sorts: plantSorts,
}
