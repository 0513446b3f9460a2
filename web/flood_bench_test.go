package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// BenchmarkFloodCheapP99 measures cheap requests and /readyz (10 per iteration) while 32
// anonymous clients flood the server with the most expensive requests (floodPaths), with the
// default pool (16 connections, 4 for costly kinds) and no rate limit, so that admission
// control and the statement timeouts alone hold the load. It reports the cheap requests' p50
// and p99 under the flood, their p99 without it, and how many flood requests were answered per
// second (200 or 503). Run it with make bench.
func BenchmarkFloodCheapP99(b *testing.B) {
	db, err := postgis.OpenWith(context.Background(), postgistest.URL(b, true), quietLog(), postgis.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var code string
	if err := db.Pool.QueryRow(context.Background(), "select min(code) from plots").Scan(&code); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(newServer(b, storeDeps(db)))
	defer srv.Close()
	client := &http.Client{Timeout: time.Minute}
	cheap := func(i int) time.Duration {
		p := cheapPaths[i%len(cheapPaths)]
		if strings.Contains(p, "%s") {
			p = fmt.Sprintf(p, code)
		}
		start := time.Now()
		if a := ask(client, srv.URL+p); a.status != 200 {
			b.Fatalf("%s: %d: %s", p, a.status, a.body)
		}
		return time.Since(start)
	}
	pct := func(d []time.Duration, p float64) float64 {
		slices.Sort(d)
		return float64(d[min(len(d)-1, int(float64(len(d))*p))].Microseconds()) / 1000
	}
	var base []time.Duration
	for i := range 200 {
		base = append(base, cheap(i))
	}

	stop := make(chan struct{})
	wait := flood(b, srv.URL, 32, stop, nil)
	time.Sleep(time.Second)
	floodStart := time.Now()
	var under []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range 10 {
			under = append(under, cheap(i*10+j))
		}
	}
	b.StopTimer()
	close(stop)
	ok, busy := wait()
	elapsed := time.Since(floodStart).Seconds()
	b.ReportMetric(pct(under, 0.50), "cheap_p50_ms")
	b.ReportMetric(pct(under, 0.99), "cheap_p99_ms")
	b.ReportMetric(pct(base, 0.99), "cheap_p99_ms_no_flood")
	b.ReportMetric(float64(ok)/elapsed, "flood_200/s")
	b.ReportMetric(float64(busy)/elapsed, "flood_503/s")
	b.ReportMetric(0, "ns/op")
}
