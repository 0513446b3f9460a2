package inventory

// RoadStatuses: existing roads, roads being built (新建, under_construction), planned ones,
// ones with only preliminary procedures done (前期手续, preliminary), and existing roads being
// remediated (提升改造, remediation).
var RoadStatuses = []string{"existing", "under_construction", "planned", "preliminary", "remediation"}

// RoadClasses are the road grades.
var RoadClasses = []string{"trunk", "primary", "secondary", "branch"}

// RoadLayer is the layer of roads (道路), existing and being built.
//
// Rules: geometry is a valid (Multi)LineString; length_m is computed on the ellipsoid. Roads
// may run along or just outside the zone edge, so they are not held inside it.
var RoadLayer = &Layer{
	Name: "roads", Table: "roads", Label: "道路", LabelEN: "Roads", Geometry: "line",
	Fields: append(versionFields(),
		Field{Name: "name", Type: Text, Label: "名称", LabelEN: "Name", Required: true},
		Field{Name: "name_en", Type: Text, Label: "英文名称", LabelEN: "English name"},
		Field{Name: "segment", Type: Text, Label: "路段", LabelEN: "Segment"},
		Field{Name: "road_class", Type: Enum, Enum: RoadClasses, Label: "道路等级", LabelEN: "Class"},
		Field{Name: "status", Type: Enum, Enum: RoadStatuses, Label: "状态", LabelEN: "Status", Required: true},
		Field{Name: "planned_year", Type: Integer, Label: "计划年份", LabelEN: "Planned year"}.Between(1900, 2100),
		Field{Name: "width_m", Type: Number, Unit: "m", Label: "宽度", LabelEN: "Width"}.Between(1, 200),
		Field{Name: "length_m", Type: Number, Unit: "m", Label: "长度", LabelEN: "Length", Computed: true},
	),
	Filters: []Filter{
		{Param: "bbox", Kind: FilterBBox},
		{Param: "status", Kind: FilterIn, Field: "status", Enum: RoadStatuses},
		{Param: "name", Kind: FilterEquals, Field: "name"},
	},
}
