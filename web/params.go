package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
)

// Query parameters: the rules every route shares. Each route in routes.go is registered with
// the parameters it takes (s.params); one middleware then, for every request:
//
//   - refuses a parameter the route does not take (400, naming it: a typo such as min_area=50
//     is refused, never ignored);
//   - refuses a parameter given more than once (400, naming it): every parameter is singular,
//     lists are comma-separated within one value;
//   - refuses a value, or a path segment, holding a NUL or bytes that are not UTF-8 (400,
//     naming the parameter, or the path parameter such as code), before it reaches the store;
//   - accepts lang=zh|en on every route (answers carry both languages, so it changes nothing;
//     a client may pass the page's language along);
//   - resolves zone on the routes that take it (resolveZone): an unknown zone is a 404 naming
//     zone, on every such route (lists, single features, history, writes, imports, reports,
//     tiles, nearest road);
//   - on the read routes that take min_revision, puts the revision the read must reflect in
//     the request's context (inventory.WithMinRevision; readRevision in replica.go: the
//     parameter, a revision-bearing ETag in If-None-Match or If-Match, the editor's cookie),
//     before the zone is resolved.
//
// The page routes (/, /index.html, /reports) are the exception: their query string is the
// page's own state (language, tab, filters), read by the page's script, not by the server.

// commonParam is accepted by every route.
const commonParam = "lang"

// checkParams refuses a parameter of v that is not in known (nor commonParam), and any
// parameter given more than once; errors are EInvalid naming the parameter. Parameters are
// checked in name order, so the answer does not depend on map order. The refusal of an unknown
// parameter lists the known ones.
func checkParams(v url.Values, known []string) error {
	return checkParamsShowing(v, known, known, "")
}

// checkParamsShowing is checkParams whose refusal of an unknown parameter lists only shown and
// then says more: a route whose parameters include property names that some viewers may not see
// (the OGC items' property=value filters, confidential ones among them) lists its own
// parameters and points to the queryables, which are listed per viewer.
func checkParamsShowing(v url.Values, known, shown []string, more string) error {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		if name != commonParam && !slices.Contains(known, name) {
			if len(known) == 0 {
				return inventory.Errorf(inventory.EInvalid, name, "is not a parameter here; this path takes none")
			}
			return inventory.Errorf(inventory.EInvalid, name, "is not a parameter here; known: %s%s", strings.Join(shown, ", "), more)
		}
		if n := len(v[name]); n != 1 {
			return inventory.Errorf(inventory.EInvalid, name, "is given %d times; give it once", n)
		}
		if err := inventory.CheckText(name, v[name][0]); err != nil {
			return err
		}
	}
	if l, ok := v[commonParam]; ok && l[0] != "zh" && l[0] != "en" {
		return inventory.Errorf(inventory.EInvalid, commonParam, "must be zh or en")
	}
	return nil
}

type zoneKey struct{}

// params returns the middleware of a route that takes the query parameters known (see the
// rules above). When known holds "zone", the resolved zone's code is put in the request's
// context (zoneOf).
func (s *Server) params(known ...string) func(http.Handler) http.Handler {
	return s.paramsResolving(true, known...)
}

// paramsResolving is params; with resolve false, zone=CODE is checked for form only and handed
// on as named ("" for the default zone) for the route's own statement to resolve
// (featureParams).
func (s *Server) paramsResolving(resolve bool, known ...string) func(http.Handler) http.Handler {
	return s.paramsChecking(resolve, known, known, "")
}

// paramsChecking is paramsResolving whose refusal of an unknown parameter lists shown and says
// more (checkParamsShowing).
func (s *Server) paramsChecking(resolve bool, known, shown []string, more string) func(http.Handler) http.Handler {
	known, shown = slices.Sorted(slices.Values(known)), slices.Sorted(slices.Values(shown))
	takesZone := slices.Contains(known, "zone")
	takesMinRev := slices.Contains(known, MinRevisionParam)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := checkPath(r); err != nil {
				Problem(w, r, err)
				return
			}
			v := r.URL.Query()
			if err := checkParamsShowing(v, known, shown, more); err != nil {
				Problem(w, r, err)
				return
			}
			if takesMinRev {
				rev, err := readRevision(r, true)
				if err != nil {
					Problem(w, r, err)
					return
				}
				if rev > 0 {
					r = r.WithContext(inventory.WithMinRevision(r.Context(), rev))
				}
			}
			if takesZone && !resolve {
				zone, err := zoneParam(v)
				if err != nil {
					Problem(w, r, err)
					return
				}
				r = r.WithContext(context.WithValue(r.Context(), zoneKey{}, zone))
			} else if takesZone {
				ctx, zone, err := s.resolveZone(r.Context(), v)
				if err != nil {
					Problem(w, r, err)
					return
				}
				r = r.WithContext(context.WithValue(ctx, zoneKey{}, zone))
			}
			next.ServeHTTP(w, r)
		})
	}
}

