package inventory

// The land-use intensity report (土地集约利用评价, DOMAIN.md §6). Over 450 lines for a reason: it
// holds the evaluation's definition tables (class totals, indicators, default ideal values and
// weights) next to the code that evaluates and tabulates them, so the report reads as one file.

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/landinv/landinv/geo"
)

// TotalDef defines one class total (分类汇总) that the intensity indicators divide: what it sums
// over which plots. Every total is over the plots of the report (live, or as of a time; in the
// chosen districts and cluster). Areas are plots.area_m2, computed by PostGIS on the ellipsoid.
type TotalDef struct {
	Key        string `json:"key"`
	Label      string `json:"label"`
	LabelEN    string `json:"label_en"`
	Unit       string `json:"unit"`
	Definition string `json:"definition"`
	// Plain and PlainEN define the total in plain words with its national code, for reviewers
	// ("已建成城镇建设用地 A = …"); Definition says the same in the inventory's field names.
	Plain   string `json:"plain"`
	PlainEN string `json:"plain_en"`
	// Confidential totals sum confidential figures; only planners and admins get them, and the
	// public only under the disclosure rule (DisclosureRule).
	Confidential bool `json:"confidential,omitempty"`
}

// IntensityTotals are the class totals, in the order reported. The mapping from the plot's
// fields to the evaluation's land classes is:
//
//	A   = eval_class A1, A2, A31, A32, A4, A51, A52, A6 (built-up urban construction land)
//	A1  = eval_class A1;  A2 = eval_class A2
//	B   = eval_class B11, B12, B21, B22 (not yet built);  B21 = eval_class B21
//	D   = supply_class D1, D21, D22 (supplied)
//	G   = status idle (闲置)
//	H   = hightech_class H1 or H2
//
// Floor area and footprint are summed over A plots (A2 plots for the industrial ones); the
// confidential sums likewise (investment and industrial tax over A2, all tax and population
// over A). A plot with no figure adds nothing (it counts as zero), and the number of plots that
// did carry the figure is reported with every total.
var IntensityTotals = []TotalDef{
	{Key: "A", Label: "已建成城镇建设用地", LabelEN: "Built-up urban construction land (A)", Unit: "m²", Plain: "已建成城镇建设用地 A = 评价类别为 A1、A2、A31、A32、A4、A51、A52、A6 的地块面积之和（住宅、工矿仓储、街巷、其他交通、商服、公园绿地、其他公共服务及其他建设用地）", PlainEN: "Built-up urban construction land A = total area of the plots classed A1, A2, A31, A32, A4, A51, A52 or A6 (housing, industry and warehousing, streets, other transport, commerce, parks, other public services, other built land)",
		Definition: "sum of area_m2 of plots with eval_class A1, A2, A31, A32, A4, A51, A52 or A6"},
	{Key: "A1", Label: "住宅用地", LabelEN: "Residential land (A1)", Unit: "m²", Plain: "住宅用地 A1 = 评价类别为 A1 的地块面积之和", PlainEN: "Residential land A1 = total area of the plots classed A1",
		Definition: "sum of area_m2 of plots with eval_class A1"},
	{Key: "A2", Label: "工矿仓储用地", LabelEN: "Industrial and warehousing land (A2)", Unit: "m²", Plain: "工矿仓储用地 A2 = 评价类别为 A2 的地块面积之和", PlainEN: "Industrial and warehousing land A2 = total area of the plots classed A2",
		Definition: "sum of area_m2 of plots with eval_class A2"},
	{Key: "B", Label: "尚可建设土地", LabelEN: "Land not yet built (B)", Unit: "m²", Plain: "尚可建设土地 B = 评价类别为 B11、B12、B21、B22 的地块面积之和（农村建设用地及其他尚可建设土地）", PlainEN: "Land not yet built B = total area of the plots classed B11, B12, B21 or B22 (rural construction land and other land that can still be built on)",
		Definition: "sum of area_m2 of plots with eval_class B11, B12, B21 or B22"},
	{Key: "B21", Label: "已达到供地条件的其他土地", LabelEN: "Other land meeting supply conditions (B21)", Unit: "m²", Plain: "已达到供地条件的其他土地 B21 = 评价类别为 B21 的地块面积之和", PlainEN: "Other land meeting supply conditions B21 = total area of the plots classed B21",
		Definition: "sum of area_m2 of plots with eval_class B21"},
	{Key: "D", Label: "已供应国有建设用地", LabelEN: "Supplied land (D)", Unit: "m²", Plain: "已供应国有建设用地 D = 供应类别为 D1（划拨）、D21（有偿使用未到期）、D22（到期未处置）的地块面积之和", PlainEN: "Supplied state-owned construction land D = total area of the plots supplied as D1 (allocated), D21 (paid, not expired) or D22 (expired, not disposed of)",
		Definition: "sum of area_m2 of plots with supply_class D1, D21 or D22"},
	{Key: "G", Label: "闲置土地", LabelEN: "Idle land (G)", Unit: "m²", Plain: "闲置土地 G = 状态为“闲置”的地块面积之和", PlainEN: "Idle land G = total area of the plots whose status is idle",
		Definition: "sum of area_m2 of plots with status idle"},
	{Key: "H", Label: "高新技术产业用地", LabelEN: "High-tech industry land (H1 + H2)", Unit: "m²", Plain: "高新技术产业用地 H = 高新技术产业类别为 H1 或 H2 的地块面积之和", PlainEN: "High-tech industry land H = total area of the plots classed H1 or H2",
		Definition: "sum of area_m2 of plots with hightech_class H1 or H2"},
	{Key: "floor_area", Label: "总建筑面积", LabelEN: "Total floor area", Unit: "m²", Plain: "总建筑面积 = 已建成城镇建设用地 A 上各地块建筑面积之和", PlainEN: "Total floor area = the floor area of the buildings on built-up land A",
		Definition: "sum of floor_area_m2 of A plots"},
	{Key: "footprint", Label: "建筑基底总面积", LabelEN: "Total building footprint", Unit: "m²", Plain: "建筑基底总面积 = 已建成城镇建设用地 A 上各地块建筑基底面积之和", PlainEN: "Total building footprint = the footprint of the buildings on built-up land A",
		Definition: "sum of footprint_m2 of A plots"},
	{Key: "industrial_floor_area", Label: "工业用地总建筑面积", LabelEN: "Industrial floor area", Unit: "m²", Plain: "工业用地总建筑面积 = 工矿仓储用地 A2 上各地块建筑面积之和", PlainEN: "Industrial floor area = the floor area of the buildings on industrial land A2",
		Definition: "sum of floor_area_m2 of A2 plots"},
	{Key: "industrial_footprint", Label: "工业用地建筑基底面积", LabelEN: "Industrial building footprint", Unit: "m²", Plain: "工业用地建筑基底面积 = 工矿仓储用地 A2 上各地块建筑基底面积之和", PlainEN: "Industrial building footprint = the footprint of the buildings on industrial land A2",
		Definition: "sum of footprint_m2 of A2 plots"},
	{Key: "industrial_investment", Label: "工业用地累计固定资产投资", LabelEN: "Cumulative industrial fixed-asset investment", Unit: "万元", Plain: "工业用地累计固定资产投资 = 工矿仓储用地 A2 上各企业累计固定资产投资之和（不含地价）", PlainEN: "Cumulative industrial fixed-asset investment = the enterprises' cumulative fixed-asset investment on industrial land A2 (land price excluded)",
		Definition: "sum of investment_wan of A2 plots", Confidential: true},
	{Key: "industrial_tax", Label: "工业税收", LabelEN: "Industrial tax", Unit: "万元/年", Plain: "工业税收 = 工矿仓储用地 A2 上各企业年税收之和", PlainEN: "Industrial tax = the enterprises' yearly tax on industrial land A2",
		Definition: "sum of tax_wan_per_year of A2 plots", Confidential: true},
	{Key: "tax", Label: "二、三产业税收", LabelEN: "Secondary and tertiary industry tax", Unit: "万元/年", Plain: "二、三产业税收 = 已建成城镇建设用地 A 上各企业年税收之和", PlainEN: "Secondary and tertiary industry tax = the enterprises' yearly tax on built-up land A",
		Definition: "sum of tax_wan_per_year of A plots", Confidential: true},
	{Key: "population", Label: "常住人口", LabelEN: "Resident population", Unit: "人", Plain: "常住人口 = 已建成城镇建设用地 A 上的常住人口之和", PlainEN: "Resident population = the people living on built-up land A",
		Definition: "sum of population of A plots", Confidential: true},
}

