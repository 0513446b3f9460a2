package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
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

// raceSide is a started race side: its base URL, and its feature cache's counters.
type raceSide struct {
	URL  string
	stop func()
}

// startRaceSide starts this test binary again as the race side named, on the database at url,
// and stops it when b ends.
func startRaceSide(b *testing.B, side, url string) *raceSide {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), raceSideEnv+"="+side, raceDBEnv+"="+url)
	if g := os.Getenv(raceRefGOGCEnv); g != "" && side == "reference" {
		cmd.Env = append(cmd.Env, "GOGC="+g)
	}
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	stop := func() { in.Close(); _ = cmd.Wait() }
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		stop()
		b.Fatalf("race side %s did not start: %v", side, err)
	}
	b.Cleanup(stop)
	return &raceSide{URL: strings.TrimSpace(line), stop: stop}
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
