package inventory

// The per-mu benefit evaluation's reports (亩均效益评价报告) and the reclamation list (腾笼换鸟
// 名单), built from a year's stored evaluation (its latest run; see evaluation.go).
//
// Disclosure rule (公开规则): firm-level rows, scores and grades are for viewers who may see
// confidential figures only. The public gets the aggregates of a final (定稿) evaluation only,
// under the zone's statistical disclosure rule (DisclosureRule, the same as the intensity
// report's): a count, land total or grade count of fewer than MinEnterprises firms is null
// (a count of 0 describes no firm and is shown), and a tax per 亩 is null also when one firm
// pays more than MaxSharePct of the group's tax. The year before's grade counts follow the
// same rule, and are shown only when that year's evaluation is final too. The report's
// withheld list says what was left out.

import (
	"fmt"
	"sort"
	"strings"
)

// Report kinds of the per-mu evaluation.
const (
	ReportPerMu       = "per-mu"
	ReportReclamation = "reclamation"
)

// GradeCount is how many firms of one group (cluster or district) got each grade, and their land.
type GradeCount struct {
	Group    string         `json:"group"`
	Firms    *int           `json:"firms"`
	Grades   map[string]any `json:"grades"` // A, B, C, D, ungraded: counts (null when withheld)
	LandMu   *float64       `json:"land_mu"`
	TaxPerMu *float64       `json:"tax_per_mu"` // Σ tax ÷ Σ 亩 of the group's firms with both
}

// GradeChange is a firm's grade this year and the year before.
type GradeChange struct {
	CreditCode string  `json:"credit_code"`
	Name       string  `json:"name"`
	Grade      *string `json:"grade"`
	Previous   *string `json:"previous"`
}

// PerMuReport is the evaluation report of a year.
type PerMuReport struct {
	ReportHeader
	Year        int            `json:"year"`
	State       string         `json:"state"`
	Run         int            `json:"run"`
	ByCluster   []GradeCount   `json:"by_cluster"`
	ByDistrict  []GradeCount   `json:"by_district"`
	LandByGrade map[string]any `json:"land_by_grade"` // grade → 亩
	// Previous: the year before's firms by grade (null where withheld from the public).
	Previous map[string]any     `json:"previous_counts,omitempty"`
	Changes  []GradeChange      `json:"changes"`
	Firms    []EvaluationResult `json:"firms"`
}

func gradeKey(r EvaluationResult) string {
	if r.Grade == nil {
		return "ungraded"
	}
	return *r.Grade
}

var gradeKeys = []string{"A", "B", "C", "D", "ungraded"}

// disclosedCount is a count as the public may see it under rule: null when it describes
// fewer than rule.MinEnterprises firms (but not none); every count when full.
func disclosedCount(c int, rule DisclosureRule, full bool) any {
	if full || c == 0 || c >= rule.MinEnterprises {
		return c
	}
	return nil
}

// groupCounts counts results by group key, withholding cells from the public under rule
// unless full.
func groupCounts(rs []EvaluationResult, key func(EvaluationResult) string, rule DisclosureRule, full bool) []GradeCount {
	type acc struct {
		n           int
		grades      map[string]int
		mu, tax, tm float64
		tax0        Contribution // firms with a positive tax, the largest tax, their sum
	}
	by := map[string]*acc{}
	var order []string
	for _, r := range rs {
		k := key(r)
		a := by[k]
		if a == nil {
			a = &acc{grades: map[string]int{}}
			by[k] = a
			order = append(order, k)
		}
		a.n++
		a.grades[gradeKey(r)]++
		a.mu += r.LandMu
		if t, ok := r.Indicators["tax_per_mu"]; ok && t.Numerator != nil && r.LandMu > 0 {
			a.tax += *t.Numerator
			a.tm += r.LandMu
			if *t.Numerator > 0 {
				a.tax0.Enterprises++
				a.tax0.Sum += *t.Numerator
				a.tax0.Largest = max(a.tax0.Largest, *t.Numerator)
			}
		}
	}
	sort.Strings(order)
	out := []GradeCount{}
	for _, k := range order {
		a := by[k]
		g := GradeCount{Group: k, Grades: map[string]any{}}
		for _, gk := range gradeKeys {
			g.Grades[gk] = disclosedCount(a.grades[gk], rule, full)
		}
		if full || a.n >= rule.MinEnterprises {
			n, mu := a.n, a.mu
			g.Firms, g.LandMu = &n, &mu
			if ok, _, _, _ := rule.Check(a.tax0); a.tm > 0 && (full || ok) {
				t := a.tax / a.tm
				g.TaxPerMu = &t
			}
		}
		out = append(out, g)
	}
	return out
}

