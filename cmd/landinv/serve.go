package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/landinv/landinv/web"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "listen on `HOST:PORT`")
	zone := fs.String("zone", "", "default zone `CODE` when a request names none (default: the first zone by code)")
	imports := fs.Int("imports", web.DefaultMaxImports, "run at most `N` imports at once; one more is answered 503 (per process)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if *zone != "" {
		db.SetDefaultZone(*zone)
	}
	s, err := web.NewServer(web.Deps{
		Zones: db, Features: db, Health: db, Editor: db, History: db, Importer: db, Reports: db, Map: db, Tiles: db,
		Authenticate: web.TokenAuthenticator(db.Authenticate),
		Log:          e.log,
		Basemap:      basemapFromEnv(os.Getenv, e.log),
		MaxImports:   *imports,
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
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	e.log.Info("serving", "addr", *addr, "url", fmt.Sprintf("http://localhost%s/", portOf(*addr)))
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	return nil
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
//	LANDINV_BASEMAP_URL=https://…/{z}/{x}/{y}.png and LANDINV_BASEMAP_CRS=cgcs2000|gcj02
//	                                        any other XYZ raster tile service
//
// Without them the page uses no tile service at all and works offline.
func basemapFromEnv(getenv func(string) string, log *slog.Logger) web.Basemap {
	var b web.Basemap
	if name := getenv("LANDINV_BASEMAP"); name != "" && name != "none" {
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
	return b
}
