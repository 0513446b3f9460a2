package inventory

// IdleStages is the idle-land workflow (DOMAIN.md §5), in order: 调查 survey → 认定
// determination → 告知/听证 notice_hearing → 处置方案 disposal_plan → 实施 implementation →
// 盘活 reactivated. A site moves one step forward at a time (a restore is exempt).
var IdleStages = []string{"survey", "determination", "notice_hearing", "disposal_plan", "implementation", "reactivated"}

// IdleKinds: 闲置土地 idle land (闲置土地处置办法 art. 2) or 僵尸企业用地 a zombie enterprise's site.
var IdleKinds = []string{"idle_land", "zombie_enterprise"}

// DisposalRoutes are the ways idle land is disposed of (处置方式).
var DisposalRoutes = []string{"extend_start", "change_use", "temporary_use", "paid_recovery", "free_recovery",
	"swap", "judicial_auction", "equity_transfer", "industrial_upgrade", "split_lease"}

// IdleSiteLayer is the layer of idle and zombie-enterprise sites (闲置土地 / 僵尸企业用地) being
// chased back into use (盘活土地资源, 腾笼换鸟).
//
// Rules: a site lies inside its zone; plot_code is the plot it mostly covers unless given;
// area_m2 is computed on the ellipsoid.
var IdleSiteLayer = &Layer{
	Name: "idle-sites", Table: "idle_sites", Label: "闲置及僵尸企业用地", LabelEN: "Sites for redevelopment", Geometry: "polygon",
	Fields: append(versionFields(),
		Field{Name: "name", Type: Text, Label: "名称", LabelEN: "Name"},
		Field{Name: "name_en", Type: Text, Label: "英文名称", LabelEN: "English name"},
		Field{Name: "kind", Type: Enum, Enum: IdleKinds, Label: "类型", LabelEN: "Kind"},
		Field{Name: "plot_code", Type: Text, Label: "所在地块", LabelEN: "Plot", Derived: true},
		Field{Name: "district", Type: Text, Label: "片区", LabelEN: "District", Derived: true},
		Field{Name: "stage", Type: Enum, Enum: IdleStages, Label: "处置阶段", LabelEN: "Stage", Required: true},
		Field{Name: "former_enterprise", Type: Text, Label: "原用地企业", LabelEN: "Former enterprise", Confidential: true},
		Field{Name: "idle_since", Type: Date, Label: "闲置起始日期", LabelEN: "Idle since"},
		Field{Name: "disposal_route", Type: Enum, Enum: DisposalRoutes, Label: "处置方式", LabelEN: "Disposal route"},
		Field{Name: "reclaimed_on", Type: Date, Label: "收回日期", LabelEN: "Reclaimed on"},
		Field{Name: "relet_on", Type: Date, Label: "再供应日期", LabelEN: "Re-let on"},
		Field{Name: "area_m2", Type: Number, Unit: "m²", Label: "面积", LabelEN: "Area", Computed: true},
		Field{Name: "area_mu", Type: Number, Unit: "亩", Label: "面积", LabelEN: "Area", Computed: true},
		Field{Name: "area_ha", Type: Number, Unit: "公顷", Label: "面积", LabelEN: "Area", Computed: true},
	),
	Filters: []Filter{
		{Param: "bbox", Kind: FilterBBox},
		{Param: "district", Kind: FilterIn, Field: "district"},
		{Param: "stage", Kind: FilterIn, Field: "stage", Enum: IdleStages},
		{Param: "kind", Kind: FilterIn, Field: "kind", Enum: IdleKinds},
	},
}
