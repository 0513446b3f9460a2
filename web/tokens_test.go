package web_test

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/landinv/landinv/web"
)

// TestMyTokens: a person signed in with a password makes, lists and revokes their own API
// tokens; the public cannot; a token cannot make another; bad lifetimes, another person's
// token and too many working tokens are refused and change nothing.
func TestMyTokens(t *testing.T) {
	e := sessionEnv(t, nil)
	if r := e.send(t, "GET", "/api/v1/me/tokens", "", nil); r.status != 401 || !strings.Contains(string(r.body), "tokens") {
		t.Errorf("public list = %d %s, want 401 saying to sign in for tokens", r.status, r.body)
	}
	if r := e.send(t, "POST", "/api/v1/me/tokens", "", nil); r.status != 401 {
		t.Errorf("public create = %d %s", r.status, r.body)
	}
	bearer := map[string]string{"Authorization": "Bearer " + e.tokens["alice"], "Content-Type": "application/json"}
	count := func() int {
		t.Helper()
		var n int
		if err := e.db.Pool.QueryRow(t.Context(), "select count(*) from api_tokens").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	// alice's token lists her tokens (the one she has), but makes none.
	r := e.send(t, "GET", "/api/v1/me/tokens", "", bearer)
	list, _ := r.json(t)["tokens"].([]any)
	if r.status != 200 || len(list) != 1 || r.header.Get("Cache-Control") != "no-store" || strings.Contains(string(r.body), e.tokens["alice"]) {
		t.Fatalf("alice's list by token = %d %s", r.status, r.body)
	}
	if first := list[0].(map[string]any); first["user"] != "alice" || first["state"] != "active" || first["prefix"] != e.tokens["alice"][:8] {
		t.Errorf("alice's token: %v", first)
	}
	if r := e.send(t, "POST", "/api/v1/me/tokens", `{}`, bearer); r.status != 403 || r.json(t)["field"] != "Authorization" {
		t.Errorf("create by token = %d %s", r.status, r.body)
	}

	// By session: the write needs the CSRF token, like every write by cookie.
	_, c := e.signIn(t, "bob", "bob password", nil)
	cookie := map[string]string{"Cookie": c.Name + "=" + c.Value, "Content-Type": "application/json"}
	if r := e.send(t, "POST", "/api/v1/me/tokens", `{}`, cookie); r.status != 403 {
		t.Errorf("create without X-CSRF-Token = %d %s", r.status, r.body)
	}
	cookie["X-CSRF-Token"] = e.me(t, c)["csrf_token"].(string)
	for _, bad := range []string{`{"expires_in_days":0}`, `{"expires_in_days":366}`, `{"expires_in_days":"30"}`, `{"expires_in_days":1.5}`, `{"expires":30}`,
		`{"label":"` + strings.Repeat("长", 61) + `"}`, `{"label":"two\nlines"}`, `{"label":3}`} {
		r := e.send(t, "POST", "/api/v1/me/tokens", bad, cookie)
		if f := r.json(t)["field"]; r.status < 400 || r.status >= 500 || f == nil || f == "" {
			t.Errorf("create %s = %d %s, want a 4xx naming the field", bad, r.status, r.body)
		}
	}
	if count() != before {
		t.Fatal("refused creates made tokens")
	}
	// A viewer makes one for 30 days: it works, for bob, until he revokes it.
	r = e.send(t, "POST", "/api/v1/me/tokens", `{"expires_in_days":30,"label":"  办公室电脑 QGIS "}`, cookie)
	made := r.json(t)
	tok, _ := made["token"].(string)
	exp, _ := time.Parse(time.RFC3339, fmt.Sprint(made["expires_at"]))
	if r.status != 201 || !strings.HasPrefix(tok, "li_") || made["prefix"] != tok[:8] || r.header.Get("Cache-Control") != "no-store" ||
		exp.Sub(time.Now().Add(30*24*time.Hour)).Abs() > time.Minute {
		t.Fatalf("create = %d %s", r.status, r.body)
	}
	byTok := map[string]string{"Authorization": "Bearer " + tok}
	if me := e.send(t, "GET", "/api/v1/me", "", byTok).json(t); me["name"] != "bob" || me["via"] != "token" {
		t.Errorf("the new token is %v", me)
	}
	// bob's list: the token the test environment gave him, and this one.
	list, _ = e.send(t, "GET", "/api/v1/me/tokens", "", cookie).json(t)["tokens"].([]any)
	id := ""
	for _, x := range list {
		if m := x.(map[string]any); m["prefix"] == made["prefix"] && m["user"] == "bob" {
			id = fmt.Sprint(m["id"])
		}
	}
	if len(list) != 2 || id == "" {
		t.Fatalf("bob's tokens: %v", list)
	}
	labels := 0
	for _, x := range list {
		if m := x.(map[string]any); m["label"] == "办公室电脑 QGIS" && fmt.Sprint(m["id"]) == id {
			labels++
		}
	}
	if labels != 1 {
		t.Errorf("the new token's label (trimmed) is not in the list: %v", list)
	}
	// alice's token's id is not bob's to revoke: 404, and it still works.
	aliceID := fmt.Sprint(e.send(t, "GET", "/api/v1/me/tokens", "", bearer).json(t)["tokens"].([]any)[0].(map[string]any)["id"])
	if r := e.send(t, "DELETE", "/api/v1/me/tokens/"+aliceID, "", cookie); r.status != 404 {
		t.Errorf("bob revoking alice's token = %d %s", r.status, r.body)
	}
	for _, id := range []string{"x", "0", "-1", "2147483648", "9223372036854775807"} {
		if r := e.send(t, "DELETE", "/api/v1/me/tokens/"+id, "", cookie); r.status != 404 {
			t.Errorf("revoking token %s = %d %s", id, r.status, r.body)
		}
	}
	if me := e.send(t, "GET", "/api/v1/me", "", bearer).json(t); me["name"] != "alice" {
		t.Fatal("alice's token stopped working")
	}
	if r := e.send(t, "DELETE", "/api/v1/me/tokens/"+id, "", cookie); r.status != 204 {
		t.Fatalf("revoke = %d %s", r.status, r.body)
	}
	if r := e.send(t, "GET", "/api/v1/me", "", byTok); r.status != 401 {
		t.Errorf("a revoked token = %d %s", r.status, r.body)
	}
	// At most MaxActiveTokens working tokens: bob holds one; the revoked one does not count.
	for i := range web.MaxActiveTokens - 1 {
		if r := e.send(t, "POST", "/api/v1/me/tokens", "", cookie); r.status != 201 {
			t.Fatalf("token %d = %d %s", i+1, r.status, r.body)
		}
	}
	n := count()
	if r := e.send(t, "POST", "/api/v1/me/tokens", "", cookie); r.status != 409 || r.json(t)["field"] != "tokens" {
		t.Errorf("one token too many = %d %s", r.status, r.body)
	}
	if count() != n {
		t.Error("the refused token was made")
	}
}

// TestMyTokensCap: 40 requests at the same instant make no more than the cap (the store counts
// under a lock of the person's row; counting in the handler let 18 of 40 through).
func TestMyTokensCap(t *testing.T) {
	e := sessionEnv(t, nil)
	_, c := e.signIn(t, "bob", "bob password", nil)
	cookie := map[string]string{"Cookie": c.Name + "=" + c.Value, "Content-Type": "application/json"}
	cookie["X-CSRF-Token"] = e.me(t, c)["csrf_token"].(string)
	var wg sync.WaitGroup
	var made, refused atomic.Int64
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch r := e.send(t, "POST", "/api/v1/me/tokens", "", cookie); r.status {
			case 201:
				made.Add(1)
			case 409:
				refused.Add(1)
			default:
				t.Errorf("create = %d %s", r.status, r.body)
			}
		}()
	}
	wg.Wait()
	var active int64
	if err := e.db.Pool.QueryRow(t.Context(), `select count(*) from api_tokens t join users u on u.id = t.user_id
		where u.name = 'bob' and t.revoked_at is null and t.expires_at > now()`).Scan(&active); err != nil {
		t.Fatal(err)
	}
	// bob holds one token from the test environment.
	if active != web.MaxActiveTokens || made.Load() != web.MaxActiveTokens-1 || refused.Load() != 40-(web.MaxActiveTokens-1) {
		t.Errorf("%d made, %d refused, %d working; want %d made, %d working", made.Load(), refused.Load(), active, web.MaxActiveTokens-1, web.MaxActiveTokens)
	}
}

