package inventory

// The statistical disclosure rule (统计数据保密规则): aggregates are not secrets, but one firm's
// figure is (DOMAIN.md §7). The public report shows a figure that rests on confidential data
// (investment, tax, population) only when enough enterprises stand behind it and none of them
// dominates it: the usual threshold rule (at least N contributors) and dominance rule (no single
// contributor above p % of the total). Planners and admins see every figure, with a note of
// what the public does not see.

import (
	"fmt"
	"math"
)

// Default disclosure thresholds: at least 3 enterprises, none above 85 % of the figure. A zone
// sets its own in zones.evaluation {"disclosure": {"min_enterprises": N, "max_share_pct": p}}.
const (
	DefaultMinEnterprises = 3
	DefaultMaxSharePct    = 85.0
)

// DisclosureRule says when a figure resting on confidential data may be published: at least
// MinEnterprises enterprises contribute to it and no single one contributes more than
// MaxSharePct per cent of it.
type DisclosureRule struct {
	MinEnterprises int     `json:"min_enterprises"`
	MaxSharePct    float64 `json:"max_share_pct"`
}

// DefaultDisclosureRule is the rule where a zone sets none.
func DefaultDisclosureRule() DisclosureRule {
	return DisclosureRule{MinEnterprises: DefaultMinEnterprises, MaxSharePct: DefaultMaxSharePct}
}

// Contribution describes who stands behind one confidential total in one group of plots, as
// the store counts it: Enterprises is the number of distinct contributors with a positive
// figure, Largest the largest contributor's part of the figure, Sum the whole figure (the sum
// of the positive parts). What identifies a contributor is the store's choice (see
// postgis.contributorSQL).
type Contribution struct {
	Enterprises int64
	Largest     float64
	Sum         float64
}

// LargestSharePct is the largest contributor's share of the figure in per cent; 0 when the
// figure is 0.
func (c Contribution) LargestSharePct() float64 {
	if c.Sum <= 0 {
		return 0
	}
	return c.Largest / c.Sum * 100
}

// Withholding reasons (stable codes).
const (
	WithheldFewEnterprises = "few_enterprises"
	WithheldDominant       = "dominant_enterprise"
	// WithheldInputs: a figure computed from withheld figures (the score).
	WithheldInputs = "withheld_inputs"
)

// Withholding says, in words, why one figure was withheld from the public.
type Withholding struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
	// Code is a stable reason code (few_enterprises, dominant_enterprise); Reason and ReasonEN
	// say it in Chinese and English.
	Code     string `json:"code"`
	Reason   string `json:"reason"`
	ReasonEN string `json:"reason_en"`
}

// Check applies the rule to one contribution: ok, or the reason code and its words. The reason
// names the thresholds, never the counted figures (a count or share would itself disclose).
func (r DisclosureRule) Check(c Contribution) (ok bool, code, reason, reasonEN string) {
	switch {
	case c.Enterprises < int64(r.MinEnterprises):
		return false, WithheldFewEnterprises,
			fmt.Sprintf("依据统计保密规则不予公开：提供该数据的企业少于 %d 家", r.MinEnterprises),
			fmt.Sprintf("withheld under the disclosure rule: fewer than %d enterprises contribute to it", r.MinEnterprises)
	case c.LargestSharePct() > r.MaxSharePct:
		return false, WithheldDominant,
			fmt.Sprintf("依据统计保密规则不予公开：单一企业所占比例超过 %g%%", r.MaxSharePct),
			fmt.Sprintf("withheld under the disclosure rule: one enterprise contributes more than %g%% of it", r.MaxSharePct)
	}
	return true, "", "", ""
}

// valid reports whether the rule's numbers are usable: at least one enterprise, a share above
// 0 and at most 100 per cent.
func (r DisclosureRule) valid() bool {
	return r.MinEnterprises >= 1 && !math.IsNaN(r.MaxSharePct) && r.MaxSharePct > 0 && r.MaxSharePct <= 100
}