// TotalDefNamed returns the total with the given key.
func TotalDefNamed(key string) (TotalDef, bool) {
	for _, t := range IntensityTotals {
		if t.Key == key {
			return t, true
		}
	}
	return TotalDef{}, false
}

// IndicatorDef is one indicator of the land-use intensity evaluation (开发区土地集约利用评价,
// 2014 national rules, DOMAIN.md §6): value = Numerator / Denominator × Scale.
type IndicatorDef struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
	// Group is the rules' indicator group: degree_of_use, structure, intensity, efficiency,
	// management.
	Group       string  `json:"group"`
	Formula     string  `json:"formula"`
	Numerator   string  `json:"numerator_key"`
	Denominator string  `json:"denominator_key"`
	Scale       float64 `json:"scale"`
	Unit        string  `json:"unit"`
	// LessIsBetter inverts attainment: ideal / value.
	LessIsBetter bool `json:"less_is_better,omitempty"`
	// National is the national reference figure (531 national zones, end of 2018), when known.
	National *float64 `json:"national"`
	// Note records what is unconfirmed or chosen.
	Note string `json:"note,omitempty"`
	// Definition and DefinitionEN are the formula in plain words with the national codes,
	// made from the totals' names (plainFormula); set once, below.
	Definition   string `json:"definition"`
	DefinitionEN string `json:"definition_en"`
}

