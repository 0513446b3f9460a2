package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
	"github.com/landinv/landinv/web"
)

// The tests that play faults: each runs on a throwaway cluster of its own
// (postgistest.NewCluster), so that stopping it or flooding it leaves the shared test server
// alone.

func quietLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
}

func openCluster(t *testing.T, c *postgistest.Cluster, opts postgis.Options) *postgis.DB {
	t.Helper()
	db, err := postgis.OpenWith(context.Background(), c.URL, quietLog(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// answer is what a client got: the status, Retry-After, the content type, and whether the
// body was read to its end (a reset or an unexpected EOF is not) and parses as JSON.
type answer struct {
	status     int
	retry      string
	ctype      string
	complete   bool
	validJSON  bool
	body       []byte
	connFailed bool
}

func ask(client *http.Client, url string) answer {
	resp, err := client.Get(url)
	if err != nil {
		return answer{connFailed: true}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, retry: resp.Header.Get("Retry-After"), ctype: resp.Header.Get("Content-Type"),
		complete: err == nil, validJSON: json.Valid(b), body: b}
}

// checkNeverBroken fails on a 500 and on a response that reads to its end as a 200 without
// being valid JSON (a cut page sent as a whole one).
func checkNeverBroken(t *testing.T, path string, a answer) {
	t.Helper()
	if a.status == http.StatusInternalServerError {
		t.Errorf("%s: 500: %s", path, a.body)
	}
	if a.status == http.StatusOK && a.complete && !a.validJSON {
		t.Errorf("%s: a complete-looking 200 whose body is not JSON (%d bytes)", path, len(a.body))
	}
	if a.status == http.StatusServiceUnavailable && (a.retry == "" || !strings.Contains(a.ctype, "problem+json")) {
		t.Errorf("%s: 503 without Retry-After (%q) or problem document (%q)", path, a.retry, a.ctype)
	}
}

// TestDatabaseOutageIs503ThenRecovers stops the database under a read load: every answer is
// then a 503 with Retry-After (never a 500), and once the database is back the same process
// answers 200 again, without a restart.
func TestDatabaseOutageIs503ThenRecovers(t *testing.T) {
	c := postgistest.NewCluster(t, true)
	db := openCluster(t, c, postgis.Options{MaxConns: 8})
	srv := httptest.NewServer(newServer(t, storeDeps(db)))
	defer srv.Close()
	paths := []string{"/api/v1/plots?limit=50", "/api/v1/zone", "/api/v1/roads?limit=5", "/api/v1/reports/supply", "/readyz"}
	client := &http.Client{Timeout: 30 * time.Second}
	for _, p := range paths {
		if a := ask(client, srv.URL+p); a.status != 200 {
			t.Fatalf("before the outage: %s = %d: %s", p, a.status, a.body)
		}
	}

	// A read load throughout: never a 500, never a cut 200.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var served atomic.Int64
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := i; ; j++ {
				select {
				case <-stop:
					return
				default:
				}
				p := paths[j%len(paths)]
				a := ask(client, srv.URL+p)
				if a.connFailed {
					t.Errorf("%s: the server did not answer", p)
					return
				}
				checkNeverBroken(t, p, a)
				served.Add(1)
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)

	c.Stop()
	for _, p := range paths {
		a := ask(client, srv.URL+p)
		if a.status != http.StatusServiceUnavailable || a.retry == "" || !strings.Contains(a.ctype, "problem+json") {
			t.Errorf("database down: %s = %d, Retry-After %q, %s: %s; want 503 with Retry-After and a problem document", p, a.status, a.retry, a.ctype, a.body)
		}
	}
	time.Sleep(300 * time.Millisecond)

	c.Start()
	deadline := time.Now().Add(30 * time.Second)
	for _, p := range paths {
		for {
			a := ask(client, srv.URL+p)
			if a.status == 200 && a.validJSON {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("database back: %s still %d after 30 s: %s", p, a.status, a.body)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	close(stop)
	wg.Wait()
	if served.Load() < 10 {
		t.Errorf("only %d requests under load: the load did not run", served.Load())
	}
	t.Logf("%d requests under load across the outage", served.Load())
}

// slowFeatures streams the store's real features with a pause before each, to make a list
// that takes seconds.
type slowFeatures struct {
	inventory.FeatureReader
	pause time.Duration
}

func (s slowFeatures) StreamList(ctx context.Context, q inventory.Query, emit func([]byte) error) (int64, int, error) {
	return s.FeatureReader.StreamList(ctx, q, func(f []byte) error {
		time.Sleep(s.pause)
		return emit(f)
	})
}

// TestShutdownDrainsOrAborts shuts the real http.Server down (what SIGTERM does, through
// web.Serve) while a slow list is streaming: with time enough to drain, the list completes;
// without, its connection is reset and the client sees the body end unexpectedly — never a
// complete 200 with a cut body.
func TestShutdownDrainsOrAborts(t *testing.T) {
	c := postgistest.NewCluster(t, true)
	db := openCluster(t, c, postgis.Options{})
	var plots int
	if err := db.Pool.QueryRow(context.Background(), "select count(*) from plots where valid_to = 'infinity' and not archived").Scan(&plots); err != nil {
		t.Fatal(err)
	}
	d := storeDeps(db)
	d.Features = slowFeatures{db, 3 * time.Millisecond}
	handler := newServer(t, d)
	for _, tt := range []struct {
		name     string
		drain    time.Duration
		complete bool
	}{
		{"drain long enough", 60 * time.Second, true},
		{"drain too short", 100 * time.Millisecond, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			ctx, sigterm := context.WithCancel(context.Background())
			defer sigterm()
			done := make(chan error, 1)
			go func() { done <- web.Serve(ctx, &http.Server{Handler: handler}, ln, tt.drain, quietLog()) }()
			resp, err := http.Get("http://" + ln.Addr().String() + "/api/v1/plots?limit=10000")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			sigterm() // the headers are in: the body is streaming
			start := time.Now()
			body, err := io.ReadAll(resp.Body)
			var got struct {
				NumberReturned int               `json:"number_returned"`
				Features       []json.RawMessage `json:"features"`
			}
			jerr := json.Unmarshal(body, &got)
			if tt.complete {
				if err != nil || jerr != nil {
					t.Fatalf("drained list: read %v, JSON %v (%d bytes)", err, jerr, len(body))
				}
				if len(got.Features) != plots || got.NumberReturned != plots {
					t.Errorf("drained list: %d features, number_returned %d; the database has %d plots", len(got.Features), got.NumberReturned, plots)
				}
			} else {
				if err == nil {
					t.Fatalf("aborted list read to its end without error after %v (%d bytes, JSON valid: %v): a cut body looks complete", time.Since(start), len(body), jerr == nil)
				}
				if jerr == nil {
					t.Errorf("aborted list is valid JSON")
				}
				t.Logf("aborted after %v: %v, %d bytes", time.Since(start), err, len(body))
			}
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Serve: %v", err)
				}
			case <-time.After(tt.drain + 10*time.Second):
				t.Fatal("Serve did not return")
			}
		})
	}
}

// floodPaths are the most expensive requests the public may send.
var floodPaths = []string{
	"/api/v1/plots?near_road_m=5000&limit=10000",
	"/api/v1/plots?near_road_m=4000&limit=10000&road_status=existing",
	"/api/v1/reports/intensity?include=plots",
	"/api/v1/reports/roads",
}

// cheapPaths are cheap requests and the health check.
var cheapPaths = []string{"/api/v1/plots?limit=1", "/readyz", "/api/v1/zone", "/api/v1/plots/" + "%s"}

// flood runs n clients sending expensive anonymous requests until stop is closed, checking
// each answer; it returns how many were answered 200 and 503.
func flood(t testing.TB, url string, n int, stop <-chan struct{}, check func(string, answer)) (wait func() (ok, busy int64)) {
	var wg sync.WaitGroup
	var ok, busy atomic.Int64
	client := &http.Client{Timeout: time.Minute}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := i; ; j++ {
				select {
				case <-stop:
					return
				default:
				}
				p := floodPaths[j%len(floodPaths)]
				a := ask(client, url+p)
				if check != nil {
					check(p, a)
				}
				switch a.status {
				case 200:
					ok.Add(1)
				case 503:
					busy.Add(1)
				}
			}
		}()
	}
	return func() (int64, int64) { wg.Wait(); return ok.Load(), busy.Load() }
}

// TestFloodOfCostlyRequestsLeavesCheapOnesAnswered floods the server with the most expensive
// anonymous requests while asking cheap ones and /readyz: the cheap ones all succeed (their
// latency under the flood is BenchmarkFloodCheapP99's), and the flood gets 200 or 503 with
// Retry-After, never a 500.
func TestFloodOfCostlyRequestsLeavesCheapOnesAnswered(t *testing.T) {
	c := postgistest.NewCluster(t, true)
	db := openCluster(t, c, postgis.Options{MaxConns: 8, CostlyConns: 2})
	var code string
	if err := db.Pool.QueryRow(context.Background(), "select min(code) from plots").Scan(&code); err != nil {
		t.Fatal(err)
	}
	d := storeDeps(db)
	d.Limits = web.Limits{Deadlines: map[inventory.QueryKind]time.Duration{inventory.KindCostly: 2 * time.Second, inventory.KindReport: 2 * time.Second}}
	srv := httptest.NewServer(newServer(t, d))
	defer srv.Close()

	stop := make(chan struct{})
	var mu sync.Mutex
	wait := flood(t, srv.URL, 16, stop, func(p string, a answer) {
		mu.Lock()
		defer mu.Unlock()
		if a.connFailed {
			t.Errorf("%s: no answer", p)
			return
		}
		checkNeverBroken(t, p, a)
		if a.status != 200 && a.status != 503 {
			t.Errorf("%s: %d: %s", p, a.status, a.body)
		}
	})
	time.Sleep(500 * time.Millisecond) // the flood fills the costly budget
	client := &http.Client{Timeout: 30 * time.Second}
	for i := range 60 {
		p := cheapPaths[i%len(cheapPaths)]
		if strings.Contains(p, "%s") {
			p = fmt.Sprintf(p, code)
		}
		if a := ask(client, srv.URL+p); a.status != 200 || !a.validJSON {
			t.Errorf("cheap request under the flood: %s = %d: %s", p, a.status, a.body)
		}
	}
	close(stop)
	ok, busy := wait()
	if ok+busy == 0 {
		t.Fatal("the flood got no answer")
	}
	t.Logf("flood: %d answered 200, %d answered 503 (admission or timeout)", ok, busy)
}

// TestStatementTimeoutIs503 runs a costly read with a statement timeout far too short for it:
// the answer is a 503 problem saying the request is too expensive, with Retry-After.
func TestStatementTimeoutIs503(t *testing.T) {
	c := postgistest.NewCluster(t, true)
	db := openCluster(t, c, postgis.Options{Timeouts: inventory.Timeouts{inventory.KindCostly: time.Millisecond}})
	srv := httptest.NewServer(newServer(t, storeDeps(db)))
	defer srv.Close()
	a := ask(http.DefaultClient, srv.URL+"/api/v1/plots?near_road_m=5000&limit=10000")
	if a.status != 503 || a.retry == "" || !strings.Contains(string(a.body), "too expensive") {
		t.Errorf("costly read past its timeout: %d, Retry-After %q: %s; want 503, Retry-After, too expensive", a.status, a.retry, a.body)
	}
	// A cheap read is not bounded by the costly kind's timeout.
	if a := ask(http.DefaultClient, srv.URL+"/api/v1/plots?limit=5"); a.status != 200 {
		t.Errorf("cheap read: %d: %s", a.status, a.body)
	}
}
