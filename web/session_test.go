package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/web"
)

// sessionEnv is the edit environment (a hand-made zone, P1 with confidential figures) with
// passwords: lead is a leader, alice a planner (who also has a token), bob a viewer.
func sessionEnv(t *testing.T, cfg func(*web.SessionConfig)) *editEnv {
	t.Helper()
	e := newEditEnv(t)
	ctx := context.Background()
	if _, err := e.db.AddUser(ctx, "lead", inventory.RoleLeader); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"lead", "alice", "bob"} {
		if err := e.db.SetPassword(ctx, n, n+" password"); err != nil {
			t.Fatal(err)
		}
	}
	if cfg != nil {
		c := web.SessionConfig{Accounts: e.db, Store: e.db.Sessions()}
		cfg(&c)
		ss, err := web.NewSessions(c)
		if err != nil {
			t.Fatal(err)
		}
		d := storeDeps(e.db)
		d.Sessions = ss
		e.srv.Close()
		e.server = newServer(t, d)
		e.srv = httptest.NewServer(e.server)
		t.Cleanup(e.srv.Close)
	}
	return e
}

// send sends a request with the given headers (a cookie among them) and returns the reply.
func (e *editEnv) send(t *testing.T, method, path, body string, headers map[string]string) reply {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return roundTrip(t, req)
}

// signIn signs name in with password and returns the reply and the session cookie.
func (e *editEnv) signIn(t *testing.T, name, password string, headers map[string]string) (reply, *http.Cookie) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"name": name, "password": password})
	h := map[string]string{"Content-Type": "application/json"}
	for k, v := range headers {
		h[k] = v
	}
	r := e.send(t, "POST", "/api/v1/session", string(b), h)
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == web.SessionCookie {
			return r, c
		}
	}
	return r, nil
}

// me returns GET /api/v1/me with the cookie.
func (e *editEnv) me(t *testing.T, c *http.Cookie) map[string]any {
	t.Helper()
	r := e.send(t, "GET", "/api/v1/me", "", map[string]string{"Cookie": c.Name + "=" + c.Value})
	if r.status != 200 {
		t.Fatalf("GET /api/v1/me = %d %s", r.status, r.body)
	}
	return r.json(t)
}

