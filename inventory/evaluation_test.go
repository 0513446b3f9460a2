package inventory

import (
	"math"
	"strings"
	"testing"
)

func TestGradeOf(t *testing.T) {
	c := DefaultScheme().Cutoffs
	tests := []struct {
		r, n int
		want string
	}{
		{1, 4, "A"}, {2, 4, "B"}, {3, 4, "C"}, {4, 4, "D"},
		{1, 5, "A"}, {2, 5, "B"}, {3, 5, "B"}, {4, 5, "C"}, {5, 5, "D"},
		{25, 100, "A"}, {26, 100, "B"}, {70, 100, "B"}, {71, 100, "C"}, {95, 100, "C"}, {96, 100, "D"},
		{1, 1, "D"}, // one graded firm is the whole field: 100% > 95%
	}
	for _, tt := range tests {
		if got := GradeOf(c, tt.r, tt.n); got != tt.want {
			t.Errorf("rank %d of %d: %s, want %s", tt.r, tt.n, got, tt.want)
		}
	}
}

// TestEvaluateHandMade: four firms on tax per 亩 alone (weight 100, zone average), worked out
// by hand: land 10, 20, 10, 10 亩; tax 100, 100, 50, 50 万元 → 10, 5, 5, 5 per 亩; the zone
// average is 300 / 50 = 6; scores 166.6667, 83.3333 ×3 (a three-way tie for rank 2: all B,
// since 2/4 ≤ 70 %); an exempt firm and one without tax figures are not graded.
func TestEvaluateHandMade(t *testing.T) {
	s := DefaultScheme()
	s.Indicators = []Weighted{{Name: "tax_per_mu", Weight: 100, Benchmark: BenchZone}}
	in := func(code string, mu, tax float64) EvaluationInput {
		e := EvaluationInput{CreditCode: code, SizeClass: "above_scale", HeldMu: mu, Figures: map[string]float64{}}
		if tax >= 0 {
			e.Figures["tax_wan"] = tax
		}
		return e
	}
	ex := in("E", 10, 1000)
	ex.Exemption = "start_up"
	rs, left := Evaluate(s, 2025, []EvaluationInput{in("A", 10, 100), in("B", 20, 100), in("C", 10, 50), in("D", 10, 50), ex, in("M", 5, -1)})
	if len(left) != 0 {
		t.Errorf("left out %v", left)
	}
	want := map[string]struct {
		score float64
		rank  int
		grade string
	}{"A": {166.6667, 1, "A"}, "B": {83.3333, 2, "B"}, "C": {83.3333, 2, "B"}, "D": {83.3333, 2, "B"}}
	for _, r := range rs {
		w, graded := want[r.CreditCode]
		switch {
		case graded:
			if r.Score == nil || math.Abs(*r.Score-w.score) > 1e-9 || *r.Rank != w.rank || *r.Grade != w.grade {
				t.Errorf("%s: score %v rank %v grade %v, want %v", r.CreditCode, r.Score, r.Rank, r.Grade, w)
			}
		case r.CreditCode == "E":
			if r.Grade != nil || r.Rank != nil || r.ExemptReason == nil || *r.ExemptReason != "start_up" || r.Score == nil {
				t.Errorf("exempt firm: %+v", r)
			}
			if math.Abs(*r.Score-100.0/6*100) > 1e-3 { // 100 per 亩 against the average 6, exempt excluded
				t.Errorf("exempt firm's score %v", *r.Score)
			}
		case r.CreditCode == "M":
			if r.Score != nil || r.Grade != nil || strings.Join(r.Missing, ",") != "tax_wan" {
				t.Errorf("firm without figures: score %v grade %v missing %v", r.Score, r.Grade, r.Missing)
			}
		}
	}
	if rs[0].CreditCode != "A" {
		t.Errorf("first result %s, want A", rs[0].CreditCode)
	}
}

func TestSchemeValidate(t *testing.T) {
	if err := DefaultScheme().Validate(); err != nil {
		t.Fatalf("the default scheme: %v", err)
	}
	sum := 0.0
	for _, w := range DefaultScheme().Indicators {
		sum += w.Weight
	}
	if sum != 100 {
		t.Errorf("default weights sum to %v, want 100", sum)
	}
	two := 2.0
	tests := []struct {
		edit  func(*Scheme)
		field string
	}{
		{func(s *Scheme) { s.Indicators[0].Name = "tax_per_hectare" }, "indicators[0].name"},
		{func(s *Scheme) { s.Indicators[1].Weight = -1 }, "indicators[1].weight"},
		{func(s *Scheme) { s.Indicators[0].Benchmark = BenchFixed }, "indicators[0].value"},
		{func(s *Scheme) { s.Indicators[0].Value = &two }, "indicators[0].value"},
		{func(s *Scheme) { s.Cutoffs.B = 20 }, "cutoffs"},
		{func(s *Scheme) { s.Exempt = []string{"charity"} }, "exempt[0]"},
		{func(s *Scheme) { s.Adjustments[0].Flag = "famous" }, "adjustments[0].flag"},
		{func(s *Scheme) { s.SmallFirms.Indicators = nil }, "small_firms.indicators"},
	}
	for _, tt := range tests {
		s := DefaultScheme()
		tt.edit(&s)
		err := s.Validate()
		if e, ok := err.(*Error); !ok || e.Field != tt.field {
			t.Errorf("want an error naming %s, got %v", tt.field, err)
		}
	}
}

// TestReclamationList: D joins; C joins when C the years before too (reclaim_c_years = 2);
// ungraded and better grades do not.
func TestReclamationList(t *testing.T) {
	g := func(s string) *string { return &s }
	ev := &Evaluation{Scheme: DefaultScheme(), Results: []EvaluationResult{
		{CreditCode: "D1", Grade: g("D")}, {CreditCode: "C2", Grade: g("C")}, {CreditCode: "C1", Grade: g("C")},
		{CreditCode: "B1", Grade: g("B")}, {CreditCode: "X"}}}
	got := ReclamationList(ev, []map[string]string{{"C2": "C", "C1": "B", "B1": "C"}})
	var codes []string
	for _, f := range got {
		codes = append(codes, f.CreditCode)
	}
	if strings.Join(codes, ",") != "D1,C2" {
		t.Errorf("listed %v, want D1, C2", codes)
	}
	ev.Scheme.ReclaimCYears = 0
	if got := ReclamationList(ev, []map[string]string{{"C2": "C"}}); len(got) != 1 {
		t.Errorf("C rule off: %v", got)
	}
}
