// Package web serves the inventory over HTTP: the GeoJSON API under /api/v1, the land map and
// report pages, vector tiles and the reports. Handlers only translate between HTTP and the
// inventory services; every rule lives in inventory and its store.
//
// NewServer builds the server from its Deps (the small service interfaces each handler uses);
// routes.go lists every route. Query strings are read here, by one parser per concept
// (params.go: unknown and repeated parameters, zone, as_of; query.go: list filters and report
// parameters).
//
// Errors are RFC 9457 problem documents (application/problem+json) that name the parameter or
// field at fault and the reason.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer"
)

// Deps are what the server is built from: the small service interfaces its handlers use (each
// handler depends on the one it calls), the sign-in, the logger and the page's settings.
// cmd/landinv builds them from the store and the environment; the tests build them the same
// way and call the same NewServer.
type Deps struct {
	// Zones resolves the zone a request names (every route that takes zone) and lists zones.
	Zones inventory.ZoneService
	// Features reads features: lists, single features, as of a time.
	Features inventory.FeatureReader
	// Health answers /readyz.
	Health inventory.Pinger
	// Editor writes: create, update, archive, restore.
	Editor inventory.Editor
	// History reads a feature's versions.
	History inventory.HistoryReader
	// Importer loads survey files (POST /api/v1/import).
	Importer importer.Loader
	// Reports computes the reports.
	Reports inventory.Reports
	// Map answers the land map's nearest road and land-use list.
	Map inventory.MapService
	// Tiles renders vector tiles; nil serves none (map-config says so and the page reads
	// GeoJSON).
	Tiles inventory.TileService

	// Authenticate, when set, turns a request's credentials into a viewer (TokenAuthenticator);
	// requests it does not recognise are the anonymous public. Nil: everyone is the public.
	Authenticate func(r *http.Request) (inventory.Viewer, error)
	// Log, when set, logs every request.
	Log *slog.Logger
	// Basemap, when it has tiles, is drawn under the map's layers.
	Basemap Basemap
	// TileThreshold is the number of plots above which the page reads plots as vector tiles
	// instead of one GeoJSON download (default 3000).
	TileThreshold int
	// MaxImports is how many imports (POST /api/v1/import) this process runs at once
	// (default DefaultMaxImports); one more is answered 503 with Retry-After.
	MaxImports int
}

// Server serves the whole HTTP interface of landinv: every route is in routes.go.
type Server struct {
	deps   Deps
	router chi.Router
	// etags are the embedded page files' entity tags, by path.
	etags map[string]string
	// importSlots holds one token per running import (Deps.MaxImports of them).
	importSlots chan struct{}
}

// NewServer checks d and builds the server with every route (routes.go). A missing service is
// an error: a route without its service would answer 500.
func NewServer(d Deps) (*Server, error) {
	for _, dep := range []struct {
		name string
		set  bool
	}{{"Zones", d.Zones != nil}, {"Features", d.Features != nil}, {"Health", d.Health != nil}, {"Editor", d.Editor != nil},
		{"History", d.History != nil}, {"Importer", d.Importer != nil}, {"Reports", d.Reports != nil}, {"Map", d.Map != nil}} {
		if !dep.set {
			return nil, fmt.Errorf("web: NewServer: Deps.%s is not set", dep.name)
		}
	}
	if d.MaxImports <= 0 {
		d.MaxImports = DefaultMaxImports
	}
	s := &Server{deps: d, etags: pageETags(), importSlots: make(chan struct{}, d.MaxImports)}
	s.router = s.routes()
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// Routes returns the router, e.g. for chi.Walk over every route.
func (s *Server) Routes() chi.Routes { return s.router }

func healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		start := time.Now()
		next.ServeHTTP(ww, r)
		if s.deps.Log != nil {
			s.deps.Log.LogAttrs(r.Context(), slog.LevelInfo, "request",
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
		if s.deps.Authenticate != nil {
			var err error
			v, err = s.deps.Authenticate(r)
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
	if err := s.deps.Health.Ping(ctx); err != nil {
		if s.deps.Log != nil {
			s.deps.Log.Warn("not ready", "err", err)
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
