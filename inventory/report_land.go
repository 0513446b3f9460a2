package inventory

import "fmt"

// ComplianceMeasure is one committed indicator of standard land (标准地控制指标) that the
// compliance report (承诺履约) sets against the actual figure.
type ComplianceMeasure struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
	Unit    string `json:"unit"`
	// Committed names the plot field(s) holding the commitment; Actual says how the actual
	// figure is computed.
	Committed string `json:"committed"`
	Actual    string `json:"actual"`
	// Confidential measures rest on a firm's figures: planners and admins only.
	Confidential bool `json:"confidential,omitempty"`
}

// ComplianceMeasures are checked for every supplied or built standard-land plot (standard_land
// = true and status supplied, under_construction, in_production or idle).
var ComplianceMeasures = []ComplianceMeasure{
	{Key: "investment_intensity", Label: "固定资产投资强度", LabelEN: "Fixed-asset investment intensity", Unit: "万元/亩",
		Committed: "min_investment_wan_per_mu", Actual: "investment_wan / area in 亩", Confidential: true},
	{Key: "tax_per_mu", Label: "亩均税收", LabelEN: "Tax per mu", Unit: "万元/亩·年",
		Committed: "min_tax_wan_per_mu_year", Actual: "tax_wan_per_year / area in 亩", Confidential: true},
	{Key: "output_per_mu", Label: "产出强度", LabelEN: "Output per mu", Unit: "万元/亩·年",
		Committed: "min_output_wan_per_mu", Actual: "output_wan_per_year / area in 亩", Confidential: true},
	{Key: "far", Label: "容积率", LabelEN: "Floor-area ratio", Unit: "",
		Committed: "min_far (and max_far)", Actual: "floor_area_m2 / area_m2"},
}

// Compliance check outcomes.
const (
	CheckMet          = "met"
	CheckShort        = "short"         // below the committed minimum
	CheckOver         = "over"          // above the committed maximum (floor-area ratio)
	CheckNoCommitment = "no_commitment" // the plot carries no such indicator
	CheckNoData       = "no_data"       // committed, but the actual figure is not recorded
)

// ComplianceCheck is one measure of one plot.
type ComplianceCheck struct {
	Measure      string   `json:"measure"`
	Committed    *float64 `json:"committed"`
	CommittedMax *float64 `json:"committed_max,omitempty"`
	Actual       *float64 `json:"actual"`
	Status       string   `json:"status"`
	// Shortfall is committed − actual (actual − max for "over"), in the measure's unit;
	// ShortfallPct is that as a share of the commitment.
	Shortfall    *float64 `json:"shortfall"`
	ShortfallPct *float64 `json:"shortfall_pct"`
}

// Judge fills Status and Shortfall from Committed, CommittedMax and Actual.
func (c *ComplianceCheck) Judge() {
	c.Shortfall, c.ShortfallPct = nil, nil
	switch {
	case c.Committed == nil && c.CommittedMax == nil:
		c.Status = CheckNoCommitment
	case c.Actual == nil:
		c.Status = CheckNoData
	case c.Committed != nil && *c.Actual < *c.Committed:
		c.Status = CheckShort
		c.Shortfall = f64(*c.Committed - *c.Actual)
		if *c.Committed > 0 {
			c.ShortfallPct = f64(*c.Shortfall / *c.Committed * 100)
		}
	case c.CommittedMax != nil && *c.Actual > *c.CommittedMax:
		c.Status = CheckOver
		c.Shortfall = f64(*c.Actual - *c.CommittedMax)
		if *c.CommittedMax > 0 {
			c.ShortfallPct = f64(*c.Shortfall / *c.CommittedMax * 100)
		}
	default:
		c.Status = CheckMet
	}
}

// CompliancePlot is one standard-land plot with its checks.
type CompliancePlot struct {
	Code       string            `json:"code"`
	Name       string            `json:"name,omitempty"`
	District   string            `json:"district,omitempty"`
	Cluster    string            `json:"cluster,omitempty"`
	Status     string            `json:"status"`
	AreaMu     float64           `json:"area_mu"`
	Enterprise string            `json:"enterprise,omitempty"` // confidential
	Checks     []ComplianceCheck `json:"checks"`
	FallsShort bool              `json:"falls_short"`
}

// ComplianceSummary counts one measure's outcomes.
type ComplianceSummary struct {
	Measure string `json:"measure"`
	Label   string `json:"label"`
	Checked int    `json:"checked"` // plots with a commitment
	Met     int    `json:"met"`
	Short   int    `json:"short"`
	Over    int    `json:"over"`
	NoData  int    `json:"no_data"`
}

