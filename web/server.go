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
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

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
	// Evaluations runs the per-mu benefit evaluation (亩均效益评价).
	Evaluations inventory.Evaluations
	// Tiles renders vector tiles; nil serves none (map-config says so and the page reads
	// GeoJSON).
	Tiles inventory.TileService
	// Sites draws the site sheets' maps (/sites/...).
	Sites inventory.SiteService
	// Enquiries keeps investors' enquiries (/api/v1/enquiries).
	Enquiries inventory.EnquiryService
	// Projects keeps the investment projects' stage action and turns enquiries into projects
	// (/api/v1/projects, project.go); nil answers those two routes 503.
	Projects inventory.ProjectService
	// Matcher ranks the sites that can take a project (GET /api/v1/projects/{code}/matches);
	// nil serves no such route.
	Matcher inventory.SiteMatcher
	// Rankings keeps each zone's ranking rule of site matching (GET|PUT
	// /api/v1/projects/ranking) and ranks under a per-request one (matches?weights=); nil serves
	// neither.
	Rankings inventory.MatchRankingService
	// EnquiryLimit is how many enquiries one client may post per EnquiryWindow (default
	// DefaultEnquiryLimit).
	EnquiryLimit int
	// ClientIPHeader, when set, names the header a trusted reverse proxy puts the client's
	// address in (X-Forwarded-For: its last entry; X-Real-IP): the key of the per-client limits
	// (clientAddrVia). Unset: the connection's address, which behind a proxy is the proxy's.
	ClientIPHeader string

	// Authenticate, when set, turns a request's credentials into a viewer (TokenAuthenticator);
	// requests it does not recognise are the anonymous public. Nil: everyone is the public.
	Authenticate func(r *http.Request) (inventory.Viewer, error)
	// TileChanges, when set, is the store's change log: a cached tile that the writes since it
	// was drawn did not touch is served without a statement of its own (tilechanges.go).
	TileChanges inventory.TileChangeLog
	// Users, when set, lets a signed-in person make, list and revoke their own API tokens
	// (/api/v1/me/tokens, tokens.go); nil: tokens are made at the command line only.
	Users inventory.Users
	// Sessions, when set, signs people in with a password (POST /api/v1/session) and keeps
	// them signed in by a cookie (NewSessions); nil: tokens only.
	Sessions *Sessions
	// Log, when set, writes the access log: one line per request (accesslog.go).
	Log *slog.Logger
	// Metrics count and time every request (metrics.go); nil: the server makes its own, which
	// only PublicMetrics or DebugHandler would serve.
	Metrics *Metrics
	// PublicMetrics also serves GET /metrics on this listener. Off by default: the metrics are
	// served by DebugHandler on the ops listener (landinv serve --debug-addr).
	PublicMetrics bool
	// Basemap, when it has tiles, is drawn under the map's layers.
	Basemap Basemap
	// OGCCRS are EPSG codes the /ogc collections are offered in beside DefaultOGCCRS (e.g.
	// 4545 for a zone on 105°E); see ogc_crs.go.
	OGCCRS []int
	// Extents, when set, gives the /ogc collections their spatial and temporal extents; the
	// zone's bounding box and an open interval otherwise.
	Extents inventory.ExtentReader
	// TileThreshold is the number of plots above which the page reads plots as vector tiles
	// instead of one GeoJSON download (default 3000).
	TileThreshold int
	// Limits bound each request: deadlines by kind, rate limits of the public (cost.go).
	Limits Limits
	// TileCacheBytes bounds the in-memory tile cache (0: DefaultTileCacheBytes; negative: no
	// cache).
	TileCacheBytes int64
	// MaxImports is how many imports (POST /api/v1/import) this process runs at once
	// (default DefaultMaxImports); one more is answered 503 with Retry-After.
	MaxImports int
	// Release names this build in the ETags of lists (release.go): a page a new release writes
	// differently is never taken for the old one's. Empty: from the binary's build information
	// (BuildRelease); `landinv serve` passes ExecutableRelease.
	Release string
}

// Server serves the whole HTTP interface of landinv: every route is in routes.go.
type Server struct {
	deps   Deps
	router chi.Router
	// etags are the embedded page files' entity tags, by path.
	etags map[string]string
	// release names this build in the lists' ETags (releaseOf).
	release string
	// ogcCRS are the CRSs the /ogc collections are offered in.
	ogcCRS ogcCRSList

	// metrics count and time every request: Deps.Metrics, or the server's own.
	metrics *Metrics
	// rates are the anonymous public's rate limiters (cost.go).
	rates rateLimits
	// tileCache keeps rendered vector tiles by revision (nil: none).
	tileCache *tileCache
	// resolved are the zones resolved at the newest revision (zoneAt).
	resolved zoneCache
	// importSlots holds one token per running import (Deps.MaxImports of them).
	importSlots chan struct{}
	// streamBufs are the buffers of streamed feature lists (streambuf.go).
	streamBufs *streamBuffers
	// tileChanges is the copy of the store's change log the tile cache consults (nil: none).
	tileChanges *tileChanges
}