func TestSessionSignInAndOut(t *testing.T) {
	e := sessionEnv(t, nil)
	ctx := context.Background()

	r, c := e.signIn(t, "lead", "wrong password", nil)
	if r.status != 401 || r.header.Get("Content-Type") != "application/problem+json" || c != nil {
		t.Fatalf("wrong password: %d %s (cookie %v)", r.status, r.body, c)
	}
	for _, bad := range []string{`{"name":"lead"}`, `{"password":"x"}`, `not json`} {
		if r := e.send(t, "POST", "/api/v1/session", bad, nil); r.status != 422 {
			t.Errorf("POST /api/v1/session %s = %d %s, want 422", bad, r.status, r.body)
		}
	}
	r, c = e.signIn(t, "lead", "lead password", nil)
	if r.status != 204 || c == nil {
		t.Fatalf("sign in: %d %s", r.status, r.body)
	}
	// The cookie: HttpOnly, SameSite=Lax, the whole site, not Secure over plain http without
	// the flag; no lifetime of its own (the server ends the session).
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure || c.MaxAge != 0 || !c.Expires.IsZero() {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure on http, a browser-session cookie", c)
	}
	// The store keeps a hash of the cookie's value, never the value.
	var plain, all int
	if err := e.db.Pool.QueryRow(ctx, "select count(*) filter (where token = $1), count(*) from sessions", c.Value).Scan(&plain, &all); err != nil {
		t.Fatal(err)
	}
	if plain != 0 || all != 1 {
		t.Errorf("sessions: %d rows hold the cookie's value, %d rows in all; want 0 and 1", plain, all)
	}
	me := e.me(t, c)
	if me["name"] != "lead" || me["role"] != "leader" || me["via"] != "session" || me["can_edit"] != false || me["sees_confidential"] != true {
		t.Errorf("GET /api/v1/me with the cookie: %v", me)
	}
	csrf, _ := me["csrf_token"].(string)
	if len(csrf) < 32 {
		t.Errorf("csrf_token %q", csrf)
	}
	cookie := map[string]string{"Cookie": c.Name + "=" + c.Value}

	// The leader reads the confidential figures and the score ...
	p1 := e.send(t, "GET", "/api/v1/plots/P1", "", cookie)
	if p1.status != 200 || !strings.Contains(string(p1.body), "机密企业XYZ") || !strings.Contains(string(p1.body), "98765.4321") {
		t.Errorf("leader reads P1: %d %s", p1.status, p1.body)
	}
	anon := e.send(t, "GET", "/api/v1/plots/P1", "", nil)
	if strings.Contains(string(anon.body), "机密企业XYZ") {
		t.Fatal("the public sees the confidential figures")
	}
	rep := e.send(t, "GET", "/api/v1/reports/intensity", "", cookie).json(t)
	pub := e.send(t, "GET", "/api/v1/reports/intensity", "", nil).json(t)
	if rep["confidential"] != true || pub["confidential"] == true {
		t.Errorf("intensity report: confidential %v for the leader, %v for the public", rep["confidential"], pub["confidential"])
	}
	// ... and writes nothing: 403, with the CSRF token as the page sends it.
	before := e.snapshot(t)
	w := e.send(t, "PATCH", "/api/v1/plots/P1", feat(box(111.51, 36.01, 111.52, 36.02), `{"status":"supplied"}`),
		map[string]string{"Cookie": cookie["Cookie"], "X-CSRF-Token": csrf, "If-Match": p1.header.Get("ETag"), "Content-Type": "application/geo+json"})
	if w.status != 403 || w.json(t)["detail"] == nil {
		t.Errorf("leader PATCH: %d %s, want 403", w.status, w.body)
	}
	if imp := e.send(t, "POST", "/api/v1/import?layer=plots&dry_run=true", `{"type":"FeatureCollection","features":[]}`, map[string]string{"Cookie": cookie["Cookie"], "X-CSRF-Token": csrf}); imp.status != 403 {
		t.Errorf("leader import: %d %s, want 403", imp.status, imp.body)
	}
	if e.snapshot(t) != before {
		t.Error("a leader's write changed the inventory")
	}

	// Sign out: the cookie is cleared and the session is gone for every process.
	out := e.send(t, "DELETE", "/api/v1/session", "", map[string]string{"Cookie": cookie["Cookie"], "X-CSRF-Token": csrf})
	if out.status != 204 {
		t.Fatalf("sign out: %d %s", out.status, out.body)
	}
	cleared := (&http.Response{Header: out.header}).Cookies()
	if len(cleared) != 1 || cleared[0].Name != web.SessionCookie || cleared[0].Value != "" || cleared[0].MaxAge >= 0 {
		t.Errorf("sign out cookies: %+v", cleared)
	}
	if me := e.me(t, c); me["signed_in"] != false {
		t.Errorf("after sign out the old cookie is %v", me)
	}
	if n := count(t, e, "select count(*) from sessions"); n != 0 {
		t.Errorf("%d sessions left after sign out", n)
	}
}

