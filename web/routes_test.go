package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/web"
)

// route is one method and pattern of the server's router.
type route struct{ method, pattern string }

// routes walks the router web.NewServer builds: every route the binary serves.
func routes(t *testing.T, s *web.Server) []route {
	t.Helper()
	var out []route
	err := chi.Walk(s.Routes(), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		out = append(out, route{method, pattern})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 40 {
		t.Fatalf("only %d routes: %v", len(out), out)
	}
	return out
}

// concrete fills a route pattern with values of the edit environment.
func concrete(pattern string) string {
	return strings.NewReplacer("{code}", "P1", "{layer}", "plots", "{z}", "0", "{x}", "0", "{y}", "0",
		"{tileMatrix}", "0", "{tileRow}", "0", "{tileCol}", "0",
		"{kind}", "taxes", "/*", "/app.js").Replace(pattern)
}

// pageRoutes take the page's own state in their query string (see web's pageState).
var pageRoutes = map[string]bool{"/": true, "/index.html": true, "/reports": true, "/signin": true}

// TestEveryRouteRefusesUnknownAndRepeatedParameters sends, on every route of the router, an
// unknown parameter and a repeated one (lang, which every route takes), as a planner (so that
// the write routes look at their parameters): each is a 400 naming it, and nothing changes.
func TestEveryRouteRefusesUnknownAndRepeatedParameters(t *testing.T) {
	e := newEditEnv(t)
	before := e.snapshot(t)
	for _, rt := range routes(t, e.server) {
		path := concrete(rt.pattern)
		if pageRoutes[rt.pattern] {
			// The page's state is not the server's: it refuses nothing (503 until `make build`).
			if r := e.do(t, rt.method, path+"?tab=plants&bogus=1", "", "", ""); r.status != 200 && r.status != 503 {
				t.Errorf("%s %s with page state = %d", rt.method, path, r.status)
			}
			continue
		}
		for _, c := range []struct{ query, param string }{
			{"?bogus=1", "bogus"},
			{"?lang=en&lang=en", "lang"},
			{"?lang=fr", "lang"},
		} {
			r := e.do(t, rt.method, path+c.query, "alice", "", "")
			if r.status != 400 || r.header.Get("Content-Type") != "application/problem+json" || r.json(t)["field"] != c.param {
				t.Errorf("%s %s%s = %d %s, want 400 naming %s", rt.method, rt.pattern, c.query, r.status, r.body, c.param)
			}
		}
	}
	if e.snapshot(t) != before {
		t.Error("refused requests changed the inventory")
	}
	// lang alone is taken everywhere (answers carry both languages).
	for _, p := range []string{"/api/v1/plots?lang=en", "/api/v1/zone?lang=zh", "/api/v1/zones?lang=en", "/api/v1/me?lang=en",
		"/api/v1/land-uses?lang=en", "/api/v1/reports/idle?lang=en", "/healthz?lang=zh"} {
		if r := e.do(t, "GET", p, "", "", ""); r.status != 200 {
			t.Errorf("GET %s = %d %s", p, r.status, r.body)
		}
	}
}

// noZone are the routes that take no zone: about the API or all zones, the page's files, health.
var noZone = map[string]bool{
	"/healthz": true, "/readyz": true, "/assets/*": true, "/favicon.ico": true, "/map-config.json": true,
	"/api/v1/": true, "/api/v1/meta": true, "/api/v1/me": true, "/api/v1/zones": true, "/api/v1/land-uses": true,
	"/api/v1/reports": true, "/api/v1/reports/{kind}": true, "/sites/sheet.js": true, "/api/v1/session": true,
	"/api/v1/me/tokens": true, "/api/v1/me/tokens/{id}": true,
	// The basemap archive and the label glyphs are the same for every zone.
	"/basemap/{file}": true, "/glyphs/{fontstack}/{range}": true,
}

// ogcNoZone: the /ogc routes about the API, the zones collection's items, and the schemas
// (the same in every zone) take no zone.
func ogcNoZone(p string) bool {
	switch p {
	case "/ogc/", "/ogc/conformance", "/ogc/api", "/ogc/api.html", "/ogc/styles/land-map", "/ogc/tileMatrixSets", "/ogc/tileMatrixSets/WebMercatorQuad",
		"/ogc/collections/zones/items", "/ogc/collections/zones/items/{code}":
		return true
	}
	return strings.HasSuffix(p, "/queryables") || strings.HasSuffix(p, "/sortables") || strings.HasSuffix(p, "/schema") || strings.HasSuffix(p, "/feature-schema")
}

// TestUnknownZoneIs404Everywhere: on every route that takes zone (reads, history, writes,
// import, reports, nearest road, tiles), zone=nowhere is a 404 naming zone, zone=  and a
// malformed code a 400 naming zone; the routes that take no zone refuse it as unknown.
func TestUnknownZoneIs404Everywhere(t *testing.T) {
	e := newEditEnv(t)
	before := e.snapshot(t)
	takes := 0
	for _, rt := range routes(t, e.server) {
		if pageRoutes[rt.pattern] {
			continue
		}
		path := concrete(rt.pattern)
		r := e.do(t, rt.method, path+"?zone=nowhere", "alice", "", "")
		var p struct{ Field, Detail string }
		_ = json.Unmarshal(r.body, &p)
		if noZone[rt.pattern] || ogcNoZone(rt.pattern) {
			if r.status != 400 || p.Field != "zone" || !strings.Contains(p.Detail, "not a parameter") {
				t.Errorf("%s %s?zone=nowhere = %d %s, want 400: not a parameter", rt.method, rt.pattern, r.status, r.body)
			}
			continue
		}
		takes++
		if r.status != 404 || p.Field != "zone" {
			t.Errorf("%s %s?zone=nowhere = %d %s, want 404 naming zone", rt.method, rt.pattern, r.status, r.body)
		}
		for _, q := range []string{"?zone=", "?zone=" + url.QueryEscape("no where")} {
			if r := e.do(t, rt.method, path+q, "alice", "", ""); r.status != 400 || !strings.Contains(string(r.body), `"field":"zone"`) {
				t.Errorf("%s %s%s = %d %s, want 400 naming zone", rt.method, rt.pattern, q, r.status, r.body)
			}
		}
	}
	if takes < 30 {
		t.Errorf("only %d routes take zone", takes)
	}
	if e.snapshot(t) != before {
		t.Error("requests for an unknown zone changed the inventory")
	}
	// The zone that exists is found on the same routes.
	for _, p := range []string{"/api/v1/plots?zone=hand", "/api/v1/plots/P1?zone=hand", "/api/v1/zone?zone=hand",
		"/api/v1/reports/idle?zone=hand", "/api/v1/plots/P1/history?zone=hand", "/api/v1/plots/P1/nearest-road?zone=hand"} {
		if r := e.do(t, "GET", p, "", "", ""); r.status != 200 {
			t.Errorf("GET %s = %d %s", p, r.status, r.body)
		}
	}
	if r := e.do(t, "GET", "/tiles/plots/12/3317/1607.mvt?zone=hand", "", "", ""); r.status != 200 && r.status != 204 {
		t.Errorf("tile of zone hand = %d %s", r.status, r.body)
	}
}

// TestMethodsNotServedAre405: on every path of the router, a method it does not serve is a 405
// problem, and nothing changes.
func TestMethodsNotServedAre405(t *testing.T) {
	e := newEditEnv(t)
	before := e.snapshot(t)
	served := map[string]map[string]bool{}
	for _, rt := range routes(t, e.server) {
		if served[rt.pattern] == nil {
			served[rt.pattern] = map[string]bool{}
		}
		served[rt.pattern][rt.method] = true
	}
	n := 0
	for pattern, methods := range served {
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if methods[m] {
				continue
			}
			n++
			r := e.do(t, m, concrete(pattern), "alice", `"*"`, "{}")
			if r.status != 405 || r.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s %s = %d %s, want 405", m, pattern, r.status, r.body)
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d method and path pairs tried", n)
	}
	if e.snapshot(t) != before {
		t.Error("refused methods changed the inventory")
	}
}

// TestAsOfDateIsTheEndOfTheDayInChina: as_of=DATE reads the inventory at the end of that day,
// China time, on lists, single features and reports alike. P1 was made just now, so it is there
// at the end of today (China time) and not at the end of yesterday; a date read as its first
// instant would miss it today.
func TestAsOfDateIsTheEndOfTheDayInChina(t *testing.T) {
	e := newEditEnv(t)
	today := time.Now().In(web.ChinaTime)
	for _, c := range []struct {
		date string
		has  bool
	}{
		{today.Format("2006-01-02"), true},
		{today.AddDate(0, 0, -1).Format("2006-01-02"), false},
	} {
		endOfDay, err := time.ParseInLocation("2006-01-02 15:04:05.999999", c.date+" 23:59:59.999999", web.ChinaTime)
		if err != nil {
			t.Fatal(err)
		}
		explicit := url.QueryEscape(endOfDay.Format(time.RFC3339Nano))
		var byDate, byTime fc
		getJSON(t, e.srv, "/api/v1/plots?as_of="+c.date, 200, &byDate)
		getJSON(t, e.srv, "/api/v1/plots?as_of="+explicit, 200, &byTime)
		if strings.Join(codes(byDate.Features), ",") != strings.Join(codes(byTime.Features), ",") {
			t.Errorf("as_of=%s lists %v, as_of=%s lists %v", c.date, codes(byDate.Features), explicit, codes(byTime.Features))
		}
		if has := strings.Join(codes(byDate.Features), ",") == "P1"; has != c.has {
			t.Errorf("as_of=%s lists %v, want P1: %v", c.date, codes(byDate.Features), c.has)
		}
		want := 404
		if c.has {
			want = 200
		}
		getJSON(t, e.srv, "/api/v1/plots/P1?as_of="+c.date, want, nil)
		var rep struct {
			AsOf time.Time `json:"as_of"`
		}
		getJSON(t, e.srv, "/api/v1/reports/idle?as_of="+c.date, 200, &rep)
		if !rep.AsOf.Equal(endOfDay) {
			t.Errorf("report as_of=%s reads at %v, want %v", c.date, rep.AsOf, endOfDay)
		}
	}
}