func init() {
	for i := range Indicators {
		Indicators[i].Definition = Indicators[i].plainFormula(false)
		Indicators[i].DefinitionEN = Indicators[i].plainFormula(true)
	}
}

// landClass reports whether a total's key is a national land-class code (A, A2, B21, H…).
func landClass(key string) bool {
	return key != "" && key[0] >= 'A' && key[0] <= 'H' && strings.TrimLeft(key[1:], "0123456789") == ""
}

// plainFormula writes the indicator's formula in words: "土地开发率 = (已建成城镇建设用地 A +
// 已达到供地条件的其他土地 B21) ÷ (已建成城镇建设用地 A + 尚可建设土地 B) × 100%".
func (d IndicatorDef) plainFormula(en bool) string {
	side := func(key string) string {
		parts := strings.Split(key, "+")
		names := make([]string, len(parts))
		for i, k := range parts {
			t, _ := TotalDefNamed(k)
			name := t.Label
			if en {
				name = t.LabelEN
			}
			// The land classes' names end in their code; the other totals have none.
			if !en && landClass(k) {
				name += " " + k
			}
			names[i] = name
		}
		if len(names) > 1 {
			return "(" + strings.Join(names, " + ") + ")"
		}
		return names[0]
	}
	label := d.Label
	if en {
		label = d.LabelEN
	}
	f := label + " = " + side(d.Numerator) + " ÷ " + side(d.Denominator)
	switch {
	case d.Unit == "%":
		f += " × 100%"
	case d.Scale == geo.SquareMetresPerHectare && en:
		f += ", per hectare"
	case d.Scale == geo.SquareMetresPerHectare:
		f += "，按公顷计（" + d.Unit + "）"
	}
	return f
}

// Confidential reports whether the indicator rests on a confidential figure.
func (d IndicatorDef) Confidential() bool {
	n, _ := TotalDefNamed(d.Numerator)
	m, _ := TotalDefNamed(d.Denominator)
	return n.Confidential || m.Confidential
}

// IndicatorGroups names the indicator groups in order.
var IndicatorGroups = []struct{ Key, Label, LabelEN string }{
	{"degree_of_use", "土地利用状况", "Degree of land use"},
	{"structure", "用地结构状况", "Land-use structure"},
	{"intensity", "土地利用强度", "Land-use intensity"},
	{"efficiency", "产业用地投入产出效益", "Input and output efficiency"},
	{"management", "土地利用监管绩效", "Land management"},
}

