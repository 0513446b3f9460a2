package importer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

func zipOf(t *testing.T, files map[string]int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, size := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		zero := make([]byte, 1<<20)
		for n := size; n > 0; n -= len(zero) {
			if _, err := w.Write(zero[:min(n, len(zero))]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestShapefileZipReadsOnlyItsOwnParts: entries that are not the one Shapefile's parts are
// never inflated, so a small zip of large decoys cannot make the server allocate gigabytes.
func TestShapefileZipReadsOnlyItsOwnParts(t *testing.T) {
	decoys := map[string]int{"a.shp": 100}
	for i := 0; i < 4; i++ {
		decoys[fmt.Sprintf("decoy%d.dbf", i)] = 64 << 20
	}
	b := zipOf(t, decoys)
	if len(b) > 2<<20 {
		t.Fatalf("zip is %d bytes; the test wants a small one", len(b))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ReadShapefileZip(b)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), ".dbf") {
		t.Errorf("error %v, want one about the missing .dbf", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 32<<20 {
		t.Errorf("reading allocated %d MiB for 256 MiB of decoys", grew>>20)
	}
}

func TestShapefileZipRefusals(t *testing.T) {
	many := map[string]int{"a.shp": 10, "a.dbf": 10}
	for i := 0; i < 70; i++ {
		many[fmt.Sprintf("x%d.txt", i)] = 1
	}
	tests := []struct {
		name  string
		files map[string]int
		want  string
	}{
		{"two shapefiles", map[string]int{"a.shp": 10, "a.dbf": 10, "b.shp": 10, "b.dbf": 10}, "2 .shp files"},
		{"no shapefile", map[string]int{"a.dbf": 10}, "0 .shp files"},
		{"too many entries", many, "entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadShapefileZip(zipOf(t, tt.files))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
