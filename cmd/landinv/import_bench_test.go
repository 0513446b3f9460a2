package main

import (
	"archive/zip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// BenchmarkImportMemory measures what an import costs the server in memory, as the operator
// sees it: it builds the landinv binary, runs `landinv serve` on a throwaway database, and
// POSTs a GeoJSON file of 25 000 plots with 321-vertex boundaries (205 MB; LANDINV_BENCH_IMPORT_N
// changes the count, LANDINV_BENCH_IMPORT_SIDE the points per side of a plot, 80) to
// /api/v1/import, first with dry_run=true, then
// for real, then a refused body of 210 MiB (declared, and chunked). For each it reads the
// server's peak resident memory (VmHWM in /proc/PID/status, reset before each request through
// /proc/PID/clear_refs) and its resident memory after two idle seconds (VmRSS). When ogr2ogr
// is installed it then converts a grid of 36 000 such plots (LANDINV_BENCH_IMPORT_OGR_N) to a
// zipped Shapefile (stored) and to a GeoPackage, some 200 MB each, and imports each the same
// way, into zones of their own. Linux only. Run it with -benchtime 1x (make bench does); the
// figures are in README's "Limits and operations".
func BenchmarkImportMemory(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc")
	}
	n, side := 25_000, 80
	if s := os.Getenv("LANDINV_BENCH_IMPORT_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	if s := os.Getenv("LANDINV_BENCH_IMPORT_SIDE"); s != "" {
		side, _ = strconv.Atoi(s)
	}
	dir := b.TempDir()
	bin := buildLandinv(b)
	u := postgistest.URL(b, false)
	nOGR := 36_000
	if s := os.Getenv("LANDINV_BENCH_IMPORT_OGR_N"); s != "" {
		nOGR, _ = strconv.Atoi(s)
	}
	cols := postgistest.PlotGridCols
	rows := (max(n, nOGR) + cols - 1) / cols
	ctx := context.Background()
	db, err := postgis.Open(ctx, u, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	for _, zone := range []string{"bench", "bench-shp", "bench-gpkg"} {
		if _, err := db.Pool.Exec(ctx, `insert into zones (code, name, geom) values ($3, $3, ST_Multi(ST_MakeEnvelope(110.99, 35.49, 111.01 + $1::float8 * 0.002, 35.51 + $2::float8 * 0.002, 4326)))`,
			cols, rows, zone); err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	cli := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "DATABASE_URL="+u)
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("landinv %s: %v", strings.Join(args, " "), err)
		}
		return string(out)
	}
	cli("user", "add", "bench", "--role", "planner")
	lines := strings.Split(strings.TrimSpace(cli("token", "create", "bench")), "\n")
	token := strings.TrimSpace(lines[len(lines)-1])

	file := filepath.Join(dir, "plots.geojson")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	if err := postgistest.WritePlotGrid(f, n, side); err != nil {
		b.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(file)

	srv := startServe(b, bin, "landinv", "DATABASE_URL="+u, "TMPDIR="+dir)
	base := srv.url
	mib := func(key string) float64 { return srv.mib(b, key) }
	resetPeak := func() { srv.resetPeak(b) }
	post := func(query string, body io.Reader, length int64) (int, string) {
		req, err := http.NewRequest("POST", base+"/api/v1/import?"+query, body)
		if err != nil {
			b.Fatal(err)
		}
		req.ContentLength = length
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error() // a refused body may be cut off while it is sent
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(out)
	}
	type figure struct {
		what            string
		status          int
		took            time.Duration
		peak, after, at float64
	}
	var figs []figure
	measure := func(what, query string, open func() (io.Reader, int64), want int) {
		runtime.GC()
		before := mib("VmRSS")
		resetPeak()
		body, length := open()
		start := time.Now()
		status, out := post(query, body, length)
		took := time.Since(start)
		if c, ok := body.(io.Closer); ok {
			c.Close()
		}
		if status != want && !(want == 413 && status == 0) {
			b.Fatalf("%s: %d, want %d: %.500s\n%s", what, status, want, out, srv.log)
		}
		peak := mib("VmHWM")
		time.Sleep(2 * time.Second)
		figs = append(figs, figure{what, status, took, peak, mib("VmRSS"), before})
	}
	open := func(file string) func() (io.Reader, int64) {
		return func() (io.Reader, int64) {
			f, err := os.Open(file)
			if err != nil {
				b.Fatal(err)
			}
			st, err := f.Stat()
			if err != nil {
				b.Fatal(err)
			}
			return f, st.Size()
		}
	}
	openFile := open(file)
	const refused = 210 << 20
	b.ResetTimer()
	measure("dry run", "layer=plots&zone=bench&dry_run=true", openFile, 200)
	measure("import", "layer=plots&zone=bench", openFile, 200)
	measure("refused, Content-Length", "layer=plots&zone=bench", func() (io.Reader, int64) {
		return io.LimitReader(zeros{}, refused), refused
	}, 413)
	measure("refused, chunked", "layer=plots&zone=bench", func() (io.Reader, int64) {
		return io.LimitReader(zeros{}, refused), -1
	}, 413)
	b.StopTimer()
	ogrFiles := ogrFormats(b, dir, nOGR, side)
	b.StartTimer()
	for _, of := range ogrFiles {
		measure(of.what, "layer=plots&zone="+of.zone, open(of.file), 200)
	}
	b.StopTimer()
	b.Logf("%d plots, %.1f MB of GeoJSON; refused bodies %d MiB", n, float64(st.Size())/1e6, refused>>20)
	for _, of := range ogrFiles {
		b.Logf("%s: %d plots, %.1f MB", of.what, nOGR, float64(of.size)/1e6)
	}
	b.Logf("%-24s %6s %8s %12s %12s %12s", "request", "status", "took", "RSS before", "peak RSS", "RSS after")
	for _, f := range figs {
		b.Logf("%-24s %6d %7.1fs %8.0f MiB %8.0f MiB %8.0f MiB", f.what, f.status, f.took.Seconds(), f.at, f.peak, f.after)
	}
	b.ReportMetric(figs[0].peak, "dry_run_peak_MiB")
	b.ReportMetric(figs[1].peak, "import_peak_MiB")
	b.ReportMetric(figs[1].after, "import_after_MiB")
	b.ReportMetric(figs[2].peak, "refused_peak_MiB")
	b.ReportMetric(figs[3].peak, "refused_chunked_peak_MiB")
	for i, of := range ogrFiles {
		b.ReportMetric(figs[4+i].peak, strings.TrimPrefix(of.zone, "bench-")+"_peak_MiB")
		b.ReportMetric(figs[4+i].after, strings.TrimPrefix(of.zone, "bench-")+"_after_MiB")
	}
	b.ReportMetric(0, "ns/op")
}