// TestPasswordChangeRevokesSessionTokens: a token made in a session stops working when the
// password is set again (a held session must not outlive a reset through a token); a token an
// administrator made at the command line keeps working.
func TestPasswordChangeRevokesSessionTokens(t *testing.T) {
	e := sessionEnv(t, nil)
	_, c := e.signIn(t, "alice", "alice password", nil)
	cookie := map[string]string{"Cookie": c.Name + "=" + c.Value, "Content-Type": "application/json"}
	cookie["X-CSRF-Token"] = e.me(t, c)["csrf_token"].(string)
	r := e.send(t, "POST", "/api/v1/me/tokens", `{"expires_in_days":365}`, cookie)
	tok, _ := r.json(t)["token"].(string)
	if r.status != 201 || tok == "" {
		t.Fatalf("create = %d %s", r.status, r.body)
	}
	who := func(tok string) int {
		return e.send(t, "GET", "/api/v1/me/tokens", "", map[string]string{"Authorization": "Bearer " + tok}).status
	}
	if who(tok) != 200 || who(e.tokens["alice"]) != 200 {
		t.Fatal("the tokens do not work before the change")
	}
	if err := e.db.SetPassword(t.Context(), "alice", "a new password for alice"); err != nil {
		t.Fatal(err)
	}
	if s := who(tok); s != 401 {
		t.Errorf("the session's token after a password change = %d, want 401", s)
	}
	if s := who(e.tokens["alice"]); s != 200 {
		t.Errorf("the command line's token after a password change = %d, want 200", s)
	}
}
