package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/landinv/landinv/web"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "listen on `HOST:PORT`")
	zone := fs.String("zone", "", "default zone `CODE` when a request names none (default: the first zone by code)")
	ogcCRS := fs.String("ogc-crs", os.Getenv("LANDINV_OGC_CRS"), "extra EPSG `CODES` (comma-separated, e.g. 4545,4547) the /ogc collections are offered in (env LANDINV_OGC_CRS)")
	debugAddr := fs.String("debug-addr", "127.0.0.1:6060", "serve pprof (/debug/pprof/) and Prometheus /metrics on `HOST:PORT`; empty disables")
	publicMetrics := fs.Bool("public-metrics", false, "also serve /metrics on --addr")
	logFormat := fs.String("log-format", "json", "log and access-log `FORMAT`: json (one object per line) or text")
	drain := fs.Duration("drain", 10*time.Second, "on SIGTERM, let requests in flight finish for up to `D`, then abort them")
	rate := fs.Int("rate", 600, "requests a minute one client address of the public may make (`N`; 0: no limit; per process)")
	// 120: one view of the report page asks for five reports and one load of the map for five
	// whole layers, each costly; 30 (before) throttled one person clicking through the reports.
	rateCostly := fs.Int("rate-costly", 120, "costly reads and reports a minute one client address of the public may ask for (`N`; 0: no limit; per process)")
	secure := fs.Bool("secure-cookie", false, "mark the session cookie Secure on every request (behind a proxy that ends TLS); it is on TLS requests anyway")
	clientIP := fs.String("client-ip-header", "", "`HEADER` a trusted proxy puts the client's address in (X-Forwarded-For: its last entry, or X-Real-IP), for every per-client limit (the public's rate limits, failed credentials, sign-in, enquiries); unset: the connection's address, which behind a proxy is the proxy's for every client")
	failedAuthDefault, err := envInt(os.Getenv, "LANDINV_RATE_FAILED_AUTH", web.DefaultFailedAuthPerMinute)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	rateFailedAuth := fs.Int("rate-failed-auth", failedAuthDefault, "requests with failed credentials (a Bearer token or a session cookie) a minute one client address may send before it gets 429 (`N`; 0: no limit; per process; env LANDINV_RATE_FAILED_AUTH)")
	imports := fs.Int("imports", web.DefaultMaxImports, "run at most `N` imports at once; one more is answered 503 (per process)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var extraCRS []int
	for _, c := range strings.Split(*ogcCRS, ",") {
		if c = strings.TrimPrefix(strings.TrimSpace(c), "EPSG:"); c == "" {
			continue
		}
		n, err := strconv.Atoi(c)
		if err != nil {
			return fmt.Errorf("serve: --ogc-crs: %q is not an EPSG code", c)
		}
		extraCRS = append(extraCRS, n)
	}
	log, err := newLogger(e.stderr, *logFormat)
	if err != nil {
		return err
	}
	e.log = log
	// The handlers' internal-error lines go through the default logger.
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(log)
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if *zone != "" {
		db.SetDefaultZone(*zone)
	}
	sessions, err := web.NewSessions(web.SessionConfig{Accounts: db, Store: db.Sessions(), SecureCookie: *secure, ClientIPHeader: *clientIP})
	if err != nil {
		return err
	}
	basemap, err := basemapFromEnv(os.Getenv, e.log)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	metrics := web.NewMetrics(web.MetricsSources{Pool: db.Pool, Revision: db, Replicas: db})
	db.ObserveQueries(metrics.ObserveQuery)
	release, err := web.ExecutableRelease()
	if err != nil {
		return err
	}
	s, err := web.NewServer(web.Deps{
		Zones: db, Features: db, Health: db, Editor: db, History: db, Importer: db, Reports: db, Map: db, Tiles: db, TileChanges: db,
		Sites: db, Enquiries: db, Projects: db, Matcher: db, Rankings: db,
		Extents: db, OGCCRS: extraCRS,
		Evaluations:    db,
		Users:          db,
		Authenticate:   web.TokenAuthenticator(db.Authenticate),
		Sessions:       sessions,
		Log:            e.log,
		Metrics:        metrics,
		PublicMetrics:  *publicMetrics,
		Basemap:        basemap,
		Limits:         webLimits(db.Timeouts(), *rate, *rateCostly, *rateFailedAuth),
		MaxImports:     *imports,
		ClientIPHeader: *clientIP,
		Release:        release,
	})
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // imports may be large
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	e.log.Info("serving", "addr", *addr, "url", fmt.Sprintf("http://localhost%s/", portOf(*addr)))
	if debug := debugServer(*debugAddr, metrics, e.log); debug != nil {
		go func() {
			// Not fatal: the service does not depend on its ops listener (e.g. two
			// servers on one host both defaulting to port 6060).
			if err := debug.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
				e.log.Error("debug listener failed; serving without pprof and /metrics", "addr", *debugAddr, "err", err)
			}
		}()
		defer debug.Close() // profiles in progress are cut: the ops listener does not drain
	}
	return web.Serve(ctx, srv, ln, *drain, e.log)
}

// debugServer is the ops listener on addr (nil when addr is empty): pprof and /metrics
// (web.DebugHandler). It warns when addr is not a loopback address, since profiles and
// metrics then reach the network.
func debugServer(addr string, m *web.Metrics, log *slog.Logger) *http.Server {
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		log.Warn("the debug listener (pprof, /metrics) is not bound to localhost", "debug_addr", addr)
	}
	log.Info("debug listener", "addr", addr, "pprof", "/debug/pprof/", "metrics", "/metrics")
	return &http.Server{Addr: addr, Handler: web.DebugHandler(m), ReadHeaderTimeout: 10 * time.Second}
}

func portOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[i:]
		}
	}
	return addr
}

// basemapFromEnv reads the map page's optional basemap from the environment:
//
//	LANDINV_BASEMAP=tianditu|amap|tencent   a preset (tianditu also needs LANDINV_TIANDITU_KEY)
//	LANDINV_BASEMAP=/path/to/file.pmtiles   a local PMTiles archive (vector or raster) that
//	                                        landinv serves itself under /basemap/, with
//	LANDINV_BASEMAP_STYLE=/path/style.json  optionally a MapLibre style for it
//	LANDINV_BASEMAP_URL=https://…/{z}/{x}/{y}.png and LANDINV_BASEMAP_CRS=cgcs2000|gcj02
//	                                        any other XYZ raster tile service
//
// Without them the page uses no tile service at all and works offline. A local archive or
// style that cannot be read is an error: the server does not start.
func basemapFromEnv(getenv func(string) string, log *slog.Logger) (web.Basemap, error) {
	var b web.Basemap
	if name := getenv("LANDINV_BASEMAP"); strings.HasSuffix(strings.ToLower(name), ".pmtiles") || strings.ContainsRune(name, os.PathSeparator) {
		return web.LocalBasemap(name, getenv("LANDINV_BASEMAP_STYLE"))
	} else if name != "" && name != "none" {
		if preset, ok := web.BasemapPreset(name, getenv("LANDINV_TIANDITU_KEY")); ok {
			b = preset
		} else {
			log.Warn("LANDINV_BASEMAP is unknown or lacks its key; serving without a basemap", "basemap", name)
		}
	}
	if u := getenv("LANDINV_BASEMAP_URL"); u != "" {
		crs := getenv("LANDINV_BASEMAP_CRS")
		if crs != "gcj02" {
			crs = "cgcs2000"
		}
		b = web.Basemap{Name: "custom", Tiles: []string{u}, CRS: crs}
	}
	return b, nil
}
