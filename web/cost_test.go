package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
	"github.com/landinv/landinv/web"
)

// TestRateLimitsThePublicPerAddress: the public gets 429 with Retry-After and a problem
// document past its limit, costly reads have their own smaller limit, and signed-in users and
// /readyz are not limited.
func TestRateLimitsThePublicPerAddress(t *testing.T) {
	db := postgistest.NewWithDemo(t)
	d := storeDeps(db)
	d.Limits = web.Limits{AnonymousPerMinute: 5, AnonymousCostlyPerMinute: 2}
	srv := httptest.NewServer(newServer(t, d))
	defer srv.Close()
	ctx := context.Background()
	if _, err := db.AddUser(ctx, "rita", inventory.RoleViewer); err != nil {
		t.Fatal(err)
	}
	token, err := db.CreateToken(ctx, "rita")
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, token string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	costly := "/api/v1/plots?near_road_m=100&limit=5"
	for i := range 2 {
		if r := get(costly, ""); r.StatusCode != 200 {
			t.Fatalf("costly read %d: %d", i+1, r.StatusCode)
		}
	}
	if r := get(costly, ""); r.StatusCode != 429 || r.Header.Get("Retry-After") == "" || !strings.Contains(r.Header.Get("Content-Type"), "problem+json") {
		t.Errorf("third costly read: %d, Retry-After %q, %s; want 429 with Retry-After, a problem", r.StatusCode, r.Header.Get("Retry-After"), r.Header.Get("Content-Type"))
	}
	for i := range 5 {
		if r := get("/api/v1/plots?limit=1", ""); r.StatusCode != 200 {
			t.Fatalf("cheap read %d: %d (the costly limit is a separate count)", i+1, r.StatusCode)
		}
	}
	if r := get("/api/v1/plots?limit=1", ""); r.StatusCode != 429 {
		t.Errorf("sixth cheap read: %d, want 429", r.StatusCode)
	}
	for i := range 10 {
		if r := get(costly, token); r.StatusCode != 200 {
			t.Fatalf("signed-in costly read %d: %d, want 200 (not limited)", i+1, r.StatusCode)
		}
		if r := get("/readyz", ""); r.StatusCode != 200 {
			t.Fatalf("readyz %d: %d, want 200 (not limited)", i+1, r.StatusCode)
		}
	}
}

// TestCostCaps: the parameters that drive a list's cost are capped, with a 400 naming them.
func TestCostCaps(t *testing.T) {
	srv := demo(t)
	for _, tt := range []struct {
		path  string
		field string
	}{
		{"/api/v1/plots?near_road_m=" + strconv.Itoa(inventory.MaxNearRoadM+1), "near_road_m"},
		{"/api/v1/plots?near_road_m=50000", "near_road_m"},
		{"/api/v1/plots?offset=" + strconv.Itoa(inventory.MaxOffset+1), "offset"},
		{"/api/v1/plots?after=" + url.QueryEscape("x y"), "after"},
		{"/api/v1/plots?after=a&after=b", "after"},
	} {
		var p struct {
			Field string `json:"field"`
		}
		getJSON(t, srv, tt.path, 400, &p)
		if p.Field != tt.field {
			t.Errorf("%s: field %q, want %q", tt.path, p.Field, tt.field)
		}
	}
	getJSON(t, srv, "/api/v1/plots?near_road_m="+strconv.Itoa(inventory.MaxNearRoadM)+"&limit=1", 200, nil)
	getJSON(t, srv, "/api/v1/plots?offset="+strconv.Itoa(inventory.MaxOffset), 200, nil)
}

// TestNextLinkIsAKeysetCursor: the next link pages with after=CODE, and a page after a cursor
// starts right after that code, with number_matched still counting every match.
func TestNextLinkIsAKeysetCursor(t *testing.T) {
	srv := demo(t)
	all := allPlots(t, srv)
	var p fc
	getJSON(t, srv, "/api/v1/plots?limit=10&offset=5", 200, &p)
	if !strings.Contains(p.Next, "after="+all[14].ID) || strings.Contains(p.Next, "offset=") {
		t.Errorf("next = %q, want after=%s and no offset", p.Next, all[14].ID)
	}
	var q fc
	getJSON(t, srv, "/api/v1/plots?limit=3&after="+all[14].ID, 200, &q)
	if got := codes(q.Features); strings.Join(got, ",") != strings.Join(codes(all[15:18]), ",") {
		t.Errorf("after %s: %v, want %v", all[14].ID, got, codes(all[15:18]))
	}
	if q.NumberMatched != len(all) {
		t.Errorf("number_matched after a cursor = %d, want %d", q.NumberMatched, len(all))
	}
}

// TestClientGoneIs499: an error that is the client's going away is recorded as 499, not as a
// 500.
func TestClientGoneIs499(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/api/v1/plots", nil).WithContext(ctx)
	w := httptest.NewRecorder()
	web.Problem(w, r, context.Canceled)
	if w.Code != web.StatusClientClosedRequest {
		t.Errorf("client gone: %d, want 499", w.Code)
	}
	// The server's own deadline is not the client's going away: 503.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 0)
	defer cancel2()
	<-ctx2.Done()
	w = httptest.NewRecorder()
	web.Problem(w, r.WithContext(ctx2), ctx2.Err())
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Errorf("deadline: %d, Retry-After %q; want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
}
