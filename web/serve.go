package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ErrDrainOver is the cause of the cancellation of the requests still running when the drain
// time is over.
var ErrDrainOver = errors.New("the server is shutting down and the drain time is over")

// Serve serves srv on ln until ctx is done (SIGTERM), then drains: it stops accepting
// connections and lets the requests in flight finish for up to drain. A request still running
// then is aborted: its context is cancelled (its queries stop) and its connection closed, so
// its client sees a reset or an unexpected end of the body, never a complete-looking 200
// (a streaming list ends without its closing bracket and without the chunked body's end).
//
// Serve sets srv.BaseContext; it returns nil after a drain, with or without aborts.
func Serve(ctx context.Context, srv *http.Server, ln net.Listener, drain time.Duration, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	base, abort := context.WithCancelCause(context.Background())
	defer abort(nil)
	srv.BaseContext = func(net.Listener) context.Context { return base }
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("draining", "for", drain)
	shutdown, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	err := srv.Shutdown(shutdown)
	if errors.Is(err, context.DeadlineExceeded) {
		log.Warn("drain time is over; aborting the requests still running", "drain", drain)
		abort(ErrDrainOver)
		if err := srv.Close(); err != nil {
			return fmt.Errorf("serve: close: %w", err)
		}
		return nil
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	return nil
}