// Indicators are the evaluation's indicators, with the keys the reports API uses.
var Indicators = []IndicatorDef{
	{Key: "land_development_rate", Label: "土地开发率", LabelEN: "Land development rate", Group: "degree_of_use",
		Formula: "(A + B21) / (A + B)", Numerator: "A+B21", Denominator: "A+B", Scale: 100, Unit: "%", National: f64(89.46)},
	{Key: "land_supply_rate", Label: "土地供应率", LabelEN: "Land supply rate", Group: "degree_of_use",
		Formula: "D / (A + B21)", Numerator: "D", Denominator: "A+B21", Scale: 100, Unit: "%", National: f64(92.68)},
	{Key: "land_completion_rate", Label: "土地建成率", LabelEN: "Land completion rate", Group: "degree_of_use",
		Formula: "A / D", Numerator: "A", Denominator: "D", Scale: 100, Unit: "%", National: f64(92.77)},
	{Key: "industrial_land_share", Label: "工业用地率", LabelEN: "Industrial land share", Group: "structure",
		Formula: "A2 / A", Numerator: "A2", Denominator: "A", Scale: 100, Unit: "%", National: f64(48.52)},
	{Key: "hightech_land_share", Label: "高新技术产业用地率", LabelEN: "High-tech industry land share", Group: "structure",
		Formula: "(H1 + H2) / A", Numerator: "H", Denominator: "A", Scale: 100, Unit: "%",
		Note: "evaluated in high-tech zones; weight 0 by default"},
	{Key: "composite_far", Label: "综合容积率", LabelEN: "Composite floor-area ratio", Group: "intensity",
		Formula: "total floor area / A", Numerator: "floor_area", Denominator: "A", Scale: 1, Unit: "", National: f64(0.98)},
	{Key: "building_density", Label: "建筑密度", LabelEN: "Building density", Group: "intensity",
		Formula: "total building footprint / A", Numerator: "footprint", Denominator: "A", Scale: 100, Unit: "%"},
	{Key: "industrial_far", Label: "工业用地综合容积率", LabelEN: "Industrial floor-area ratio", Group: "intensity",
		Formula: "industrial floor area / A2", Numerator: "industrial_floor_area", Denominator: "A2", Scale: 1, Unit: "", National: f64(0.93)},
	{Key: "industrial_building_coverage", Label: "工业用地建筑系数", LabelEN: "Industrial building coverage", Group: "intensity",
		Formula: "industrial building footprint / A2", Numerator: "industrial_footprint", Denominator: "A2", Scale: 100, Unit: "%"},
	{Key: "industrial_investment_intensity", Label: "工业用地固定资产投入强度", LabelEN: "Industrial fixed-asset investment intensity", Group: "efficiency",
		Formula: "cumulative industrial fixed-asset investment / A2", Numerator: "industrial_investment", Denominator: "A2", Scale: geo.SquareMetresPerHectare, Unit: "万元/公顷", National: f64(8984.3)},
	{Key: "industrial_tax_per_ha", Label: "工业用地地均税收", LabelEN: "Industrial tax per hectare", Group: "efficiency",
		Formula: "industrial tax / A2", Numerator: "industrial_tax", Denominator: "A2", Scale: geo.SquareMetresPerHectare, Unit: "万元/公顷", National: f64(678.99)},
	{Key: "composite_tax_per_ha", Label: "综合地均税收", LabelEN: "Composite tax per hectare", Group: "efficiency",
		Formula: "secondary + tertiary industry tax / A", Numerator: "tax", Denominator: "A", Scale: geo.SquareMetresPerHectare, Unit: "万元/公顷", National: f64(539.96),
		Note: "denominator A is unconfirmed (DOMAIN.md §6)"},
	{Key: "population_density", Label: "人口密度", LabelEN: "Population density", Group: "efficiency",
		Formula: "resident population / A", Numerator: "population", Denominator: "A", Scale: geo.SquareMetresPerHectare, Unit: "人/公顷",
		Note: "unit 人/公顷 chosen to match the other per-area indicators; weight 0 by default"},
	{Key: "idle_land_rate", Label: "土地闲置率", LabelEN: "Idle land rate", Group: "management",
		Formula: "G / D", Numerator: "G", Denominator: "D", Scale: 100, Unit: "%", LessIsBetter: true},
}

// NationalScore is the national zones' mean intensity score (end of 2018).
const NationalScore = 61.53

// IndicatorNamed returns the indicator with the given key.
func IndicatorNamed(key string) (IndicatorDef, bool) {
	for _, d := range Indicators {
		if d.Key == key {
			return d, true
		}
	}
	return IndicatorDef{}, false
}

// EvalConfig holds a zone's ideal values (理想值) and weights (权重), kept in zones.evaluation as
// {"ideal": {key: value}, "weights": {key: weight}}; keys missing there take the defaults.
//
// The same object carries the zone's report settings: Disclosure, the disclosure rule of the
// public report ({"disclosure": {"min_enterprises": 3, "max_share_pct": 85}}, the defaults), and
// Issuer / IssuerEN, the issuing unit (编制单位) printed on the report's cover and sign-off
// block ({"issuer": "临汾经济开发区管理委员会", "issuer_en": "…"}; none by default, the printout
// then leaves a line to fill in by hand).
type EvalConfig struct {
	Ideal      map[string]float64 `json:"ideal"`
	Weights    map[string]float64 `json:"weights"`
	Disclosure *DisclosureRule    `json:"disclosure,omitempty"`
	Issuer     string             `json:"issuer,omitempty"`
	IssuerEN   string             `json:"issuer_en,omitempty"`
}

