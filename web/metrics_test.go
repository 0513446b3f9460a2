package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
	"github.com/landinv/landinv/web"
)

// obs is a server built as cmd/landinv serve builds it: metrics on the store's pool, revision
// and statements, a JSON access log, the main listener and the debug (ops) listener.
type obs struct {
	db      *postgis.DB
	main    *httptest.Server
	debug   *httptest.Server
	metrics *web.Metrics
	log     *syncBuffer
}

func newObs(t *testing.T, db *postgis.DB, publicMetrics bool) *obs {
	t.Helper()
	o := &obs{db: db, log: &syncBuffer{}}
	o.metrics = web.NewMetrics(web.MetricsSources{Pool: db.Pool, Revision: db})
	db.ObserveQueries(o.metrics.ObserveQuery)
	t.Cleanup(func() { db.ObserveQueries(nil) })
	d := storeDeps(db)
	d.Log = slog.New(slog.NewJSONHandler(o.log, nil))
	d.Metrics = o.metrics
	d.PublicMetrics = publicMetrics
	o.main = httptest.NewServer(newServer(t, d))
	t.Cleanup(o.main.Close)
	o.debug = httptest.NewServer(web.DebugHandler(o.metrics))
	t.Cleanup(o.debug.Close)
	return o
}

// syncBuffer is a log destination the server's goroutines write while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// accessLine waits (up to 5 s: the line is written as the handler returns) for the access-log
// line that match accepts, each line parsed as JSON.
func (s *syncBuffer) accessLine(t *testing.T, match func(map[string]any) bool) map[string]any {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, line := range strings.Split(strings.TrimSpace(s.String()), "\n") {
			if line == "" {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("access log line is not JSON: %v: %s", err, line)
			}
			if m["msg"] == "request" && match(m) {
				return m
			}
		}
	}
	t.Fatalf("no matching access-log line in:\n%s", s.String())
	return nil
}

// metricSet is one scrape of /metrics, parsed by the Prometheus text parser.
type metricSet map[string]*dto.MetricFamily

func scrape(t *testing.T, base string) metricSet {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET /metrics = %d: %s", resp.StatusCode, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, body)
	}
	return fams
}

// value is the counter's or gauge's value, or the histogram's sample count, of the series
// with exactly these labels; 0 when there is none yet.
func (ms metricSet) value(name string, labels map[string]string) float64 {
	f, ok := ms[name]
	if !ok {
		return 0
	}
	for _, m := range f.GetMetric() {
		if len(m.GetLabel()) != len(labels) {
			continue
		}
		same := true
		for _, l := range m.GetLabel() {
			if labels[l.GetName()] != l.GetValue() {
				same = false
			}
		}
		if !same {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue()
		case m.Gauge != nil:
			return m.GetGauge().GetValue()
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount())
		}
	}
	return 0
}

