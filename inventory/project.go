package inventory

import (
	"context"
	"strconv"
	"time"
)

// Investment projects (招商项目, issue 16) are records like the enterprises (enterprise.go): a
// non-spatial layer kept through the one versioned write path, with history and as_of, and
// confidential through and through (DOMAIN.md §7): projects, investors, figures and matches are
// for planners and leadership only; their routes answer the public 401 and every field is
// Confidential. A plot reserved for a project shows to the public only as reserved.

// ChinaTime is China Standard Time (UTC+8, no daylight saving), the time the zones work in:
// a date given without a time (as_of, a stage's date, a year's end) is a day of this zone.
var ChinaTime = time.FixedZone("CST", 8*60*60)

// DayOf is the day (YYYY-MM-DD) of ChinaTime that instant t falls on: the zones' "today" is
// DayOf(time.Now()). Between 16:00 and 24:00 UTC it is already the next day's date in UTC+8.
func DayOf(t time.Time) string { return t.In(ChinaTime).Format(time.DateOnly) }

// Project stages (项目阶段), in order: lead 线索 → negotiating 洽谈 → signed 签约 → supplied
// 供地/租赁 (land supplied or plant leased) → started 开工 → in_production 投产; or dropped 终止,
// with a reason, from any stage before in_production. in_production and dropped are final.
// ProjectStepOK is the rule; the database holds the same (landinv_project_step_ok, migration
// 0061) and a drift test compares them.
var ProjectStages = []string{"lead", "negotiating", "signed", "supplied", "started", "in_production", "dropped"}

// ProjectStageLabels names the stages in Chinese and English.
var ProjectStageLabels = map[string]EnumLabel{
	"lead": {"线索", "Lead"}, "negotiating": {"洽谈", "Negotiating"}, "signed": {"签约", "Signed"},
	"supplied": {"供地/租赁", "Land supplied or plant leased"}, "started": {"开工", "Construction started"},
	"in_production": {"投产", "In production"}, "dropped": {"终止", "Dropped"},
}

// ProjectStepOK reports whether a project's stage may go from a to b: staying put, one stage
// forward, or dropped from any stage before in_production. Skipping a stage is refused.
func ProjectStepOK(a, b string) bool {
	if a == b {
		return contains(ProjectStages, a)
	}
	for i := 0; i+2 < len(ProjectStages); i++ { // the forward steps, up to in_production
		if a == ProjectStages[i] && b == ProjectStages[i+1] {
			return true
		}
	}
	return b == "dropped" && contains(ProjectStages[:5], a)
}

// ProjectPlotStatus is the status (PlotStatuses) a project's plot has at a stage: signed →
// reserved (预留), supplied → supplied (已供), started → under_construction (在建), in_production
// → in_production (投产); "" for the stages that bind no plot.
func ProjectPlotStatus(stage string) string {
	switch stage {
	case "signed":
		return "reserved"
	case "supplied":
		return "supplied"
	case "started":
		return "under_construction"
	case "in_production":
		return "in_production"
	}
	return ""
}

// ProjectStageDate is the field holding the date a project reached stage ("" for lead and
// negotiating, which keep no date of their own; a version's valid_from says when).
func ProjectStageDate(stage string) string {
	switch stage {
	case "signed", "supplied", "started", "dropped":
		return stage + "_on"
	case "in_production":
		return "in_production_on"
	}
	return ""
}

// ProjectStageFields are the fields only the stage action (ProjectService.Stage) writes: a
// PATCH that changes one of them is refused by the database (projects_rules).
var ProjectStageFields = []string{"stage", "signed_on", "supplied_on", "started_on", "in_production_on",
	"dropped_on", "drop_reason", "plot_code", "plant_code", "leased_m2"}