// Rule returns the disclosure rule of the configuration, the default when unset.
func (c EvalConfig) Rule() DisclosureRule {
	if c.Disclosure == nil {
		return DefaultDisclosureRule()
	}
	return *c.Disclosure
}

// DefaultEvalConfig is used where a zone sets nothing. Ideal values are in the indicator's
// unit. They are this project's choice, not the national rules' (which leave ideal values to
// each zone's evaluation): full use for the degree-of-use rates, the national averages rounded
// up for the structure and intensity figures, 300 万元/亩 (4500 万元/公顷, Shanxi's floor for
// national-level zones) for investment intensity, and 2 % for the idle rate. The weights sum to
// 1; high-tech share and population density weigh 0 (they do not apply to every zone).
func DefaultEvalConfig() EvalConfig {
	return EvalConfig{
		Ideal: map[string]float64{
			"land_development_rate": 100, "land_supply_rate": 100, "land_completion_rate": 100,
			"industrial_land_share": 50, "hightech_land_share": 30,
			"composite_far": 1.0, "building_density": 35, "industrial_far": 1.0, "industrial_building_coverage": 50,
			"industrial_investment_intensity": 4500, "industrial_tax_per_ha": 680, "composite_tax_per_ha": 540,
			"population_density": 100, "idle_land_rate": 2,
		},
		Weights: map[string]float64{
			"land_development_rate": 0.10, "land_supply_rate": 0.10, "land_completion_rate": 0.10,
			"industrial_land_share": 0.10, "hightech_land_share": 0,
			"composite_far": 0.10, "building_density": 0.05, "industrial_far": 0.10, "industrial_building_coverage": 0.05,
			"industrial_investment_intensity": 0.10, "industrial_tax_per_ha": 0.05, "composite_tax_per_ha": 0.05,
			"population_density": 0, "idle_land_rate": 0.10,
		},
	}
}

// Merge returns the defaults overridden by c's entries. Unknown keys and bad values are
// skipped and reported as notes.
func (c EvalConfig) Merge() (EvalConfig, []string) {
	out := DefaultEvalConfig()
	var notes []string
	for _, part := range []struct {
		name string
		src  map[string]float64
		dst  map[string]float64
	}{{"ideal", c.Ideal, out.Ideal}, {"weights", c.Weights, out.Weights}} {
		keys := make([]string, 0, len(part.src))
		for k := range part.src {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := part.src[k]
			if _, ok := IndicatorNamed(k); !ok {
				notes = append(notes, fmt.Sprintf("zone evaluation %s.%s: unknown indicator, ignored", part.name, k))
				continue
			}
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || (part.name == "ideal" && v == 0) {
				notes = append(notes, fmt.Sprintf("zone evaluation %s.%s: %v is not allowed, default used", part.name, k, v))
				continue
			}
			part.dst[k] = v
		}
	}
	rule := DefaultDisclosureRule()
	if c.Disclosure != nil {
		if c.Disclosure.valid() {
			rule = *c.Disclosure
		} else {
			notes = append(notes, fmt.Sprintf("zone evaluation disclosure %+v is not allowed (min_enterprises ≥ 1, 0 < max_share_pct ≤ 100), default used", *c.Disclosure))
		}
	}
	out.Disclosure = &rule
	out.Issuer, out.IssuerEN = c.Issuer, c.IssuerEN
	return out, notes
}

// Quantity is one class total as reported: its definition, value and the plots behind it.
type Quantity struct {
	Key        string   `json:"key"`
	Label      string   `json:"label"`
	LabelEN    string   `json:"label_en"`
	Definition string   `json:"definition"`
	Plain      string   `json:"plain,omitempty"`
	PlainEN    string   `json:"plain_en,omitempty"`
	Unit       string   `json:"unit"`
	Value      *float64 `json:"value"`
	// Plots is the number of plots that add to the total; PlotCodes lists them (include=plots,
	// on the class totals only: an indicator's numerator and denominator name their totals).
	Plots     int64    `json:"plots"`
	PlotCodes []string `json:"plot_codes,omitempty"`
}

// Indicator is one indicator's result.
type Indicator struct {
	IndicatorDef
	Value       *float64 `json:"value"`
	NumeratorQ  Quantity `json:"numerator"`
	DenomQ      Quantity `json:"denominator"`
	Ideal       *float64 `json:"ideal"`
	Weight      float64  `json:"weight"`
	Attainment  *float64 `json:"attainment"`
	IsSensitive bool     `json:"confidential"`
	// PublicWithheld, in a planner's report, says why the public report does not show this
	// indicator (the disclosure rule); nil when the public sees it.
	PublicWithheld *Withholding `json:"public_withheld,omitempty"`
}