// BuildPerMuReport fills the report from the year's evaluation ev and the previous year's
// (nil when none), both with results already narrowed to the report's districts and cluster;
// rule is the zone's disclosure rule, full says whether the viewer may see confidential
// figures.
func BuildPerMuReport(h ReportHeader, ev, prev *Evaluation, rule DisclosureRule, full bool) *PerMuReport {
	r := &PerMuReport{ReportHeader: h, Year: ev.Year, State: ev.State, Run: ev.Run, LandByGrade: map[string]any{},
		Changes: []GradeChange{}, Firms: []EvaluationResult{}}
	if !full && ev.State != EvalFinal {
		r.Withheld = append(r.Withheld, "everything: the evaluation is not final (定稿) yet")
		r.ByCluster, r.ByDistrict = []GradeCount{}, []GradeCount{}
		return r
	}
	r.ByCluster = groupCounts(ev.Results, func(x EvaluationResult) string { return x.Cluster }, rule, full)
	r.ByDistrict = groupCounts(ev.Results, func(x EvaluationResult) string { return x.District }, rule, full)
	for _, g := range groupCounts(ev.Results, gradeKey, rule, full) {
		if g.LandMu != nil {
			r.LandByGrade[g.Group] = *g.LandMu
		} else {
			r.LandByGrade[g.Group] = nil
		}
	}
	switch {
	case prev == nil:
	case !full && prev.State != EvalFinal:
		r.Withheld = append(r.Withheld, fmt.Sprintf("the %d grade counts: that evaluation is not final (定稿)", prev.Year))
	default:
		counts := map[string]int{}
		for _, x := range prev.Results {
			counts[gradeKey(x)]++
		}
		r.Previous = map[string]any{}
		for _, k := range gradeKeys {
			r.Previous[k] = disclosedCount(counts[k], rule, full)
		}
	}
	if !full {
		r.Withheld = append(r.Withheld, "firms, scores and grades of single firms (confidential)",
			fmt.Sprintf("aggregate cells of fewer than %d firms, and tax per mu where one firm pays more than %g%% of the tax", rule.MinEnterprises, rule.MaxSharePct))
		return r
	}
	before := map[string]*string{}
	if prev != nil {
		for _, x := range prev.Results {
			before[x.CreditCode] = x.Grade
		}
	}
	for _, x := range ev.Results {
		r.Changes = append(r.Changes, GradeChange{CreditCode: x.CreditCode, Name: x.Name, Grade: x.Grade, Previous: before[x.CreditCode]})
	}
	r.Firms = ev.Results
	return r
}

// Tables: by_cluster, by_district, land_by_grade, changes, firms.
func (r *PerMuReport) Tables() []Table {
	group := func(name, title, label, labelEN string, gs []GradeCount) Table {
		t := Table{Name: name, Title: title, Columns: []Column{{Key: "group", Label: label, LabelEN: labelEN},
			{Key: "firms", Label: "企业数", LabelEN: "Firms"}, {Key: "A", Label: "A类", LabelEN: "A"}, {Key: "B", Label: "B类", LabelEN: "B"},
			{Key: "C", Label: "C类", LabelEN: "C"}, {Key: "D", Label: "D类", LabelEN: "D"}, {Key: "ungraded", Label: "未分类", LabelEN: "Ungraded"},
			{Key: "land_mu", Label: "用地面积", LabelEN: "Land", Unit: "亩"}, {Key: "tax_per_mu", Label: "亩均税收", LabelEN: "Tax per mu", Unit: "万元/亩"}}}
		for _, g := range gs {
			row := []any{g.Group, g.Firms}
			for _, k := range gradeKeys {
				row = append(row, g.Grades[k])
			}
			t.Rows = append(t.Rows, append(row, g.LandMu, g.TaxPerMu))
		}
		return t
	}
	land := Table{Name: "land_by_grade", Title: "各等级用地 Land by grade", Columns: []Column{{Key: "grade", Label: "等级", LabelEN: "Grade"},
		{Key: "land_mu", Label: "用地面积", LabelEN: "Land", Unit: "亩"}, {Key: "previous", Label: "上年企业数", LabelEN: "Firms the year before"}}}
	for _, k := range gradeKeys {
		land.Rows = append(land.Rows, []any{k, r.LandByGrade[k], r.Previous[k]})
	}
	ch := Table{Name: "changes", Title: "等级变化 Grade against the year before", Columns: []Column{{Key: "credit_code", Label: "统一社会信用代码", LabelEN: "Credit code"},
		{Key: "name", Label: "企业名称", LabelEN: "Name"}, {Key: "grade", Label: "等级", LabelEN: "Grade"}, {Key: "previous", Label: "上年等级", LabelEN: "Previous grade"}}}
	for _, c := range r.Changes {
		ch.Rows = append(ch.Rows, []any{c.CreditCode, c.Name, c.Grade, c.Previous})
	}
	firms := Table{Name: "firms", Title: "企业评价结果 Firms by grade", Columns: []Column{{Key: "credit_code", Label: "统一社会信用代码", LabelEN: "Credit code"},
		{Key: "name", Label: "企业名称", LabelEN: "Name"}, {Key: "cluster", Label: "产业集群", LabelEN: "Cluster"}, {Key: "district", Label: "片区", LabelEN: "District"},
		{Key: "land_mu", Label: "用地面积", LabelEN: "Land", Unit: "亩"}, {Key: "tax_per_mu", Label: "亩均税收", LabelEN: "Tax per mu", Unit: "万元/亩"},
		{Key: "value_added_per_mu", Label: "亩均增加值", LabelEN: "Value added per mu", Unit: "万元/亩"},
		{Key: "score", Label: "综合得分", LabelEN: "Score"}, {Key: "rank", Label: "排名", LabelEN: "Rank"}, {Key: "grade", Label: "等级", LabelEN: "Grade"},
		{Key: "exempt_reason", Label: "免评原因", LabelEN: "Exempt"}, {Key: "missing", Label: "缺失数据", LabelEN: "Missing"}}}
	for _, x := range r.Firms {
		var missing any
		if len(x.Missing) > 0 {
			missing = strings.Join(x.Missing, ", ")
		}
		firms.Rows = append(firms.Rows, []any{x.CreditCode, x.Name, x.Cluster, x.District, x.LandMu, x.TaxPerMu, x.VAPerMu,
			x.Score, x.Rank, x.Grade, x.ExemptReason, missing})
	}
	return []Table{group("by_cluster", "分产业集群 Grades by cluster", "产业集群", "Cluster", r.ByCluster),
		group("by_district", "分片区 Grades by district", "片区", "District", r.ByDistrict), land, ch, firms}
}