func count(t *testing.T, e *editEnv, sql string) int {
	t.Helper()
	var n int
	if err := e.db.Pool.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSessionFixation: signing in never keeps the token the browser came with.
func TestSessionFixation(t *testing.T) {
	e := sessionEnv(t, nil)
	_, planted := e.signIn(t, "bob", "bob password", nil) // the attacker's own session
	r, c := e.signIn(t, "alice", "alice password", map[string]string{"Cookie": planted.Name + "=" + planted.Value, "X-CSRF-Token": e.me(t, planted)["csrf_token"].(string)})
	if r.status != 204 || c == nil || c.Value == planted.Value {
		t.Fatalf("sign in over a planted cookie: %d, new cookie %v", r.status, c)
	}
	if me := e.me(t, planted); me["signed_in"] != false {
		t.Errorf("the planted token still works: %v", me)
	}
	if me := e.me(t, c); me["name"] != "alice" {
		t.Errorf("the new token: %v", me)
	}
}

func TestSecureCookie(t *testing.T) {
	e := sessionEnv(t, func(c *web.SessionConfig) { c.SecureCookie = true })
	if _, c := e.signIn(t, "alice", "alice password", nil); c == nil || !c.Secure || !c.HttpOnly {
		t.Errorf("with SecureCookie: %+v", c)
	}
}

// TestCSRF: a write signed in by the cookie needs the session's X-CSRF-Token and this origin;
// a write by Bearer token needs neither.
func TestCSRF(t *testing.T) {
	e := sessionEnv(t, nil)
	_, c := e.signIn(t, "alice", "alice password", nil)
	csrf := e.me(t, c)["csrf_token"].(string)
	etag := e.send(t, "GET", "/api/v1/plots/P1", "", map[string]string{"Cookie": c.Name + "=" + c.Value}).header.Get("ETag")
	body := `{"type":"Feature","properties":{"name":"改名"}}`
	patch := func(extra map[string]string) reply {
		h := map[string]string{"Cookie": c.Name + "=" + c.Value, "If-Match": etag, "Content-Type": "application/geo+json"}
		for k, v := range extra {
			h[k] = v
		}
		return e.send(t, "PATCH", "/api/v1/plots/P1", body, h)
	}
	before := e.snapshot(t)
	host := strings.TrimPrefix(e.srv.URL, "http://")
	for _, tt := range []struct {
		name    string
		headers map[string]string
		field   string
	}{
		{"no header", nil, "X-CSRF-Token"},
		{"wrong token", map[string]string{"X-CSRF-Token": csrf[:len(csrf)-1] + "x"}, "X-CSRF-Token"},
		{"another origin", map[string]string{"X-CSRF-Token": csrf, "Origin": "http://evil.example"}, "Origin"},
		{"same host, other port", map[string]string{"X-CSRF-Token": csrf, "Origin": "http://127.0.0.1:1"}, "Origin"},
		{"null origin", map[string]string{"X-CSRF-Token": csrf, "Origin": "null"}, "Origin"},
		{"cross-site fetch", map[string]string{"X-CSRF-Token": csrf, "Sec-Fetch-Site": "cross-site"}, "Origin"},
		{"same-site fetch", map[string]string{"X-CSRF-Token": csrf, "Sec-Fetch-Site": "same-site"}, "Origin"},
	} {
		r := patch(tt.headers)
		if r.status != 403 || r.header.Get("Content-Type") != "application/problem+json" || r.json(t)["field"] != tt.field {
			t.Errorf("%s: %d %s, want 403 naming %s", tt.name, r.status, r.body, tt.field)
		}
	}
	// Signing out across sites is refused too.
	if r := e.send(t, "DELETE", "/api/v1/session", "", map[string]string{"Cookie": c.Name + "=" + c.Value, "Origin": "http://evil.example"}); r.status != 403 {
		t.Errorf("cross-origin sign out: %d", r.status)
	}
	if e.snapshot(t) != before {
		t.Fatal("a refused write changed the inventory")
	}
	// The right token from this origin is accepted.
	r := patch(map[string]string{"X-CSRF-Token": csrf, "Origin": "http://" + host, "Sec-Fetch-Site": "same-origin"})
	if r.status != 200 {
		t.Fatalf("with the token: %d %s", r.status, r.body)
	}
	// A Bearer write needs no CSRF token (and is not a browser's to forge).
	etag = r.header.Get("ETag")
	b := e.send(t, "PATCH", "/api/v1/plots/P1", `{"type":"Feature","properties":{"name":"再改名"}}`,
		map[string]string{"Authorization": "Bearer " + e.tokens["alice"], "If-Match": etag, "Content-Type": "application/geo+json"})
	if b.status != 200 {
		t.Errorf("Bearer write without CSRF: %d %s", b.status, b.body)
	}
	// Sign-in from another site is refused (login CSRF); a script without Origin signs in.
	if r, _ := e.signIn(t, "alice", "alice password", map[string]string{"Origin": "http://evil.example"}); r.status != 403 {
		t.Errorf("cross-origin sign in: %d %s", r.status, r.body)
	}
}

// TestSignInRateLimit: after inventory.SignInFailuresPerUser failures for a name, 429 with
// Retry-After, even with the right password.
func TestSignInRateLimit(t *testing.T) {
	e := sessionEnv(t, nil)
	for i := range inventory.SignInFailuresPerUser {
		if r, _ := e.signIn(t, "alice", "wrong password", nil); r.status != 401 {
			t.Fatalf("failure %d: %d %s", i+1, r.status, r.body)
		}
	}
	r, c := e.signIn(t, "alice", "alice password", nil)
	secs, err := strconv.Atoi(r.header.Get("Retry-After"))
	if r.status != 429 || c != nil || err != nil || secs < 1 || secs > int(inventory.SignInWindow.Seconds()) ||
		r.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("after %d failures: %d Retry-After %q %s", inventory.SignInFailuresPerUser, r.status, r.header.Get("Retry-After"), r.body)
	}
	// Another user from the same client is not held up (the client's limit is higher).
	if r, _ := e.signIn(t, "bob", "bob password", nil); r.status != 204 {
		t.Errorf("bob: %d %s", r.status, r.body)
	}
}

