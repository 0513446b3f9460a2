package inventory

// The evaluation scheme (评价方案) of a zone and year: the indicators with their weights and
// benchmarks, the small-firm rule, bonuses and deductions, the grade cut-offs, the exempt
// categories; its documented default (DOMAIN.md §6b) and its checks. The rules that use it are in
// evaluation.go.

import (
	"math"
	"strings"
)

// Benchmark kinds (基准值).
const (
	BenchZone  = "zone_average" // Σ numerators ÷ Σ denominators over the zone's scored firms
	BenchCity  = "city_average" // a given number: the city's average
	BenchFixed = "fixed"        // a set figure
)

// Weighted is one indicator of a scheme, with its weight and benchmark.
type Weighted struct {
	Name      string   `json:"name"`
	Weight    float64  `json:"weight"`
	Benchmark string   `json:"benchmark"`
	Value     *float64 `json:"value,omitempty"` // the benchmark for city_average and fixed
}

// SmallFirmRule is the rule for below-scale firms (规下企业).
type SmallFirmRule struct {
	MinMu       float64    `json:"min_mu"`
	MinLeasedM2 float64    `json:"min_leased_m2"`
	MinYears    int        `json:"min_years"`
	Indicators  []Weighted `json:"indicators"`
}

// Adjustment is a bonus (+) or deduction (−) for a flag of the year's figures (加减分).
type Adjustment struct {
	Flag   string  `json:"flag"`
	Points float64 `json:"points"`
}

// Cutoffs are the grade cut-offs by rank, in percent of the graded firms (A ≤ A, B ≤ B, C ≤ C,
// D the rest).
type Cutoffs struct {
	A float64 `json:"a"`
	B float64 `json:"b"`
	C float64 `json:"c"`
}

// Scheme is a zone's evaluation scheme for a year (评价方案).
type Scheme struct {
	Indicators  []Weighted    `json:"indicators"`
	SmallFirms  SmallFirmRule `json:"small_firms"`
	Adjustments []Adjustment  `json:"adjustments"`
	Cutoffs     Cutoffs       `json:"cutoffs"`
	Exempt      []string      `json:"exempt"`
	// ReclaimCYears: a firm graded C this many years running joins the reclamation list (D
	// always does); 0 turns the C rule off.
	ReclaimCYears int `json:"reclaim_c_years"`
}

// DefaultScheme is the documented default (DOMAIN.md §6b): tax per 亩 40, value added per 亩
// 20, per tce 15, per emission 10, per employee 5, R&D share 10 (sum 100), all against the zone
// average; below-scale firms on tax per 亩 alone when they use ≥ 3 亩 or lease ≥ 1,000 m² and
// are ≥ 2 years old; listed +3, high-tech +5, safety or environmental violation −10 each; A top
// 25%, B to 70%, C to 95%, D the rest; public utilities, start-ups and major projects exempt;
// C two years running joins the reclamation list.
func DefaultScheme() Scheme {
	w := func(n string, x float64) Weighted { return Weighted{Name: n, Weight: x, Benchmark: BenchZone} }
	return Scheme{
		Indicators: []Weighted{w("tax_per_mu", 40), w("value_added_per_mu", 20), w("value_added_per_tce", 15),
			w("value_added_per_emission", 10), w("value_added_per_employee", 5), w("rd_share_pct", 10)},
		SmallFirms:    SmallFirmRule{MinMu: 3, MinLeasedM2: 1000, MinYears: 2, Indicators: []Weighted{w("tax_per_mu", 100)}},
		Adjustments:   []Adjustment{{"listed", 3}, {"high_tech", 5}, {"safety_violation", -10}, {"environmental_violation", -10}},
		Cutoffs:       Cutoffs{A: 25, B: 70, C: 95},
		Exempt:        slicesClone(ExemptCategories),
		ReclaimCYears: 2,
	}
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

// Validate checks a scheme; errors are EInvalid naming the member.
func (s Scheme) Validate() error {
	check := func(field string, ws []Weighted) error {
		if len(ws) == 0 {
			return Errorf(EInvalid, field, "needs at least one indicator")
		}
		seen := map[string]bool{}
		for i, x := range ws {
			f := field + "[" + itoa(i) + "]"
			if _, ok := PerMuIndicatorNamed(x.Name); !ok {
				return Errorf(EInvalid, f+".name", "unknown indicator %q; known: %s", x.Name, strings.Join(indicatorNames(), ", "))
			}
			if seen[x.Name] {
				return Errorf(EInvalid, f+".name", "%s is listed twice", x.Name)
			}
			seen[x.Name] = true
			if x.Weight < 0 || math.IsNaN(x.Weight) || math.IsInf(x.Weight, 0) {
				return Errorf(EInvalid, f+".weight", "must be a number ≥ 0")
			}
			switch x.Benchmark {
			case BenchZone:
				if x.Value != nil {
					return Errorf(EInvalid, f+".value", "is not given for a zone_average benchmark")
				}
			case BenchCity, BenchFixed:
				if x.Value == nil || *x.Value <= 0 {
					return Errorf(EInvalid, f+".value", "must be the benchmark, a number > 0")
				}
			default:
				return Errorf(EInvalid, f+".benchmark", "must be %s, %s or %s", BenchZone, BenchCity, BenchFixed)
			}
		}
		return nil
	}
	if err := check("indicators", s.Indicators); err != nil {
		return err
	}
	if err := check("small_firms.indicators", s.SmallFirms.Indicators); err != nil {
		return err
	}
	if s.SmallFirms.MinMu < 0 || s.SmallFirms.MinLeasedM2 < 0 || s.SmallFirms.MinYears < 0 {
		return Errorf(EInvalid, "small_firms", "thresholds must be ≥ 0")
	}
	for i, a := range s.Adjustments {
		if !isFlag(a.Flag) {
			return Errorf(EInvalid, "adjustments["+itoa(i)+"].flag", "unknown flag %q; known: listed, high_tech, safety_violation, environmental_violation", a.Flag)
		}
	}
	c := s.Cutoffs
	if !(0 <= c.A && c.A <= c.B && c.B <= c.C && c.C <= 100) {
		return Errorf(EInvalid, "cutoffs", "must satisfy 0 ≤ a ≤ b ≤ c ≤ 100 (percent of the graded firms by rank)")
	}
	for i, e := range s.Exempt {
		if !contains(ExemptCategories, e) {
			return Errorf(EInvalid, "exempt["+itoa(i)+"]", "unknown category %q; known: %s", e, strings.Join(ExemptCategories, ", "))
		}
	}
	if s.ReclaimCYears < 0 || s.ReclaimCYears > 10 {
		return Errorf(EInvalid, "reclaim_c_years", "must be from 0 (off) to 10")
	}
	return nil
}

func isFlag(s string) bool {
	for _, f := range FigureFlags {
		if f.Name == s {
			return true
		}
	}
	return false
}

func indicatorNames() []string {
	var out []string
	for _, d := range PerMuIndicators {
		out = append(out, d.Name)
	}
	return out
}
