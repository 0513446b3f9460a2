package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/landinv/landinv/inventory"
)

// Sessions signs people in with a password and keeps them signed in by a cookie (会话).
// Programs (QGIS, scripts) keep using API tokens (TokenAuthenticator); a request that sends
// "Authorization" is never read as a session.
//
// The session lives in the database (SessionConfig.Store, postgis.SessionStore) through
// github.com/alexedwards/scs, so that every process behind a load balancer shares it. The
// cookie landinv_session is HttpOnly, SameSite=Lax, Path=/, without Max-Age (it ends with the
// browser), and Secure when the request came over TLS or SessionConfig.SecureCookie says so
// (behind a proxy that ends TLS). A session ends after IdleTimeout without a request, or
// Lifetime after sign-in, whichever comes first; signing in always issues a new token
// (against session fixation).
//
// Every write (POST, PUT, PATCH, DELETE) authenticated by the cookie must carry the session's
// CSRF token in the X-CSRF-Token header (GET /api/v1/me gives it to the page); and every write
// not authenticated by a Bearer token must come from this origin: a Sec-Fetch-Site other than
// same-origin, or an Origin whose host is not the request's, is refused with 403. Writes by
// Bearer token need neither: a browser never adds that header by itself.
type Sessions struct {
	cfg SessionConfig
	sm  *scs.SessionManager
}

// SessionConfig configures Sessions.
type SessionConfig struct {
	// Accounts checks passwords and says who a session belongs to.
	Accounts inventory.Accounts
	// Store keeps the sessions (postgis.SessionStore).
	Store scs.Store
	// SecureCookie marks the cookie Secure on every request, not only on TLS ones: set it when
	// a proxy in front ends TLS (the browser sees https, this server plain http).
	SecureCookie bool
	// ClientIPHeader, when set, names the header a trusted proxy puts the client's address in
	// (X-Forwarded-For: its last entry; X-Real-IP), for the per-client sign-in limit (the
	// server's other limits take Deps.ClientIPHeader; serve sets both). Unset, the client is
	// the connection's remote address.
	ClientIPHeader string
	// IdleTimeout ends a session after so long without a request (default 30 min); Lifetime
	// ends it so long after sign-in whatever happens (default 12 h).
	IdleTimeout, Lifetime time.Duration
}

// SessionCookie is the name of the session cookie.
const SessionCookie = "landinv_session"

// Session keys.
const (
	keyUser  = "user"   // the user's name
	keySetAt = "pw_set" // the password's set time, Unix microseconds, as text
	keyCSRF  = "csrf"   // the CSRF token
)

// NewSessions checks cfg and returns Sessions.
func NewSessions(cfg SessionConfig) (*Sessions, error) {
	if cfg.Accounts == nil || cfg.Store == nil {
		return nil, errors.New("web: NewSessions: Accounts and Store must be set")
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.Lifetime <= 0 {
		cfg.Lifetime = 12 * time.Hour
	}
	sm := scs.New()
	sm.Store = cfg.Store
	sm.IdleTimeout = cfg.IdleTimeout
	sm.Lifetime = cfg.Lifetime
	sm.HashTokenInStore = true
	sm.Codec = jsonCodec{}
	sm.Cookie.Name = SessionCookie
	return &Sessions{cfg: cfg, sm: sm}, nil
}

// jsonCodec encodes a session as JSON: its keys sorted, so that an unchanged session encodes
// to the same bytes and the store need not write it again (gob's map order varies). Every
// value is a string.
type jsonCodec struct{}

type sessionJSON struct {
	Deadline time.Time         `json:"deadline"`
	Values   map[string]string `json:"values"`
}

func (jsonCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	s := sessionJSON{Deadline: deadline.UTC(), Values: make(map[string]string, len(values))}
	for k, v := range values {
		str, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("session value %s is a %T, not a string", k, v)
		}
		s.Values[k] = str
	}
	return json.Marshal(s)
}

func (jsonCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	var s sessionJSON
	if err := json.Unmarshal(b, &s); err != nil {
		return time.Time{}, nil, fmt.Errorf("decode session: %w", err)
	}
	values := make(map[string]any, len(s.Values))
	for k, v := range s.Values {
		values[k] = v
	}
	return s.Deadline, values, nil
}