// ComplianceReport is the standard-land compliance report.
type ComplianceReport struct {
	ReportHeader
	Measures []ComplianceMeasure `json:"measures"`
	Summary  []ComplianceSummary `json:"summary"`
	// Plots are all the plots covered; Short the codes of those that fall short on any measure.
	Plots []CompliancePlot `json:"plots"`
	Short []string         `json:"short"`
}

// Finish judges every check and fills Summary and Short.
func (r *ComplianceReport) Finish() {
	sums := make([]ComplianceSummary, len(r.Measures))
	for i, m := range r.Measures {
		sums[i] = ComplianceSummary{Measure: m.Key, Label: m.Label}
	}
	r.Short = []string{}
	for pi := range r.Plots {
		p := &r.Plots[pi]
		p.FallsShort = false
		for ci := range p.Checks {
			c := &p.Checks[ci]
			c.Judge()
			for i := range sums {
				if sums[i].Measure != c.Measure {
					continue
				}
				if c.Status != CheckNoCommitment {
					sums[i].Checked++
				}
				switch c.Status {
				case CheckMet:
					sums[i].Met++
				case CheckShort:
					sums[i].Short++
				case CheckOver:
					sums[i].Over++
				case CheckNoData:
					sums[i].NoData++
				}
			}
			if c.Status == CheckShort || c.Status == CheckOver {
				p.FallsShort = true
			}
		}
		if p.FallsShort {
			r.Short = append(r.Short, p.Code)
		}
	}
	r.Summary = sums
}

func (r *ComplianceReport) measure(key string) ComplianceMeasure {
	for _, m := range r.Measures {
		if m.Key == key {
			return m
		}
	}
	return ComplianceMeasure{Key: key}
}

// Tables: shortfalls (one row per plot and measure that falls short), checks (every plot and
// measure), summary.
func (r *ComplianceReport) Tables() []Table {
	cols := []Column{
		{Key: "code", Label: "地块编号", LabelEN: "Plot"},
		{Key: "district", Label: "片区", LabelEN: "District"},
		{Key: "cluster", Label: "产业集群", LabelEN: "Cluster"},
		{Key: "status", Label: "状态", LabelEN: "Status"},
		{Key: "area_mu", Label: "面积", LabelEN: "Area", Unit: "亩"},
		{Key: "measure", Label: "指标", LabelEN: "Measure"},
		{Key: "unit", Label: "单位", LabelEN: "Unit"},
		{Key: "committed", Label: "承诺值(下限)", LabelEN: "Committed (min)"},
		{Key: "committed_max", Label: "承诺值(上限)", LabelEN: "Committed (max)"},
		{Key: "actual", Label: "实际值", LabelEN: "Actual"},
		{Key: "outcome", Label: "履约情况", LabelEN: "Outcome"},
		{Key: "shortfall", Label: "差额", LabelEN: "Shortfall"},
		{Key: "shortfall_pct", Label: "差额占承诺", LabelEN: "Shortfall share", Unit: "%"},
	}
	short := Table{Name: "shortfalls", Title: "未达承诺 Plots falling short", Columns: cols}
	all := Table{Name: "checks", Title: "承诺履约核查 All checks", Columns: cols}
	for _, p := range r.Plots {
		for _, c := range p.Checks {
			m := r.measure(c.Measure)
			row := []any{p.Code, p.District, p.Cluster, p.Status, p.AreaMu, m.Label + " " + m.LabelEN, m.Unit,
				c.Committed, c.CommittedMax, c.Actual, c.Status, c.Shortfall, c.ShortfallPct}
			all.Rows = append(all.Rows, row)
			if c.Status == CheckShort || c.Status == CheckOver {
				short.Rows = append(short.Rows, row)
			}
		}
	}
	sum := Table{Name: "summary", Title: "汇总 Summary", Columns: []Column{
		{Key: "measure", Label: "指标", LabelEN: "Measure"},
		{Key: "checked", Label: "有承诺地块", LabelEN: "Plots with a commitment"},
		{Key: "met", Label: "达标", LabelEN: "Met"},
		{Key: "short", Label: "未达下限", LabelEN: "Below minimum"},
		{Key: "over", Label: "超过上限", LabelEN: "Above maximum"},
		{Key: "no_data", Label: "无实际数据", LabelEN: "No actual figure"},
	}}
	for _, s := range r.Summary {
		m := r.measure(s.Measure)
		sum.Rows = append(sum.Rows, []any{m.Label + " " + m.LabelEN, s.Checked, s.Met, s.Short, s.Over, s.NoData})
	}
	return []Table{short, all, sum}
}

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
	Code            string  `json:"code"`
	Name            string  `json:"name,omitempty"`
	District        string  `json:"district,omitempty"`
	Cluster         string  `json:"cluster,omitempty"`
	Status          string  `json:"status"`
	AreaMu          float64 `json:"area_mu"`
	AgreedStartDate *string `json:"agreed_start_date"`
	StartedOn       *string `json:"started_on"`
	StoppedOn       *string `json:"stopped_on"`
	// Test is not_started or stopped; Reason explains it; DaysIdle counts from the day the
	// year of grace began (the agreed start date, or the day work stopped).
	Test     string `json:"test"`
	Reason   string `json:"reason"`
	DaysIdle int    `json:"days_idle"`
}