// ReclamationPlot is a plot a listed firm holds now (the plots it held at the year's end may
// have changed hands since), with any idle-land case open on it.
type ReclamationPlot struct {
	Code     string  `json:"code"`
	AreaMu   float64 `json:"area_mu"`
	IdleCase *string `json:"idle_case"` // code of a live idle site on the plot not yet reactivated
}

// ReclamationFirm is a firm on the reclamation list (腾笼换鸟名单).
type ReclamationFirm struct {
	CreditCode string            `json:"credit_code"`
	Name       string            `json:"name"`
	Cluster    string            `json:"cluster"`
	District   string            `json:"district"`
	Grade      string            `json:"grade"`
	Reason     string            `json:"reason"` // grade D, or grade C N years running
	LandMu     float64           `json:"land_mu"`
	Score      *float64          `json:"score"`
	Plots      []ReclamationPlot `json:"plots"`
}

// ReclamationReport is the reclamation list of a year: firms graded D, or C for the scheme's
// ReclaimCYears years running (each year's latest run), with their plots and open idle cases.
type ReclamationReport struct {
	ReportHeader
	Year  int               `json:"year"`
	State string            `json:"state"`
	Rule  string            `json:"rule"`
	Firms []ReclamationFirm `json:"firms"`
}

// ReclamationList picks the firms of ev that join the list; earlier holds the grades of the
// years before (earlier[0] the year before, …) by credit code.
func ReclamationList(ev *Evaluation, earlier []map[string]string) []ReclamationFirm {
	out := []ReclamationFirm{}
	cYears := ev.Scheme.ReclaimCYears
	for _, r := range ev.Results {
		if r.Grade == nil {
			continue
		}
		reason := ""
		switch {
		case *r.Grade == "D":
			reason = "grade D (调控帮扶)"
		case *r.Grade == "C" && cYears > 0:
			run := 1
			for i := 0; i < len(earlier) && run < cYears; i++ {
				if earlier[i][r.CreditCode] != "C" {
					break
				}
				run++
			}
			if run >= cYears {
				reason = "grade C " + itoa(cYears) + " years running"
			}
		}
		if reason == "" {
			continue
		}
		out = append(out, ReclamationFirm{CreditCode: r.CreditCode, Name: r.Name, Cluster: r.Cluster, District: r.District,
			Grade: *r.Grade, Reason: reason, LandMu: r.LandMu, Score: r.Score, Plots: []ReclamationPlot{}})
	}
	return out
}

// Tables: firms (one row per firm and plot).
func (r *ReclamationReport) Tables() []Table {
	t := Table{Name: "firms", Title: "腾笼换鸟名单 Reclamation list", Columns: []Column{
		{Key: "credit_code", Label: "统一社会信用代码", LabelEN: "Credit code"}, {Key: "name", Label: "企业名称", LabelEN: "Name"},
		{Key: "district", Label: "片区", LabelEN: "District"}, {Key: "grade", Label: "等级", LabelEN: "Grade"},
		{Key: "reason", Label: "列入原因", LabelEN: "Reason"}, {Key: "land_mu", Label: "用地面积", LabelEN: "Land", Unit: "亩"},
		{Key: "plot", Label: "地块", LabelEN: "Plot"}, {Key: "plot_mu", Label: "地块面积", LabelEN: "Plot area", Unit: "亩"},
		{Key: "idle_case", Label: "已立闲置案件", LabelEN: "Open idle case"}}}
	for _, f := range r.Firms {
		if len(f.Plots) == 0 {
			t.Rows = append(t.Rows, []any{f.CreditCode, f.Name, f.District, f.Grade, f.Reason, f.LandMu, nil, nil, nil})
		}
		for _, p := range f.Plots {
			t.Rows = append(t.Rows, []any{f.CreditCode, f.Name, f.District, f.Grade, f.Reason, f.LandMu, p.Code, p.AreaMu, p.IdleCase})
		}
	}
	return []Table{t}
}
