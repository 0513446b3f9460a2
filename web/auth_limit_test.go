package web_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

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
