// Package e2e holds the land map's browser tests and its load benchmark. Each starts the real
// HTTP handler (web.Server with the page mounted) on a random port against a fresh PostGIS
// database, then runs run.mjs under node, which drives Debian's chromium with playwright-core.
//
// They need node, chromium, web/ui/node_modules and a built page (web/ui/dist): `make test`
// installs and builds all of these and sets LANDINV_E2E=1, under which anything missing is a
// failure. Without LANDINV_E2E=1 the tests skip when a tool is missing, so that a plain
// `go test ./...` on a machine without a browser still runs everything else.
//
// Screenshots go to test-output/ at the repository root.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
	"github.com/landinv/landinv/web"
)

type result struct {
	Check  string          `json:"check"`
	OK     bool            `json:"ok"`
	Detail string          `json:"detail"`
	Query  string          `json:"query"`
	Codes  []string        `json:"codes"`
	Times  []float64       `json:"times"`
	Plots  []float64       `json:"plots"`
	Bytes  []float64       `json:"bytes"`
	Code   string          `json:"code"`
	Mode   string          `json:"plots_mode"`
	API    []float64       `json:"api"`
	Map    []float64       `json:"map"`
	Path   string          `json:"path"`  // labels.mjs: a screenshot
	Probe  []float64       `json:"probe"` // labels.mjs: a pixel to read in it
	Raw    json.RawMessage `json:"-"`
}

func root(t testing.TB) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Clean(filepath.Join(wd, "..", ".."))
}

// tools checks that node, chromium, playwright-core and the built page are there.
func tools(t testing.TB) string {
	t.Helper()
	r := root(t)
	var missing []string
	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node")
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		missing = append(missing, "chromium ("+chromium+")")
	}
	if _, err := os.Stat(filepath.Join(r, "web/ui/node_modules/playwright-core/package.json")); err != nil {
		missing = append(missing, "web/ui/node_modules (npm ci)")
	}
	if _, err := os.Stat(filepath.Join(r, "web/ui/dist/index.html")); err != nil {
		missing = append(missing, "the built page web/ui/dist (npm run build)")
	}
	if len(missing) > 0 {
		msg := "browser tests need " + strings.Join(missing, ", ") + "; `make test` installs and builds them"
		if os.Getenv("LANDINV_E2E") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return node
}

