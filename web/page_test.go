package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory/postgis/postgistest"
	"github.com/landinv/landinv/web"
)

func pageServer(t *testing.T, basemap web.Basemap) *httptest.Server {
	t.Helper()
	db := postgistest.NewWithDemo(t)
	d := storeDeps(db)
	d.Basemap = basemap
	srv := httptest.NewServer(newServer(t, d))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	r, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r, b
}

func TestPageRoutes(t *testing.T) {
	srv := pageServer(t, web.Basemap{})
	_, built := os.Stat("ui/dist/index.html")
	cases := []struct {
		name, path  string
		status      int
		contentType string
		field       string // the parameter a problem must name
		contains    string
	}{
		{"nearest road", "/api/v1/plots/LF-D1-0001/nearest-road", 200, "application/json", "", `"nearest_existing"`},
		{"nearest road of an unknown plot", "/api/v1/plots/NOPE-1/nearest-road", 404, "application/problem+json", "code", ""},
		{"nearest road with an unknown parameter", "/api/v1/plots/LF-D1-0001/nearest-road?foo=1", 400, "application/problem+json", "foo", ""},
		{"land uses", "/api/v1/land-uses", 200, "application/json", "", `"name_en":"Industrial"`},
		{"tile", "/tiles/plots/12/3317/1607.mvt", 200, "application/vnd.mapbox-vector-tile", "", "LF-D1"},
		{"empty tile", "/tiles/plots/12/0/0.mvt", 204, "", "", ""},
		{"tile zoom out of range", "/tiles/plots/25/0/0.mvt", 400, "application/problem+json", "z", ""},
		{"tile x out of range", "/tiles/plots/2/9/0.mvt", 400, "application/problem+json", "x", ""},
		{"tile x not a number", "/tiles/plots/2/a/0.mvt", 400, "application/problem+json", "x", ""},
		{"tiles of an unknown layer", "/tiles/secrets/2/1/1.mvt", 404, "application/problem+json", "layer", ""},
		{"config without basemap", "/map-config.json", 200, "application/json", "", `"tile_threshold"`},
		{"asset outside the build", "/assets/../page.go", 404, "application/problem+json", "", ""},
	}
	if built == nil {
		cases = append(cases, struct {
			name, path  string
			status      int
			contentType string
			field       string
			contains    string
		}{"the page", "/", 200, "text/html", "", "/assets/app-"})
	} else {
		cases = append(cases, struct {
			name, path  string
			status      int
			contentType string
			field       string
			contains    string
		}{"the page, not built", "/", 503, "application/problem+json", "", "make build"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, body := get(t, srv.URL+c.path)
			if r.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", r.StatusCode, c.status, body)
			}
			if c.contentType != "" && !strings.HasPrefix(r.Header.Get("Content-Type"), c.contentType) {
				t.Errorf("content type %q, want %q", r.Header.Get("Content-Type"), c.contentType)
			}
			if c.field != "" {
				var p struct{ Field string }
				if err := json.Unmarshal(body, &p); err != nil || p.Field != c.field {
					t.Errorf("problem names %q, want %q: %s", p.Field, c.field, body)
				}
			}
			if c.contains != "" && !strings.Contains(string(body), c.contains) {
				t.Errorf("body lacks %q: %.300s", c.contains, body)
			}
		})
	}
}

func TestMapConfigBasemap(t *testing.T) {
	b, ok := web.BasemapPreset("amap", "")
	if !ok || b.CRS != "gcj02" {
		t.Fatalf("amap preset: %+v, %v", b, ok)
	}
	if _, ok := web.BasemapPreset("tianditu", ""); ok {
		t.Error("tianditu without a key must be refused")
	}
	tdt, ok := web.BasemapPreset("tianditu", "KEY")
	if !ok || tdt.CRS != "cgcs2000" || !strings.Contains(tdt.Tiles[0], "tk=KEY") || len(tdt.Overlay) == 0 {
		t.Errorf("tianditu preset: %+v", tdt)
	}
	srv := pageServer(t, b)
	_, body := get(t, srv.URL+"/map-config.json")
	var cfg struct {
		Basemap *web.Basemap `json:"basemap"`
	}
	if err := json.Unmarshal(body, &cfg); err != nil || cfg.Basemap == nil || cfg.Basemap.CRS != "gcj02" {
		t.Errorf("config: %s", body)
	}
}
