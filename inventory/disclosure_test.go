package inventory

import "testing"

func TestDisclosureRuleCheck(t *testing.T) {
	rule := DefaultDisclosureRule()
	for _, c := range []struct {
		name string
		c    Contribution
		code string
	}{
		{"nobody", Contribution{}, WithheldFewEnterprises},
		{"two firms", Contribution{Enterprises: 2, Largest: 50, Sum: 100}, WithheldFewEnterprises},
		{"three firms, none dominant", Contribution{Enterprises: 3, Largest: 85, Sum: 100}, ""},
		{"three firms, one above 85 %", Contribution{Enterprises: 3, Largest: 85.01, Sum: 100}, WithheldDominant},
		{"many firms, one dominant", Contribution{Enterprises: 40, Largest: 900, Sum: 1000}, WithheldDominant},
		{"three firms, all zero", Contribution{Enterprises: 3}, ""},
	} {
		ok, code, why, whyEN := rule.Check(c.c)
		if ok != (c.code == "") || code != c.code {
			t.Errorf("%s: ok %v code %q, want %q", c.name, ok, code, c.code)
		}
		if !ok && (why == "" || whyEN == "") {
			t.Errorf("%s: no reason in words", c.name)
		}
	}
	cfg, notes := EvalConfig{Disclosure: &DisclosureRule{MinEnterprises: 0, MaxSharePct: 85}}.Merge()
	if len(notes) != 1 || cfg.Rule() != DefaultDisclosureRule() {
		t.Errorf("bad rule: %+v, notes %v; want the default and a note", cfg.Rule(), notes)
	}
	cfg, _ = EvalConfig{Disclosure: &DisclosureRule{MinEnterprises: 5, MaxSharePct: 60}}.Merge()
	if cfg.Rule() != (DisclosureRule{5, 60}) {
		t.Errorf("zone rule = %+v", cfg.Rule())
	}
}
