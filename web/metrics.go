package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/landinv/landinv/inventory"
)

// Metrics are the server's Prometheus metrics (监控指标), on a registry of their own: nothing
// is registered on the client library's global default registry. NewMetrics builds them;
// Deps.Metrics hands them to the server, which counts every request; the store reports its
// statements through ObserveQuery (postgis.DB.ObserveQueries); the rate limiter calls
// RateLimited. Handler serves them in the Prometheus text format.
//
// Labels are bounded: a request is labelled by its chi route pattern (never the raw path;
// "unmatched" when no route matched), its method (one of the methods HTTP defines, else
// OTHER) and its status; a query by its inventory.QueryKind.
type Metrics struct {
	reg *prometheus.Registry

	requests    *prometheus.CounterVec   // route, method, status
	latency     *prometheus.HistogramVec // route, method
	rateLimited prometheus.Counter
	queries     *prometheus.HistogramVec // kind
	timeouts    *prometheus.CounterVec   // kind
	imported    *prometheus.CounterVec   // layer
	importTime  *prometheus.HistogramVec // layer, outcome
}

// MetricsSources are what the metrics read when scraped. Either may be nil: its metrics are
// then absent.
type MetricsSources struct {
	// Pool is the store's connection pool (postgis.DB.Pool): in use, idle, total, maximum,
	// acquires and the waits for a free connection.
	Pool interface{ Stat() *pgxpool.Stat }
	// Revision reads the inventory's revision counter (postgis.DB).
	Revision interface {
		Revision(ctx context.Context) (int64, error)
	}
	// Replicas checks the read replicas (postgis.DB): up, lag, revision, statements,
	// fallbacks; one series per replica, labelled by its host:port.
	Replicas interface {
		ReplicaStatus(ctx context.Context) []inventory.ReplicaStatus
	}
}

// queryKinds are the inventory.QueryKind values the per-kind series start at zero for, so that
// a rate or an alert on them has a series before the first sample.
var queryKinds = []inventory.QueryKind{inventory.KindHealth, inventory.KindRead, inventory.KindCostly,
	inventory.KindTile, inventory.KindReport, inventory.KindWrite, inventory.KindImport}

// NewMetrics builds the metrics on a new registry, with the Go runtime and process collectors
// (heap, goroutines, RSS, open files) beside landinv's own.
func NewMetrics(src MetricsSources) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "landinv_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status (499: the client went away first).",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "landinv_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern and method.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"route", "method"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "landinv_http_rate_limited_total",
			Help: "Requests refused by the per-client rate limit (429).",
		}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "landinv_db_query_duration_seconds",
			Help:    "Duration of the store's SQL statements (until their rows are closed), by query kind.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"kind"}),
		timeouts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "landinv_db_statement_timeouts_total",
			Help: "Statements PostgreSQL cancelled by their statement timeout (SQLSTATE 57014), by query kind.",
		}, []string{"kind"}),
		imported: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "landinv_import_features_total",
			Help: "Features created or updated by committed imports, by layer; its rate is the import throughput.",
		}, []string{"layer"}),
		importTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "landinv_import_duration_seconds",
			Help:    "Duration of imports through the API, by layer and outcome (committed, dry_run, rejected).",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600},
		}, []string{"layer", "outcome"}),
	}
	for _, k := range queryKinds {
		m.timeouts.WithLabelValues(string(k))
	}
	m.reg.MustRegister(m.requests, m.latency, m.rateLimited, m.queries, m.timeouts, m.imported, m.importTime,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src.Pool != nil {
		m.reg.MustRegister(poolCollector{src.Pool})
	}
	if src.Revision != nil {
		m.reg.MustRegister(revisionCollector{src.Revision})
	}
	if src.Replicas != nil {
		m.reg.MustRegister(replicaCollector{src.Replicas})
	}
	return m
}

// Registry returns the metrics' own registry, e.g. to register another collector on it.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text (or negotiated OpenMetrics) format. A
// collector that fails (the revision while the database is down) is left out of that scrape;
// the rest is still served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, ErrorHandling: promhttp.ContinueOnError})
}

// RateLimited counts one request refused by the rate limiter.
func (m *Metrics) RateLimited() { m.rateLimited.Inc() }