// checkPath refuses a path holding a NUL or bytes that are not UTF-8 (as %00 or %FF), naming
// the route's path parameter that holds it (code, layer, ...), else "path".
func checkPath(r *http.Request) error {
	if rc := chi.RouteContext(r.Context()); rc != nil {
		for i, k := range rc.URLParams.Keys {
			if i < len(rc.URLParams.Values) {
				name := k
				if name == "*" {
					name = "path"
				}
				if err := inventory.CheckText(name, rc.URLParams.Values[i]); err != nil {
					return err
				}
			}
		}
	}
	return inventory.CheckText("path", r.URL.Path)
}

// pageState marks a page route: its query string is the page's state, read by the page's
// script; the server takes no parameter from it and refuses none.
func pageState(next http.Handler) http.Handler { return next }

// zoneOf returns the zone s.params resolved for the request.
func zoneOf(r *http.Request) string {
	z, _ := r.Context().Value(zoneKey{}).(string)
	return z
}

// zoneParam reads zone=CODE: empty when absent; a malformed or empty code is EInvalid.
func zoneParam(v url.Values) (string, error) {
	raw, ok := v["zone"]
	if !ok {
		return "", nil
	}
	z := strings.TrimSpace(raw[0])
	if z == "" {
		return "", inventory.Errorf(inventory.EInvalid, "zone", "is empty; leave it out for the default zone")
	}
	if !inventory.ValidCode(z) {
		return "", inventory.Errorf(inventory.EInvalid, "zone", "is not a zone code")
	}
	return z, nil
}

// resolveZone is the one place a request's zone is decided: zone=CODE when such a zone
// exists (400 when malformed, 404 naming zone when there is none), else the default zone. It
// returns ctx with the revision the zone was resolved at (zoneAt, requestRevision).
func (s *Server) resolveZone(ctx context.Context, v url.Values) (context.Context, string, error) {
	z, err := zoneParam(v)
	if err != nil {
		return ctx, "", err
	}
	return s.zoneAt(ctx, z)
}

// ChinaTime is the time zone a date in as_of is read in: China Standard Time (UTC+8, no
// daylight saving), the time the zones work in.
var ChinaTime = inventory.ChinaTime

// ParseAsOf reads as_of, the one grammar of every route that takes it (lists, single features,
// reports, and the CLI's --as-of):
//
//   - an RFC 3339 time, e.g. 2026-01-31T12:00:00+08:00, is that instant;
//   - a date YYYY-MM-DD means the end of that day in China Standard Time (ChinaTime, UTC+8):
//     2026-01-31 is 2026-01-31T23:59:59.999999+08:00, so the inventory as it stood when the
//     day's work was done, that day's changes included.
//
// Anything else is EInvalid naming as_of.
func ParseAsOf(raw string) (time.Time, error) {
	raw = strings.TrimSpace(raw)
	if t, err := time.Parse(time.RFC3339Nano, raw); err == nil {
		return t, nil
	}
	if d, err := time.ParseInLocation("2006-01-02", raw, ChinaTime); err == nil {
		// The store keeps microseconds: the last one of the day.
		return d.AddDate(0, 0, 1).Add(-time.Microsecond), nil
	}
	return time.Time{}, inventory.Errorf(inventory.EInvalid, "as_of",
		"must be an RFC 3339 time or a date (the end of that day, China time), e.g. 2026-01-31T12:00:00+08:00 or 2026-01-31")
}

// asOfParam reads an optional as_of: nil when absent.
func asOfParam(v url.Values) (*time.Time, error) {
	raw, ok := v["as_of"]
	if !ok {
		return nil, nil
	}
	if len(raw) != 1 {
		return nil, inventory.Errorf(inventory.EInvalid, "as_of", "is given %d times; give it once", len(raw))
	}
	t, err := ParseAsOf(raw[0])
	if err != nil {
		return nil, err
	}
	return &t, nil
}
