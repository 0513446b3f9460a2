package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// syntheticPlots fills a fresh database with a zone of n plots on a 400-column grid of
// 90 m × 90 m squares, 100 m apart, near Linfen. The plots are valid and disjoint by
// construction, so the load skips the per-row rule triggers (session_replication_role =
// replica) to build the benchmark data quickly; areas are still computed by PostGIS.
func syntheticPlots(b *testing.B, n int) *postgis.DB {
	b.Helper()
	db := postgistest.New(b)
	ctx := context.Background()
	stmts := postgistest.BenchZoneSQL(n)
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Release()
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			b.Fatalf("%s: %v", s, err)
		}
	}
	return db
}

// BenchmarkPlotsBBoxPage times GET /api/v1/plots for a bbox page of 1000 features out of
// 100 000, and, in the same run, the bare SQL that returns the same rows as a GeoJSON
// FeatureCollection. It reports both and their ratio (api/sql).
func BenchmarkPlotsBBoxPage(b *testing.B) {
	db := syntheticPlots(b, 100_000)
	srv := httptest.NewServer(newServer(b, storeDeps(db)))
	defer srv.Close()
	ctx := context.Background()
	// 40 × 25 cells from column 100, row 100: 1000 plots intersect it (and no more: cells are
	// 100 m apart and the box stops in the gaps).
	x0, y0 := 111.40+100*0.001111+0.0005, 36.00+100*0.000899+0.0004
	bbox := fmt.Sprintf("%.6f,%.6f,%.6f,%.6f", x0, y0, x0+40*0.001111-0.0006, y0+25*0.000899-0.0005)
	url := srv.URL + "/api/v1/plots?limit=1000&bbox=" + bbox
	const bare = `select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(ST_AsGeoJSON(t.*, 'geom', 7)::json), '[]'))::text
		from (select * from plots p
		      where p.zone_id = 1 and p.valid_to = 'infinity' and not p.archived
		        and p.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) and ST_Intersects(p.geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))
		      order by p.code limit 1000) t`

	get := func() int {
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
		return int(n)
	}
	sql := func() int {
		var s string
		if err := db.Pool.QueryRow(ctx, bare, x0, y0, x0+40*0.001111-0.0006, y0+25*0.000899-0.0005).Scan(&s); err != nil {
			b.Fatal(err)
		}
		return len(s)
	}
	// Check the page really holds 1000 features, then warm up.
	var page fc
	resp, _ := http.Get(url)
	if err := decode(resp, &page); err != nil || page.NumberReturned != 1000 {
		b.Fatalf("bbox page: %v, %d features", err, page.NumberReturned)
	}
	get()
	sql()

	var apiTime, sqlTime time.Duration
	var apiBytes int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		apiBytes = get()
		t1 := time.Now()
		sql()
		apiTime += t1.Sub(t0)
		sqlTime += time.Since(t1)
	}
	b.StopTimer()
	b.ReportMetric(float64(apiTime.Microseconds())/float64(b.N)/1000, "api-ms/op")
	b.ReportMetric(float64(sqlTime.Microseconds())/float64(b.N)/1000, "sql-ms/op")
	b.ReportMetric(float64(apiTime)/float64(sqlTime), "api/sql")
	b.ReportMetric(float64(apiBytes)/1024, "api-KiB")
}

func decode(resp *http.Response, v any) error {
	defer resp.Body.Close()
	return jsonNewDecoder(resp.Body).Decode(v)
}

func jsonNewDecoder(r io.Reader) *json.Decoder { return json.NewDecoder(r) }
