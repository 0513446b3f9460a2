package importer

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"
	"golang.org/x/text/encoding/unicode"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer/shp"
)

// streamN features of streamSide-point squares, each with a 160-byte name: a file of some
// 20 MB, far more than what reading it one record at a time may keep.
const streamN, streamSide = 12_000, 24

// streamPolygon is feature i's boundary: a square of 4*streamSide points, clockwise.
func streamPolygon(i int) [][2]float64 {
	x0, y0 := 111.0+float64(i%100)*0.002, 35.5+float64(i/100)*0.002
	var ring [][2]float64
	for k := range 4 * streamSide {
		t := float64(k%streamSide) / streamSide * 0.0015
		switch k / streamSide {
		case 0:
			ring = append(ring, [2]float64{x0, y0 + t})
		case 1:
			ring = append(ring, [2]float64{x0 + t, y0 + 0.0015})
		case 2:
			ring = append(ring, [2]float64{x0 + 0.0015, y0 + 0.0015 - t})
		default:
			ring = append(ring, [2]float64{x0 + 0.0015 - t, y0})
		}
	}
	return append(ring, ring[0])
}

func streamName(i int) string { return fmt.Sprintf("%06d", i) + strings.Repeat("流", 50) + "____" }

// writeStreamShapefile writes the features as a zipped Shapefile (stored, not deflated: the
// test is about memory, not inflating) and returns its path.
func writeStreamShapefile(t *testing.T, dir string) string {
	t.Helper()
	var shpB, shxB, dbfB bytes.Buffer
	polys := make([][][][2]float64, streamN)
	recs := make([][]any, streamN)
	for i := range streamN {
		polys[i] = [][][2]float64{streamPolygon(i)}
		recs[i] = []any{fmt.Sprintf("Z%05d", i), streamName(i)}
	}
	if err := shp.WritePolygons(&shpB, &shxB, polys); err != nil {
		t.Fatal(err)
	}
	fields := []shp.Field{{Name: "CODE", Type: 'C', Length: 10}, {Name: "NAME", Type: 'C', Length: 160}}
	if err := shp.WriteDBF(&dbfB, fields, recs, unicode.UTF8); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "plots.zip")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for n, b := range map[string][]byte{"plots.shp": shpB.Bytes(), "plots.shx": shxB.Bytes(), "plots.dbf": dbfB.Bytes(), "plots.cpg": []byte("UTF-8")} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b) //nolint:errcheck // checked by Close
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return name
}

// writeStreamGeoPackage writes the features as a GeoPackage and returns its path; the name has
// the characters a SQLite URI gives a meaning, which must not stop it being read from disk.
func writeStreamGeoPackage(t *testing.T, dir string) string {
	t.Helper()
	name := filepath.Join(dir, "plots ?#%.gpkg")
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "tmp.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"create table gpkg_spatial_ref_sys (srs_name text, srs_id integer primary key, organization text, organization_coordsys_id integer, definition text)",
		"insert into gpkg_spatial_ref_sys values ('WGS 84', 4326, 'EPSG', 4326, '')",
		"create table gpkg_geometry_columns (table_name text, column_name text, geometry_type_name text, srs_id integer, z integer, m integer)",
		"insert into gpkg_geometry_columns values ('plots', 'geom', 'POLYGON', 4326, 0, 0)",
		"create table plots (fid integer primary key, geom blob, code text, name text)",
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range streamN {
		var flat []float64
		for _, p := range streamPolygon(i) {
			flat = append(flat, p[0], p[1])
		}
		w, err := wkb.Marshal(geom.NewPolygonFlat(geom.XY, flat, []int{len(flat)}), wkb.NDR)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec("insert into plots (geom, code, name) values (?, ?, ?)", blob(w), fmt.Sprintf("Z%05d", i), streamName(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Rename(filepath.Join(dir, "tmp.gpkg"), name); err != nil {
		t.Fatal(err)
	}
	return name
}

// liveHeap is the heap that survives a collection, in bytes.
func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestDiskFilesAreReadOneRecordAtATime: a zipped Shapefile and a GeoPackage read from disk (as
// an import reads its spooled body) are streamed: no Records in memory, and the heap that
// survives a collection, measured after the first pass and every 1,000 features while they are
// read again, stays far below the file's size. The same file read into memory (Records) holds
// more than that bound, so the bound can tell the two apart.
func TestDiskFilesAreReadOneRecordAtATime(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"shapefile": writeStreamShapefile(t, dir), "geopackage": writeStreamGeoPackage(t, dir)}
	for format, name := range files {
		t.Run(format, func(t *testing.T) {
			st, err := os.Stat(name)
			if err != nil {
				t.Fatal(err)
			}
			bound := st.Size() / 4
			f, err := os.Open(name)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			base := liveHeap()
			src, err := ReadFrom(f, st.Size(), name)
			if err != nil {
				t.Fatal(err)
			}
			if src.Format != format || src.Records != nil || src.Len() != streamN {
				t.Fatalf("%s: %d features, %d records in memory; want %d streamed", src.Format, src.Len(), len(src.Records), streamN)
			}
			if err := Prepare(inventory.PlotLayer, src, nil); err != nil {
				t.Fatal(err)
			}
			peak := liveHeap() - base
			n := 0
			for r, err := range src.All() {
				if err != nil {
					t.Fatal(err)
				}
				if r.Index != n || r.Props["code"] != fmt.Sprintf("Z%05d", n) || r.Props["name"] != streamName(n) || len(r.WKB) < 16*4*streamSide {
					t.Fatalf("feature %d: index %d, %v, %d bytes of WKB", n, r.Index, r.Props, len(r.WKB))
				}
				n++
				if n%1000 == 0 {
					peak = max(peak, liveHeap()-base)
				}
			}
			if n != streamN {
				t.Fatalf("read %d features, want %d", n, streamN)
			}
			if peak > bound {
				t.Errorf("%.1f MB file: %.1f MB stayed on the heap while reading it; want under %.1f MB", float64(st.Size())/1e6, float64(peak)/1e6, float64(bound)/1e6)
			}
			// The check's own check: the file read into memory does not pass it.
			base = liveHeap()
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			whole, err := Read(b)
			b = nil
			if err != nil || whole.Len() != streamN {
				t.Fatalf("read into memory: %v", err)
			}
			held := liveHeap() - base
			t.Logf("%.1f MB file: %.1f MB on the heap streamed, %.1f MB read into memory", float64(st.Size())/1e6, float64(peak)/1e6, float64(held)/1e6)
			if held <= bound {
				t.Errorf("the file read into memory holds only %.1f MB: the bound %.1f MB tells nothing", float64(held)/1e6, float64(bound)/1e6)
			}
			runtime.KeepAlive(whole)
		})
	}
}
