package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
)

// Investment projects (招商项目, issue 16) are confidential through and through: every route
// under /api/v1/projects, and POST /api/v1/enquiries/{id}/project, passes confidentialOnly
// first (401 for the public, 403 for a viewer), and writes are for planners and admins (the
// store checks). The projects layer itself is served by the generic layer handlers (list, get
// with as_of, history, create, update, archive, restore; If-Match on writes); the stage action,
// an enquiry turned into a project and a project's site matches are here.

// projectStage answers POST /api/v1/projects/{code}/stage with {stage, date, plot_code?,
// plant_code?, leased_m2?, drop_reason?, note} under If-Match (the project's ETag): 200 with the
// project's new version; a refused step is a 422 naming the field, and nothing changes.
func (s *Server) projectStage(w http.ResponseWriter, r *http.Request) {
	code, err := codeParam(inventory.ProjectLayer, r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	var c inventory.StageChange
	if err := readJSON(w, r, &c); err != nil {
		ProblemBody(w, r, err)
		return
	}
	if s.deps.Projects == nil {
		Problem(w, r, inventory.Errorf(inventory.EUnavailable, "", "projects are not served here"))
		return
	}
	f, err := s.deps.Projects.Stage(r.Context(), zoneOf(r), code, r.Header.Get("If-Match"), c)
	if err != nil {
		ProblemBody(w, r, err)
		return
	}
	writeFeature(w, http.StatusOK, f)
}

// enquiryProject answers POST /api/v1/enquiries/{id}/project, optionally with {code, note}:
// the enquiry becomes a lead project linked to it (201, Location of the project); the enquiry
// and its follow-up history stay as they are.
func (s *Server) enquiryProject(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		Problem(w, r, inventory.Errorf(inventory.ENotFound, "id", "no enquiry %q", chi.URLParam(r, "id")))
		return
	}
	var body struct {
		Code string `json:"code"`
		Note string `json:"note"`
	}
	if err := readOptionalJSON(w, r, MaxEnquiryBytes, &body); err != nil {
		ProblemBody(w, r, err)
		return
	}
	if body.Code != "" && !inventory.ValidCode(body.Code) {
		ProblemBody(w, r, inventory.Errorf(inventory.EInvalid, "code", "must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit").With(inventory.CodeInvalidCode, nil))
		return
	}
	if s.deps.Projects == nil {
		Problem(w, r, inventory.Errorf(inventory.EUnavailable, "", "projects are not served here"))
		return
	}
	f, err := s.deps.Projects.FromEnquiry(r.Context(), zoneOf(r), id, body.Code, body.Note)
	if err != nil {
		ProblemBody(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/projects/"+url.PathEscape(f.Code))
	writeFeature(w, http.StatusCreated, f)
}

// readOptionalJSON reads a JSON body that may be left out: no body, an empty one however it is
// sent (Content-Length: 0, or chunked with no data) or one of white space only is no body, and
// v is left as it is; anything else is read as readJSONBody reads it (at most max bytes, one
// JSON object of v's members).
func readOptionalJSON(w http.ResponseWriter, r *http.Request, max int64, v any) error {
	if r.Body == nil || r.ContentLength == 0 {
		return nil
	}
	b, err := readBody(w, r, max)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	return decodeJSONBody(b, v)
}

// projectMatches answers GET /api/v1/projects/{code}/matches?layer=plots|plants[&limit=N]
// [&weights=condition:w,...]: the sites that can take the project, ranked by the SiteMatcher
// under the zone's stored ranking (its rule is documented where it is defined:
// inventory.MatchRanking), each with {code, score, conditions: [{name, pass, value, required}]},
// and beside them how many sites were ranked (candidates) and how many meet every condition
// (passing).
// layer is required; limit is 1 to inventory.MaxMatchLimit (inventory.DefaultMatchLimit);
// weights overrides the stored weights of the conditions it names for this request
// (parseWeights).
func (s *Server) projectMatches(w http.ResponseWriter, r *http.Request) {
	code, err := codeParam(inventory.ProjectLayer, r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	q := r.URL.Query()
	layer := q.Get("layer")
	if layer == "" {
		Problem(w, r, inventory.Errorf(inventory.EInvalid, "layer", "is required: plots or plants").With(inventory.CodeRequired, nil))
		return
	}
	limit := inventory.DefaultMatchLimit
	if raw, ok := q["limit"]; ok {
		n, err := strconv.Atoi(raw[0])
		if err != nil || n < 1 || n > inventory.MaxMatchLimit {
			Problem(w, r, inventory.Errorf(inventory.EInvalid, "limit", "must be a whole number from 1 to %d", inventory.MaxMatchLimit).
				With(inventory.CodeOutOfRange, map[string]any{"min": 1, "max": inventory.MaxMatchLimit}))
			return
		}
		limit = n
	}
	weights, err := parseWeights(q["weights"])
	if err != nil {
		Problem(w, r, err)
		return
	}
	if weights != nil && s.deps.Rankings == nil {
		Problem(w, r, inventory.Errorf(inventory.EUnavailable, "weights", "per-request weights are not served here"))
		return
	}
	if err := inventory.CheckMatchLayer(layer); err != nil {
		Problem(w, r, err) // the layer, checked before the project is read
		return
	}
	f, err := s.deps.Features.Get(r.Context(), inventory.ProjectLayer, zoneOf(r), code)
	if err != nil {
		Problem(w, r, err)
		return
	}
	need, err := inventory.ProjectSiteNeed(f, zoneOf(r), layer)
	if err != nil {
		Problem(w, r, err)
		return
	}
	if s.deps.Matcher == nil {
		Problem(w, r, inventory.Errorf(inventory.EUnavailable, "", "site matching is not served here"))
		return
	}
	var m *inventory.SiteMatches
	if weights != nil {
		m, err = s.deps.Rankings.MatchSitesRanked(r.Context(), need, inventory.MatchRanking{Weights: weights}, limit)
	} else {
		m, err = s.deps.Matcher.MatchSites(r.Context(), need, limit)
	}
	if err != nil {
		Problem(w, r, err)
		return
	}
	if m.Matches == nil {
		m.Matches = []inventory.SiteMatch{}
	}
	w.Header().Set("Cache-Control", "private, no-store")
	writeJSON(w, http.StatusOK, map[string]any{"project": code, "layer": layer, "matches": m.Matches,
		"candidates": m.Candidates, "passing": m.Passing})
}
