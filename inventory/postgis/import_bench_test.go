package postgis_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// BenchmarkImport100kPlots imports a GeoJSON file of 100 000 plots (a grid of 150 m squares,
// LANDINV_BENCH_IMPORT_N to change the count) into an empty zone through the whole importer —
// read, check, COPY, the database's per-row rules — and reports features/s. In the same run,
// on the same file, it times ogr2ogr (GDAL) loading it into a plain PostGIS table, which checks
// nothing, and reports both rates and their ratio. Run it with -benchtime 1x (make bench does).
func BenchmarkImport100kPlots(b *testing.B) {
	n := 100_000
	if s := os.Getenv("LANDINV_BENCH_IMPORT_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	u := postgistest.URL(b, false)
	db2, err := postgis.Open(context.Background(), u, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		b.Fatal(err)
	}
	defer db2.Close()
	cols := postgistest.PlotGridCols
	rows := (n + cols - 1) / cols
	file := filepath.Join(b.TempDir(), "plots.geojson")
	var raw bytes.Buffer
	if err := postgistest.WritePlotGrid(&raw, n, 1); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(file, raw.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d plots, %.1f MB of GeoJSON", n, float64(raw.Len())/1e6)
	// An import, as the web route and the command line declare it (its statement timeout).
	ctx := inventory.WithQueryKind(inventory.WithViewer(context.Background(), inventory.Viewer{Name: "bench", Role: inventory.RolePlanner}), inventory.KindImport)
	var ours time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		zone := fmt.Sprintf("bench%d", i)
		if _, err := db2.Pool.Exec(context.Background(), `insert into zones (code, name, geom) values ($1, 'bench', ST_Multi(ST_MakeEnvelope(110.99, 35.49, 111.01 + $2::float8 * 0.002, 35.51 + $3::float8 * 0.002, 4326)))`,
			zone, cols, rows); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		f, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		src, err := importer.ReadFrom(f, int64(raw.Len()), file)
		if err != nil {
			b.Fatal(err)
		}
		if err := importer.Prepare(inventory.PlotLayer, src, nil); err != nil {
			b.Fatal(err)
		}
		rep, err := db2.Import(ctx, src, importer.Options{Layer: inventory.PlotLayer, Zone: zone})
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
		ours += time.Since(start)
		if !rep.Committed || rep.Created != n {
			b.Fatalf("import: %+v", rep.Rejected[:min(5, len(rep.Rejected))])
		}
	}
	b.StopTimer()
	rate := float64(n*b.N) / ours.Seconds()
	b.ReportMetric(rate, "features/s")
	b.ReportMetric(0, "ns/op")

	ogr, err := osexec.LookPath("ogr2ogr")
	if err != nil {
		b.Logf("ogr2ogr not installed (apt-get install gdal-bin): no comparison")
		return
	}
	pu, _ := url.Parse(u)
	conn := fmt.Sprintf("PG:host=%s port=%s dbname=%s user=%s", pu.Hostname(), pu.Port(), pu.Path[1:], pu.User.Username())
	if pw, ok := pu.User.Password(); ok {
		conn += " password=" + pw
	}
	start := time.Now()
	out, err := osexec.Command(ogr, "-f", "PostgreSQL", conn, file, "-nln", "ogr_bench", "-lco", "GEOMETRY_NAME=geom", "-overwrite").CombinedOutput()
	if err != nil {
		b.Fatalf("ogr2ogr: %v: %s", err, out)
	}
	ogrTime := time.Since(start)
	var loaded int
	if err := db2.Pool.QueryRow(context.Background(), "select count(*) from ogr_bench").Scan(&loaded); err != nil || loaded != n {
		b.Fatalf("ogr2ogr loaded %d rows (%v), want %d", loaded, err, n)
	}
	ogrRate := float64(n) / ogrTime.Seconds()
	b.ReportMetric(ogrRate, "ogr2ogr_features/s")
	b.ReportMetric(rate/ogrRate, "ratio_vs_ogr2ogr")
	b.Logf("landinv import: %.0f features/s (%.1f s per %d); ogr2ogr: %.0f features/s (%.1f s); ratio %.2f",
		rate, ours.Seconds()/float64(b.N), n, ogrRate, ogrTime.Seconds(), rate/ogrRate)
}