// TestSessionTimeouts: a session ends after the idle timeout (each request moves it on) and
// after its lifetime whatever happens; a disabled user's session ends at once.
func TestSessionTimeouts(t *testing.T) {
	e := sessionEnv(t, func(c *web.SessionConfig) { c.IdleTimeout = 30 * time.Minute; c.Lifetime = 3 * time.Second })
	ctx := context.Background()
	_, c := e.signIn(t, "alice", "alice password", nil)
	// Idle: the stored expiry nearly reached, a request moves it a full idle timeout on ...
	if _, err := e.db.Pool.Exec(ctx, "update sessions set expiry = now() + interval '5 minutes'"); err != nil {
		t.Fatal(err)
	}
	if me := e.me(t, c); me["name"] != "alice" {
		t.Fatalf("me: %v", me)
	}
	var left float64
	if err := e.db.Pool.QueryRow(ctx, "select extract(epoch from expiry - now()) from sessions").Scan(&left); err != nil {
		t.Fatal(err)
	}
	// (capped by the 3 s lifetime here)
	if left < 1 || left > 3.5 {
		t.Errorf("after a request the session ends in %.0f s, want the lifetime's cap (3 s)", left)
	}
	// ... and once expired the session is gone.
	if _, err := e.db.Pool.Exec(ctx, "update sessions set expiry = now() - interval '1 second'"); err != nil {
		t.Fatal(err)
	}
	if me := e.me(t, c); me["signed_in"] != false {
		t.Errorf("after the idle timeout: %v", me)
	}
	// Lifetime: 3 s after sign-in, even with requests in between.
	_, c = e.signIn(t, "alice", "alice password", nil)
	for range 3 {
		if me := e.me(t, c); me["name"] != "alice" {
			t.Fatalf("within the lifetime: %v", me)
		}
		time.Sleep(time.Second)
	}
	time.Sleep(300 * time.Millisecond)
	if me := e.me(t, c); me["signed_in"] != false {
		t.Errorf("after the lifetime: %v", me)
	}
	// Disabled: at once.
	_, c = e.signIn(t, "bob", "bob password", nil)
	if err := e.db.DisableUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	if me := e.me(t, c); me["signed_in"] != false {
		t.Errorf("a disabled user's session: %v", me)
	}
}