func status(t *testing.T, method, u string, header http.Header) int {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestMetricsCountRequestsByRoutePattern(t *testing.T) {
	o := newObs(t, postgistest.NewWithDemo(t), false)
	req := func(route, method, status string) map[string]string {
		return map[string]string{"route": route, "method": method, "status": status}
	}
	before := scrape(t, o.debug.URL)
	var plots fc
	getJSON(t, o.main, "/api/v1/plots", 200, &plots)
	getJSON(t, o.main, "/api/v1/plots?limit=1", 200, nil)
	getJSON(t, o.main, "/api/v1/plots/NO-SUCH-PLOT", 404, nil)
	getJSON(t, o.main, "/api/v1/no-such-path", 404, nil)
	getJSON(t, o.main, "/no/such/path/either", 404, nil)
	if got := status(t, "BREW", o.main.URL+"/api/v1/plots", nil); got != 405 {
		t.Fatalf("BREW /api/v1/plots = %d, want 405", got)
	}
	if got := status(t, "HEAD", o.main.URL+"/api/v1/zones", nil); got != 200 {
		t.Fatalf("HEAD /api/v1/zones = %d, want 200", got)
	}
	after := scrape(t, o.debug.URL)

	for _, tc := range []struct {
		name   string
		labels map[string]string
		delta  float64
	}{
		{"landinv_http_requests_total", req("/api/v1/plots", "GET", "200"), 2},
		{"landinv_http_requests_total", req("/api/v1/plots/{code}", "GET", "404"), 1},
		{"landinv_http_requests_total", req("unmatched", "GET", "404"), 2},
		{"landinv_http_requests_total", req("/api/v1/plots", "OTHER", "405"), 1},
		{"landinv_http_requests_total", req("/api/v1/zones", "HEAD", "200"), 1},
		{"landinv_http_request_duration_seconds", map[string]string{"route": "/api/v1/plots", "method": "GET"}, 2},
		{"landinv_http_request_duration_seconds", map[string]string{"route": "/api/v1/plots/{code}", "method": "GET"}, 1},
	} {
		if got := after.value(tc.name, tc.labels) - before.value(tc.name, tc.labels); got != tc.delta {
			t.Errorf("%s%v moved by %v, want %v", tc.name, tc.labels, got, tc.delta)
		}
	}
	// Only route patterns are labels: no series names a raw path.
	for _, m := range after["landinv_http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if strings.Contains(l.GetValue(), "NO-SUCH") || strings.Contains(l.GetValue(), "no-such") || strings.Contains(l.GetValue(), "BREW") {
				t.Errorf("a label holds a raw request value: %v", m.GetLabel())
			}
		}
	}
	// The list ran at least one query of kind read (the default kind), timed by the tracer.
	kind := map[string]string{"kind": string(inventory.KindRead)}
	if after.value("landinv_db_query_duration_seconds", kind) <= before.value("landinv_db_query_duration_seconds", kind) {
		t.Errorf("no query duration sample of kind read after a list")
	}
	if _, ok := after["landinv_db_statement_timeouts_total"]; !ok {
		t.Errorf("no landinv_db_statement_timeouts_total series")
	}
	// The revision gauge is the inventory's revision counter, read from its table (not through
	// the store call the gauge itself uses).
	var rev int64
	if err := o.db.Pool.QueryRow(context.Background(), "select n from inventory_revision").Scan(&rev); err != nil {
		t.Fatal(err)
	}
	if got := after.value("landinv_inventory_revision", nil); got != float64(rev) || rev == 0 {
		t.Errorf("landinv_inventory_revision = %v, the counter is %d", got, rev)
	}
	// The gauge follows the counter when it moves (a gauge stuck at its first value fails).
	if _, err := o.db.Pool.Exec(context.Background(), "update inventory_revision set n = n + 5"); err != nil {
		t.Fatal(err)
	}
	if got := scrape(t, o.debug.URL).value("landinv_inventory_revision", nil); got != float64(rev+5) {
		t.Errorf("landinv_inventory_revision = %v after the counter moved to %d", got, rev+5)
	}
	if after.value("go_goroutines", nil) == 0 {
		t.Errorf("no Go runtime metrics")
	}
}

