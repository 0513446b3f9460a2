package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/httprate"

	"github.com/landinv/landinv/inventory"
)

// Bounded cost per request. Every route that reaches the database is tagged in routes.go with
// the kind of query it asks for (s.kind, or s.listKind for the lists, whose parameters decide).
// The kind middleware then
//
//   - puts the kind in the request's context (inventory.WithQueryKind): the store bounds each
//     statement by its kind's timeout, and admits the costly kinds to a smaller share of its
//     connections;
//   - gives the request a deadline (Limits.Deadline): past it, its queries are cancelled and it
//     is answered 503 with Retry-After;
//   - rate-limits the anonymous public per client address (Limits.AnonymousPerMinute, and the
//     smaller Limits.AnonymousCostlyPerMinute for costly reads and reports): over the limit,
//     429 with Retry-After. Signed-in users are not rate-limited; neither is /readyz. The
//     counts are kept in this process: N processes behind a balancer allow N times as much.
//
// Credentials are checked before any of this (the viewer middleware), so failed ones are
// limited on their own: an address whose Bearer tokens failed Limits.FailedAuthPerMinute times
// in a minute gets 429 with Retry-After for any request carrying a Bearer token, before the
// token is looked up (auth.go). Per process too.

// Limits bound what one request may cost. The zero value sets no rate limit and the default
// deadlines.
type Limits struct {
	// Deadlines is the time a request of each kind may take; a kind missing here gets
	// DefaultDeadline.
	Deadlines map[inventory.QueryKind]time.Duration
	// AnonymousPerMinute is how many requests one client address of the public may make in a
	// minute (0: no limit).
	AnonymousPerMinute int
	// AnonymousCostlyPerMinute is how many costly reads and reports one client address of the
	// public may ask for in a minute (0: no limit).
	AnonymousCostlyPerMinute int
	// FailedAuthPerMinute is how many requests with credentials that fail (401) one client
	// address may send in a minute (0: DefaultFailedAuthPerMinute; negative: no limit).
	FailedAuthPerMinute int
}

// DefaultFailedAuthPerMinute is Limits.FailedAuthPerMinute's default: far more than a person
// mistyping a token, far fewer than a script guessing tokens.
const DefaultFailedAuthPerMinute = 30

// DefaultDeadline is a request's deadline when none is configured for its kind: twice its
// kind's default statement timeout (a request runs a few statements), at least 5 s.
func DefaultDeadline(k inventory.QueryKind) time.Duration {
	return max(5*time.Second, 2*inventory.DefaultTimeouts().Of(k))
}

// Deadline returns the deadline of a request of kind k.
func (l Limits) Deadline(k inventory.QueryKind) time.Duration {
	if d := l.Deadlines[k]; d > 0 {
		return d
	}
	return DefaultDeadline(k)
}

// CostlyLimit is the page size above which a list is a costly read; near_road_m, and an offset
// above CostlyOffset, make it one too.
const (
	CostlyLimit  = 1000
	CostlyOffset = 10000
)

// StatusClientClosedRequest (499, nginx's) is the status logged for a request whose client
// went away before the answer; the client never sees it.
const StatusClientClosedRequest = 499

// rateLimits are the per-process limiters of the anonymous public, and of failed
// authentications (failedAuth, auth.go).
type rateLimits struct {
	all, costly *httprate.RateLimiter
	failedAuth  *httprate.RateLimiter
	// failedAuthLimit is failedAuth's limit per minute.
	failedAuthLimit int
}

func newRateLimits(l Limits) rateLimits {
	var rl rateLimits
	if l.FailedAuthPerMinute == 0 {
		l.FailedAuthPerMinute = DefaultFailedAuthPerMinute
	}
	if l.FailedAuthPerMinute > 0 {
		rl.failedAuth = httprate.NewRateLimiter(l.FailedAuthPerMinute, time.Minute)
		rl.failedAuthLimit = l.FailedAuthPerMinute
	}
	if l.AnonymousPerMinute > 0 {
		rl.all = httprate.NewRateLimiter(l.AnonymousPerMinute, time.Minute)
	}
	if l.AnonymousCostlyPerMinute > 0 {
		rl.costly = httprate.NewRateLimiter(l.AnonymousCostlyPerMinute, time.Minute)
	}
	return rl
}

