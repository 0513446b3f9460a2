package inventory

// EnumLabel is the Chinese and English name of one value of an enumerated field (枚举值名称).
type EnumLabel struct {
	Label   string `json:"label"`    // Chinese
	LabelEN string `json:"label_en"` // English
}

// enumLabels names the values of the layers' enumerated fields, by layer name, then field name,
// then value. /api/v1/meta serves them beside each field's enum, and the land map builds its
// legend, filter chips and detail rows from them.
//
// Rule: every value of every enumerated field has a name here, except the fields listed in
// codeEnums, whose values are national codes shown as they are (TestEnumLabelsCoverEveryValue).
var enumLabels = map[string]map[string]map[string]EnumLabel{
	"plots": {
		"status": {
			"planned": {"规划", "Planned"}, "ready": {"净地待供", "Ready"}, "reserved": {"已预留", "Reserved"},
			"supplied": {"已供地", "Supplied"}, "under_construction": {"在建", "Under construction"},
			"in_production": {"已投产", "In production"}, "idle": {"闲置", "Idle"},
		},
		"cluster": {
			"intelligent_manufacturing":   {"智能制造", "Intelligent manufacturing"},
			"energy_saving_environmental": {"节能环保", "Energy saving & environmental"},
			"new_energy":                  {"新能源", "New energy"},
			"new_materials":               {"新材料", "New materials"},
			"modern_services":             {"现代服务业", "Modern services"},
		},
	},
	"plants": {
		"status": {"planned": {"规划", "Planned"}, "under_construction": {"在建", "Under construction"}, "completed": {"已建成", "Completed"}},
	},
	"idle-sites": {
		"stage": {
			"survey": {"调查", "Survey"}, "determination": {"认定", "Determination"}, "notice_hearing": {"告知/听证", "Notice, hearing"},
			"disposal_plan": {"处置方案", "Disposal plan"}, "implementation": {"实施", "Implementation"}, "reactivated": {"已盘活", "Reactivated"},
		},
		"kind": {"idle_land": {"闲置土地", "Idle land"}, "zombie_enterprise": {"僵尸企业用地", "Site of a closed enterprise"}},
		"disposal_route": {
			"extend_start": {"延长动工期限", "Extend start date"}, "change_use": {"调整用途", "Change of use"},
			"temporary_use": {"临时使用", "Temporary use"}, "paid_recovery": {"协议有偿收回", "Paid recovery"},
			"free_recovery": {"无偿收回", "Recovery without compensation"}, "swap": {"置换", "Swap"},
			"judicial_auction": {"司法拍卖", "Judicial auction"}, "equity_transfer": {"股权转让/并购", "Equity transfer, merger"},
			"industrial_upgrade": {"产业升级改造", "Industrial upgrade"}, "split_lease": {"分割出让/租赁", "Split sale or lease"},
		},
	},
	"roads": {
		"status": {
			"existing": {"现状", "Existing"}, "under_construction": {"新建/在建", "New, under construction"},
			"planned": {"规划", "Planned"}, "preliminary": {"前期手续", "Preliminary procedures"},
			"remediation": {"提升改造", "Being upgraded"},
		},
		"road_class": {"trunk": {"主干路", "Trunk"}, "primary": {"主要道路", "Primary"}, "secondary": {"次干路", "Secondary"}, "branch": {"支路", "Branch"}},
	},
	"layout": {
		"kind": {"district": {"片区", "District"}, "corridor": {"廊道", "Corridor"}, "axis": {"发展轴", "Axis"}},
	},
}

// codeEnums are the enumerated fields whose values are national codes (the land-use intensity
// evaluation's A1…C3, D1…F, H1/H2: DOMAIN.md §6), shown as they are, without names.
var codeEnums = map[string]bool{"plots.eval_class": true, "plots.supply_class": true, "plots.hightech_class": true}

// EnumLabels returns the names of the values of layer's enumerated field, keyed by value; nil
// for a field without names (not enumerated, or a code enum).
func EnumLabels(layer, field string) map[string]EnumLabel {
	return enumLabels[layer][field]
}