// ZoneType is the derived zone type.
type ZoneType struct {
	Key     string   `json:"key"` // industry_led | city_industry_integrated
	Label   string   `json:"label"`
	LabelEN string   `json:"label_en"`
	Rule    string   `json:"rule"`
	A2Share *float64 `json:"industrial_share_pct"`
	A1Share *float64 `json:"residential_share_pct"`
}

// IntensityGroup is the evaluation of one group of plots: the whole selection, a district or a
// cluster.
type IntensityGroup struct {
	Key string `json:"key"`
	// Label and LabelEN name the group: the district's name from the layout, the cluster's from
	// EnumLabels, "全区 / Whole zone" for the total.
	Label      string      `json:"label,omitempty"`
	LabelEN    string      `json:"label_en,omitempty"`
	Plots      int64       `json:"plots"`
	Totals     []Quantity  `json:"totals"`
	Indicators []Indicator `json:"indicators"`
	ZoneType   *ZoneType   `json:"zone_type"`
	// Score is the 0–100 intensity score: Σ weight × attainment / Σ weight over the indicators
	// that have a value and a weight. Null when withheld or when nothing can be scored.
	Score     *float64 `json:"score"`
	ScoreNote string   `json:"score_note,omitempty"`
	// Withheld lists, in words, the totals and indicators of this group that the viewer is not
	// shown, and ScoreWithheld why the score is not (both under the disclosure rule).
	Withheld      []Withholding `json:"withheld,omitempty"`
	ScoreWithheld *Withholding  `json:"score_withheld,omitempty"`
	// ScorePublicWithheld, in a planner's report, says why the public does not see the score.
	ScorePublicWithheld *Withholding `json:"score_public_withheld,omitempty"`
}

// ClassSums are the raw sums a store computes for one group: by total key, the value and the
// number of plots (and, when asked, their codes).
type ClassSums struct {
	Key    string
	Plots  int64
	Values map[string]float64
	Counts map[string]int64
	Codes  map[string][]string
	// Contrib says who contributes to each confidential total (the disclosure rule's input).
	Contrib map[string]Contribution
}

// IntensityReport is the land-use intensity report.
type IntensityReport struct {
	ReportHeader
	Group         string           `json:"group"`
	Definitions   []TotalDef       `json:"definitions"`
	Config        EvalConfig       `json:"config"`
	NationalScore float64          `json:"national_score"`
	Total         IntensityGroup   `json:"total"`
	Groups        []IntensityGroup `json:"groups,omitempty"`
}

// Finish completes the report once its groups are evaluated: the definitions of the totals
// the viewer was shown in some group, and the header's Withheld (the keys of the indicators
// withheld from the viewer in any group, in the order of Indicators).
func (r *IntensityReport) Finish() {
	shown := map[string]bool{}
	hidden := map[string]bool{}
	for _, g := range append([]IntensityGroup{r.Total}, r.Groups...) {
		for _, q := range g.Totals {
			shown[q.Key] = true
		}
		for _, w := range g.Withheld {
			hidden[w.Key] = true
		}
	}
	r.Definitions = nil
	for _, d := range IntensityTotals {
		if !d.Confidential || shown[d.Key] {
			r.Definitions = append(r.Definitions, d)
		}
	}
	r.Withheld = nil
	for _, d := range Indicators {
		if hidden[d.Key] {
			r.Withheld = append(r.Withheld, d.Key)
		}
	}
}

// Zone types.
const (
	ZoneIndustryLed = "industry_led"
	ZoneIntegrated  = "city_industry_integrated"
)

