package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

func authServer(t *testing.T) (*postgis.DB, *httptest.Server) {
	t.Helper()
	db := postgistest.New(t)
	srv := httptest.NewServer(newServer(t, storeDeps(db)))
	t.Cleanup(srv.Close)
	return db, srv
}

func getMe(t *testing.T, srv *httptest.Server, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, body
}

func TestExpiredTokenIs401(t *testing.T) {
	db, srv := authServer(t)
	ctx := context.Background()
	if _, err := db.AddUser(ctx, "wang", inventory.RolePlanner); err != nil {
		t.Fatal(err)
	}
	tok, err := db.CreateToken(ctx, "wang")
	if err != nil {
		t.Fatal(err)
	}
	if status, me := getMe(t, srv, tok); status != 200 || me["name"] != "wang" {
		t.Fatalf("fresh token: %d %v", status, me)
	}
	if _, err := db.Pool.Exec(ctx, `update api_tokens set created_at = now() - interval '100 days',
		expires_at = now() - interval '10 days'`); err != nil {
		t.Fatal(err)
	}
	status, p := getMe(t, srv, tok)
	if status != 401 || p["field"] != "Authorization" || !strings.Contains(p["detail"].(string), "expired") {
		t.Fatalf("expired token: %d %v", status, p)
	}
	raw, _ := json.Marshal(p)
	if strings.Contains(string(raw), "wang") || strings.Contains(string(raw), "planner") {
		t.Errorf("the problem for an expired token tells more than that it expired: %s", raw)
	}
}

// Two requests within postgis.TokenTouchInterval write last_used_at once.
func TestTwoRequestsWriteLastUsedOnce(t *testing.T) {
	db, srv := authServer(t)
	ctx := context.Background()
	if _, err := db.AddUser(ctx, "li", inventory.RoleViewer); err != nil {
		t.Fatal(err)
	}
	tok, err := db.CreateToken(ctx, "li")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `create table test_token_writes (token_id integer not null);
		create function test_log_token_write() returns trigger language plpgsql as $$
		begin insert into test_token_writes values (NEW.id); return null; end $$;
		create trigger test_log_token_write after update on api_tokens
		  for each row execute function test_log_token_write()`); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if status, me := getMe(t, srv, tok); status != 200 || me["name"] != "li" {
			t.Fatalf("request %d: %d %v", i+1, status, me)
		}
	}
	var writes int
	if err := db.Pool.QueryRow(ctx, "select count(*) from test_token_writes").Scan(&writes); err != nil {
		t.Fatal(err)
	}
	if writes != 1 {
		t.Errorf("two requests within %s wrote the token row %d times, want 1", postgis.TokenTouchInterval, writes)
	}
}
