package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/landinv/landinv/inventory"
)

// TokenAuthenticator returns a Server.Authenticate hook that reads
// "Authorization: Bearer TOKEN" and asks check who the token belongs to. A request without
// the header is the anonymous public; a malformed header or an unknown, revoked or expired
// token is refused with 401, never silently served as public. The problem says which of
// these (an expired token is told it expired) and nothing about whose token it was.
func TokenAuthenticator(check func(ctx context.Context, token string) (inventory.Viewer, error)) func(r *http.Request) (inventory.Viewer, error) {
	return func(r *http.Request) (inventory.Viewer, error) {
		h := r.Header.Get("Authorization")
		if h == "" {
			return inventory.Anonymous, nil
		}
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return inventory.Anonymous, inventory.Errorf(inventory.EUnauthorized, "Authorization", "must be \"Bearer TOKEN\"")
		}
		return check(r.Context(), strings.TrimSpace(token))
	}
}

// authenticate is the viewer middleware's one decision: who is asking, by Bearer token
// (Deps.Authenticate) or else by session cookie (Deps.Sessions), and whether a write that
// carries no Bearer token passes the CSRF rule (Sessions.checkWrite). It returns the request to
// serve (with the session in its context), or answers the problem itself and returns nil.
//
// A request with a Bearer token from an address whose credentials failed too often (Limits.
// FailedAuthPerMinute) is answered 429 before its token is looked up; each failed token
// counts against its address, and so does each session cookie that finds no session
// (loadSession).
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*http.Request, inventory.Viewer) {
	v := inventory.Anonymous
	if s.deps.Authenticate != nil {
		if r.Header.Get("Authorization") != "" && s.authFailedTooOften(w, r) {
			return nil, v
		}
		var err error
		if v, err = s.deps.Authenticate(r); err != nil {
			if inventory.ErrorKind(err) == inventory.EUnauthorized {
				s.countFailedAuth(w, r)
			}
			Problem(w, r, err)
			return nil, v
		}
	}
	if v.Name != "" || r.Header.Get("Authorization") != "" || s.deps.Sessions == nil {
		return r, v // credentials other than the cookie decide
	}
	r, v, err := s.loadSession(w, r)
	if err != nil {
		Problem(w, r, fmt.Errorf("session: %w", err))
		return nil, v
	}
	if unsafeMethod(r.Method) {
		if err := s.deps.Sessions.checkWrite(r); err != nil {
			Problem(w, r, err)
			return nil, v
		}
	}
	return r, v
}

// me answers GET /api/v1/me: who the credentials belong to, what they may do, and how they
// signed in ("session" or "token"). A session also gets its csrf_token, which the page sends
// as X-CSRF-Token with every write.
func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	v := inventory.ViewerFrom(r.Context())
	body := map[string]any{
		"name": v.Name, "role": v.Role, "signed_in": v.Name != "",
		"can_edit": v.CanEdit(), "sees_confidential": v.SeesConfidential(),
	}
	switch {
	case viaSession(r.Context()):
		body["via"] = "session"
		body["csrf_token"] = s.deps.Sessions.csrfToken(r.Context())
	case v.Name != "":
		body["via"] = "token"
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, body)
}

// signedIn is the middleware of every write route: the anonymous public gets 401 (with
// WWW-Authenticate) before the body is read. Whether the signed-in user may write is the
// store's rule (inventory.CanWrite, checked once at its entry: 403 for a viewer).
func signedIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := inventory.ViewerFrom(r.Context()); v.Name == "" && !v.CanEdit() {
			w.Header().Set("WWW-Authenticate", `Bearer realm="landinv"`) // or sign in at /signin
			Problem(w, r, inventory.CanWrite(v))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authFailedTooOften answers 429 with Retry-After, and reports true, when the request's address
// has used up its failed authentications (Limits.FailedAuthPerMinute); it counts nothing.
func (s *Server) authFailedTooOften(w http.ResponseWriter, r *http.Request) bool {
	if !s.failedAuthUsedUp(r) {
		return false
	}
	s.tooManyRequests(w, time.Minute, "Authorization", "this address has sent too many credentials that failed; retry after the time in Retry-After")
	return true
}

// failedAuthUsedUp reports whether the request's address has used up its failed
// authentications (Limits.FailedAuthPerMinute); it counts nothing.
func (s *Server) failedAuthUsedUp(r *http.Request) bool {
	lim := s.rates.failedAuth
	if lim == nil {
		return false
	}
	_, rate, err := lim.Status(s.clientAddr(r))
	return err == nil && math.Round(rate) >= float64(s.rates.failedAuthLimit)
}

// countFailedAuth counts one failed authentication against the request's address.
func (s *Server) countFailedAuth(w http.ResponseWriter, r *http.Request) {
	if s.rates.failedAuth != nil {
		s.rates.failedAuth.OnLimit(w, r, s.clientAddr(r))
	}
}

// loadSession reads the session cookie (Sessions.load) under the failed-authentication limit.
// A cookie that is not of the form this server issues (sessionToken) is not looked up; nor is
// any cookie from an address that has used up its failed authentications. A cookie that finds
// no live session — made up, or expired — counts as a failed authentication. In each case the
// request is served as the public and the cookie is cleared, so that a browser whose session
// ended stops sending it (a page's first requests count at most a handful of failures). A
// guessed cookie therefore costs a string check, or one lookup, per failure allowed.
func (s *Server) loadSession(w http.ResponseWriter, r *http.Request) (*http.Request, inventory.Viewer, error) {
	ss := s.deps.Sessions
	token, wellFormed := sessionToken(r)
	if token == "" {
		return ss.load(w, r, "")
	}
	if !wellFormed || s.failedAuthUsedUp(r) {
		if !wellFormed {
			s.countFailedAuth(w, r)
		}
		ss.writeCookie(w, r, "")
		return ss.load(w, r, "")
	}
	r, v, err := ss.load(w, r, token)
	if err == nil && !viaSession(r.Context()) {
		s.countFailedAuth(w, r)
		ss.writeCookie(w, r, "")
	}
	return r, v, err
}