// EvaluateIntensity turns a group's sums into indicators, zone type and score. A viewer who
// does not see confidential figures (the public) gets a confidential total, and an indicator
// resting on one, only when the disclosure rule (cfg.Rule()) allows it for this group; the score
// likewise only when every indicator it weighs is shown. What is left out is listed, with the
// reason in words, in the group's Withheld and ScoreWithheld.
func EvaluateIntensity(s ClassSums, cfg EvalConfig, seesConfidential bool) IntensityGroup {
	g := IntensityGroup{Key: s.Key, Plots: s.Plots}
	rule := cfg.Rule()
	// hidden: the confidential totals the rule keeps from the public in this group.
	hidden := map[string]Withholding{}
	for _, d := range IntensityTotals {
		if !d.Confidential {
			continue
		}
		if ok, code, why, whyEN := rule.Check(s.Contrib[d.Key]); !ok {
			hidden[d.Key] = Withholding{Key: d.Key, Label: d.Label, LabelEN: d.LabelEN, Code: code, Reason: why, ReasonEN: whyEN}
		}
	}
	get := func(key string, withCodes bool) Quantity {
		q := Quantity{Key: key}
		parts := strings.Split(key, "+")
		var sum float64
		var defs, plain, plainEN []string
		for _, part := range parts {
			d, _ := TotalDefNamed(part)
			sum += s.Values[part]
			q.Plots += s.Counts[part]
			if withCodes {
				q.PlotCodes = append(q.PlotCodes, s.Codes[part]...)
			}
			q.Unit = d.Unit
			defs = append(defs, d.Definition)
			plain, plainEN = append(plain, d.Plain), append(plainEN, d.PlainEN)
			if len(parts) == 1 {
				q.Label, q.LabelEN = d.Label, d.LabelEN
			}
		}
		if len(parts) > 1 {
			q.Label = strings.Join(parts, " + ")
			q.LabelEN = q.Label
			sort.Strings(q.PlotCodes)
		}
		q.Definition = strings.Join(defs, "; plus ")
		q.Plain, q.PlainEN = strings.Join(plain, "；"), strings.Join(plainEN, "; ")
		q.Value = f64(sum)
		return q
	}
	for _, d := range IntensityTotals {
		if w, ok := hidden[d.Key]; ok && !seesConfidential {
			g.Withheld = append(g.Withheld, w)
			continue
		}
		g.Totals = append(g.Totals, get(d.Key, true))
	}
	var wsum, score float64
	var scoreHidden bool
	for _, d := range Indicators {
		w := cfg.Weights[d.Key]
		var why *Withholding
		for _, part := range append(strings.Split(d.Numerator, "+"), strings.Split(d.Denominator, "+")...) {
			if h, ok := hidden[part]; ok {
				why = &Withholding{Key: d.Key, Label: d.Label, LabelEN: d.LabelEN, Code: h.Code, Reason: h.Reason, ReasonEN: h.ReasonEN}
				break
			}
		}
		if why != nil && w > 0 {
			scoreHidden = true
		}
		if why != nil && !seesConfidential {
			g.Withheld = append(g.Withheld, *why)
			continue
		}
		ind := Indicator{IndicatorDef: d, NumeratorQ: get(d.Numerator, false), DenomQ: get(d.Denominator, false), Weight: w,
			IsSensitive: d.Confidential(), PublicWithheld: why}
		ind.Value = Ratio(ind.NumeratorQ.Value, ind.DenomQ.Value, d.Scale)
		if ideal, ok := cfg.Ideal[d.Key]; ok {
			ind.Ideal = f64(ideal)
			ind.Attainment = Attainment(ind.Value, ideal, d.LessIsBetter)
		}
		if ind.Attainment != nil && w > 0 {
			wsum += w
			score += w * *ind.Attainment
		}
		g.Indicators = append(g.Indicators, ind)
	}
	var scoreWhy *Withholding
	if scoreHidden {
		scoreWhy = &Withholding{Key: "score", Label: "集约利用综合得分", LabelEN: "Intensity score", Code: WithheldInputs,
			Reason:   "依据统计保密规则不予公开：得分计入了不予公开的指标",
			ReasonEN: "withheld under the disclosure rule: it weighs indicators that are withheld"}
	}
	switch {
	case scoreHidden && !seesConfidential:
		g.ScoreWithheld = scoreWhy
		g.ScoreNote = "withheld: the score weighs indicators withheld under the disclosure rule"
	case wsum == 0:
		g.ScoreNote = "no weighted indicator has a value"
	default:
		g.Score = f64(score / wsum)
		g.ScoreNote = "Σ weight × attainment / Σ weight over the indicators with a value"
		g.ScorePublicWithheld = scoreWhy
	}
	g.ZoneType = DeriveZoneType(s.Values["A"], s.Values["A1"], s.Values["A2"])
	return g
}

// Attainment is value / ideal × 100, capped at 100; for less-is-better indicators ideal /
// value × 100 (100 when value is 0). Nil when value is unknown.
func Attainment(value *float64, ideal float64, lessIsBetter bool) *float64 {
	if value == nil || ideal <= 0 {
		return nil
	}
	var a float64
	if lessIsBetter {
		if *value <= 0 {
			a = 100
		} else {
			a = ideal / *value * 100
		}
	} else {
		a = *value / ideal * 100
	}
	return f64(math.Min(100, a))
}