type viaSessionKey struct{}

// viaSession reports whether the request's viewer came from the session cookie.
func viaSession(ctx context.Context) bool { b, _ := ctx.Value(viaSessionKey{}).(bool); return b }

// sessionToken returns the session cookie's value ("" without one) and whether it has the
// form of a token this server issues: 32 random bytes in unpadded base64url (scs), 43
// characters. A cookie of any other form was made up (or mangled): it is not looked up.
func sessionToken(r *http.Request) (token string, wellFormed bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return "", false
	}
	if len(c.Value) != 43 {
		return c.Value, false
	}
	for i := 0; i < len(c.Value); i++ {
		switch b := c.Value[i]; {
		case b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z', b >= '0' && b <= '9', b == '-', b == '_':
		default:
			return c.Value, false
		}
	}
	return c.Value, true
}

// load reads the session of token (the cookie's value; "" for none, which is not looked up):
// the request (with the session in its context) and its viewer, the public when there is no
// live session. A session whose user was disabled or changed password is ended here. The idle
// deadline moves forward (the store writes it at most once per postgis.SessionWriteSlack).
func (ss *Sessions) load(w http.ResponseWriter, r *http.Request, token string) (*http.Request, inventory.Viewer, error) {
	ctx, err := ss.sm.Load(r.Context(), token)
	if err != nil {
		return r, inventory.Anonymous, err
	}
	r = r.WithContext(ctx)
	name := ss.sm.GetString(ctx, keyUser)
	if name == "" {
		return r, inventory.Anonymous, nil
	}
	micros, _ := strconv.ParseInt(ss.sm.GetString(ctx, keySetAt), 10, 64)
	v, err := ss.cfg.Accounts.SessionViewer(ctx, name, time.UnixMicro(micros))
	if inventory.ErrorKind(err) == inventory.EUnauthorized {
		if err := ss.sm.Destroy(ctx); err != nil {
			return r, inventory.Anonymous, err
		}
		return r, inventory.Anonymous, nil // the caller clears the cookie (Server.loadSession)
	}
	if err != nil {
		return r, inventory.Anonymous, err
	}
	if ss.sm.Status(ctx) == scs.Modified { // the idle deadline moved
		if _, _, err := ss.sm.Commit(ctx); err != nil {
			return r, inventory.Anonymous, err
		}
	}
	return r.WithContext(context.WithValue(ctx, viaSessionKey{}, true)), v, nil
}

// writeCookie sets the session cookie (clears it when token is empty).
func (ss *Sessions) writeCookie(w http.ResponseWriter, r *http.Request, token string) {
	c := &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || ss.cfg.SecureCookie}
	if token == "" {
		c.Expires, c.MaxAge = time.Unix(1, 0), -1
	}
	http.SetCookie(w, c)
	w.Header().Add("Cache-Control", `no-store`)
}

// csrfToken returns the session's CSRF token ("" without a session).
func (ss *Sessions) csrfToken(ctx context.Context) string {
	if !viaSession(ctx) {
		return ""
	}
	return ss.sm.GetString(ctx, keyCSRF)
}

// unsafeMethod reports whether a method writes.
func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions && m != http.MethodTrace
}

// checkWrite is the CSRF rule for a write that carries no Bearer token: it must come from
// this origin, and, when signed in by the cookie, carry the session's token in X-CSRF-Token.
func (ss *Sessions) checkWrite(r *http.Request) error {
	if err := sameOrigin(r); err != nil {
		return err
	}
	if !viaSession(r.Context()) {
		return nil
	}
	want := ss.sm.GetString(r.Context(), keyCSRF)
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		return inventory.Errorf(inventory.EForbidden, "X-CSRF-Token", "a write signed in by the session cookie needs the X-CSRF-Token header (csrf_token of GET /api/v1/me)")
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return inventory.Errorf(inventory.EForbidden, "X-CSRF-Token", "does not match the session's token (csrf_token of GET /api/v1/me)")
	}
	return nil
}