// ObserveQuery records one statement of the store (a postgis.QueryObserver).
func (m *Metrics) ObserveQuery(kind inventory.QueryKind, took time.Duration, timedOut bool) {
	m.queries.WithLabelValues(string(kind)).Observe(took.Seconds())
	if timedOut {
		m.timeouts.WithLabelValues(string(kind)).Inc()
	}
}

// observeRequest records one answered request.
func (m *Metrics) observeRequest(route, method string, status int, took time.Duration) {
	method = metricMethod(method)
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(took.Seconds())
}

// observeImport records one import through the API: its duration and, when it committed, the
// features it created or updated.
func (m *Metrics) observeImport(layer, outcome string, features int, took time.Duration) {
	if features > 0 {
		m.imported.WithLabelValues(layer).Add(float64(features))
	}
	m.importTime.WithLabelValues(layer, outcome).Observe(took.Seconds())
}

// metricMethod keeps the method label bounded: a client may send any token as a method.
func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}

// poolCollector reads the pool's statistics when scraped.
type poolCollector struct {
	pool interface{ Stat() *pgxpool.Stat }
}

var (
	poolAcquired     = prometheus.NewDesc("landinv_db_pool_acquired_connections", "Connections in use.", nil, nil)
	poolIdle         = prometheus.NewDesc("landinv_db_pool_idle_connections", "Idle connections.", nil, nil)
	poolConstructing = prometheus.NewDesc("landinv_db_pool_constructing_connections", "Connections being opened.", nil, nil)
	poolTotal        = prometheus.NewDesc("landinv_db_pool_total_connections", "Open connections (in use, idle and being opened).", nil, nil)
	poolMax          = prometheus.NewDesc("landinv_db_pool_max_connections", "The pool's size (pool_max_conns).", nil, nil)
	poolAcquires     = prometheus.NewDesc("landinv_db_pool_acquires_total", "Successful connection acquires.", nil, nil)
	poolAcquireSecs  = prometheus.NewDesc("landinv_db_pool_acquire_seconds_total", "Total time spent acquiring connections.", nil, nil)
	poolWaits        = prometheus.NewDesc("landinv_db_pool_empty_acquires_total", "Acquires that had to wait because no connection was idle.", nil, nil)
	poolWaitSecs     = prometheus.NewDesc("landinv_db_pool_empty_acquire_wait_seconds_total", "Total time acquires waited for a free connection.", nil, nil)
	poolCanceled     = prometheus.NewDesc("landinv_db_pool_canceled_acquires_total", "Acquires abandoned because their request's context ended.", nil, nil)
	poolNew          = prometheus.NewDesc("landinv_db_pool_new_connections_total", "Connections opened.", nil, nil)
)

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolAcquired, poolIdle, poolConstructing, poolTotal, poolMax,
		poolAcquires, poolAcquireSecs, poolWaits, poolWaitSecs, poolCanceled, poolNew} {
		ch <- d
	}
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(poolAcquired, float64(s.AcquiredConns()))
	gauge(poolIdle, float64(s.IdleConns()))
	gauge(poolConstructing, float64(s.ConstructingConns()))
	gauge(poolTotal, float64(s.TotalConns()))
	gauge(poolMax, float64(s.MaxConns()))
	counter(poolAcquires, float64(s.AcquireCount()))
	counter(poolAcquireSecs, s.AcquireDuration().Seconds())
	counter(poolWaits, float64(s.EmptyAcquireCount()))
	counter(poolWaitSecs, s.EmptyAcquireWaitTime().Seconds())
	counter(poolCanceled, float64(s.CanceledAcquireCount()))
	counter(poolNew, float64(s.NewConnsCount()))
}

// revisionCollector reads the inventory's revision when scraped; when the database does not
// answer within two seconds the gauge is left out of that scrape.
type revisionCollector struct {
	src interface {
		Revision(ctx context.Context) (int64, error)
	}
}

var revisionDesc = prometheus.NewDesc("landinv_inventory_revision",
	"The inventory's revision counter, bumped once per committed change.", nil, nil)

func (c revisionCollector) Describe(ch chan<- *prometheus.Desc) { ch <- revisionDesc }

func (c revisionCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(inventory.WithQueryKind(context.Background(), inventory.KindHealth), 2*time.Second)
	defer cancel()
	rev, err := c.src.Revision(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(revisionDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(revisionDesc, prometheus.GaugeValue, float64(rev))
}
