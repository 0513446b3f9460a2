package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/web"
)

// mounts are extra routes other files of this package wire in (the page, editing, reports),
// each given the open database.
var mounts []func(db *postgis.DB, s *web.Server) func(r chi.Router)

// configure lets other files of this package adjust the server (e.g. authentication).
var configure []func(db *postgis.DB, s *web.Server)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "listen on `HOST:PORT`")
	zone := fs.String("zone", "", "default zone `CODE` when a request names none (default: the first zone by code)")
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
	s := &web.Server{Inventory: db, Log: e.log}
	for _, c := range configure {
		c(db, s)
	}
	for _, m := range mounts {
		s.Mount = append(s.Mount, m(db, s))
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           s.Handler(),
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
