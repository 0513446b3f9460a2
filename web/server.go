// Package web serves the inventory over HTTP: the GeoJSON API under /api/v1 and the land map
// page. Handlers only translate between HTTP and the inventory services; every rule lives in
// inventory and its store.
//
// Errors are RFC 9457 problem documents (application/problem+json) that name the parameter or
// field at fault and the reason.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/landinv/landinv/inventory"
)

// Server holds what the handlers need.
type Server struct {
	Inventory inventory.Service
	Log       *slog.Logger
	// Authenticate, when set, turns a request's credentials into a viewer; requests it does
	// not recognise are the anonymous public.
	Authenticate func(r *http.Request) (inventory.Viewer, error)
	// Mount, when set, adds more routes (the page, the write API, the reports) to the router.
	Mount []func(r chi.Router)
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.logRequests, middleware.Recoverer, middleware.GetHead, s.viewer)
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	r.Get("/readyz", s.readyz)
	r.Route("/api/v1", func(r chi.Router) {
		r.Get("/", s.index)
		r.Get("/meta", s.meta)
		r.Get("/zones", s.zones)
		r.Get("/zone", s.zone)
		r.Get("/layout", s.list(inventory.LayoutLayer))
		r.Get("/layout/{code}", s.get(inventory.LayoutLayer))
		for _, l := range []*inventory.Layer{inventory.PlotLayer, inventory.PlantLayer, inventory.IdleSiteLayer, inventory.RoadLayer} {
			r.Get("/"+l.Name, s.list(l))
			r.Get("/"+l.Name+"/{code}", s.get(l))
		}
	})
	for _, m := range s.Mount {
		m(r)
	}
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		Problem(w, r, inventory.Errorf(inventory.ENotFound, "", "no such path: %s", r.URL.Path))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusMethodNotAllowed, "method not allowed", r.Method+" is not allowed on "+r.URL.Path, "", nil)
	})
	return r
}

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		start := time.Now()
		next.ServeHTTP(ww, r)
		if s.Log != nil {
			s.Log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", ww.Status()), slog.Int("bytes", ww.BytesWritten()),
				slog.Duration("took", time.Since(start)))
		}
	})
}

// viewer puts the request's viewer in its context. Bad credentials are refused with 401 rather
// than silently treated as public.
func (s *Server) viewer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := inventory.Anonymous
		if s.Authenticate != nil {
			var err error
			v, err = s.Authenticate(r)
			if err != nil {
				Problem(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(inventory.WithViewer(r.Context(), v)))
	})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := s.Inventory.Ping(ctx); err != nil {
		if s.Log != nil {
			s.Log.Warn("not ready", "err", err)
		}
		writeProblem(w, http.StatusServiceUnavailable, "not ready", "the database is not reachable", "", nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeGeoJSON writes v as GeoJSON (application/geo+json) with status 200.
func writeGeoJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/geo+json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// StatusOf maps an error kind to an HTTP status. Invalid input is 400 for query parameters;
// handlers of request bodies use 422 (see ProblemBody).
func StatusOf(err error) int {
	switch inventory.ErrorKind(err) {
	case inventory.EInvalid:
		return http.StatusBadRequest
	case inventory.ENotFound:
		return http.StatusNotFound
	case inventory.EConflict:
		return http.StatusConflict
	case inventory.EUnauthorized:
		return http.StatusUnauthorized
	case inventory.EForbidden:
		return http.StatusForbidden
	case inventory.EPrecondition:
		return http.StatusPreconditionFailed
	case inventory.EPreconditionRequired:
		return http.StatusPreconditionRequired
	case inventory.ETooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// Problem writes err as an RFC 9457 problem document. Invalid input is a 400 (a query
// parameter).
func Problem(w http.ResponseWriter, r *http.Request, err error) {
	problem(w, r, err, StatusOf(err))
}

// ProblemBody writes err as a problem document, answering invalid input with 422: the
// request body was understood but breaks a rule.
func ProblemBody(w http.ResponseWriter, r *http.Request, err error) {
	status := StatusOf(err)
	if status == http.StatusBadRequest {
		status = http.StatusUnprocessableEntity
	}
	problem(w, r, err, status)
}

func problem(w http.ResponseWriter, r *http.Request, err error, status int) {
	var e *inventory.Error
	if !errors.As(err, &e) || status == http.StatusInternalServerError {
		slog.ErrorContext(r.Context(), "internal error", "path", r.URL.Path, "err", err)
		writeProblem(w, http.StatusInternalServerError, "internal error", "something went wrong; the error is logged", "", nil)
		return
	}
	writeProblem(w, status, http.StatusText(status), e.Error(), e.Field, e.Detail)
}

func writeProblem(w http.ResponseWriter, status int, title, detail, field string, extra map[string]any) {
	body := map[string]any{"type": "about:blank", "title": title, "status": status, "detail": detail}
	if field != "" {
		body["field"] = field
		body["invalid_params"] = []map[string]string{{"name": field, "reason": detail}}
	}
	for k, v := range extra {
		if _, taken := body[k]; !taken {
			body[k] = v
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
}
