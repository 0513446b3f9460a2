package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

func TestBackupRestoreCommands(t *testing.T) {
	src := postgistest.URL(t, true)
	file := filepath.Join(t.TempDir(), "nightly.dump")
	for _, bad := range [][]string{{"backup"}, {"backup", "a", "b"}, {"restore"}, {"restore", filepath.Join(t.TempDir(), "missing.dump")}} {
		if _, err := cli(t, src, bad...); err == nil {
			t.Errorf("landinv %s succeeded", strings.Join(bad, " "))
		}
	}
	out, err := cli(t, src, "backup", file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "backed up to "+file) {
		t.Errorf("backup said %q", out)
	}
	// Backing up again replaces the file (a nightly job).
	if _, err := cli(t, src, "backup", file); err != nil {
		t.Fatal(err)
	}
	dst := postgistest.Empty(t, false)
	got, err := cli(t, dst, "restore", file)
	if err != nil {
		t.Fatal(err)
	}
	// The summaries after "backed up to FILE (N bytes):" and "restored FILE:" agree, but for the
	// revision, which the restore moves on past the backup's (a restored counter must not give
	// out the numbers the backed-up database went on to give).
	_, wantSum, _ := strings.Cut(out, "bytes): ")
	_, gotSum, _ := strings.Cut(got, file+": ")
	revision := regexp.MustCompile(`revision (\d+)`)
	wantRev, gotRev := revision.FindStringSubmatch(wantSum), revision.FindStringSubmatch(gotSum)
	if wantSum == "" || wantRev == nil || gotRev == nil ||
		revision.ReplaceAllString(gotSum, "revision N") != revision.ReplaceAllString(wantSum, "revision N") {
		t.Fatalf("restore said %q, backup %q", got, out)
	}
	backedUp, _ := strconv.ParseInt(wantRev[1], 10, 64)
	restored, _ := strconv.ParseInt(gotRev[1], 10, 64)
	if restored <= backedUp+1_000_000 {
		t.Errorf("restored revision %d, backed up %d: want it moved far on", restored, backedUp)
	}
	if _, err := cli(t, dst, "restore", file); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("second restore: %v", err)
	}
	if _, err := cli(t, src, "restore", file); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore over the source: %v", err)
	}
}
