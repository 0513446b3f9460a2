package inventory

// The per-mu benefit evaluation (亩均效益评价, "亩均论英雄", DOMAIN.md §6b): every enterprise of
// a zone graded each year A/B/C/D by what it yields per 亩 of land it uses.
//
// Rules, each in one place:
//   - Land (用地面积, land_mu): the 亩 of the plots a firm holds plus, for each tenancy in a
//     standard plant, leased_m2 × the area of the plant's plot ÷ the floor area of all plants
//     on that plot (total_floor_area_m2, else leasable_area_m2): a firm renting half of the only
//     plant on a plot uses half the plot. Computed in PostGIS from the geometry, converted to 亩
//     by the geo package; never typed.
//   - Year-end state (年末状态): which firms are evaluated, what they hold and rent, and the
//     plots' and plants' areas are read as they stood at YearEnd(year) — the version of each
//     record valid then (as as_of reads it), so a plot that changes hands after the year's end
//     does not change that year's grades. A record entered only after the year's end (a firm
//     or plot recorded late, as when a zone starts using landinv, or the demo's) has no state
//     then, and is read as it is now. A record archived at the year's end is left out. The
//     figures are the year's current ones (a correction after an objection counts).
//   - Eligibility (参评范围): above-scale firms (规上) always; below-scale firms (规下) when they
//     use ≥ SmallFirmRule.MinMu 亩 or lease ≥ MinLeasedM2 m², and were founded ≥ MinYears years
//     before the end of the year (an unknown founding date does not exclude). A firm without a
//     size class is listed as missing size_class.
//   - Indicators (指标): value = numerator ÷ denominator (PerMuIndicators). Above-scale firms are
//     scored on Scheme.Indicators, below-scale ones on SmallFirmRule.Indicators.
//   - Missing data (缺失数据): an indicator whose numerator or denominator is unknown, or whose
//     denominator is 0, makes the firm "missing" that figure: it is listed with what is missing
//     and gets no score, rank nor grade — never silently graded.
//   - Benchmark (基准值): per indicator, the zone average — Σ numerators ÷ Σ denominators over
//     the firms scored on it with complete data, exempt ones excluded — or a given city
//     average, or a fixed value. A benchmark ≤ 0 scores the indicator 0.
//   - Score (综合得分) = Σ value ÷ benchmark × weight, plus the bonuses and deductions (加减分)
//     of the year's flags (listed, high_tech, safety_violation, environmental_violation).
//   - Rank (排名): graded firms (eligible, not exempt, no missing data) by score, highest first;
//     scores are compared rounded to 4 decimals. Tie rule: equal scores share the best rank of
//     the group (1, 2, 2, 4), so tied firms at a grade boundary all take the better grade.
//   - Grade (等级) by rank r of N graded firms: A when r/N ≤ A cut-off (25%), B ≤ 70%, C ≤ 95%,
//     D the rest.
//   - Exempt firms (免评: public utility, start-up, major project in construction; the
//     scheme's Exempt list) are evaluated — indicators and score — but get no rank nor grade
//     (managed as B), and exempt_reason says why.

import (
	"math"
	"sort"
	"time"
)

// PerMuIndicator defines one indicator: its numerator and denominator (figures or land) and how
// the quotient is scaled.
type PerMuIndicator struct {
	Name    string  `json:"name"`
	Label   string  `json:"label"`
	LabelEN string  `json:"label_en"`
	Unit    string  `json:"unit"`
	Num     string  `json:"numerator"`
	Den     string  `json:"denominator"`
	Scale   float64 `json:"-"`
}

// LandMu is the denominator name of the land a firm uses, in 亩.
const LandMu = "land_mu"