// storeDeps are the server's dependencies over one store, as cmd/landinv builds them.
func storeDeps(db *postgis.DB) web.Deps {
	sessions, err := web.NewSessions(web.SessionConfig{Accounts: db, Store: db.Sessions()})
	if err != nil {
		panic(err)
	}
	return web.Deps{
		Zones: db, Features: db, Health: db, Editor: db, History: db, Importer: db, Reports: db, Map: db, Tiles: db, TileChanges: db,
		Sites: db, Enquiries: db, Projects: db, Matcher: db, Rankings: db,
		Evaluations:  db,
		Users:        db,
		Authenticate: web.TokenAuthenticator(db.Authenticate),
		Sessions:     sessions,
		Log:          slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
}

// serve starts the server (web.NewServer, as cmd/landinv builds it) on a random port, with
// the given basemap; extra, when set, serves other paths beside it (a stand-in tile service).
func serve(t testing.TB, db *postgis.DB, basemap web.Basemap, extra func(r chi.Router)) string {
	d := storeDeps(db)
	d.Basemap = basemap
	return serveWith(t, d, extra)
}

func serveWith(t testing.TB, d web.Deps, extra func(r chi.Router)) string {
	t.Helper()
	s, err := web.NewServer(d)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = s
	if extra != nil {
		r := chi.NewRouter()
		extra(r)
		r.NotFound(s.ServeHTTP)
		r.MethodNotAllowed(s.ServeHTTP)
		h = r
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// withThreshold returns the store's deps with the page's tile threshold set.
func withThreshold(db *postgis.DB, threshold int) web.Deps {
	d := storeDeps(db)
	d.TileThreshold = threshold
	return d
}

func openDB(t testing.TB, u string) *postgis.DB {
	t.Helper()
	db, err := postgis.Open(context.Background(), u, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// run runs run.mjs in mode and returns its checks, in order.
func run(t testing.TB, node, base, mode string, extra ...string) []result {
	t.Helper()
	return runScript(t, node, "run.mjs", 8*time.Minute, append([]string{"--base", base, "--mode", mode}, extra...)...)
}

// runScript runs the browser script web/e2e/<script> with node and args (--out test-output is
// added unless given), for at most timeout, and returns the checks it printed, in order: one
// JSON object a line, {"check", "ok", "detail", ...}. A script that exits with an error, prints
// no check, or reports the check "script" (its own failure) fails the test.
func runScript(t testing.TB, node, script string, timeout time.Duration, args ...string) []result {
	t.Helper()
	if !slices.Contains(args, "--out") {
		args = append(args, "--out", filepath.Join(root(t), "test-output"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{filepath.Join(root(t), "web/e2e", script)}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var res []result
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		var r result
		if json.Unmarshal(line, &r) == nil && r.Check != "" {
			r.Raw = append(json.RawMessage(nil), line...)
			res = append(res, r)
		}
	}
	if err != nil || len(res) == 0 {
		t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", script, err, stdout.String(), stderr.String())
	}
	for _, r := range res {
		if r.Check == "script" {
			t.Fatalf("%s failed: %s", script, r.Detail)
		}
	}
	return res
}

// expectChecks makes every check a script printed a subtest, failed when the check failed, and
// fails for every name of want that did not run. A check added to a script counts without being
// listed here; a listed one cannot go missing unnoticed.
func expectChecks(t *testing.T, rs []result, want ...string) {
	t.Helper()
	ran := map[string]bool{}
	for _, r := range rs {
		ran[r.Check] = true
		t.Run(r.Check, func(t *testing.T) {
			if !r.OK {
				t.Errorf("failed: %s", r.Detail)
			} else if r.Detail != "" {
				t.Log(r.Detail)
			}
		})
	}
	for _, name := range want {
		if !ran[name] {
			t.Errorf("check %q did not run; ran: %v", name, checkNames(rs))
		}
	}
}

// TestMapPage runs the browser checks against the demo data, read as GeoJSON.
func TestMapPage(t *testing.T) {
	node := tools(t)
	db := openDB(t, postgistest.URL(t, true))
	checkPage(t, db, node, serve(t, db, web.Basemap{}, nil), "geojson", filepath.Join(root(t), "test-output"))
}

// TestMapPageVectorTiles runs the same checks with the plots read as vector tiles (the page
// switches to tiles above TileThreshold plots; here 100, below the demo's count).
func TestMapPageVectorTiles(t *testing.T) {
	node := tools(t)
	db := openDB(t, postgistest.URL(t, true))
	checkPage(t, db, node, serveWith(t, withThreshold(db, 100), nil), "tiles", filepath.Join(root(t), "test-output", "tiles"))
}

func checkPage(t *testing.T, db *postgis.DB, node, base, mode, out string) {
	results := run(t, node, base, "checks", "--out", out)
	want := []string{
		"loads without errors or outside requests", "first load fetches no URL twice", "every layer draws features", "legend toggles a layer",
		"filter narrows list and map to the API answer", "shared link restores the filters", "clicking a plot opens its details",
		"English switch changes every label and unit", "plant search lists the API answer", "no console error during the session",
		"phone layout is usable", "phone layout fits in English", "filter choices come from meta",
	}
	expectChecks(t, results, want...)
	got := map[string]result{}
	for _, r := range results {
		got[r.Check] = r
	}
	if r := got["loads without errors or outside requests"]; r.Mode != mode {
		t.Errorf("page read plots as %q, want %q", r.Mode, mode)
	}
	// The filter's answer, checked once more against the store itself (not through HTTP).
	t.Run("filter agrees with the store", func(t *testing.T) {
		r, ok := got["filter narrows list and map to the API answer"]
		if !ok || r.Query == "" {
			t.Fatal("no filter result")
		}
		v, err := url.ParseQuery(r.Query)
		if err != nil {
			t.Fatal(err)
		}
		q, err := web.ParseQuery(inventory.PlotLayer, v)
		if err != nil {
			t.Fatal(err)
		}
		page, err := db.List(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, f := range page.Features {
			want = append(want, f.Code)
		}
		got := slices.Clone(r.Codes)
		sort.Strings(want)
		sort.Strings(got)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("page listed %v for %s; the store has %v", got, r.Query, want)
		}
	})
}

func checkNames(rs []result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Check)
	}
	return out
}

// TestGCJ02Basemap shows the shift: under a GCJ-02 basemap (here a local stand-in that serves
// blank tiles), the map holds every plot's coordinates shifted by geo.WGS84ToGCJ02, about
// 550 m east of where the API puts them.
func TestGCJ02Basemap(t *testing.T) {
	node := tools(t)
	db := openDB(t, postgistest.URL(t, true))
	var blank bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range img.Pix {
		img.Pix[i] = 0
	}
	img.Set(0, 0, color.RGBA{200, 200, 200, 255})
	_ = png.Encode(&blank, img)
	tiles := func(r chi.Router) {
		r.Get("/test-basemap/{z}/{x}/{y}.png", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			_, _ = w.Write(blank.Bytes())
		})
	}
	var base string
	base = serve(t, db, web.Basemap{Name: "test-gcj02", CRS: "gcj02", Tiles: []string{"/test-basemap/{z}/{x}/{y}.png"}}, tiles)
	_ = base
	rs := run(t, node, base, "gcj")
	r := rs[0]
	if !r.OK || len(r.API) != 2 || len(r.Map) != 2 {
		t.Fatalf("gcj run: %s", r.Detail)
	}
	wantLon, wantLat := geo.WGS84ToGCJ02(r.API[0], r.API[1])
	if math.Abs(r.Map[0]-wantLon) > 1e-9 || math.Abs(r.Map[1]-wantLat) > 1e-9 {
		t.Errorf("plot %s: map has %v, want %v, %v (API %v)", r.Code, r.Map, wantLon, wantLat, r.API)
	}
	east := (r.Map[0] - r.API[0]) * math.Pi / 180 * 6371008.8 * math.Cos(r.API[1]*math.Pi/180)
	if east < 450 || east > 650 {
		t.Errorf("shift east %.0f m, want about 550 m", east)
	}
	t.Logf("plot %s drawn %.0f m east of its true position under the GCJ-02 basemap", r.Code, east)
}

// BenchmarkMapLoad measures, in headless chromium, the first load of the land map: the time
// from navigation to the first frame that shows plots (ms/plots, budget 1.5 s on the local demo
// and 5 s on the "Fast 3G" profile), to every layer drawn and labelled (ms/load), and the bytes
// on the wire until then (KiB/load, budget 1 MiB). The cases: the demo data, the demo over
// Chrome DevTools' "Fast 3G" throttling (run.mjs, FAST_3G), and a synthetic zone of 20,000
// plots, read as ST_AsMVT vector tiles (the page switches to tiles above 3,000 plots) and, for
// comparison, as GeoJSON. The figures are printed, not checked: timings depend on the machine.
func BenchmarkMapLoad(b *testing.B) {
	node := tools(b)
	parent := b // owns the databases and servers, which outlive each case's runs
	var synth *postgis.DB
	synthetic20k := func(b *testing.B) *postgis.DB {
		if synth == nil {
			synth = openDB(b, postgistest.URL(b, false))
			if err := synthetic(context.Background(), synth, 200, 100); err != nil {
				b.Fatal(err)
			}
		}
		return synth
	}
	var demo *postgis.DB
	demoDB := func(b *testing.B) *postgis.DB {
		if demo == nil {
			demo = openDB(b, postgistest.URL(b, true))
		}
		return demo
	}
	for _, c := range []struct {
		name      string
		setup     func(b *testing.B) *postgis.DB
		threshold int      // plots above which the page reads vector tiles; 0 is the default
		args      []string // more run.mjs arguments
	}{
		{"demo", demoDB, 0, nil},
		{"demo-fast3g", demoDB, 0, []string{"--net", "fast3g"}},
		{"synthetic-20k-plots-mvt", synthetic20k, 0, nil},
		{"synthetic-20k-plots-geojson", synthetic20k, 1 << 30, nil},
	} {
		// The database and server are set up once per case, on the case's first run (b.Run
		// runs its function more than once, b.N = 1 first), only for the cases -bench selects,
		// and closed with the parent benchmark.
		var base string
		b.Run(c.name, func(b *testing.B) {
			if base == "" {
				base = serveWith(parent, withThreshold(c.setup(parent), c.threshold), nil)
			}
			b.ResetTimer()
			rs := run(b, node, base, "bench", append([]string{"--runs", fmt.Sprint(max(b.N, 3))}, c.args...)...)
			b.StopTimer()
			median := func(xs []float64) (med, top float64) {
				xs = slices.Clone(xs)
				sort.Float64s(xs)
				return xs[len(xs)/2], xs[len(xs)-1]
			}
			if len(rs[0].Times) == 0 || len(rs[0].Plots) != len(rs[0].Times) {
				b.Fatalf("no timings: %s", rs[0].Detail)
			}
			med, top := median(rs[0].Plots)
			b.ReportMetric(med, "ms/plots(median)")
			b.ReportMetric(top, "ms/plots(max)")
			med, top = median(rs[0].Times)
			b.ReportMetric(med, "ms/load(median)")
			b.ReportMetric(top, "ms/load(max)")
			if bs := rs[0].Bytes; len(bs) > 0 {
				b.ReportMetric(bs[0]/1024, "KiB/load") // on the wire, first load
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}

// synthetic fills an empty database with a square zone near Linfen, one district covering it,
// a road grid and nx × ny rectangular plots (20,000 for 200 × 100), all in SQL.
func synthetic(ctx context.Context, db *postgis.DB, nx, ny int) error {
	const lon0, lat0, dlon, dlat = 111.50, 36.00, 0.25, 0.20
	stmts := []string{
		fmt.Sprintf(`insert into zones (code, name, name_en, level, illustrative, geom)
			values ('synthetic', '合成测试开发区', 'Synthetic test zone', 'provincial', true,
			        ST_Multi(ST_MakeEnvelope(%g, %g, %g, %g, 4326)))`, lon0, lat0, lon0+dlon, lat0+dlat),
		fmt.Sprintf(`insert into layout (zone_id, code, kind, name, name_en, geom)
			select id, 'D1', 'district', '合成片区', 'Synthetic district', ST_Multi(ST_MakeEnvelope(%g, %g, %g, %g, 4326)) from zones where code = 'synthetic'`,
			lon0, lat0, lon0+dlon, lat0+dlat),
		fmt.Sprintf(`insert into roads (zone_id, code, name, status, geom)
			select z.id, 'R-' || i, '测试路' || i, (array['existing','planned','under_construction'])[1 + i %% 3],
			       ST_Multi(ST_MakeLine(ST_MakePoint(%g + i * %g, %g), ST_MakePoint(%g + i * %g, %g)))
			from zones z, generate_series(0, 10) i where z.code = 'synthetic'`,
			lon0, dlon/10, lat0, lon0, dlon/10, lat0+dlat),
		fmt.Sprintf(`insert into plots (zone_id, code, name, land_use, status, standard_land, cluster, geom)
			select z.id, format('S-%%s-%%s', lpad(i::text, 3, '0'), lpad(j::text, 3, '0')), format('合成地块%%s-%%s', i, j),
			       '100101', (array['planned','ready','reserved','supplied','under_construction','in_production','idle'])[1 + (i + j) %% 7],
			       (i + j) %% 5 = 0, (array['intelligent_manufacturing','energy_saving_environmental','new_energy','new_materials','modern_services'])[1 + i %% 5],
			       ST_Multi(ST_MakeEnvelope(%g + i * %g + %g, %g + j * %g + %g, %g + (i + 1) * %g - %g, %g + (j + 1) * %g - %g, 4326))
			from zones z, generate_series(0, %d) i, generate_series(0, %d) j where z.code = 'synthetic'`,
			lon0, dlon/float64(nx), dlon/float64(nx)*0.1, lat0, dlat/float64(ny), dlat/float64(ny)*0.1,
			lon0, dlon/float64(nx), dlon/float64(nx)*0.1, lat0, dlat/float64(ny), dlat/float64(ny)*0.1, nx-1, ny-1),
		"analyze plots",
	}
	// The load is an import, with an import's statement timeout (a read's 5 s is too short
	// for 20,000 plots on a loaded machine).
	ctx = inventory.WithQueryKind(ctx, inventory.KindImport)
	for _, s := range stmts {
		if _, err := db.Pool.Exec(ctx, s); err != nil {
			return fmt.Errorf("synthetic zone: %w\n%s", err, s)
		}
	}
	return nil
}