// IdleStageLabels are the stages' Chinese names.
var IdleStageLabels = map[string]string{"survey": "调查", "determination": "认定", "notice_hearing": "告知/听证",
	"disposal_plan": "处置方案", "implementation": "实施", "reactivated": "盘活"}

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
		{Key: "area_mu", Label: "面积", LabelEN: "Area", Unit: "亩"},
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
		{Key: "code", Label: "地块编号", LabelEN: "Plot"},
		{Key: "district", Label: "片区", LabelEN: "District"},
		{Key: "status", Label: "状态", LabelEN: "Status"},
		{Key: "area_mu", Label: "面积", LabelEN: "Area", Unit: "亩"},
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

// SupplyRow is ready standard land (地等项目) in one district or cluster.
type SupplyRow struct {
	Key    string  `json:"key"`
	Plots  int64   `json:"plots"`
	AreaMu float64 `json:"area_mu"`
}

// ReadyPlot is one ready standard-land plot with what a buyer commits to.
type ReadyPlot struct {
	Code                  string   `json:"code"`
	Name                  string   `json:"name,omitempty"`
	District              string   `json:"district,omitempty"`
	Cluster               string   `json:"cluster,omitempty"`
	LandUse               string   `json:"land_use"`
	AreaMu                float64  `json:"area_mu"`
	MinInvestmentWanPerMu *float64 `json:"min_investment_wan_per_mu"`
	MinTaxWanPerMuYear    *float64 `json:"min_tax_wan_per_mu_year"`
	MinFAR                *float64 `json:"min_far"`
	MaxFAR                *float64 `json:"max_far"`
}

// PlantSpace is standard-plant floor space (厂房等项目) in one district (or in all).
type PlantSpace struct {
	Key        string   `json:"key"`
	Plants     int64    `json:"plants"`
	FloorM2    float64  `json:"total_floor_area_m2"`
	LeasableM2 float64  `json:"leasable_area_m2"`
	LeasedM2   float64  `json:"leased_area_m2"`
	FreeM2     float64  `json:"free_area_m2"`
	VacancyPct *float64 `json:"vacancy_pct"`
}

// SupplyReport is what the zone can offer an investor on the report date.
type SupplyReport struct {
	ReportHeader
	// Ready is standard land with status ready: total, by district and by cluster (a plot with
	// no cluster counts under "none"), and the plots.
	Ready           SupplyRow   `json:"ready"`
	ReadyByDistrict []SupplyRow `json:"ready_by_district"`
	ReadyByCluster  []SupplyRow `json:"ready_by_cluster"`
	ReadyPlots      []ReadyPlot `json:"ready_plots"`
	// Plants counts completed standard plants (space that can be let today); vacancy = free /
	// leasable. Pipeline counts plants planned or under construction.
	Plants           PlantSpace   `json:"plants"`
	PlantsByDistrict []PlantSpace `json:"plants_by_district"`
	Pipeline         PlantSpace   `json:"pipeline"`
}