// ProjectLayer is the layer of investment projects (招商项目). Its code is the zone's project
// number (ValidCode).
//
// Rules (the database checks each; migration 0061):
//   - the investor (投资方) is an enterprise on record (investor_code, its unified social credit
//     code, a live enterprise of the zone) or, until it is, a name (investor_name): one is given;
//   - land need (用地需求): area_mu_min ≤ area_mu_max (亩), land_use a land-use class prefix;
//     plant need (厂房需求): plant_area_m2, floor_load_kn_m2, clear_height_m, crane_capacity_t;
//   - committed per-mu figures (承诺亩均指标): investment_wan_per_mu (固定资产投资强度),
//     tax_wan_per_mu_year (亩均税收), output_wan_per_mu (产出强度), compared in site matching
//     with a standard-land plot's preset minimums; max_road_distance_m, when given, bounds the
//     distance to a built road;
//   - leader (包联领导) and officer (项目专员) are responsible; next_action (下一步工作) is due on
//     next_action_due (倒排工期);
//   - stage (阶段) moves by ProjectStepOK, only through the stage action, which records its date
//     (signed_on, supplied_on, started_on, in_production_on, dropped_on; in that order) and moves
//     the plot (ProjectPlotStatus) or leases plant space (plant_code, leased_m2 added to the
//     building's leased_area_m2) in the same transaction. A new project starts as a lead; a plot
//     or plant once set does not change; one live, not dropped project per plot; dropped needs
//     drop_reason (终止原因);
//   - enquiry_id links the enquiry (招商线索) the project came from; one project per enquiry.
//
// Every number lies in its range (Between), held in the database as projects_<field>_range.
var ProjectLayer = &Layer{
	Name: "projects", Table: "projects", Label: "招商项目", LabelEN: "Investment projects", Geometry: GeometryNone,
	Fields: append(versionFields(), confidential(
		Field{Name: "name", Type: Text, Label: "项目名称", LabelEN: "Name", Required: true},
		Field{Name: "investor_code", Type: Text, Label: "投资方(统一社会信用代码)", LabelEN: "Investor (credit code)"},
		Field{Name: "investor_name", Type: Text, Label: "投资方名称", LabelEN: "Investor name"},
		Field{Name: "cluster", Type: Enum, Enum: Clusters, Label: "产业集群", LabelEN: "Industry cluster"},
		Field{Name: "industry_code", Type: Text, Label: "国民经济行业代码", LabelEN: "National industry code (GB/T 4754)"},
		Field{Name: "total_investment_wan", Type: Number, Unit: "万元", Label: "总投资", LabelEN: "Total investment"}.Between(0, 1e7),
		Field{Name: "area_mu_min", Type: Number, Unit: "亩", Label: "用地需求(下限)", LabelEN: "Land needed (min)"}.Between(0, MaxEnquiryAreaMu),
		Field{Name: "area_mu_max", Type: Number, Unit: "亩", Label: "用地需求(上限)", LabelEN: "Land needed (max)"}.Between(0, MaxEnquiryAreaMu),
		Field{Name: "land_use", Type: Text, Label: "用地性质", LabelEN: "Land use"},
		Field{Name: "plant_area_m2", Type: Number, Unit: "m²", Label: "厂房需求面积", LabelEN: "Plant space needed"}.Between(0, 1e7),
		Field{Name: "floor_load_kn_m2", Type: Number, Unit: "kN/m²", Label: "楼面荷载需求", LabelEN: "Floor load needed"}.Between(0.5, 200),
		Field{Name: "clear_height_m", Type: Number, Unit: "m", Label: "净高需求", LabelEN: "Clear height needed"}.Between(2, 30),
		Field{Name: "crane_capacity_t", Type: Number, Unit: "t", Label: "行车吨位需求", LabelEN: "Crane needed"}.Between(0, 500),
		Field{Name: "investment_wan_per_mu", Type: Number, Unit: "万元/亩", Label: "承诺固定资产投资强度", LabelEN: "Committed investment per mu"}.Between(0, 10000),
		Field{Name: "tax_wan_per_mu_year", Type: Number, Unit: "万元/亩·年", Label: "承诺亩均税收", LabelEN: "Committed tax per mu"}.Between(0, 1000),
		Field{Name: "output_wan_per_mu", Type: Number, Unit: "万元/亩·年", Label: "承诺产出强度", LabelEN: "Committed output per mu"}.Between(0, 20000),
		Field{Name: "max_road_distance_m", Type: Number, Unit: "m", Label: "距已建道路(上限)", LabelEN: "Distance to a built road (max)"}.Between(0, MaxNearRoadM),
		Field{Name: "leader", Type: Text, Label: "包联领导", LabelEN: "Responsible leader"},
		Field{Name: "officer", Type: Text, Label: "项目专员", LabelEN: "Project officer"},
		Field{Name: "next_action", Type: Text, Label: "下一步工作", LabelEN: "Next action"},
		Field{Name: "next_action_due", Type: Date, Label: "完成时限", LabelEN: "Next action due"},
		Field{Name: "stage", Type: Enum, Enum: ProjectStages, Label: "阶段", LabelEN: "Stage"},
		Field{Name: "signed_on", Type: Date, Label: "签约日期", LabelEN: "Signed on"},
		Field{Name: "supplied_on", Type: Date, Label: "供地/租赁日期", LabelEN: "Land supplied or plant leased on"},
		Field{Name: "started_on", Type: Date, Label: "开工日期", LabelEN: "Construction started on"},
		Field{Name: "in_production_on", Type: Date, Label: "投产日期", LabelEN: "In production on"},
		Field{Name: "dropped_on", Type: Date, Label: "终止日期", LabelEN: "Dropped on"},
		Field{Name: "drop_reason", Type: Text, Label: "终止原因", LabelEN: "Reason for dropping"},
		Field{Name: "plot_code", Type: Text, Label: "落地地块", LabelEN: "Plot"},
		Field{Name: "plant_code", Type: Text, Label: "租用厂房", LabelEN: "Plant"},
		Field{Name: "leased_m2", Type: Number, Unit: "m²", Label: "租用面积", LabelEN: "Leased area"}.Between(0, 1e7),
		Field{Name: "agreed_start_date", Type: Date, Label: "约定开工日期", LabelEN: "Agreed start date"},
		Field{Name: "enquiry_id", Type: Integer, Label: "来源线索", LabelEN: "From enquiry"}.Between(1, 1<<53-1),
	)...),
	Filters: []Filter{
		{Param: "stage", Kind: FilterIn, Field: "stage", Enum: ProjectStages},
		{Param: "cluster", Kind: FilterIn, Field: "cluster", Enum: Clusters},
	},
}