// clientAddrVia is the client's address, the key of every per-client limit (the public's rate
// limits, failed credentials, sign-in, enquiries): with header set (Deps.ClientIPHeader, serve
// --client-ip-header), the address a trusted reverse proxy put in it (the last entry of
// X-Forwarded-For, the one the proxy appended; or X-Real-IP) when the request carries it; else
// the address the connection comes from. Canonical (httprate.CanonicalizeIP: an IPv6 address
// stands for its /64). Without the header behind a proxy, every client would share the proxy's
// address, and so one limit.
func clientAddrVia(r *http.Request, header string) string {
	if header != "" {
		if v := r.Header.Values(header); len(v) > 0 {
			parts := strings.Split(v[len(v)-1], ",")
			if a := strings.TrimSpace(parts[len(parts)-1]); a != "" {
				return httprate.CanonicalizeIP(a)
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return httprate.CanonicalizeIP(host)
}

// clientAddr is the request's client address for the server's limits (clientAddrVia).
func (s *Server) clientAddr(r *http.Request) string {
	return clientAddrVia(r, s.deps.ClientIPHeader)
}

// kind tags a route with the kind of query it asks of the store (see above).
func (s *Server) kind(k inventory.QueryKind) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serveKind(w, r, next, k) })
	}
}

// listKind tags a list route: a costly read when its parameters make it one (near_road_m, q, sort=road, a
// limit above CostlyLimit, an offset above CostlyOffset), a read otherwise.
func (s *Server) listKind(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveKind(w, r, next, listQueryKind(r))
	})
}

func listQueryKind(r *http.Request) inventory.QueryKind {
	v := r.URL.Query()
	if v.Has("near_road_m") || v.Has("q") || v.Get("sort") == "road" {
		return inventory.KindCostly
	}
	if n, err := strconv.Atoi(v.Get("limit")); err == nil && n > CostlyLimit {
		return inventory.KindCostly
	}
	if n, err := strconv.Atoi(v.Get("offset")); err == nil && n > CostlyOffset {
		return inventory.KindCostly
	}
	if f := strings.ToUpper(v.Get("filter")); strings.Contains(f, "DWITHIN") {
		return inventory.KindCostly // an OGC filter measuring distances on the ellipsoid
	}
	return inventory.KindRead
}

func (s *Server) serveKind(w http.ResponseWriter, r *http.Request, next http.Handler, k inventory.QueryKind) {
	if k != inventory.KindHealth && inventory.ViewerFrom(r.Context()).Name == "" {
		lim := s.rates.all
		if k == inventory.KindCostly || k == inventory.KindReport {
			if s.rates.costly != nil {
				lim = s.rates.costly
			}
		}
		if lim != nil && lim.OnLimit(w, r, s.clientAddr(r)) {
			s.tooManyRequests(w, time.Minute, "", "this address has made too many requests of this kind; retry after the time in Retry-After, or sign in")
			return
		}
	}
	ctx, cancel := context.WithTimeout(inventory.WithQueryKind(r.Context(), k), s.deps.Limits.Deadline(k))
	defer cancel()
	next.ServeHTTP(w, r.WithContext(ctx))
}

// tooManyRequests is the one answer of every rate limit (the public's, failed credentials,
// enquiries): 429 with Retry-After (the limiter's, else window), counted in /metrics as
// rate-limited, and a problem saying why (naming field when one is to blame).
func (s *Server) tooManyRequests(w http.ResponseWriter, window time.Duration, field, detail string) {
	if w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", strconv.Itoa(int(window.Seconds())))
	}
	s.metrics.RateLimited()
	writeProblem(w, http.StatusTooManyRequests, "too many requests", detail, field, nil)
}

// clientGone reports whether the request's client went away, so that err is no failure of
// ours: it is logged at info level and the request's status is 499.
func clientGone(r *http.Request, err error) bool {
	return err != nil && errors.Is(r.Context().Err(), context.Canceled) && context.Cause(r.Context()) == context.Canceled
}

// writeClientGone records a request whose client went away.
func writeClientGone(w http.ResponseWriter, r *http.Request, err error) {
	slog.InfoContext(r.Context(), "client closed the request", "path", r.URL.Path, "status", StatusClientClosedRequest, "err", err)
	w.WriteHeader(StatusClientClosedRequest)
}
