package inventory

import (
	"context"
	"time"
)

// Evaluation states (评价状态): 草稿 draft → 公示 published (open to objections until an end
// date) → 定稿 final. Computing again is allowed while draft or published (a published
// evaluation recomputed after a corrected figure stays published, with the same end date);
// publishing needs a draft or published evaluation and an end date not in the past;
// finalizing needs a published one whose end date has come; a final evaluation is never
// recomputed. Every step is an event in the year's history.
const (
	EvalDraft     = "draft"
	EvalPublished = "published"
	EvalFinal     = "final"
)

// SchemeVersion is one version of a zone's scheme for a year. Version 0 is the documented
// default (DefaultScheme), in force until a planner writes one.
type SchemeVersion struct {
	Zone      string    `json:"zone"`
	Year      int       `json:"year"`
	Version   int       `json:"version"`
	ValidFrom time.Time `json:"valid_from"`
	ChangedBy string    `json:"changed_by,omitempty"`
	Scheme    Scheme    `json:"scheme"`
}

// Evaluation is a zone's evaluation of a year: the latest run and its results.
type Evaluation struct {
	Zone           string             `json:"zone"`
	Year           int                `json:"year"`
	Run            int                `json:"run"`
	State          string             `json:"state"`
	PublishedUntil *string            `json:"published_until"`
	ComputedAt     time.Time          `json:"computed_at"`
	ComputedBy     string             `json:"computed_by"`
	SchemeVersion  int                `json:"scheme_version"`
	Scheme         Scheme             `json:"scheme"`
	Counts         map[string]int     `json:"counts"` // graded, A, B, C, D, exempt, missing, not_eligible
	Results        []EvaluationResult `json:"results"`
	NotEligible    []NotEligible      `json:"not_eligible"`
}

// EvaluationFilter narrows the results of GET /evaluations/{year}; empty members mean all.
type EvaluationFilter struct {
	Grades      []string // A, B, C, D, or "none" for the ungraded
	Clusters    []string
	Districts   []string
	CreditCodes []string
}

// Keep reports whether r passes the filter.
func (f EvaluationFilter) Keep(r EvaluationResult) bool {
	if len(f.Grades) > 0 {
		g := "none"
		if r.Grade != nil {
			g = *r.Grade
		}
		if !contains(f.Grades, g) {
			return false
		}
	}
	if len(f.Clusters) > 0 && !contains(f.Clusters, r.Cluster) {
		return false
	}
	if len(f.Districts) > 0 && !contains(f.Districts, r.District) {
		return false
	}
	if len(f.CreditCodes) > 0 && !contains(f.CreditCodes, r.CreditCode) {
		return false
	}
	return true
}

// Objection is an objection to a figure during publication (异议): the firm, the figure, the
// reason, and optionally the corrected value (with its source), which is written as a new
// version of the firm's figures and re-runs the evaluation.
type Objection struct {
	CreditCode string   `json:"credit_code"`
	Figure     string   `json:"figure"`
	Reason     string   `json:"reason"`
	Corrected  *float64 `json:"corrected_value"`
	Source     string   `json:"source"`
}

// Validate checks an objection; errors name the member.
func (o Objection) Validate() error {
	if err := CheckCreditCodeFormat(o.CreditCode); err != nil {
		return Errorf(EInvalid, "credit_code", "%s", err.(*Error).Reason)
	}
	known := false
	for _, f := range Figures {
		known = known || f.Name == o.Figure
	}
	if !known {
		return Errorf(EInvalid, "figure", "unknown figure %q", o.Figure)
	}
	if o.Reason == "" {
		return Errorf(EInvalid, "reason", "is required")
	}
	if o.Corrected != nil && *o.Corrected < 0 {
		return Errorf(EInvalid, "corrected_value", "must be ≥ 0")
	}
	if o.Corrected != nil && o.Source == "" {
		return Errorf(EInvalid, "source", "is required with a corrected value: every figure keeps its source")
	}
	return nil
}

// EvaluationEvent is one step of a year's evaluation (评价过程).
type EvaluationEvent struct {
	At     time.Time      `json:"at"`
	Actor  string         `json:"actor"`
	Action string         `json:"action"`
	Run    *int           `json:"run"`
	Detail map[string]any `json:"detail"`
}

// Evaluations runs the per-mu benefit evaluation. Every method is for viewers who may see
// confidential figures (SeesConfidential: EUnauthorized for the public, EForbidden for other
// signed-in users); the writing ones for those who may edit (CanWrite).
type Evaluations interface {
	// Scheme returns the scheme for a year in force now, or at asOf.
	Scheme(ctx context.Context, zone string, year int, asOf *time.Time) (*SchemeVersion, error)
	// PutScheme writes a new version of the year's scheme.
	PutScheme(ctx context.Context, zone string, year int, s Scheme) (*SchemeVersion, error)
	// Evaluate computes the year's evaluation anew (a new run).
	Evaluate(ctx context.Context, zone string, year int) (*Evaluation, error)
	// Evaluation returns the year's latest run, its results filtered.
	Evaluation(ctx context.Context, zone string, year int, f EvaluationFilter) (*Evaluation, error)
	// Publish opens the latest run to objections until the end date.
	Publish(ctx context.Context, zone string, year int, until time.Time) (*Evaluation, error)
	// Finalize makes the published run final.
	Finalize(ctx context.Context, zone string, year int) (*Evaluation, error)
	// Object records an objection; a corrected value is written and the evaluation re-run.
	Object(ctx context.Context, zone string, year int, o Objection) (*Evaluation, error)
	// EvaluationHistory lists every step of the year's evaluation, oldest first.
	EvaluationHistory(ctx context.Context, zone string, year int) ([]EvaluationEvent, error)
}

// CanSeeConfidential returns nil when v may see confidential figures (Viewer.SeesConfidential:
// leaders, planners and admins), else EUnauthorized for the public (no credentials) or
// EForbidden for a signed-in user without the right. It is the one gate of every confidential
// read; what names the data in the refusal's words.
func CanSeeConfidential(v Viewer) error {
	return canSeeConfidential(v, "enterprise figures, scores and grades")
}

// canSeeConfidential is CanSeeConfidential refusing with what as the data's name.
func canSeeConfidential(v Viewer, what string) error {
	if v.SeesConfidential() {
		return nil
	}
	if v.Name == "" {
		return Errorf(EUnauthorized, "", "sign in as a planner: %s are confidential", what)
	}
	return Errorf(EForbidden, "", "user %s may not see %s (confidential)", v.Name, what)
}
