package inventory

// The standard-land compliance report (标准地承诺履约): every committed indicator of a supplied
// or built standard-land plot set against the actual figure.

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
	ReportPlot
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
		colPlot, colDistrict, colCluster, colStatus, colAreaMu,
		{Key: "measure", Label: "指标", LabelEN: "Measure"},
		colUnit,
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
