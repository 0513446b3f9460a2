package inventory

// The pipeline report (招商项目推进情况): where the zone's investment projects (招商项目, project.go)
// stand, how long signed projects take to get land, to start building and to produce, which
// are overdue, which signed projects still wait for land (项目等地) and which ready land and
// plant space still waits for a project (地等项目、厂房等项目).
//
// Confidential through and through (DOMAIN.md §7): projects, investors and figures are for
// planners and leadership only (CanSeePipeline); the report answers the public 401 and other
// signed-in users 403.

// ReportPipeline is the pipeline report's kind.
const ReportPipeline = "pipeline"

// CanSeePipeline is CanSeeConfidential (the same rule) refusing in the words of investment
// projects.
func CanSeePipeline(v Viewer) error { return canSeeConfidential(v, "investment projects") }

// PipelineStageRow counts the live projects at one stage and their total investment (万元,
// the sum of total_investment_wan where given).
type PipelineStageRow struct {
	Stage         string  `json:"stage"`
	Label         string  `json:"label"`
	LabelEN       string  `json:"label_en"`
	Projects      int64   `json:"projects"`
	InvestmentWan float64 `json:"investment_wan"`
}

// PipelineClusterRow counts one cluster's live projects by stage ("none": no cluster given),
// with the investment of those not dropped.
type PipelineClusterRow struct {
	Cluster       string           `json:"cluster"`
	ByStage       map[string]int64 `json:"by_stage"` // every stage of ProjectStages, 0 when none
	Projects      int64            `json:"projects"`
	Active        int64            `json:"active"` // not dropped
	InvestmentWan float64          `json:"investment_wan"`
}

// PipelineDuration is the median number of days from signing (signed_on) to a later stage's
// date, over the live projects that have both dates (dropped ones included: the days were
// spent), and how many those are. Median is null when there are none.
type PipelineDuration struct {
	To       string   `json:"to"` // supplied_on, started_on or in_production_on
	Label    string   `json:"label"`
	LabelEN  string   `json:"label_en"`
	Projects int64    `json:"projects"`
	Median   *float64 `json:"median_days"`
}

// PipelineProject names a project in the report's lists.
type PipelineProject struct {
	Code          string   `json:"code"`
	Name          string   `json:"name"`
	Stage         string   `json:"stage"`
	Cluster       string   `json:"cluster,omitempty"`
	Investor      string   `json:"investor"` // the investor's name, else its credit code
	Leader        string   `json:"leader,omitempty"`
	Officer       string   `json:"officer,omitempty"`
	InvestmentWan *float64 `json:"investment_wan"`
}

// PipelineOverdue is a live project, neither in production nor dropped, whose next action is
// past due (next_action_due before the report date) or whose agreed start date has passed
// before construction started (stage before started). Where the land has been supplied
// (stage supplied, with a plot), IdleTest is the plot's outcome under the legal idle-land test
// of the idle report (闲置土地处置办法 art. 2, legalIdleSQL): "not_started" or "stopped" when
// it meets it on the report date, "" when not (yet); IdleFrom is the day a plot not started
// becomes idle land (its agreed start date + 1 year).
type PipelineOverdue struct {
	PipelineProject
	NextAction      string  `json:"next_action,omitempty"`
	NextActionDue   *string `json:"next_action_due"`
	AgreedStartDate *string `json:"agreed_start_date"`
	// Reasons: next_action (the next action is past due), start (the agreed start passed).
	Reasons     []string `json:"reasons"`
	DaysOverdue int      `json:"days_overdue"` // since the earlier of the dates passed
	PlotCode    string   `json:"plot_code,omitempty"`
	IdleTest    string   `json:"idle_test,omitempty"`
	IdleFrom    *string  `json:"idle_from"`
}

// PipelineWaiting is a signed project with no plot and no plant yet (项目等地): what it needs
// and how long it has waited since signing.
type PipelineWaiting struct {
	PipelineProject
	SignedOn    string   `json:"signed_on"`
	DaysWaiting int      `json:"days_waiting"`
	AreaMuMin   *float64 `json:"area_mu_min"`
	AreaMuMax   *float64 `json:"area_mu_max"`
	LandUse     string   `json:"land_use,omitempty"`
	PlantAreaM2 *float64 `json:"plant_area_m2"`
}

