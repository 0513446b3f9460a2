package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
)

// The per-mu benefit evaluation (亩均效益评价): the year's scheme, the evaluation and its states,
// objections, the reclamation list's one action. Confidential: the routes pass confidentialOnly.

// getScheme answers GET /api/v1/evaluations/{year}/scheme[?as_of=]: the scheme in force (the
// documented default, version 0, until a planner writes one).
func (s *Server) getScheme(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	asOf, err := asOfParam(r.URL.Query())
	if err != nil {
		Problem(w, r, err)
		return
	}
	sv, err := s.deps.Evaluations.Scheme(r.Context(), zoneOf(r), year, asOf)
	if err != nil {
		Problem(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	writeJSON(w, http.StatusOK, sv)
}

// putScheme answers PUT /api/v1/evaluations/{year}/scheme: the whole scheme (inventory.Scheme);
// it is written as the year's next version.
func (s *Server) putScheme(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	var sc inventory.Scheme
	if err := readJSON(w, r, &sc); err != nil {
		ProblemBody(w, r, err)
		return
	}
	sv, err := s.deps.Evaluations.PutScheme(r.Context(), zoneOf(r), year, sc)
	if err != nil {
		ProblemBody(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sv)
}

// evaluate answers POST /api/v1/evaluations/{year}: compute the evaluation (a new run).
func (s *Server) evaluate(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	ev, err := s.deps.Evaluations.Evaluate(r.Context(), zoneOf(r), year)
	if err != nil {
		Problem(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ev)
}

// parseEvaluationFilter reads grade (A,B,C,D,none), cluster, district and credit_code, comma
// lists.
func parseEvaluationFilter(v url.Values) (inventory.EvaluationFilter, error) {
	var f inventory.EvaluationFilter
	list := func(name string) []string {
		raw, ok := v[name]
		if !ok {
			return nil
		}
		var out []string
		for _, x := range strings.Split(raw[0], ",") {
			out = append(out, strings.TrimSpace(x))
		}
		return out
	}
	f.Grades, f.Clusters, f.Districts, f.CreditCodes = list("grade"), list("cluster"), list("district"), list("credit_code")
	for _, c := range f.CreditCodes {
		if inventory.CheckCreditCodeFormat(c) != nil {
			return f, inventory.Errorf(inventory.EInvalid, "credit_code", "%q is no unified social credit code", c)
		}
	}
	for _, g := range f.Grades {
		if g != "none" && !slices.Contains(inventory.Grades, g) {
			return f, inventory.Errorf(inventory.EInvalid, "grade", "has unknown value %q; known: A, B, C, D, none", g)
		}
	}
	for _, c := range f.Clusters {
		if !slices.Contains(inventory.Clusters, c) {
			return f, inventory.Errorf(inventory.EInvalid, "cluster", "has unknown value %q; known: %s", c, strings.Join(inventory.Clusters, ", "))
		}
	}
	for _, d := range f.Districts {
		if !inventory.ValidCode(d) {
			return f, inventory.Errorf(inventory.EInvalid, "district", "has malformed district code %q", d)
		}
	}
	return f, nil
}

// getEvaluation answers GET /api/v1/evaluations/{year}[?grade=][&cluster=][&district=]
// [&credit_code=]: the
// latest run, each firm with its indicators, score, rank and grade.
func (s *Server) getEvaluation(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	f, err := parseEvaluationFilter(r.URL.Query())
	if err != nil {
		Problem(w, r, err)
		return
	}
	ev, err := s.deps.Evaluations.Evaluation(r.Context(), zoneOf(r), year, f)
	if err != nil {
		Problem(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	writeJSON(w, http.StatusOK, ev)
}

// publish answers POST /api/v1/evaluations/{year}/publish?until=YYYY-MM-DD: 公示 until that day.
func (s *Server) publish(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	raw := r.URL.Query().Get("until")
	until, err := time.ParseInLocation("2006-01-02", raw, ChinaTime)
	if err != nil {
		Problem(w, r, inventory.Errorf(inventory.EInvalid, "until", "must be the last day of the objection period, YYYY-MM-DD"))
		return
	}
	ev, err := s.deps.Evaluations.Publish(r.Context(), zoneOf(r), year, until)
	if err != nil {
		Problem(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ev)
}

// finalize answers POST /api/v1/evaluations/{year}/finalize: 定稿.
func (s *Server) finalize(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	ev, err := s.deps.Evaluations.Finalize(r.Context(), zoneOf(r), year)
	if err != nil {
		Problem(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ev)
}

// object answers POST /api/v1/evaluations/{year}/objections: an inventory.Objection; with a
// corrected value the figure is corrected and the evaluation re-runs.
func (s *Server) object(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	var o inventory.Objection
	if err := readJSON(w, r, &o); err != nil {
		ProblemBody(w, r, err)
		return
	}
	ev, err := s.deps.Evaluations.Object(r.Context(), zoneOf(r), year, o)
	if err != nil {
		ProblemBody(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ev)
}

// evaluationHistory answers GET /api/v1/evaluations/{year}/history: every step, oldest first.
func (s *Server) evaluationHistory(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	h, err := s.deps.Evaluations.EvaluationHistory(r.Context(), zoneOf(r), year)
	if err != nil {
		Problem(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "events": h})
}

// openIdleCase answers POST /api/v1/enterprises/{credit_code}/idle-case?plot=CODE[&kind=]: the
// reclamation list's one action. It creates an idle site (survey stage) over the firm's plot
// through the Editor, like any planner's edit, naming the firm as former_enterprise; its code
// is RC-PLOT. The plot must be one the firm holds.
func (s *Server) openIdleCase(w http.ResponseWriter, r *http.Request) {
	firm := chi.URLParam(r, "code")
	q := r.URL.Query()
	plot, kind := q.Get("plot"), q.Get("kind")
	if kind == "" {
		kind = "idle_land"
	}
	if !slices.Contains(inventory.IdleKinds, kind) {
		Problem(w, r, inventory.Errorf(inventory.EInvalid, "kind", "must be one of %s", strings.Join(inventory.IdleKinds, ", ")))
		return
	}
	zone := zoneOf(r)
	e, err := s.deps.Features.Get(r.Context(), inventory.EnterpriseLayer, zone, firm)
	if err != nil {
		Problem(w, r, err)
		return
	}
	held, _ := e.Confidential["plots"].([]any)
	ok := false
	for _, p := range held {
		ok = ok || p == plot
	}
	if !ok {
		Problem(w, r, inventory.Errorf(inventory.EInvalid, "plot", "%q is not a plot %s holds", plot, firm))
		return
	}
	p, err := s.deps.Features.Get(r.Context(), inventory.PlotLayer, zone, plot)
	if err != nil {
		Problem(w, r, err)
		return
	}
	name, _ := e.Confidential["name"].(string)
	f, err := s.deps.Editor.Create(r.Context(), inventory.IdleSiteLayer, zone, inventory.Change{
		// The firm's name only as former_enterprise (confidential): the site's name is public.
		Properties: map[string]any{"code": "RC-" + plot, "kind": kind, "stage": "survey", "plot_code": plot,
			"former_enterprise": name},
		Geometry: p.Geometry,
		Note:     "opened from the per-mu evaluation's reclamation list (亩均效益评价 → 腾笼换鸟)",
	})
	if err != nil {
		ProblemBody(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/idle-sites/"+url.PathEscape(f.Code))
	writeFeature(w, http.StatusCreated, f)
}

// plotGrades answers GET /api/v1/evaluations/{year}/plots: for the land map's colouring by
// grade, every plot an evaluated firm holds, with the firm, its grade (null when not graded),
// exempt_reason and whether data is missing. Confidential like every evaluation route.
func (s *Server) plotGrades(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	ev, err := s.deps.Evaluations.Evaluation(r.Context(), zoneOf(r), year, inventory.EvaluationFilter{})
	if err != nil {
		Problem(w, r, err)
		return
	}
	type plotGrade struct {
		CreditCode   string   `json:"credit_code"`
		Name         string   `json:"name"`
		Grade        *string  `json:"grade"`
		Score        *float64 `json:"score"`
		ExemptReason *string  `json:"exempt_reason"`
		Missing      bool     `json:"missing"`
	}
	plots := map[string]plotGrade{}
	for _, x := range ev.Results {
		for _, p := range x.Plots {
			plots[p] = plotGrade{x.CreditCode, x.Name, x.Grade, x.Score, x.ExemptReason, len(x.Missing) > 0}
		}
	}
	w.Header().Set("Cache-Control", "private, no-store")
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "state": ev.State, "run": ev.Run, "plots": plots})
}
