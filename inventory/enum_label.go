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
// codeEnums (none now: the national codes are named too) (TestEnumLabelsCoverEveryValue).
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
		// The land-use intensity evaluation's national codes (DOMAIN.md §6), named with the
		// code in front: planners know both.
		"eval_class": {
			"A1": {"A1 住宅用地", "A1 Residential"}, "A2": {"A2 工矿仓储用地", "A2 Industrial & warehousing"},
			"A31": {"A31 街巷用地", "A31 Streets"}, "A32": {"A32 其他交通设施用地", "A32 Other transport"},
			"A4": {"A4 商服用地", "A4 Commercial"}, "A51": {"A51 公园与绿地", "A51 Parks & green space"},
			"A52": {"A52 其他公共服务用地", "A52 Other public services"}, "A6": {"A6 其他已建成用地", "A6 Other built-up land"},
			"B11": {"B11 农村建设用地", "B11 Rural construction land"}, "B12": {"B12 农村建设用地", "B12 Rural construction land"},
			"B21": {"B21 满足供地条件的其他土地", "B21 Other land meeting supply conditions"},
			"B22": {"B22 不满足供地条件的其他土地", "B22 Other land not meeting supply conditions"},
			"C1":  {"C1 河湖及蓄滞洪区", "C1 Rivers and flood areas"}, "C2": {"C2 自然保护区", "C2 Protected nature"},
			"C3": {"C3 其他不可建设土地", "C3 Other unbuildable land"},
		},
		"supply_class": {
			"D1": {"D1 划拨供应", "D1 Allocated"}, "D21": {"D21 有偿使用且未到期", "D21 Paid use, not expired"},
			"D22": {"D22 有偿使用已到期未处置", "D22 Paid use, expired, not disposed"},
			"E":   {"E 尚可供应", "E Still suppliable"}, "F": {"F 不可供应", "F Not suppliable"},
		},
		"hightech_class": {"H1": {"H1 高新技术产业用地", "H1 High-tech industry land"}, "H2": {"H2 高新技术产业用地", "H2 High-tech industry land"}},
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
		"kind": {"district": {"片区", "District"}, "corridor": {"廊道", "Corridor"}, "axis": {"发展轴", "Axis"},
			"river": {"河流", "River"}, "main_road": {"周边干道", "Main road"}, "expressway": {"高速公路", "Expressway"},
			"railway": {"铁路", "Railway"}, "station": {"火车站", "Railway station"}, "exit": {"高速出口", "Expressway exit"},
			"city_centre": {"市中心", "City centre"}},
	},
}

// codeEnums are the enumerated fields whose values would be shown as they are, without names.
// None: the evaluation's national codes (A1…C3, D1…F, H1/H2) are named above, code first.
var codeEnums = map[string]bool{}

// EnumLabels returns the names of the values of layer's enumerated field, keyed by value; nil
// for a field without names (not enumerated, or a code enum).
func EnumLabels(layer, field string) map[string]EnumLabel {
	return enumLabels[layer][field]
}