func TestMetricsPoolReportsConfiguredSize(t *testing.T) {
	u := postgistest.URL(t, false)
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	db, err := postgis.Open(context.Background(), u+sep+"pool_max_conns=7", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	o := newObs(t, db, false)
	if status(t, "GET", o.main.URL+"/readyz", nil) != 200 {
		t.Fatal("not ready")
	}
	// Hold two connections: the gauges must say so.
	ctx := context.Background()
	c1, err := db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m := scrape(t, o.debug.URL)
	c1.Release()
	c2.Release()
	for name, want := range map[string]float64{
		"landinv_db_pool_max_connections":      7,
		"landinv_db_pool_acquired_connections": 2,
	} {
		if got := m.value(name, nil); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if got := m.value("landinv_db_pool_acquires_total", nil); got < 2 { // c1, c2 (readyz has its own connection, outside the pool)
		t.Errorf("landinv_db_pool_acquires_total = %v, want ≥ 2", got)
	}
	if m.value("landinv_db_pool_total_connections", nil) < 2 {
		t.Errorf("landinv_db_pool_total_connections < 2 while two are held")
	}
	if _, ok := m["landinv_db_pool_empty_acquire_wait_seconds_total"]; !ok {
		t.Errorf("no pool wait time")
	}
}

func TestMetricsCountImportedFeatures(t *testing.T) {
	e := newEditEnv(t)
	o := newObs(t, e.db, false)
	file := `{"type":"FeatureCollection","features":[` +
		feat(box(111.53, 36.03, 111.54, 36.04), `{"编号":"N1","land_use":"100101","status":"planned"}`) + `,` +
		feat(box(111.56, 36.07, 111.57, 36.08), `{"编号":"N2","land_use":"100101","status":"planned"}`) + `]}`
	before := scrape(t, o.debug.URL)
	for _, q := range []string{"&dry_run=true", ""} {
		req, _ := http.NewRequest("POST", o.main.URL+"/api/v1/import?layer=plots&map="+url.QueryEscape("编号=code")+q, strings.NewReader(file))
		req.Header.Set("Authorization", "Bearer "+e.tokens["alice"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("import%s: %d %s", q, resp.StatusCode, body)
		}
	}
	after := scrape(t, o.debug.URL)
	plots := map[string]string{"layer": "plots"}
	if got := after.value("landinv_import_features_total", plots) - before.value("landinv_import_features_total", plots); got != 2 {
		t.Errorf("imported features moved by %v, want 2 (the dry run imports none)", got)
	}
	for _, outcome := range []string{"committed", "dry_run"} {
		l := map[string]string{"layer": "plots", "outcome": outcome}
		if got := after.value("landinv_import_duration_seconds", l) - before.value("landinv_import_duration_seconds", l); got != 1 {
			t.Errorf("import duration samples %v moved by %v, want 1", l, got)
		}
	}
	write := map[string]string{"route": "/api/v1/import", "method": "POST", "status": "200"}
	if got := after.value("landinv_http_requests_total", write) - before.value("landinv_http_requests_total", write); got != 2 {
		t.Errorf("import requests moved by %v, want 2", got)
	}
}

func TestMetricsAndPprofListeners(t *testing.T) {
	db := postgistest.New(t)
	private := newObs(t, db, false)
	public := newObs(t, db, true)
	for _, tc := range []struct {
		name string
		url  string
		want int
	}{
		{"metrics off the main listener by default", private.main.URL + "/metrics", 404},
		{"metrics on the main listener with PublicMetrics", public.main.URL + "/metrics", 200},
		{"metrics on the debug listener", private.debug.URL + "/metrics", 200},
		{"pprof not on the main listener", private.main.URL + "/debug/pprof/", 404},
		{"pprof heap not on the main listener", public.main.URL + "/debug/pprof/heap", 404},
		{"pprof index on the debug listener", private.debug.URL + "/debug/pprof/", 200},
		{"pprof goroutine profile on the debug listener", private.debug.URL + "/debug/pprof/goroutine?debug=1", 200},
		{"nothing else on the debug listener", private.debug.URL + "/api/v1/plots", 404},
	} {
		if got := status(t, "GET", tc.url, nil); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	// The metrics served on either listener are the same registry's.
	getJSON(t, public.main, "/healthz", 200, nil)
	l := map[string]string{"route": "/healthz", "method": "GET", "status": "200"}
	if a, b := scrape(t, public.main.URL).value("landinv_http_requests_total", l), scrape(t, public.debug.URL).value("landinv_http_requests_total", l); a != 1 || b != 1 {
		t.Errorf("healthz counted %v on the main listener's /metrics and %v on the debug listener's, want 1", a, b)
	}
}

func TestRateLimitedHook(t *testing.T) {
	m := web.NewMetrics(web.MetricsSources{})
	srv := httptest.NewServer(web.DebugHandler(m))
	defer srv.Close()
	m.RateLimited()
	m.RateLimited()
	if got := scrape(t, srv.URL).value("landinv_http_rate_limited_total", nil); got != 2 {
		t.Errorf("landinv_http_rate_limited_total = %v after two, want 2", got)
	}
}