// PerMuIndicators are the indicators a scheme may weigh (property names fixed by the API).
var PerMuIndicators = []PerMuIndicator{
	{"tax_per_mu", "亩均税收", "Tax per mu", "万元/亩", "tax_wan", LandMu, 1},
	{"revenue_per_mu", "亩均营业收入", "Revenue per mu", "万元/亩", "revenue_wan", LandMu, 1},
	{"value_added_per_mu", "亩均增加值", "Value added per mu", "万元/亩", "value_added_wan", LandMu, 1},
	{"value_added_per_tce", "单位能耗增加值", "Value added per tce", "万元/吨标煤", "value_added_wan", "energy_tce", 1},
	{"value_added_per_emission", "单位排放增加值", "Value added per tonne of emissions", "万元/吨", "value_added_wan", "emissions_t", 1},
	{"value_added_per_employee", "全员劳动生产率", "Value added per employee", "万元/人", "value_added_wan", "employees", 1},
	{"rd_share_pct", "研发经费投入强度", "R&D spending share of revenue", "%", "rd_wan", "revenue_wan", 100},
	{"tax_per_kwh", "单位电耗税收", "Tax per kWh", "元/千瓦时", "tax_wan", "electricity_kwh", 10000},
}

// PerMuIndicatorNamed returns the indicator named name.
func PerMuIndicatorNamed(name string) (PerMuIndicator, bool) {
	for _, d := range PerMuIndicators {
		if d.Name == name {
			return d, true
		}
	}
	return PerMuIndicator{}, false
}

// EvaluationInput is what the store knows of one enterprise at the end of the evaluated year
// (see the year-end rule above).
type EvaluationInput struct {
	CreditCode string
	Name       string
	Cluster    string
	District   string
	SizeClass  string
	Exemption  string
	FoundedOn  *time.Time
	Plots      []string
	HeldMu     float64 // 亩 of the plots held
	LeasedMu   float64 // 亩 of plant land by leased floor area
	LeasedM2   float64 // floor area leased
	// Figures by name (Figures); a figure absent is unknown. Flags by name (FigureFlags).
	Figures map[string]float64
	Flags   map[string]bool
}

// IndicatorValue is one indicator of one firm.
// Benchmark, weight and points appear only for the indicators the firm is scored on.
type IndicatorValue struct {
	Value       *float64 `json:"value"`
	Numerator   *float64 `json:"numerator"`
	Denominator *float64 `json:"denominator"`
	Benchmark   *float64 `json:"benchmark,omitempty"`
	Weight      float64  `json:"weight,omitempty"`
	Points      *float64 `json:"points,omitempty"`
}

// EvaluationResult is one firm's evaluation (the API's property names are fixed).
type EvaluationResult struct {
	CreditCode   string                    `json:"credit_code"`
	Name         string                    `json:"name"`
	Cluster      string                    `json:"cluster"`
	District     string                    `json:"district"`
	SizeClass    string                    `json:"size_class"`
	Rule         string                    `json:"rule"` // standard | small_firm
	Plots        []string                  `json:"plots"`
	LandMu       float64                   `json:"land_mu"`
	HeldMu       float64                   `json:"held_mu"`
	LeasedMu     float64                   `json:"leased_mu"`
	Indicators   map[string]IndicatorValue `json:"indicators"`
	TaxPerMu     *float64                  `json:"tax_per_mu"`
	RevenuePerMu *float64                  `json:"revenue_per_mu"`
	VAPerMu      *float64                  `json:"value_added_per_mu"`
	VAPerTce     *float64                  `json:"value_added_per_tce"`
	VAPerEmis    *float64                  `json:"value_added_per_emission"`
	VAPerEmp     *float64                  `json:"value_added_per_employee"`
	RDSharePct   *float64                  `json:"rd_share_pct"`
	Adjustment   float64                   `json:"adjustment"`
	Score        *float64                  `json:"score"`
	Rank         *int                      `json:"rank"`
	Grade        *string                   `json:"grade"`
	ExemptReason *string                   `json:"exempt_reason"`
	Missing      []string                  `json:"missing"`
}

// Grades, best first.
var Grades = []string{"A", "B", "C", "D"}

// NotEligible is a firm left out of the evaluation, and why.
type NotEligible struct {
	CreditCode string `json:"credit_code"`
	Name       string `json:"name"`
	Reason     string `json:"reason"`
}

