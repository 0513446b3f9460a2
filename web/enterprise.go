package web

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
)

// Enterprises (企业) and their annual figures (年度数据) are confidential through and through
// (DOMAIN.md §6b, §7): every route under /api/v1/enterprises and /api/v1/evaluations passes
// confidentialOnly first. The enterprise layer itself is served by the generic layer handlers
// (list, get, history, create, update, archive, restore); a firm's figures of a year are one
// feature of the enterprise-figures layer, coded CREDITCODE-YYYY.

// confidentialOnly answers 401 to the public and 403 to a signed-in user who may not see
// confidential figures (inventory.CanSeeConfidential), before anything else runs.
func confidentialOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := inventory.CanSeeConfidential(inventory.ViewerFrom(r.Context())); err != nil {
			Problem(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// yearParam reads the {year} path segment: a year that is not one is a 404 naming year.
func yearParam(r *http.Request) (int, error) {
	y, err := inventory.ParseYear(chi.URLParam(r, "year"))
	if err != nil {
		return 0, inventory.Errorf(inventory.ENotFound, "year", "%s", err.(*inventory.Error).Reason)
	}
	return y, nil
}

// figuresCode reads {code} and {year}: the code of the firm's figures of that year. A code that
// is no credit code is a 404.
func figuresCode(r *http.Request) (string, string, int, error) {
	firm := chi.URLParam(r, "code")
	if inventory.CheckCreditCodeFormat(firm) != nil {
		return "", "", 0, inventory.Errorf(inventory.ENotFound, "credit_code", "no enterprise with credit code %q (统一社会信用代码: 18 characters)", firm)
	}
	year, err := yearParam(r)
	if err != nil {
		return "", "", 0, err
	}
	return firm, inventory.FigureCode(firm, year), year, nil
}

// getFigures answers GET /api/v1/enterprises/{credit_code}/figures/{year}[?as_of=]: the year's
// figures, each with its source and date, as a feature without geometry, with its ETag.
// A request whose If-None-Match is that ETag gets 304, as for a feature (notModified).
func (s *Server) getFigures(w http.ResponseWriter, r *http.Request) {
	_, code, _, err := figuresCode(r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	asOf, err := asOfParam(r.URL.Query())
	if err != nil {
		Problem(w, r, err)
		return
	}
	// Read again from the primary when a replica lags behind the version the client names
	// (If-None-Match, If-Match), and 304 when the client has this version, as for a feature.
	f, err := freshFeature(r, func(ctx context.Context) (*inventory.Feature, error) {
		return s.deps.Features.GetAsOf(ctx, inventory.FigureLayer, zoneOf(r), code, asOf)
	})
	if err != nil {
		Problem(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	if notModified(w, r, *f) {
		return
	}
	writeFeature(w, http.StatusOK, f)
}

// putFigures answers PUT /api/v1/enterprises/{credit_code}/figures/{year}: a JSON object of
// figures and flags, with the source (and date) they all come from, or a figure's own
// FIGURE_source / FIGURE_date (inventory.FigureChange). Figures left out keep their values.
// The first PUT of a year creates the figures (201); later ones write a new version (200),
// checked against If-Match when given. An unknown firm is a 404.
func (s *Server) putFigures(w http.ResponseWriter, r *http.Request) {
	firm, code, _, err := figuresCode(r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	var body map[string]any
	if err := readJSON(w, r, &body); err != nil {
		ProblemBody(w, r, err)
		return
	}
	props, err := inventory.FigureChange(body)
	if err != nil {
		ProblemBody(w, r, err)
		return
	}
	zone := zoneOf(r)
	if _, err := s.deps.Features.Get(r.Context(), inventory.EnterpriseLayer, zone, firm); err != nil {
		Problem(w, r, err)
		return
	}
	// PUT records the year's figures: without If-Match it creates them (201), and figures
	// already recorded are replaced only with the ETag of the version the client read (If-Match,
	// as every other write: 428 without it, 412 when stale).
	var f *inventory.Feature
	status := http.StatusOK
	if ifMatch := r.Header.Get("If-Match"); ifMatch != "" {
		f, err = s.deps.Editor.Update(r.Context(), inventory.FigureLayer, zone, code, ifMatch, inventory.Change{Properties: props})
	} else {
		props["code"] = code
		f, err = s.deps.Editor.Create(r.Context(), inventory.FigureLayer, zone, inventory.Change{Properties: props})
		status = http.StatusCreated
		if inventory.ErrorKind(err) == inventory.EConflict {
			err = inventory.Errorf(inventory.EPreconditionRequired, "If-Match",
				"is required to replace the figures already recorded for %s: send the ETag from GET", code)
		}
	}
	if err != nil {
		ProblemBody(w, r, err)
		return
	}
	writeFeature(w, status, f)
}

// figuresHistory answers GET /api/v1/enterprises/{credit_code}/figures/{year}/history.
func (s *Server) figuresHistory(w http.ResponseWriter, r *http.Request) {
	_, code, _, err := figuresCode(r)
	if err != nil {
		Problem(w, r, err)
		return
	}
	h, err := s.deps.History.History(r.Context(), inventory.FigureLayer, zoneOf(r), code)
	if err != nil {
		Problem(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": code, "versions": h})
}