// DeriveZoneType applies the rules: industry-led (工业主导型) when A2/A > 30 % and the residential
// share A1/A < 25 %, else city-industry integrated (产城融合型). Nil when A is zero.
func DeriveZoneType(a, a1, a2 float64) *ZoneType {
	if a <= 0 {
		return nil
	}
	z := &ZoneType{Rule: "工业主导型 when A2/A > 30% and A1/A < 25%, else 产城融合型",
		A2Share: f64(a2 / a * 100), A1Share: f64(a1 / a * 100)}
	if a2/a > 0.30 && a1/a < 0.25 {
		z.Key, z.Label, z.LabelEN = ZoneIndustryLed, "工业主导型", "Industry-led"
	} else {
		z.Key, z.Label, z.LabelEN = ZoneIntegrated, "产城融合型", "City-industry integrated"
	}
	return z
}

// Tables writes the report as tables: indicators, totals and summary (one row per group).
func (r *IntensityReport) Tables() []Table {
	groups := append([]IntensityGroup{r.Total}, r.Groups...)
	ind := Table{Name: "indicators", Title: "土地集约利用评价指标 Land-use intensity indicators", Columns: []Column{
		colGroup,
		{Key: "indicator_group", Label: "指标类别", LabelEN: "Indicator group"},
		{Key: "key", Label: "指标代码", LabelEN: "Key"},
		{Key: "label", Label: "指标", LabelEN: "Indicator"},
		{Key: "formula", Label: "公式", LabelEN: "Formula"},
		{Key: "value", Label: "现状值", LabelEN: "Value"},
		colUnit,
		{Key: "numerator", Label: "分子", LabelEN: "Numerator"},
		{Key: "denominator", Label: "分母", LabelEN: "Denominator"},
		{Key: "national", Label: "全国参考值", LabelEN: "National reference"},
		{Key: "ideal", Label: "理想值", LabelEN: "Ideal"},
		{Key: "weight", Label: "权重", LabelEN: "Weight", Digits: 3},
		{Key: "attainment", Label: "实现度", LabelEN: "Attainment", Unit: "%"},
	}}
	tot := Table{Name: "totals", Title: "分类汇总 Class totals", Columns: []Column{
		colGroup,
		{Key: "key", Label: "代码", LabelEN: "Key"},
		{Key: "label", Label: "名称", LabelEN: "Name"},
		{Key: "definition", Label: "口径", LabelEN: "Definition"},
		{Key: "value", Label: "数值", LabelEN: "Value"},
		colUnit,
		{Key: "area_ha", Label: "面积", LabelEN: "Area", Unit: "公顷"},
		colPlots,
	}}
	sum := Table{Name: "summary", Title: "综合评价 Summary", Columns: []Column{
		colGroup,
		colPlots,
		{Key: "zone_type", Label: "开发区类型", LabelEN: "Zone type"},
		{Key: "industrial_share", Label: "工业用地率", LabelEN: "A2 / A", Unit: "%"},
		{Key: "residential_share", Label: "住宅用地率", LabelEN: "A1 / A", Unit: "%"},
		{Key: "score", Label: "集约利用综合得分", LabelEN: "Intensity score", Unit: "0–100"},
		{Key: "national_score", Label: "全国平均得分", LabelEN: "National mean score", Unit: "0–100"},
	}}
	for _, g := range groups {
		for _, i := range g.Indicators {
			ind.Rows = append(ind.Rows, []any{g.Key, i.Group, i.Key, i.Label + " " + i.LabelEN, i.Formula, i.Value, i.Unit,
				i.NumeratorQ.Value, i.DenomQ.Value, i.National, i.Ideal, i.Weight, i.Attainment})
		}
		for _, q := range g.Totals {
			var ha *float64
			if q.Unit == "m²" && q.Value != nil && !strings.HasPrefix(q.Key, "floor") && !strings.Contains(q.Key, "floor") && !strings.Contains(q.Key, "footprint") {
				ha = f64(geo.HectaresFromSquareMetres(*q.Value))
			}
			tot.Rows = append(tot.Rows, []any{g.Key, q.Key, q.Label + " " + q.LabelEN, q.Definition, q.Value, q.Unit, ha, q.Plots})
		}
		var zt any
		var a2, a1 *float64
		if g.ZoneType != nil {
			zt = g.ZoneType.Label + " " + g.ZoneType.LabelEN
			a2, a1 = g.ZoneType.A2Share, g.ZoneType.A1Share
		}
		sum.Rows = append(sum.Rows, []any{g.Key, g.Plots, zt, a2, a1, g.Score, r.NationalScore})
	}
	return []Table{sum, ind, tot}
}