// YearEnd is the instant at which a year's evaluation reads the land: the last microsecond of
// 31 December, China Standard Time (UTC+8) — the instant as_of=YYYY-12-31 names.
func YearEnd(year int) time.Time {
	return time.Date(year+1, 1, 1, 0, 0, 0, 0, ChinaTime).Add(-time.Microsecond)
}

// Evaluate computes a year's evaluation of the firms in by scheme s (see the rules at the top
// of this file). Results come in rank order, then the ungraded by credit code.
func Evaluate(s Scheme, year int, in []EvaluationInput) ([]EvaluationResult, []NotEligible) {
	yearEnd := YearEnd(year)
	var out []EvaluationResult
	var left []NotEligible
	for _, e := range in {
		r := EvaluationResult{CreditCode: e.CreditCode, Name: e.Name, Cluster: e.Cluster, District: e.District,
			SizeClass: e.SizeClass, Plots: e.Plots, HeldMu: e.HeldMu, LeasedMu: e.LeasedMu, LandMu: e.HeldMu + e.LeasedMu,
			Indicators: map[string]IndicatorValue{}, Missing: []string{}, Rule: "standard"}
		if r.Plots == nil {
			r.Plots = []string{}
		}
		rule := s.Indicators
		switch e.SizeClass {
		case "above_scale":
		case "below_scale":
			small := s.SmallFirms
			if r.LandMu < small.MinMu && e.LeasedM2 < small.MinLeasedM2 {
				left = append(left, NotEligible{e.CreditCode, e.Name, "below-scale firm using less land than the small-firm rule's thresholds"})
				continue
			}
			if e.FoundedOn != nil && e.FoundedOn.AddDate(small.MinYears, 0, 0).After(yearEnd) {
				left = append(left, NotEligible{e.CreditCode, e.Name, "below-scale firm founded less than the small-firm rule's years before the year's end"})
				continue
			}
			rule, r.Rule = small.Indicators, "small_firm"
		default:
			r.Missing = append(r.Missing, "size_class")
		}
		if e.Exemption != "" && contains(s.Exempt, e.Exemption) {
			x := e.Exemption
			r.ExemptReason = &x
		}
		if r.LandMu <= 0 {
			r.Missing = append(r.Missing, LandMu)
		}
		for _, d := range PerMuIndicators {
			iv := IndicatorValue{}
			num, nok := operand(e, r.LandMu, d.Num)
			den, dok := operand(e, r.LandMu, d.Den)
			if nok {
				iv.Numerator = &num
			}
			if dok {
				iv.Denominator = &den
			}
			if nok && dok && den > 0 {
				v := num / den * d.Scale
				iv.Value = &v
			}
			if w, ok := weightedNamed(rule, d.Name); ok {
				iv.Weight = w.Weight
				for _, op := range []struct {
					name string
					ok   bool
				}{{d.Num, nok}, {d.Den, dok && den > 0}} {
					if !op.ok && op.name != LandMu && !contains(r.Missing, op.name) {
						r.Missing = append(r.Missing, op.name)
					}
				}
			}
			r.Indicators[d.Name] = iv
		}
		for _, a := range s.Adjustments {
			if e.Flags[a.Flag] {
				r.Adjustment += a.Points
			}
		}
		out = append(out, r)
	}
	bench := benchmarks(s, out)
	for i := range out {
		r := &out[i]
		rule := s.Indicators
		if r.Rule == "small_firm" {
			rule = s.SmallFirms.Indicators
		}
		for _, w := range rule {
			iv := r.Indicators[w.Name]
			if b, ok := bench[r.Rule+"\x00"+w.Name]; ok {
				iv.Benchmark = &b
			}
			if iv.Value != nil {
				p := 0.0
				if iv.Benchmark != nil && *iv.Benchmark > 0 {
					p = *iv.Value / *iv.Benchmark * w.Weight
				}
				iv.Points = &p
			}
			r.Indicators[w.Name] = iv
		}
		if len(r.Missing) == 0 {
			sc := r.Adjustment
			for _, w := range rule {
				sc += *r.Indicators[w.Name].Points
			}
			sc = math.Round(sc*1e4) / 1e4
			r.Score = &sc
		}
		r.TaxPerMu, r.RevenuePerMu, r.VAPerMu = r.Indicators["tax_per_mu"].Value, r.Indicators["revenue_per_mu"].Value, r.Indicators["value_added_per_mu"].Value
		r.VAPerTce, r.VAPerEmis, r.VAPerEmp = r.Indicators["value_added_per_tce"].Value, r.Indicators["value_added_per_emission"].Value, r.Indicators["value_added_per_employee"].Value
		r.RDSharePct = r.Indicators["rd_share_pct"].Value
	}
	rankAndGrade(s.Cutoffs, out)
	return out, left
}

