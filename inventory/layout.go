package inventory

// LayoutKinds are the parts of a zone's spatial layout; for Linfen the "233" layout: 两廊 two
// corridors, 三轴 three axes, 三区 three districts.
var LayoutKinds = []string{"corridor", "axis", "district"}

// LayoutLayer is the layer of layout features. Districts are polygons that together cover the
// zone; plots, plants and idle sites take their district from them. Corridors are polygons;
// axes are lines.
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
