package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzhttp"

	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/web"
)

// A race side is one server of BenchmarkPageRace in a process of its own, as the servers it
// stands for run: the test binary started again with raceSideEnv naming the side and raceDBEnv
// the database, serving until its standard input closes. Each side then pays its own garbage
// collection on its own clock and holds its own pool, instead of sharing the benchmark's process
// (and its collections) with the other side and the clients.
const (
	raceSideEnv = "LANDINV_RACE_SIDE" // landinv, landinv-nocache or reference
	raceDBEnv   = "LANDINV_RACE_DB"
	// raceRefGOGCEnv, when set, is the reference's GOGC (Go's default, 100, otherwise; the
	// anchors ship with the default): the race's ratios depend on how often the reference
	// collects its garbage, README "Performance" has figures for both.
	raceRefGOGCEnv = "LANDINV_RACE_REF_GOGC"
	// raceStatsPath answers a side's feature cache counters (FeatureCacheStats as JSON).
	raceStatsPath = "/_race/feature-cache-stats"
)

// serveRaceSide serves the race side named in the environment and returns true when it is
// done, or returns false at once when this process is not a race side (TestMain).
func serveRaceSide() bool {
	side := os.Getenv(raceSideEnv)
	if side == "" {
		return false
	}
	if os.Getenv(raceDBEnv) == "" { // not started by startRaceSide: say so rather than run no tests
		fmt.Fprintf(os.Stderr, "%s is set without %s: unset it to run the tests\n", raceSideEnv, raceDBEnv)
		os.Exit(2)
	}
	if err := runRaceSide(side, os.Getenv(raceDBEnv), os.Stdin, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "race side %s: %v\n", side, err)
		os.Exit(1)
	}
	return true
}

func runRaceSide(side, url string, stdin io.Reader, stdout io.Writer) error {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts := postgis.Options{}
	if side != "landinv" { // the reference reads no feature texts; landinv-nocache builds every page
		opts.FeatureCacheBytes = -1
	}
	db, err := postgis.OpenWith(ctx, url, quiet, opts)
	if err != nil {
		return err
	}
	defer db.Close()
	var h http.Handler
	switch side {
	case "landinv", "landinv-nocache":
		s, err := web.NewServer(storeDeps(db))
		if err != nil {
			return err
		}
		h = s
	case "reference":
		h = gzhttp.GzipHandler(&refServer{pool: db.Pool.Pool, cols: refColumns()})
	default:
		return fmt.Errorf("no side %q", side)
	}
	mux := http.NewServeMux()
	mux.HandleFunc(raceStatsPath, func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(db.FeatureCacheStats())
	})
	mux.Handle("/", h)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck
	fmt.Fprintln(stdout, "http://"+ln.Addr().String())
	_, _ = io.Copy(io.Discard, stdin) // until the benchmark closes it
	return srv.Close()
}

// raceSide is a started race side: its base URL.
type raceSide struct {
	URL string
}

// startRaceSide starts this test binary again as the race side named, on the database at url,
// and stops it when b ends. Every side runs with Go's default GOGC and no GOMEMLIMIT, whatever
// the benchmark's own environment says, but the reference's GOGC is raceRefGOGCEnv's when set.
func startRaceSide(b *testing.B, side, url string) *raceSide {
	b.Helper()
	// The side stops when its standard input closes (Cancel); exec kills one that has not
	// stopped WaitDelay later.
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "GOGC=") || strings.HasPrefix(kv, "GOMEMLIMIT=")
	})
	cmd.Env = append(cmd.Env, raceSideEnv+"="+side, raceDBEnv+"="+url)
	if g := os.Getenv(raceRefGOGCEnv); g != "" && side == "reference" {
		cmd.Env = append(cmd.Env, "GOGC="+g)
	}
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		cancel()
		b.Fatal(err)
	}
	cmd.Cancel = in.Close
	cmd.WaitDelay = 5 * time.Second
	ready := &firstLine{line: make(chan string, 1)}
	cmd.Stdout = ready // the side's address, then whatever it writes (discarded, never blocking it)
	if err := cmd.Start(); err != nil {
		cancel()
		b.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	b.Cleanup(func() { cancel(); <-exited })
	select {
	case line := <-ready.line:
		return &raceSide{URL: strings.TrimSpace(line)}
	case err := <-exited:
		exited <- err // for the cleanup
		b.Fatalf("race side %s ended before serving: %v", side, err)
	case <-time.After(60 * time.Second):
		b.Fatalf("race side %s did not start within a minute", side)
	}
	return nil
}

// stats reads the side's feature cache counters.
func (s *raceSide) stats(b *testing.B) postgis.FeatureCacheStats {
	b.Helper()
	resp, err := http.Get(s.URL + raceStatsPath)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var st postgis.FeatureCacheStats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		b.Fatal(err)
	}
	return st
}

// firstLine is a race side's standard output: it passes on the first line written and
// discards the rest.
type firstLine struct {
	buf  []byte
	sent bool
	line chan string
}

func (f *firstLine) Write(p []byte) (int, error) {
	if !f.sent {
		f.buf = append(f.buf, p...)
		if i := bytes.IndexByte(f.buf, '\n'); i >= 0 {
			f.line <- string(f.buf[:i+1])
			f.sent = true
		}
	}
	return len(p), nil
}