// operand is a figure of e, or its land in 亩; ok is false when unknown.
func operand(e EvaluationInput, landMu float64, name string) (float64, bool) {
	if name == LandMu {
		return landMu, landMu > 0
	}
	v, ok := e.Figures[name]
	return v, ok
}

func weightedNamed(ws []Weighted, name string) (Weighted, bool) {
	for _, w := range ws {
		if w.Name == name {
			return w, true
		}
	}
	return Weighted{}, false
}

// benchmarks computes each rule's benchmark per indicator (key rule NUL name): given ones as
// given, zone averages as Σ numerators ÷ Σ denominators over the rule's firms that will be
// graded (complete data, not exempt).
func benchmarks(s Scheme, rs []EvaluationResult) map[string]float64 {
	out := map[string]float64{}
	for _, rule := range []struct {
		name string
		ws   []Weighted
	}{{"standard", s.Indicators}, {"small_firm", s.SmallFirms.Indicators}} {
		for _, w := range rule.ws {
			if w.Benchmark != BenchZone {
				out[rule.name+"\x00"+w.Name] = *w.Value
				continue
			}
			d, _ := PerMuIndicatorNamed(w.Name)
			var num, den float64
			n := 0
			for _, r := range rs {
				if r.Rule != rule.name || len(r.Missing) > 0 || r.ExemptReason != nil {
					continue
				}
				iv := r.Indicators[w.Name]
				num += *iv.Numerator
				den += *iv.Denominator
				n++
			}
			if n > 0 && den > 0 {
				out[rule.name+"\x00"+w.Name] = num / den * d.Scale
			}
		}
	}
	return out
}

// rankAndGrade ranks the graded firms by score (ties share the best rank) and grades them by
// the cut-offs; it sorts rs: graded by rank, then the rest by credit code.
func rankAndGrade(c Cutoffs, rs []EvaluationResult) {
	graded := func(r *EvaluationResult) bool { return r.Score != nil && r.ExemptReason == nil }
	sort.SliceStable(rs, func(i, j int) bool {
		gi, gj := graded(&rs[i]), graded(&rs[j])
		if gi != gj {
			return gi
		}
		if gi && *rs[i].Score != *rs[j].Score {
			return *rs[i].Score > *rs[j].Score
		}
		return rs[i].CreditCode < rs[j].CreditCode
	})
	n := 0
	for i := range rs {
		if graded(&rs[i]) {
			n++
		}
	}
	for i := 0; i < n; i++ {
		rank := i + 1
		if i > 0 && *rs[i].Score == *rs[i-1].Score {
			rank = *rs[i-1].Rank
		}
		rs[i].Rank = &rank
		g := GradeOf(c, rank, n)
		rs[i].Grade = &g
	}
}

// GradeOf is the grade of rank r among n graded firms: A when r/n ≤ c.A%, B ≤ c.B%, C ≤ c.C%,
// else D.
func GradeOf(c Cutoffs, r, n int) string {
	p := float64(r) / float64(n) * 100
	const eps = 1e-9
	switch {
	case p <= c.A+eps:
		return "A"
	case p <= c.B+eps:
		return "B"
	case p <= c.C+eps:
		return "C"
	}
	return "D"
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
