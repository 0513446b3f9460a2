package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
)

// The ranking rule of site matching (选址排序规则, issue 16): each zone stores its weights per
// condition, versioned (inventory.RankingVersion); GET /api/v1/projects/ranking reads them,
// PUT changes them, and GET /api/v1/projects/{code}/matches?weights= overrides them for one
// request. Confidential like every project route (401 for the public, 403 for a viewer);
// changes are for planners and admins.

// getRanking answers GET /api/v1/projects/ranking[?as_of=]: the zone's ranking in force
// ({zone, version, valid_from, changed_by, stored, weights, defaults}; version 0 is the
// documented default, and defaults its weights), with its ETag, the one PUT's If-Match takes.
func (s *Server) getRanking(w http.ResponseWriter, r *http.Request) {
	asOf, err := asOfParam(r.URL.Query())
	if err != nil {
		Problem(w, r, err)
		return
	}
	rv, err := s.deps.Rankings.MatchRanking(r.Context(), zoneOf(r), asOf)
	if err != nil {
		Problem(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("ETag", rv.ETag())
	writeJSON(w, http.StatusOK, rankingAnswer{rv, inventory.DefaultMatchWeights})
}

// rankingAnswer is a ranking version with the documented defaults beside it (defaults), which a
// form shows next to each weight and can put back.
type rankingAnswer struct {
	*inventory.RankingVersion
	Defaults map[string]float64 `json:"defaults"`
}

// putRanking answers PUT /api/v1/projects/ranking with {"weights": {condition: weight}}: the
// zone's next ranking version (200, with its ETag). The whole rule is replaced: a condition
// left out weighs its default. If-Match, when sent, must be the ETag of the version in force
// (412 otherwise). A bad body is a 4xx naming "weights", and nothing changes.
func (s *Server) putRanking(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Weights map[string]float64 `json:"weights"`
	}
	if err := readJSON(w, r, &body); err != nil {
		ProblemBody(w, r, err)
		return
	}
	if body.Weights == nil {
		ProblemBody(w, r, inventory.Errorf(inventory.EInvalid, "weights", "is required: an object of condition: weight").With(inventory.CodeRequired, nil))
		return
	}
	rv, err := s.deps.Rankings.PutMatchRanking(r.Context(), zoneOf(r), r.Header.Get("If-Match"), inventory.MatchRanking{Weights: body.Weights})
	if err != nil {
		ProblemBody(w, r, err)
		return
	}
	w.Header().Set("ETag", rv.ETag())
	writeJSON(w, http.StatusOK, rankingAnswer{rv, inventory.DefaultMatchWeights})
}

// notRankingPath keeps the project routes on /projects/{code} off /projects/ranking, the
// ranking rule's path when it is served: a method the rule does not serve there is a 405, as
// on any path, not a project named "ranking".
func (s *Server) notRankingPath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Rankings != nil && chi.URLParam(r, "code") == "ranking" {
			w.Header().Set("Allow", "GET, PUT")
			writeProblem(w, http.StatusMethodNotAllowed, "method not allowed", r.Method+" is not allowed on "+r.URL.Path, "", nil)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// parseWeights reads the matches route's weights= override: a comma list of condition:weight
// ("road_distance_m:5,cluster:0"), each condition once, each weight written in decimal digits.
// The conditions and the weights' range are inventory.MatchRanking.Check's (the rule PUT
// applies too). Absent: nil (the zone's stored ranking). Anything else is an EInvalid naming
// "weights".
func parseWeights(v []string) (map[string]float64, error) {
	if v == nil {
		return nil, nil
	}
	bad := func(format string, a ...any) *inventory.Error {
		return inventory.Errorf(inventory.EInvalid, "weights", format, a...)
	}
	if len(v) != 1 {
		return nil, bad("is given more than once")
	}
	out := map[string]float64{}
	for _, pair := range strings.Split(v[0], ",") {
		name, raw, ok := strings.Cut(strings.TrimSpace(pair), ":")
		if !ok || name == "" || raw == "" {
			return nil, bad("must be a comma list of condition:weight, e.g. road_distance_m:5,cluster:0")
		}
		if _, dup := out[name]; dup {
			return nil, bad("%s is given twice", name)
		}
		// Decimal digits only: ParseFloat alone would take NaN, Inf and hexadecimal floats.
		x, err := strconv.ParseFloat(raw, 64)
		if strings.Trim(raw, "0123456789.") != "" || err != nil {
			return nil, bad("the weight of %s must be a number from 0 to %d", name, inventory.MaxMatchWeight).
				With(inventory.CodeOutOfRange, map[string]any{"min": 0, "max": inventory.MaxMatchWeight})
		}
		out[name] = x
	}
	if err := (inventory.MatchRanking{Weights: out}).Check(); err != nil {
		return nil, err
	}
	return out, nil
}