// zeros reads as endless zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// ogrFile is a grid of plots in another format than GeoJSON, for BenchmarkImportMemory.
type ogrFile struct {
	what, zone, file string
	size             int64
}

// ogrFormats writes a grid of n plots of perSide points a side as GeoJSON and has ogr2ogr
// convert it to a zipped Shapefile (UTF-8 .dbf, stored) and to a GeoPackage; none when
// ogr2ogr is not installed.
func ogrFormats(b *testing.B, dir string, n, perSide int) []ogrFile {
	ogr, err := exec.LookPath("ogr2ogr")
	if err != nil {
		b.Logf("ogr2ogr not installed (apt-get install gdal-bin): no Shapefile or GeoPackage import measured")
		return nil
	}
	src := filepath.Join(dir, "ogr.geojson")
	f, err := os.Create(src)
	if err != nil {
		b.Fatal(err)
	}
	if err := postgistest.WritePlotGrid(f, n, perSide); err != nil {
		b.Fatal(err)
	}
	f.Close()
	run := func(args ...string) {
		if out, err := exec.Command(ogr, args...).CombinedOutput(); err != nil {
			b.Fatalf("ogr2ogr %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	shpDir := filepath.Join(dir, "shp")
	run("-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", "-nln", "plots", shpDir, src)
	zipName := filepath.Join(dir, "plots.zip")
	zf, err := os.Create(zipName)
	if err != nil {
		b.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	for _, ext := range []string{".shp", ".shx", ".dbf", ".prj", ".cpg"} {
		part, err := os.Open(filepath.Join(shpDir, "plots"+ext))
		if err != nil {
			b.Fatal(err)
		}
		// Stored, not deflated: the grid's coordinates deflate to a fifth, and the point is a
		// body of some 200 MB (the zip reader inflates either way one record at a time).
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "plots" + ext, Method: zip.Store})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(w, part); err != nil {
			b.Fatal(err)
		}
		part.Close()
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	zf.Close()
	gpkg := filepath.Join(dir, "plots.gpkg")
	run("-f", "GPKG", "-nln", "plots", gpkg, src)
	os.RemoveAll(shpDir)
	os.Remove(src)
	size := func(name string) int64 {
		st, err := os.Stat(name)
		if err != nil {
			b.Fatal(err)
		}
		return st.Size()
	}
	return []ogrFile{
		{"import zipped Shapefile", "bench-shp", zipName, size(zipName)},
		{"import GeoPackage", "bench-gpkg", gpkg, size(gpkg)},
	}
}
