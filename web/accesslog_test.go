package web_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

func TestAccessLogIsJSONWithoutToken(t *testing.T) {
	db := postgistest.New(t)
	o := newObs(t, db, false)
	ctx := context.Background()
	if _, err := db.AddUser(ctx, "wang", inventory.RolePlanner); err != nil {
		t.Fatal(err)
	}
	tok, err := db.CreateToken(ctx, "wang")
	if err != nil {
		t.Fatal(err)
	}

	req, _ := http.NewRequest("GET", o.main.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /api/v1/me = %d: %s", resp.StatusCode, body)
	}
	id := resp.Header.Get("X-Request-Id")
	if id == "" {
		t.Fatal("no X-Request-Id on the response")
	}
	line := o.log.accessLine(t, func(m map[string]any) bool { return m["request_id"] == id })
	for field, want := range map[string]any{
		"level": "INFO", "user": "wang", "role": "planner", "method": "GET", "route": "/api/v1/me",
		"path": "/api/v1/me", "status": float64(200), "bytes": float64(len(body)),
	} {
		if line[field] != want {
			t.Errorf("access log %s = %#v, want %#v (line %v)", field, line[field], want, line)
		}
	}
	if d, ok := line["duration_ms"].(float64); !ok || d < 0 {
		t.Errorf("access log duration_ms = %#v", line["duration_ms"])
	}

	// A wrong token is a 401, logged under its route and as no one; the bad token is not
	// logged either.
	bad := tok[:len(tok)-4] + "zzzz"
	if got := status(t, "GET", o.main.URL+"/api/v1/plots", http.Header{"Authorization": {"Bearer " + bad}}); got != 401 {
		t.Fatalf("bad token: %d", got)
	}
	line = o.log.accessLine(t, func(m map[string]any) bool { return m["status"] == float64(401) })
	if line["route"] != "/api/v1/plots" || line["user"] != "" {
		t.Errorf("401 logged as %v", line)
	}
	// The public is logged as such.
	getJSON(t, o.main, "/api/v1/zones", 200, nil)
	line = o.log.accessLine(t, func(m map[string]any) bool { return m["route"] == "/api/v1/zones" })
	if line["user"] != "" || line["role"] != "public" {
		t.Errorf("public request logged as %v", line)
	}

	all := o.log.String()
	for _, secret := range []string{tok, bad, "Bearer"} {
		if strings.Contains(all, secret) {
			t.Errorf("the access log holds %q:\n%s", secret, all)
		}
	}
}

// A client that gives up while its query waits is logged at info as 499 (not an error 500)
// and counted as 499.
func TestClientDisconnectLogged499(t *testing.T) {
	db := postgistest.NewWithDemo(t)
	o := newObs(t, db, false)
	ctx := context.Background()
	// Hold a lock that makes the list wait until the client has gone.
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, "lock table plots in access exclusive mode"); err != nil {
		t.Fatal(err)
	}
	before := scrape(t, o.debug.URL)

	cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(cctx, "GET", o.main.URL+"/api/v1/plots", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the list answered %d while plots was locked", resp.StatusCode)
	} else if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client: %v", err)
	}
	line := o.log.accessLine(t, func(m map[string]any) bool { return m["route"] == "/api/v1/plots" })
	if line["status"] != float64(499) || line["level"] != "INFO" {
		t.Errorf("client disconnect logged as %v", line)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	after := scrape(t, o.debug.URL)
	l := map[string]string{"route": "/api/v1/plots", "method": "GET", "status": "499"}
	if got := after.value("landinv_http_requests_total", l) - before.value("landinv_http_requests_total", l); got != 1 {
		t.Errorf("499 counted %v times, want 1", got)
	}
}
