package web_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/alexedwards/scs/v2"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
	"github.com/landinv/landinv/web"
)

// TestFailedAuthIsRateLimited: random Bearer tokens from one address each cost a lookup and a
// 401 until the address has failed Limits.FailedAuthPerMinute times; the next is 429 with
// Retry-After and no lookup. A valid token from another address still works, and the limited
// address may still be the public (no token).
func TestFailedAuthIsRateLimited(t *testing.T) {
	db := postgistest.New(t)
	ctx := context.Background()
	if _, err := db.AddUser(ctx, "wang", inventory.RolePlanner); err != nil {
		t.Fatal(err)
	}
	good, err := db.CreateToken(ctx, "wang")
	if err != nil {
		t.Fatal(err)
	}
	const n = 5
	var lookups atomic.Int64
	d := storeDeps(db)
	d.Limits.FailedAuthPerMinute = n
	d.Authenticate = web.TokenAuthenticator(func(ctx context.Context, token string) (inventory.Viewer, error) {
		lookups.Add(1)
		return db.Authenticate(ctx, token)
	})
	srv := newServer(t, d)
	get := func(addr, token string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/api/v1/me", nil)
		r.RemoteAddr = addr + ":40000"
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w
	}
	random := func() string {
		b := make([]byte, 16)
		rand.Read(b)
		return hex.EncodeToString(b)
	}

	for i := 1; i <= n; i++ {
		if w := get("198.51.100.7", random()); w.Code != http.StatusUnauthorized {
			t.Fatalf("random token %d: %d %s, want 401", i, w.Code, w.Body)
		}
	}
	if got := lookups.Load(); got != n {
		t.Fatalf("%d lookups for %d tokens", got, n)
	}
	w := get("198.51.100.7", random())
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("token %d: %d (Retry-After %q) %s, want 429 with Retry-After", n+1, w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	if got := lookups.Load(); got != n {
		t.Errorf("the token over the limit was looked up (%d lookups)", got)
	}
	// Even the valid token waits at the limited address: it is not looked up either.
	if w := get("198.51.100.7", good); w.Code != http.StatusTooManyRequests {
		t.Errorf("valid token from the limited address: %d, want 429", w.Code)
	}
	// The limited address may still read as the public.
	if w := get("198.51.100.7", ""); w.Code != http.StatusOK {
		t.Errorf("no token from the limited address: %d %s, want 200", w.Code, w.Body)
	}
	// Another address: the valid token works, and its own failures count from zero.
	if w := get("203.0.113.9", good); w.Code != http.StatusOK {
		t.Errorf("valid token from another address: %d %s", w.Code, w.Body)
	}
	if w := get("203.0.113.9", random()); w.Code != http.StatusUnauthorized {
		t.Errorf("random token from another address: %d, want 401", w.Code)
	}
}

// TestFailedAuthLimitOff: a negative Limits.FailedAuthPerMinute sets no limit.
func TestFailedAuthLimitOff(t *testing.T) {
	db := postgistest.New(t)
	d := storeDeps(db)
	d.Limits.FailedAuthPerMinute = -1
	srv := newServer(t, d)
	for i := 0; i < web.DefaultFailedAuthPerMinute+2; i++ {
		r := httptest.NewRequest("GET", "/api/v1/me", nil)
		r.Header.Set("Authorization", "Bearer nope")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != http.StatusUnauthorized {
			t.Fatalf("request %d: %d, want 401 (no limit)", i+1, w.Code)
		}
	}
}

// countingSessions is a session store that counts the lookups of a cookie.
type countingSessions struct {
	scs.Store
	finds atomic.Int64
}

func (c *countingSessions) Find(token string) ([]byte, bool, error) {
	c.finds.Add(1)
	return c.Store.Find(token)
}

// TestMadeUpSessionCookies: a session cookie that is not of the form the server issues is
// never looked up; a well-formed one that finds no session is looked up once. Either is served
// as the public with the cookie cleared, and counts against its address in the same limit as
// failed tokens: past it, no cookie from that address is looked up (it is the public) and a
// Bearer token gets 429. A real session from another address is untouched.
func TestMadeUpSessionCookies(t *testing.T) {
	db := postgistest.New(t)
	ctx := context.Background()
	if _, err := db.AddUser(ctx, "wang", inventory.RolePlanner); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPassword(ctx, "wang", "wang password"); err != nil {
		t.Fatal(err)
	}
	store := &countingSessions{Store: db.Sessions()}
	ss, err := web.NewSessions(web.SessionConfig{Accounts: db, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	const n = 4
	d := storeDeps(db)
	d.Sessions = ss
	d.Limits.FailedAuthPerMinute = n
	srv := newServer(t, d)
	send := func(method, path, addr, cookie, body string, h ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.RemoteAddr = addr + ":40000"
		if cookie != "" {
			r.Header.Set("Cookie", web.SessionCookie+"="+cookie)
		}
		for i := 0; i+1 < len(h); i += 2 {
			r.Header.Set(h[i], h[i+1])
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w
	}
	// asPublic checks that a request with cookie was served as the public, with the cookie
	// cleared, and that it cost wantFinds lookups.
	asPublic := func(what, addr, cookie string, wantFinds int64) {
		t.Helper()
		before := store.finds.Load()
		w := send("GET", "/api/v1/me", addr, cookie, "")
		if w.Code != http.StatusOK || strings.Contains(w.Body.String(), `"signed_in":true`) {
			t.Fatalf("%s: %d %s, want 200 as the public", what, w.Code, w.Body)
		}
		cleared := false
		for _, c := range w.Result().Cookies() {
			cleared = cleared || c.Name == web.SessionCookie && c.Value == "" && c.MaxAge < 0
		}
		if !cleared {
			t.Errorf("%s: the cookie was not cleared (Set-Cookie %q)", what, w.Header().Values("Set-Cookie"))
		}
		if got := store.finds.Load() - before; got != wantFinds {
			t.Errorf("%s: %d session lookups, want %d", what, got, wantFinds)
		}
	}
	random := func() string {
		b := make([]byte, 32)
		rand.Read(b)
		return base64.RawURLEncoding.EncodeToString(b)
	}

	// Malformed cookies: no lookup at all, each a failure of its address.
	malformed := []string{"x", strings.Repeat("A", 42), random() + "A", strings.Repeat("!", 43), strings.Repeat("é", 20) + "abc"}
	for i, c := range malformed[:n] {
		asPublic(fmt.Sprintf("malformed cookie %d (%q)", i+1, c), "198.51.100.7", c, 0)
	}
	// The address has used up its failures: a well-formed cookie is not looked up either, and
	// a Bearer token gets 429.
	asPublic("well-formed cookie from the limited address", "198.51.100.7", random(), 0)
	if w := send("GET", "/api/v1/me", "198.51.100.7", "", "", "Authorization", "Bearer "+random()); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Errorf("token from the limited address: %d (Retry-After %q), want 429 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}

	// Well-formed cookies that find no session: one lookup each, until the limit.
	for i := range n {
		asPublic(fmt.Sprintf("unknown cookie %d", i+1), "203.0.113.9", random(), 1)
	}
	asPublic("unknown cookie over the limit", "203.0.113.9", random(), 0)

	// A real session, from an address with no failures, is looked up and signed in.
	w := send("POST", "/api/v1/session", "192.0.2.1", "", `{"name":"wang","password":"wang password"}`, "Content-Type", "application/json")
	var cookie string
	for _, c := range w.Result().Cookies() {
		if c.Name == web.SessionCookie {
			cookie = c.Value
		}
	}
	if w.Code != http.StatusNoContent || cookie == "" {
		t.Fatalf("sign in: %d %s", w.Code, w.Body)
	}
	if w := send("GET", "/api/v1/me", "192.0.2.1", cookie, ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"signed_in":true`) {
		t.Errorf("the real session: %d %s, want signed in", w.Code, w.Body)
	}
}

// TestEveryRateLimitAnswersAlike: the public's rate limit, the failed-credentials limit and
// the enquiry limit answer the same way: 429, a problem, Retry-After (the enquiry's window is
// an hour), and one more in landinv_http_rate_limited_total.
func TestEveryRateLimitAnswersAlike(t *testing.T) {
	e := newEditEnv(t)
	d := storeDeps(e.db)
	d.Metrics = web.NewMetrics(web.MetricsSources{})
	d.EnquiryLimit = 1
	d.Limits.FailedAuthPerMinute = 1
	d.Limits.AnonymousPerMinute = 3 // the enquiry and the failed token below are the public's too
	e.server = newServer(t, d)
	e.srv = httptest.NewServer(e.server)
	t.Cleanup(e.srv.Close)
	debug := httptest.NewServer(web.DebugHandler(d.Metrics))
	t.Cleanup(debug.Close)
	limited := func() float64 { return scrape(t, debug.URL).value("landinv_http_rate_limited_total", nil) }

	for _, c := range []struct {
		name, method, path, user, body string
		retryAfter                     string
	}{
		{"an enquiry over the enquiry limit", "POST", "/api/v1/enquiries", "", goodEnquiry, "3600"},
		{"a token over the failed-credentials limit", "GET", "/api/v1/me", "not-a-token", "", "60"},
		{"a read over the public's limit", "GET", "/api/v1/plots?limit=1", "", "", "60"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var r reply
			before := limited()
			for i := 0; i < 5 && r.status != http.StatusTooManyRequests; i++ {
				r = e.do(t, c.method, c.path, c.user, "", c.body)
			}
			if r.status != http.StatusTooManyRequests || r.header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d %s, want a 429 problem", r.status, r.body)
			}
			if got := r.header.Get("Retry-After"); got != c.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, c.retryAfter)
			}
			if got := limited() - before; got != 1 {
				t.Errorf("landinv_http_rate_limited_total grew by %v, want 1", got)
			}
		})
	}
}

// TestClientAddressBehindAProxy: with Deps.ClientIPHeader set (serve --client-ip-header), every
// per-client limit keys on the address the proxy appended to the header, not on the connection
// (the proxy's, the same for everyone): two clients behind one proxy have a limit each, an entry
// a client wrote before the proxy's does not make it another client, and enquiries are counted
// per client too. Without the setting, the same requests share one limit.
func TestClientAddressBehindAProxy(t *testing.T) {
	e := newEditEnv(t)
	get := func(srv *httptest.Server, method, path, xff, body string) int {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("X-Forwarded-For", xff)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, behind := range []bool{true, false} {
		d := storeDeps(e.db)
		d.Limits.AnonymousPerMinute = 2
		d.EnquiryLimit = 1
		if behind {
			d.ClientIPHeader = "X-Forwarded-For"
		}
		srv := httptest.NewServer(newServer(t, d))
		for i, want := range []int{200, 200, 429} {
			if got := get(srv, "GET", "/api/v1/zone", "198.51.100.1, 203.0.113.7", ""); got != want {
				t.Fatalf("behind a proxy %v: client A's request %d: %d, want %d", behind, i+1, got, want)
			}
		}
		// Client A again, with another address written in front of the proxy's entry.
		if got := get(srv, "GET", "/api/v1/zone", "192.0.2.99, 203.0.113.7", ""); got != 429 {
			t.Errorf("behind a proxy %v: client A with a made-up first entry: %d, want 429", behind, got)
		}
		wantB := 200
		if !behind {
			wantB = 429 // one limit for everyone: the connection's address
		}
		if got := get(srv, "GET", "/api/v1/zone", "203.0.113.8", ""); got != wantB {
			t.Errorf("behind a proxy %v: client B: %d, want %d", behind, got, wantB)
		}
		// Enquiries: one each per window.
		if got := get(srv, "POST", "/api/v1/enquiries", "203.0.113.20", goodEnquiry); got != 201 {
			t.Errorf("behind a proxy %v: client C's enquiry: %d, want 201", behind, got)
		}
		wantD := 201
		if !behind {
			wantD = 429
		}
		if got := get(srv, "POST", "/api/v1/enquiries", "203.0.113.21", goodEnquiry); got != wantD {
			t.Errorf("behind a proxy %v: client D's enquiry: %d, want %d", behind, got, wantD)
		}
		srv.Close()
	}
}