// PipelineFreePlant is a completed standard-plant building with free space (厂房等项目).
type PipelineFreePlant struct {
	Code     string  `json:"code"`
	Name     string  `json:"name,omitempty"`
	District string  `json:"district,omitempty"`
	PlotCode string  `json:"plot_code,omitempty"`
	FreeM2   float64 `json:"free_area_m2"`
}

// PipelineReport is the pipeline report.
//
// Waiting land (地等项目) is the live ready standard land (status ready, standard_land) that
// no live project (not dropped) names as its plot; waiting plants are the live completed
// buildings with free area (free space is by definition leased to no project). The cluster
// parameter narrows the projects and the plots (a plant has no cluster: all are listed).
type PipelineReport struct {
	ReportHeader
	Stages        []PipelineStageRow   `json:"stages"`
	Clusters      []PipelineClusterRow `json:"clusters"`
	Projects      int64                `json:"projects"`
	InvestmentWan float64              `json:"investment_wan"` // of the projects not dropped
	Durations     []PipelineDuration   `json:"durations"`
	Overdue       []PipelineOverdue    `json:"overdue"`
	Waiting       []PipelineWaiting    `json:"waiting_projects"` // 项目等地
	WaitingLand   []ReadyPlot          `json:"waiting_land"`     // 地等项目
	WaitingLandMu float64              `json:"waiting_land_mu"`
	FreePlants    []PipelineFreePlant  `json:"waiting_plants"` // 厂房等项目
	FreePlantM2   float64              `json:"waiting_plant_m2"`
	OverdueRule   string               `json:"overdue_rule"`
}