// Tables: ready land by district and by cluster, ready plots, plants by district.
func (r *SupplyReport) Tables() []Table {
	landCols := func(key, label, labelEN string) []Column {
		return []Column{{Key: key, Label: label, LabelEN: labelEN}, {Key: "plots", Label: "地块数", LabelEN: "Plots"},
			{Key: "area_mu", Label: "面积", LabelEN: "Area", Unit: "亩"}}
	}
	byD := Table{Name: "ready_by_district", Title: "地等项目(按片区) Ready standard land by district", Columns: landCols("district", "片区", "District")}
	for _, x := range append(r.ReadyByDistrict, SupplyRow{Key: "total", Plots: r.Ready.Plots, AreaMu: r.Ready.AreaMu}) {
		byD.Rows = append(byD.Rows, []any{x.Key, x.Plots, x.AreaMu})
	}
	byC := Table{Name: "ready_by_cluster", Title: "地等项目(按产业集群) Ready standard land by cluster", Columns: landCols("cluster", "产业集群", "Cluster")}
	for _, x := range append(r.ReadyByCluster, SupplyRow{Key: "total", Plots: r.Ready.Plots, AreaMu: r.Ready.AreaMu}) {
		byC.Rows = append(byC.Rows, []any{x.Key, x.Plots, x.AreaMu})
	}
	pl := Table{Name: "ready_plots", Title: "待供标准地 Ready standard-land plots", Columns: []Column{
		{Key: "code", Label: "地块编号", LabelEN: "Plot"}, {Key: "name", Label: "名称", LabelEN: "Name"},
		{Key: "district", Label: "片区", LabelEN: "District"}, {Key: "cluster", Label: "产业集群", LabelEN: "Cluster"},
		{Key: "land_use", Label: "用地性质", LabelEN: "Land use"}, {Key: "area_mu", Label: "面积", LabelEN: "Area", Unit: "亩"},
		{Key: "min_investment_wan_per_mu", Label: "投资强度下限", LabelEN: "Min investment", Unit: "万元/亩"},
		{Key: "min_tax_wan_per_mu_year", Label: "亩均税收下限", LabelEN: "Min tax", Unit: "万元/亩·年"},
		{Key: "min_far", Label: "容积率下限", LabelEN: "Min FAR"}, {Key: "max_far", Label: "容积率上限", LabelEN: "Max FAR"},
	}}
	for _, p := range r.ReadyPlots {
		pl.Rows = append(pl.Rows, []any{p.Code, p.Name, p.District, p.Cluster, p.LandUse, p.AreaMu, p.MinInvestmentWanPerMu, p.MinTaxWanPerMuYear, p.MinFAR, p.MaxFAR})
	}
	plants := Table{Name: "plants", Title: "厂房等项目 Standard-plant space (completed)", Columns: []Column{
		{Key: "district", Label: "片区", LabelEN: "District"}, {Key: "plants", Label: "栋数", LabelEN: "Buildings"},
		{Key: "total_floor_area_m2", Label: "总建筑面积", LabelEN: "Total floor area", Unit: "m²"},
		{Key: "leasable_area_m2", Label: "可租售面积", LabelEN: "Leasable", Unit: "m²"},
		{Key: "leased_area_m2", Label: "已租售面积", LabelEN: "Leased or sold", Unit: "m²"},
		{Key: "free_area_m2", Label: "空置面积", LabelEN: "Free", Unit: "m²"},
		{Key: "vacancy_pct", Label: "空置率", LabelEN: "Vacancy", Unit: "%"},
	}}
	for _, x := range append(r.PlantsByDistrict, r.Plants) {
		plants.Rows = append(plants.Rows, []any{x.Key, x.Plants, x.FloorM2, x.LeasableM2, x.LeasedM2, x.FreeM2, x.VacancyPct})
	}
	return []Table{byD, byC, pl, plants}
}

// RoadLength is the length of road of one status.
type RoadLength struct {
	Status string  `json:"status"`
	Roads  int64   `json:"roads"`
	Km     float64 `json:"km"`
}

// DeadEnd is an end of a road that is not within tolerance_m of any other road nor of another
// part of the same road (断头路).
type DeadEnd struct {
	Road   string     `json:"road"`
	Name   string     `json:"name"`
	Status string     `json:"status"`
	End    string     `json:"end"` // start | end (of the line part)
	Point  [2]float64 `json:"point"`
}

// DistrictLoop says whether the road network closes a ring around a district (区域道路闭环).
type DistrictLoop struct {
	District string `json:"district"`
	Name     string `json:"name"`
	// CoverPct is the share of the district's area enclosed by the faces of the network of
	// existing roads (existing, remediation); Closed when it reaches loop_cover_pct.
	CoverPct float64 `json:"cover_pct"`
	Closed   bool    `json:"closed"`
	// With every new road (under_construction, planned, preliminary) added: the cover, whether
	// that closes the ring, and a minimal set of new roads that does (WouldClose).
	CoverPctWithNew float64  `json:"cover_pct_with_new"`
	ClosedWithNew   bool     `json:"closed_with_new"`
	WouldClose      []string `json:"would_close"`
}

