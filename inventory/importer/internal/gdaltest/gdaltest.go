// Package gdaltest runs GDAL's ogr2ogr for tests that check the importer's readers against
// files GDAL writes. `make test` installs gdal-bin; a plain `go test` without ogr2ogr skips those
// tests, unless LANDINV_E2E is set (as `make test` sets it), when a missing ogr2ogr fails them.
package gdaltest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Require skips t when ogr2ogr is missing and LANDINV_E2E is unset, and fails it when ogr2ogr
// is missing and LANDINV_E2E is set.
func Require(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		if os.Getenv("LANDINV_E2E") == "" {
			t.Skip("ogr2ogr (GDAL) is not installed: the readers are not checked against GDAL-written files; install gdal-bin or run make test")
		}
		t.Fatal("ogr2ogr (GDAL) is not installed but LANDINV_E2E is set: install gdal-bin (make test does)")
	}
}

// OGR2OGR runs ogr2ogr with args in dir and fails t, showing GDAL's output, when it fails.
func OGR2OGR(t testing.TB, dir string, args ...string) {
	t.Helper()
	Require(t)
	cmd := exec.Command("ogr2ogr", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr %v: %v\n%s", args, err, out)
	}
}

// WriteFile writes a source file for ogr2ogr into dir and returns its path.
func WriteFile(t testing.TB, dir, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