// confidential marks every field confidential.
func confidential(fs ...Field) []Field {
	for i := range fs {
		fs[i].Confidential = true
	}
	return fs
}

// StageChange is a request of the stage action (POST /api/v1/projects/{code}/stage): the stage
// to reach, its date (today when left out), the plot assigned (at signed, or at supplied when
// none was), the plant leased (at supplied) and the area leased (the project's leased_m2, else
// its plant_area_m2, when left out), the reason when dropping, and a note kept with the version.
type StageChange struct {
	Stage      string   `json:"stage"`
	Date       string   `json:"date,omitempty"`
	PlotCode   string   `json:"plot_code,omitempty"`
	PlantCode  string   `json:"plant_code,omitempty"`
	LeasedM2   *float64 `json:"leased_m2,omitempty"`
	DropReason string   `json:"drop_reason,omitempty"`
	Note       string   `json:"note,omitempty"`
}

// Check checks what a stage change says on its own: a known stage, a date (YYYY-MM-DD), codes
// well formed, a plot only at signed or supplied, a plant only at supplied, a reason when
// dropping. Whether the step is allowed from the project's stage is the store's (and the
// database's) check. Errors are EInvalid naming the field.
func (c *StageChange) Check() (*time.Time, error) {
	if !contains(ProjectStages, c.Stage) {
		return nil, Errorf(EInvalid, "stage", "must be one of: lead, negotiating, signed, supplied, started, in_production, dropped")
	}
	var d *time.Time
	if c.Date != "" {
		t, err := time.Parse("2006-01-02", c.Date)
		if err != nil {
			return nil, Errorf(EInvalid, "date", "must be a date YYYY-MM-DD, not %q", c.Date).With(CodeNotADate, nil)
		}
		d = &t
	}
	if c.PlotCode != "" && (!ValidCode(c.PlotCode) || (c.Stage != "signed" && c.Stage != "supplied")) {
		return nil, Errorf(EInvalid, "plot_code", "a plot is assigned at signed (or at supplied when the project has none), as a plot code")
	}
	if c.PlantCode != "" && (!ValidCode(c.PlantCode) || c.Stage != "supplied") {
		return nil, Errorf(EInvalid, "plant_code", "a plant is leased at supplied, as a building code")
	}
	if c.LeasedM2 != nil && (c.PlantCode == "" || *c.LeasedM2 <= 0 || *c.LeasedM2 > 1e7) {
		return nil, Errorf(EInvalid, "leased_m2", "is the area leased in plant_code, more than 0 and at most 1e7 m²")
	}
	if (c.Stage == "dropped") != (len(c.DropReason) > 0) {
		if c.Stage == "dropped" {
			return nil, Errorf(EInvalid, "drop_reason", "is required to drop a project (终止原因)").With(CodeRequired, nil)
		}
		return nil, Errorf(EInvalid, "drop_reason", "is only given when dropping a project")
	}
	if err := CheckNote(c.Note); err != nil {
		return nil, err
	}
	return d, nil
}

// ProjectService is the projects' own actions beside the generic layer reads and writes.
type ProjectService interface {
	// Stage moves a live project to c.Stage (If-Match: the project's ETag) with its side effects,
	// all in one transaction through the one write path: the plot reserved at signed, supplied at
	// supplied (supplied_on, and the project's agreed_start_date), under construction at started
	// (started_on), in production at in_production; a reserved plot back to ready when the project
	// is dropped; at supplied with a plant, the area leased added to its leased_area_m2 (refused
	// beyond its free area). A refusal changes nothing. Planners and admins only.
	Stage(ctx context.Context, zone, code, ifMatch string, c StageChange) (*Feature, error)
	// FromEnquiry turns an enquiry into a lead project coded code (ProjectCodeForEnquiry when
	// empty), linked by enquiry_id; the enquiry itself, its status and history stay as they are.
	FromEnquiry(ctx context.Context, zone string, id int64, code, note string) (*Feature, error)
}

// ProjectCodeForEnquiry is the code a project made from enquiry id gets unless one is given.
func ProjectCodeForEnquiry(id int64) string { return "PRJ-E" + strconv.FormatInt(id, 10) }
