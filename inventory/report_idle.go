package inventory

// The idle and zombie land report (闲置土地/僵尸企业用地, 腾笼换鸟).

// IdleStageRow counts the idle and zombie sites at one stage.
type IdleStageRow struct {
	Stage   string  `json:"stage"`
	Label   string  `json:"label"`
	Sites   int64   `json:"sites"`
	IdleLnd int64   `json:"idle_land"`
	Zombie  int64   `json:"zombie_enterprise"`
	AreaM2  float64 `json:"area_m2"`
	AreaMu  float64 `json:"area_mu"`
}

// IdleYearRow is the area reclaimed (收回, by reclaimed_on) and re-let (盘活/再供应, by relet_on)
// in one calendar year.
type IdleYearRow struct {
	Year        int     `json:"year"`
	Reclaimed   int64   `json:"reclaimed_sites"`
	ReclaimedMu float64 `json:"reclaimed_mu"`
	Relet       int64   `json:"relet_sites"`
	ReletMu     float64 `json:"relet_mu"`
}

// IdleCandidate is a plot that meets the legal idle test (闲置土地处置办法 art. 2) on the report
// date but is not flagged: its status is not idle and no idle site names it.
type IdleCandidate struct {
	ReportPlot
	AgreedStartDate *string `json:"agreed_start_date"`
	StartedOn       *string `json:"started_on"`
	StoppedOn       *string `json:"stopped_on"`
	// Test is not_started or stopped; Reason explains it; DaysIdle counts from the day the
	// year of grace began (the agreed start date, or the day work stopped).
	Test     string `json:"test"`
	Reason   string `json:"reason"`
	DaysIdle int    `json:"days_idle"`
}

// IdleReport is the idle and zombie land report.
type IdleReport struct {
	ReportHeader
	Stages     []IdleStageRow  `json:"stages"`
	Sites      int64           `json:"sites"`
	AreaMu     float64         `json:"area_mu"`
	Years      []IdleYearRow   `json:"years"`
	Candidates []IdleCandidate `json:"candidates"`
	// CandidateRule states the legal test as applied.
	CandidateRule string `json:"candidate_rule"`
}

// Tables: stages, years, candidates.
func (r *IdleReport) Tables() []Table {
	st := Table{Name: "stages", Title: "处置阶段 Sites by stage", Columns: []Column{
		{Key: "stage", Label: "阶段", LabelEN: "Stage"},
		{Key: "sites", Label: "宗数", LabelEN: "Sites"},
		{Key: "idle_land", Label: "闲置土地", LabelEN: "Idle land"},
		{Key: "zombie_enterprise", Label: "僵尸企业", LabelEN: "Zombie enterprise"},
		colAreaMu,
	}}
	for _, s := range r.Stages {
		st.Rows = append(st.Rows, []any{s.Label + " " + s.Stage, s.Sites, s.IdleLnd, s.Zombie, s.AreaMu})
	}
	yr := Table{Name: "years", Title: "腾笼换鸟 Reclaimed and re-let per year", Columns: []Column{
		{Key: "year", Label: "年份", LabelEN: "Year"},
		{Key: "reclaimed_sites", Label: "收回宗数", LabelEN: "Sites reclaimed"},
		{Key: "reclaimed_mu", Label: "收回面积", LabelEN: "Area reclaimed", Unit: "亩"},
		{Key: "relet_sites", Label: "盘活宗数", LabelEN: "Sites re-let"},
		{Key: "relet_mu", Label: "盘活面积", LabelEN: "Area re-let", Unit: "亩"},
	}}
	for _, y := range r.Years {
		yr.Rows = append(yr.Rows, []any{y.Year, y.Reclaimed, y.ReclaimedMu, y.Relet, y.ReletMu})
	}
	ca := Table{Name: "candidates", Title: "疑似闲置未认定 Plots meeting the idle test, not flagged", Columns: []Column{
		colPlot, colDistrict, colStatus, colAreaMu,
		{Key: "agreed_start_date", Label: "约定动工日期", LabelEN: "Agreed start date"},
		{Key: "started_on", Label: "实际动工日期", LabelEN: "Started on"},
		{Key: "stopped_on", Label: "停工日期", LabelEN: "Stopped on"},
		{Key: "test", Label: "认定依据", LabelEN: "Test"},
		{Key: "days_idle", Label: "闲置天数", LabelEN: "Days idle", Unit: "天"},
		{Key: "reason", Label: "说明", LabelEN: "Reason"},
	}}
	for _, c := range r.Candidates {
		ca.Rows = append(ca.Rows, []any{c.Code, c.District, c.Status, c.AreaMu, c.AgreedStartDate, c.StartedOn, c.StoppedOn, c.Test, c.DaysIdle, c.Reason})
	}
	return []Table{st, yr, ca}
}
