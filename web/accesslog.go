package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/landinv/landinv/inventory"
)

// StatusClientClosed is the status logged and counted for a request whose client went away
// (its context was cancelled) before the answer was complete: nginx's 499. It is never sent;
// there is no one left to send it to.
const StatusClientClosed = 499

// unmatched is the route label of a request no route answered (an unknown path) or that was
// refused before routing (bad credentials on a path that is not a route).
const unmatched = "unmatched"

// requestNote is what the inner middlewares tell the access log about a request: who the
// viewer is (noteViewer). It travels as a pointer in the request's context.
type requestNote struct {
	user, role string
}

type requestNoteKey struct{}

// observe is the outermost middleware after the request id: it counts and times every request
// in the metrics (by route pattern, method and status) and writes one access-log line per
// request (Deps.Log): request id, user (the viewer's name; never the credentials), route
// pattern, method, path, status, bytes and duration. It echoes the request id as
// X-Request-Id.
//
// A request whose client disconnected before the handler was done (its context cancelled) is
// logged and counted as 499 at info level, whatever the handler wrote; status_sent says what
// that was. Other answers log at info, 5xx at warn.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := middleware.GetReqID(r.Context())
		if id != "" {
			w.Header().Set(middleware.RequestIDHeader, id)
		}
		note := &requestNote{}
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r.WithContext(context.WithValue(r.Context(), requestNoteKey{}, note)))
		took := time.Since(start)

		sent := ww.Status()
		if sent == 0 {
			sent = http.StatusOK // net/http's answer to a handler that wrote nothing
		}
		status := sent
		if errors.Is(r.Context().Err(), context.Canceled) {
			status = StatusClientClosed
		}
		route := s.routeOf(r, sent)
		s.metrics.observeRequest(route, r.Method, status, took)

		if s.deps.Log == nil {
			return
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelWarn
		}
		attrs := []slog.Attr{
			slog.String("request_id", id),
			slog.String("user", note.user), slog.String("role", note.role),
			slog.String("method", r.Method), slog.String("route", route), slog.String("path", r.URL.Path),
			slog.Int("status", status), slog.Int("bytes", ww.BytesWritten()),
			slog.Float64("duration_ms", float64(took.Microseconds())/1000),
			slog.String("remote", r.RemoteAddr),
		}
		if status != sent {
			attrs = append(attrs, slog.Int("status_sent", sent))
		}
		s.deps.Log.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// routeOf is the route pattern that answers r's method and path (e.g. /api/v1/plots/{code}),
// also when the request was refused before routing (bad credentials); for a method the path
// does not take (405), the path's pattern; "unmatched" when no route matches the path. Only
// registered patterns are returned, never the raw path, so the metrics' labels stay bounded.
func (s *Server) routeOf(r *http.Request, status int) string {
	mx, ok := s.router.(*chi.Mux)
	if !ok {
		return unmatched
	}
	methods := []string{r.Method}
	if r.Method == http.MethodHead {
		methods = append(methods, http.MethodGet) // GetHead answers HEAD with the GET route
	}
	if status == http.StatusMethodNotAllowed {
		methods = append(methods, http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete)
	}
	for _, m := range methods {
		if p := mx.Find(chi.NewRouteContext(), m, r.URL.Path); p != "" {
			return p
		}
	}
	return unmatched
}

// noteViewer tells the access log who the viewer is; it runs after viewer has authenticated.
func noteViewer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n, ok := r.Context().Value(requestNoteKey{}).(*requestNote); ok {
			v := inventory.ViewerFrom(r.Context())
			n.user, n.role = v.Name, string(v.Role)
			if v.Name == "" {
				n.role = "public"
			}
		}
		next.ServeHTTP(w, r)
	})
}