// NewServer checks d and builds the server with every route (routes.go). A missing service is
// an error: a route without its service would answer 500.
func NewServer(d Deps) (*Server, error) {
	for _, dep := range []struct {
		name string
		set  bool
	}{{"Zones", d.Zones != nil}, {"Features", d.Features != nil}, {"Health", d.Health != nil}, {"Editor", d.Editor != nil},
		{"History", d.History != nil}, {"Importer", d.Importer != nil}, {"Reports", d.Reports != nil}, {"Map", d.Map != nil},
		{"Sites", d.Sites != nil}, {"Enquiries", d.Enquiries != nil}} {
		if !dep.set {
			return nil, fmt.Errorf("web: NewServer: Deps.%s is not set", dep.name)
		}
	}
	if d.Evaluations == nil {
		return nil, fmt.Errorf("web: NewServer: Deps.Evaluations is not set")
	}
	crs, err := newOGCCRSList(d.OGCCRS)
	if err != nil {
		return nil, err
	}
	if d.MaxImports <= 0 {
		d.MaxImports = DefaultMaxImports
	}
	s := &Server{deps: d, etags: pageETags(), release: releaseOf(d.Release), ogcCRS: crs, metrics: d.Metrics, rates: newRateLimits(d.Limits),
		tileCache: newTileCache(d.TileCacheBytes), importSlots: make(chan struct{}, d.MaxImports),
		streamBufs: newStreamBuffers(), tileChanges: newTileChanges(d.TileChanges)}
	if s.metrics == nil {
		s.metrics = NewMetrics(MetricsSources{})
	}
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

// viewer puts the request's viewer in its context. Bad credentials are refused with 401 rather
// than silently treated as public; a cross-origin or token-less cookie write with 403.
func (s *Server) viewer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, v := s.authenticate(w, r) // auth.go: token or session cookie, and the CSRF rule
		if r == nil {
			return
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
		w.Header().Set("Retry-After", "5")
		writeProblem(w, http.StatusServiceUnavailable, "not ready", "the database is not reachable", "", nil)
		return
	}
	// Read replicas, when the store has them: each one's state, never a reason to be unready
	// (reads fall back to the primary).
	if rs, ok := s.deps.Health.(interface {
		ReplicaStatus(context.Context) []inventory.ReplicaStatus
	}); ok {
		if reps := rs.ReplicaStatus(ctx); reps != nil {
			writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "replicas": reps})
			return
		}
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
	case inventory.EUnavailable, inventory.ETimeout:
		return http.StatusServiceUnavailable
	case inventory.ETooManyRequests:
		return http.StatusTooManyRequests
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
	if clientGone(r, err) {
		writeClientGone(w, r, err)
		return
	}
	var e *inventory.Error
	if status == http.StatusInternalServerError && errors.Is(err, context.DeadlineExceeded) {
		// The request's deadline (cost.go) passed before the store answered.
		e = &inventory.Error{Kind: inventory.ETimeout, Err: err,
			Reason: "the request is too expensive: it ran past its deadline; narrow it or retry later"}
		status = http.StatusServiceUnavailable
	} else if status == http.StatusInternalServerError && errors.Is(context.Cause(r.Context()), ErrDrainOver) {
		e = &inventory.Error{Kind: inventory.EUnavailable, Err: err, Reason: "the server is shutting down; retry"}
		status = http.StatusServiceUnavailable
	} else if !errors.As(err, &e) || status == http.StatusInternalServerError {
		slog.ErrorContext(r.Context(), "internal error", "path", r.URL.Path, "err", err)
		writeProblem(w, http.StatusInternalServerError, "internal error", "something went wrong; the error is logged", "", nil)
		return
	}
	if status == http.StatusServiceUnavailable {
		retry := 5
		if n, ok := e.Detail["retry_after_s"].(int); ok && n > 0 {
			retry = n
		}
		w.Header().Set("Retry-After", strconv.Itoa(retry))
		if e.Kind == inventory.ETimeout {
			slog.WarnContext(r.Context(), "request too expensive", "path", r.URL.Path, "err", err)
		} else {
			slog.WarnContext(r.Context(), "service unavailable", "path", r.URL.Path, "err", err)
		}
	}
	writeCodedProblem(w, status, http.StatusText(status), e.Error(), e.Field, inventory.CodeOf(e), e.Params, e.Detail)
}

func writeProblem(w http.ResponseWriter, status int, title, detail, field string, extra map[string]any) {
	code := inventory.CodeInvalid
	switch {
	case status == http.StatusTooManyRequests:
		code = inventory.CodeTooManyRequests
	case status == http.StatusServiceUnavailable:
		code = inventory.CodeUnavailable
	case status >= 500:
		code = inventory.CodeInternal
	}
	writeCodedProblem(w, status, title, detail, field, code, nil, extra)
}

// writeCodedProblem writes a problem document: besides type, title, status, detail and field,
// the rule's code (inventory/codes.go; GET /api/v1/meta lists every code with its Chinese and
// English templates) and params, an object of the facts the templates name ({} for none).
func writeCodedProblem(w http.ResponseWriter, status int, title, detail, field, code string, params, extra map[string]any) {
	if params == nil {
		params = map[string]any{}
	}
	body := map[string]any{"type": "about:blank", "title": title, "status": status, "detail": detail, "code": code, "params": params}
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