// Tables: stages, clusters, durations, overdue, waiting_projects, waiting_land, waiting_plants.
func (r *PipelineReport) Tables() []Table {
	invest := Column{Key: "investment_wan", Label: "投资额", LabelEN: "Investment", Unit: "万元"}
	st := Table{Name: "stages", Title: "项目阶段 Projects by stage", Columns: []Column{
		{Key: "stage", Label: "阶段", LabelEN: "Stage"}, {Key: "projects", Label: "项目数", LabelEN: "Projects"}, invest}}
	for _, s := range r.Stages {
		st.Rows = append(st.Rows, []any{s.Label + " " + s.Stage, s.Projects, s.InvestmentWan})
	}
	cl := Table{Name: "clusters", Title: "产业集群 Projects by cluster and stage", Columns: []Column{{Key: "cluster", Label: "产业集群", LabelEN: "Cluster"}}}
	for _, s := range ProjectStages {
		l := ProjectStageLabels[s]
		cl.Columns = append(cl.Columns, Column{Key: s, Label: l.Label, LabelEN: l.LabelEN})
	}
	cl.Columns = append(cl.Columns, Column{Key: "projects", Label: "合计", LabelEN: "Total"},
		Column{Key: "active", Label: "在谈在建", LabelEN: "Not dropped"}, Column{Key: "investment_wan", Label: "投资额(不含终止)", LabelEN: "Investment (not dropped)", Unit: "万元"})
	for _, c := range r.Clusters {
		row := []any{c.Cluster}
		for _, s := range ProjectStages {
			row = append(row, c.ByStage[s])
		}
		cl.Rows = append(cl.Rows, append(row, c.Projects, c.Active, c.InvestmentWan))
	}
	du := Table{Name: "durations", Title: "推进用时 Median days from signing", Columns: []Column{
		{Key: "to", Label: "至", LabelEN: "To"}, {Key: "projects", Label: "项目数", LabelEN: "Projects"},
		{Key: "median_days", Label: "中位天数", LabelEN: "Median", Unit: "天"}}}
	for _, d := range r.Durations {
		du.Rows = append(du.Rows, []any{d.Label + " " + d.LabelEN, d.Projects, d.Median})
	}
	proj := []Column{{Key: "code", Label: "项目编号", LabelEN: "Project"}, {Key: "name", Label: "项目名称", LabelEN: "Name"},
		{Key: "stage", Label: "阶段", LabelEN: "Stage"}, {Key: "cluster", Label: "产业集群", LabelEN: "Cluster"},
		{Key: "investor", Label: "投资方", LabelEN: "Investor"}, {Key: "leader", Label: "包联领导", LabelEN: "Leader"},
		{Key: "officer", Label: "项目专员", LabelEN: "Officer"}, invest}
	projRow := func(p PipelineProject) []any {
		return []any{p.Code, p.Name, p.Stage, p.Cluster, p.Investor, p.Leader, p.Officer, p.InvestmentWan}
	}
	ov := Table{Name: "overdue", Title: "逾期项目 Overdue projects", Columns: append(append([]Column{}, proj...),
		Column{Key: "next_action", Label: "下一步工作", LabelEN: "Next action"},
		Column{Key: "next_action_due", Label: "完成时限", LabelEN: "Due"},
		Column{Key: "agreed_start_date", Label: "约定开工日期", LabelEN: "Agreed start"},
		Column{Key: "reasons", Label: "逾期事项", LabelEN: "Overdue"},
		Column{Key: "days_overdue", Label: "逾期天数", LabelEN: "Days overdue", Unit: "天"},
		Column{Key: "plot_code", Label: "地块", LabelEN: "Plot"},
		Column{Key: "idle_test", Label: "闲置认定", LabelEN: "Idle-land test"},
		Column{Key: "idle_from", Label: "构成闲置日期", LabelEN: "Idle from"})}
	for _, o := range r.Overdue {
		reasons := ""
		for i, x := range o.Reasons {
			if i > 0 {
				reasons += ", "
			}
			reasons += x
		}
		ov.Rows = append(ov.Rows, append(projRow(o.PipelineProject), o.NextAction, o.NextActionDue, o.AgreedStartDate, reasons,
			o.DaysOverdue, o.PlotCode, o.IdleTest, o.IdleFrom))
	}
	wp := Table{Name: "waiting_projects", Title: "项目等地 Signed projects without land", Columns: append(append([]Column{}, proj...),
		Column{Key: "signed_on", Label: "签约日期", LabelEN: "Signed on"},
		Column{Key: "days_waiting", Label: "等待天数", LabelEN: "Days waiting", Unit: "天"},
		Column{Key: "area_mu_min", Label: "用地需求(下限)", LabelEN: "Land needed (min)", Unit: "亩"},
		Column{Key: "area_mu_max", Label: "用地需求(上限)", LabelEN: "Land needed (max)", Unit: "亩"},
		Column{Key: "land_use", Label: "用地性质", LabelEN: "Land use"},
		Column{Key: "plant_area_m2", Label: "厂房需求面积", LabelEN: "Plant space needed", Unit: "m²"})}
	for _, w := range r.Waiting {
		wp.Rows = append(wp.Rows, append(projRow(w.PipelineProject), w.SignedOn, w.DaysWaiting, w.AreaMuMin, w.AreaMuMax, w.LandUse, w.PlantAreaM2))
	}
	wl := Table{Name: "waiting_land", Title: "地等项目 Ready standard land with no project", Columns: []Column{
		colPlot, colDistrict, {Key: "cluster", Label: "产业集群", LabelEN: "Cluster"}, {Key: "land_use", Label: "用地性质", LabelEN: "Land use"}, colAreaMu,
		{Key: "min_investment_wan_per_mu", Label: "投资强度(下限)", LabelEN: "Investment intensity (min)", Unit: "万元/亩"},
		{Key: "min_tax_wan_per_mu_year", Label: "亩均税收(下限)", LabelEN: "Tax per mu (min)", Unit: "万元/亩·年"}}}
	for _, p := range r.WaitingLand {
		wl.Rows = append(wl.Rows, []any{p.Code, p.District, p.Cluster, p.LandUse, p.AreaMu, p.MinInvestmentWanPerMu, p.MinTaxWanPerMuYear})
	}
	wb := Table{Name: "waiting_plants", Title: "厂房等项目 Free plant space", Columns: []Column{
		{Key: "code", Label: "厂房", LabelEN: "Plant"}, {Key: "name", Label: "名称", LabelEN: "Name"}, colDistrict,
		{Key: "plot_code", Label: "所在地块", LabelEN: "Plot"}, {Key: "free_area_m2", Label: "空置面积", LabelEN: "Free floor area", Unit: "m²"}}}
	for _, b := range r.FreePlants {
		wb.Rows = append(wb.Rows, []any{b.Code, b.Name, b.District, b.PlotCode, b.FreeM2})
	}
	return []Table{st, cl, du, ov, wp, wl, wb}
}
