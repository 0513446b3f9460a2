package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// BenchmarkListMemory measures what pages of 10 000 features cost the server in memory, as the
// operator sees it (issue 11: "never hold a whole response in memory; measure RSS at 10,000
// features"): `landinv serve` in a subprocess on a throwaway database of 40 000 plots, its
// peak resident memory (VmHWM, reset before each case) while clients read pages of
// limit=10000 (some 11 MB of GeoJSON each), against its resident memory before the case.
//
// A server that built each page before sending it would hold at least a page per client
// reading; one that streams holds a buffer per client. The cases: one client; eight at once;
// eight at once that read slowly (64 KiB every 20 ms, so that a page takes seconds to leave:
// a streaming server waits on the socket, one that buffers would hold every page meanwhile);
// each first without the feature cache (LANDINV_FEATURE_CACHE_MB=0: every feature built by
// the database as the page streams), then with the default cache, whose bound (128 MiB) the
// 40 000 plots' texts stay under: the cache's growth is reported apart ("RSS after"), since it
// is kept on purpose. Linux only; run with -benchtime 1x (make bench does). The figures are in
// README "Performance".
func BenchmarkListMemory(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc")
	}
	const plots, limit = 40_000, 10_000
	u := postgistest.URL(b, false)
	ctx := context.Background()
	db, err := postgis.Open(ctx, u, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range postgistest.BenchZoneSQL(plots) {
		if _, err := conn.Exec(ctx, s); err != nil {
			b.Fatalf("%s: %v", s, err)
		}
	}
	conn.Release()
	db.Close()
	bin := buildLandinv(b)

	type figure struct {
		cache, what         string
		pageMB              float64
		took                time.Duration
		served              float64 // the longest handler, in seconds
		before, peak, after float64
	}
	var figs []figure
	for _, cache := range []string{"0", ""} {
		env := []string{"DATABASE_URL=" + u}
		name := "without the feature cache"
		if cache != "" {
			env = append(env, "LANDINV_FEATURE_CACHE_MB="+cache)
		} else {
			name = "with the feature cache"
		}
		srv := startServeArgs(b, bin, "landinv", []string{"--rate", "0", "--rate-costly", "0"}, env...)
		// read fetches one page with the given offset, uncompressed (the whole 11 MB go through
		// the sockets, more than their buffers hold); slow reads it 64 KiB at a time, 20 ms
		// apart. It is called from several goroutines: errors are returned, not fatal.
		read := func(offset int, slow bool) (int64, error) {
			req, err := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/plots?zone=synthetic&limit=%d&offset=%d", srv.url, limit, offset), nil)
			if err != nil {
				return 0, err
			}
			req.Header.Set("Accept-Encoding", "identity")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return 0, err
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" {
				body, _ := io.ReadAll(resp.Body)
				return 0, fmt.Errorf("page at offset %d: %d %q %.300s", offset, resp.StatusCode, resp.Header.Get("Content-Encoding"), body)
			}
			if !slow {
				return io.Copy(io.Discard, resp.Body)
			}
			var n int64
			buf := make([]byte, 64<<10)
			for {
				k, err := io.ReadFull(resp.Body, buf)
				n += int64(k)
				if err == io.EOF || err == io.ErrUnexpectedEOF {
					return n, nil
				}
				if err != nil {
					return n, err
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		measure := func(what string, clients int, slow bool) {
			time.Sleep(time.Second) // the server's collector settles after the last case
			before := srv.mib(b, "VmRSS")
			logFrom := len(srv.log.String())
			srv.resetPeak(b)
			var wg sync.WaitGroup
			var mu sync.Mutex
			var bytes int64
			var errs []error
			start := time.Now()
			for c := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := read((c%(plots/limit))*limit, slow)
					mu.Lock()
					bytes += n
					errs = append(errs, err)
					mu.Unlock()
				}()
			}
			wg.Wait()
			took := time.Since(start)
			if err := errors.Join(errs...); err != nil {
				b.Fatal(err)
			}
			peak := srv.mib(b, "VmHWM")
			// How long the server's handlers ran (the access log's duration_ms): with slow
			// readers, as long as the readers took, since a page is written as it is read.
			var served float64
			for _, line := range strings.Split(srv.log.String()[logFrom:], "\n") {
				var rec struct {
					Path       string  `json:"path"`
					DurationMS float64 `json:"duration_ms"`
				}
				if json.Unmarshal([]byte(line), &rec) == nil && rec.Path == "/api/v1/plots" {
					served = max(served, rec.DurationMS/1000)
				}
			}
			time.Sleep(2 * time.Second)
			figs = append(figs, figure{name, what, float64(bytes) / float64(clients) / 1e6, took, served, before, peak, srv.mib(b, "VmRSS")})
		}
		// Every page once first: with the cache, the plots' texts are then held (what a server
		// that has served the map holds), and the cases below measure the pages, not the filling.
		for off := 0; off < plots; off += limit {
			if _, err := read(off, false); err != nil {
				b.Fatal(err)
			}
		}
		measure("1 client", 1, false)
		measure("8 clients at once", 8, false)
		measure("8 slow clients at once", 8, true)
	}
	b.Logf("%d plots; pages of %d features", plots, limit)
	b.Logf("%-26s %-24s %8s %8s %8s %11s %11s %11s", "server", "clients", "page", "took", "handler", "RSS before", "peak RSS", "RSS after")
	for _, f := range figs {
		b.Logf("%-26s %-24s %5.1f MB %7.1fs %7.1fs %7.0f MiB %7.0f MiB %7.0f MiB", f.cache, f.what, f.pageMB, f.took.Seconds(), f.served, f.before, f.peak, f.after)
	}
	for i, key := range []string{"one", "eight", "eight_slow"} {
		b.ReportMetric(figs[i].peak-figs[i].before, "nocache_"+key+"_peak_over_MiB")
		b.ReportMetric(figs[3+i].peak-figs[3+i].before, "cache_"+key+"_peak_over_MiB")
	}
	b.ReportMetric(figs[0].pageMB, "page_MB")
	b.ReportMetric(0, "ns/op")
}