// sameOrigin refuses a request a browser sent from another origin: Sec-Fetch-Site other than
// same-origin, or an Origin whose host is not the request's Host. A request without either
// header (curl, scripts) passes: it cannot carry a browser's cookie by accident.
func sameOrigin(r *http.Request) error {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return inventory.Errorf(inventory.EForbidden, "Origin", "a write from another site (Sec-Fetch-Site: %s) is refused", site)
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || o == "null" || !strings.EqualFold(u.Host, r.Host) {
			return inventory.Errorf(inventory.EForbidden, "Origin", "a write from another origin (%s) is refused", o)
		}
	}
	return nil
}

// clientOf returns the client's address, for the per-client sign-in limit: the same key the
// rate limits use (clientAddrVia).
func (ss *Sessions) clientOf(r *http.Request) string {
	return clientAddrVia(r, ss.cfg.ClientIPHeader)
}

// signIn answers POST /api/v1/session: {name, password} → 204 with a new session cookie; 401
// when the name or password is wrong; 429 with Retry-After while sign-in is held up.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	ss := s.deps.Sessions
	if ss == nil {
		Problem(w, r, inventory.Errorf(inventory.ENotFound, "", "signing in with a password is not enabled on this server; use an API token"))
		return
	}
	var body struct {
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	if err := readJSONBody(w, r, 8<<10, &body); err != nil { // {"name": …, "password": …}
		ProblemBody(w, r, err)
		return
	}
	for _, f := range []struct{ name, v string }{{"name", body.Name}, {"password", body.Password}} {
		if strings.TrimSpace(f.v) == "" {
			ProblemBody(w, r, inventory.Errorf(inventory.EInvalid, f.name, "is required"))
			return
		}
	}
	signed, err := ss.cfg.Accounts.SignIn(r.Context(), strings.TrimSpace(body.Name), body.Password, ss.clientOf(r))
	if err != nil {
		var e *inventory.Error
		if errors.As(err, &e) && e.Kind == inventory.ETooManyRequests {
			if secs, ok := e.Detail["retry_after_seconds"].(int); ok {
				w.Header().Set("Retry-After", strconv.Itoa(secs))
			}
		}
		Problem(w, r, err)
		return
	}
	ctx, err := ss.sm.Load(r.Context(), "")
	if err == nil {
		err = ss.sm.RenewToken(ctx) // a new token: a planted one never becomes signed in
	}
	if err != nil {
		Problem(w, r, fmt.Errorf("sign in: %w", err))
		return
	}
	var csrf [32]byte
	if _, err := rand.Read(csrf[:]); err != nil {
		Problem(w, r, fmt.Errorf("sign in: %w", err))
		return
	}
	if err := ss.sm.Clear(ctx); err != nil {
		Problem(w, r, fmt.Errorf("sign in: %w", err))
		return
	}
	ss.sm.Put(ctx, keyUser, signed.Viewer.Name)
	ss.sm.Put(ctx, keySetAt, strconv.FormatInt(signed.PasswordSetAt.UnixMicro(), 10))
	ss.sm.Put(ctx, keyCSRF, base64.RawURLEncoding.EncodeToString(csrf[:]))
	token, _, err := ss.sm.Commit(ctx) // the cookie ends with the browser; the store ends the session
	if err != nil {
		Problem(w, r, fmt.Errorf("sign in: %w", err))
		return
	}
	ss.writeCookie(w, r, token)
	w.WriteHeader(http.StatusNoContent)
}

// signOut answers DELETE /api/v1/session: the session ends (in the store, for every process)
// and the cookie is cleared. 204 also when there was no session.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	ss := s.deps.Sessions
	if ss == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if viaSession(r.Context()) {
		if err := ss.sm.Destroy(r.Context()); err != nil {
			Problem(w, r, fmt.Errorf("sign out: %w", err))
			return
		}
	}
	ss.writeCookie(w, r, "")
	w.WriteHeader(http.StatusNoContent)
}

// signInPage serves GET /signin, the sign-in page (web/ui/src/signin.*): name and password,
// Chinese or English (lang=en), back to next (a path on this site) afterwards.
func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	b, err := ui.ReadFile("ui/dist/signin.html")
	if err != nil {
		writeProblem(w, http.StatusServiceUnavailable, "page not built", "the sign-in page is not built into this binary; run `make build`", "", nil)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Security-Policy", pageCSP+"; frame-ancestors 'none'")
	w.Header().Set("X-Frame-Options", "DENY")
	_, _ = bytes.NewReader(b).WriteTo(w)
}
