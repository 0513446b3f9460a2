package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkOGCItemsPage races GET /ogc/collections/plots/items?limit=1000 against
// GET /api/v1/plots?limit=1000 for the same bbox of 100 000 plots, alternating in one run
// (issue 9: within 10 %). Both stream through the store's one list query (StreamList); the
// figures are reported per operation with their ratio ogc/api.
func BenchmarkOGCItemsPage(b *testing.B) {
	db := syntheticPlots(b, 100_000)
	srv := httptest.NewServer(newServer(b, storeDeps(db)))
	defer srv.Close()
	x0, y0 := 111.40+100*0.001111+0.0005, 36.00+100*0.000899+0.0004
	bbox := fmt.Sprintf("%.6f,%.6f,%.6f,%.6f", x0, y0, x0+40*0.001111-0.0006, y0+25*0.000899-0.0005)
	urls := map[string]string{
		"api": srv.URL + "/api/v1/plots?limit=1000&bbox=" + bbox,
		"ogc": srv.URL + "/ogc/collections/plots/items?limit=1000&bbox=" + bbox,
	}
	get := func(u string) int {
		resp, err := http.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("%s: status %d", u, resp.StatusCode)
		}
		return int(n)
	}
	for _, u := range urls { // check and warm up
		var page fc
		resp, err := http.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		if err := decode(resp, &page); err != nil || len(page.Features) != 1000 {
			b.Fatalf("%s: %v, %d features", u, err, len(page.Features))
		}
	}
	var apiTime, ogcTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		get(urls["api"])
		t1 := time.Now()
		get(urls["ogc"])
		apiTime += t1.Sub(t0)
		ogcTime += time.Since(t1)
	}
	b.StopTimer()
	b.ReportMetric(float64(apiTime.Microseconds())/float64(b.N)/1000, "api-ms/op")
	b.ReportMetric(float64(ogcTime.Microseconds())/float64(b.N)/1000, "ogc-ms/op")
	b.ReportMetric(float64(ogcTime)/float64(apiTime), "ogc/api")
}