// OpensUp lists the plots a new road gives frontage to: within frontage_m of it and not within
// frontage_m of any existing road.
type OpensUp struct {
	Road   string   `json:"road"`
	Name   string   `json:"name"`
	Status string   `json:"status"`
	Plots  []string `json:"plots"`
	Count  int      `json:"count"`
	AreaMu float64  `json:"area_mu"`
}

// Road status groups of the road analyses.
var (
	ExistingRoadStatuses = []string{"existing", "remediation"}
	NewRoadStatuses      = []string{"under_construction", "planned", "preliminary"}
)

// RoadsReport holds the road analyses.
type RoadsReport struct {
	ReportHeader
	ToleranceM   float64        `json:"tolerance_m"`
	FrontageM    float64        `json:"frontage_m"`
	LoopCoverPct float64        `json:"loop_cover_pct"`
	Lengths      []RoadLength   `json:"lengths"`
	TotalKm      float64        `json:"total_km"`
	DeadEnds     []DeadEnd      `json:"dead_ends"`
	Loops        []DistrictLoop `json:"loop"`
	OpensUp      []OpensUp      `json:"opens_up"`
}

// Tables: lengths, dead ends, loops, opens up.
func (r *RoadsReport) Tables() []Table {
	ln := Table{Name: "lengths", Title: "道路里程 Road length by status", Columns: []Column{
		{Key: "status", Label: "状态", LabelEN: "Status"}, {Key: "roads", Label: "条数", LabelEN: "Roads"},
		{Key: "km", Label: "长度", LabelEN: "Length", Unit: "km"}}}
	for _, l := range r.Lengths {
		ln.Rows = append(ln.Rows, []any{l.Status, l.Roads, l.Km})
	}
	ln.Rows = append(ln.Rows, []any{"total", nil, r.TotalKm})
	de := Table{Name: "dead_ends", Title: fmt.Sprintf("断头路 Dead ends (tolerance %g m)", r.ToleranceM), Columns: []Column{
		{Key: "road", Label: "道路编号", LabelEN: "Road"}, {Key: "name", Label: "名称", LabelEN: "Name"},
		{Key: "status", Label: "状态", LabelEN: "Status"}, {Key: "end", Label: "端点", LabelEN: "End"},
		{Key: "lon", Label: "经度", LabelEN: "Longitude", Unit: "°"}, {Key: "lat", Label: "纬度", LabelEN: "Latitude", Unit: "°"}}}
	for _, d := range r.DeadEnds {
		de.Rows = append(de.Rows, []any{d.Road, d.Name, d.Status, d.End, d.Point[0], d.Point[1]})
	}
	lp := Table{Name: "loop", Title: "区域道路闭环 District road loops", Columns: []Column{
		{Key: "district", Label: "片区", LabelEN: "District"}, {Key: "name", Label: "名称", LabelEN: "Name"},
		{Key: "cover_pct", Label: "现状路网围合", LabelEN: "Enclosed by existing roads", Unit: "%"},
		{Key: "closed", Label: "已闭环", LabelEN: "Closed"},
		{Key: "cover_pct_with_new", Label: "含新建规划路围合", LabelEN: "Enclosed with new roads", Unit: "%"},
		{Key: "closed_with_new", Label: "建成后闭环", LabelEN: "Closed with new roads"},
		{Key: "would_close", Label: "闭环所需新路", LabelEN: "New roads that close it"}}}
	for _, l := range r.Loops {
		lp.Rows = append(lp.Rows, []any{l.District, l.Name, l.CoverPct, l.Closed, l.CoverPctWithNew, l.ClosedWithNew, joinComma(l.WouldClose)})
	}
	op := Table{Name: "opens_up", Title: fmt.Sprintf("新路带动地块 Plots opened up by new roads (within %g m)", r.FrontageM), Columns: []Column{
		{Key: "road", Label: "道路编号", LabelEN: "Road"}, {Key: "name", Label: "名称", LabelEN: "Name"},
		{Key: "status", Label: "状态", LabelEN: "Status"}, {Key: "count", Label: "地块数", LabelEN: "Plots"},
		{Key: "area_mu", Label: "面积", LabelEN: "Area", Unit: "亩"}, {Key: "plots", Label: "地块编号", LabelEN: "Plot codes"}}}
	for _, o := range r.OpensUp {
		op.Rows = append(op.Rows, []any{o.Road, o.Name, o.Status, o.Count, o.AreaMu, joinComma(o.Plots)})
	}
	return []Table{ln, de, lp, op}
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
