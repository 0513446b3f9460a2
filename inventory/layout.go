package inventory

// LayoutKinds are the parts of a zone's spatial layout; for Linfen the "233" layout: 两廊 two
// corridors, 三轴 three axes, 三区 three districts. Then its surroundings (周边环境), which tell
// a reader where the land is: the river (河流, a centre line), main roads (周边干道),
// expressways (高速公路) and railways (铁路) as lines; railway stations (火车站), expressway
// exits (高速出口) and the city centre (市中心) as points (migration 0067).
var LayoutKinds = []string{"corridor", "axis", "district", "river", "main_road", "expressway", "railway", "station", "exit", "city_centre"}

// ContextKinds are the layout kinds of a zone's surroundings.
var ContextKinds = []string{"river", "main_road", "expressway", "railway", "station", "exit", "city_centre"}

// LayoutLayer is the layer of layout features. Districts are polygons that together cover the
// zone; plots, plants and idle sites take their district from them. Corridors are polygons;
// axes are lines; the surroundings are lines or points (ContextKinds), mostly outside the zone.
var LayoutLayer = &Layer{
	Name: "layout", Table: "layout", Label: "空间布局", LabelEN: "Layout", Geometry: "any",
	Fields: append(versionFields(),
		Field{Name: "kind", Type: Enum, Enum: LayoutKinds, Label: "类型", LabelEN: "Kind", Required: true},
		Field{Name: "name", Type: Text, Label: "名称", LabelEN: "Name", Required: true},
		Field{Name: "name_en", Type: Text, Label: "英文名称", LabelEN: "English name"},
	),
	Filters: []Filter{
		{Param: "bbox", Kind: FilterBBox},
		{Param: "kind", Kind: FilterIn, Field: "kind", Enum: LayoutKinds},
	},
}
