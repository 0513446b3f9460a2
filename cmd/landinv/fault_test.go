package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestKillDuringImportLeavesNothingHalfWritten runs `landinv import` (the binary, built with go
// build) on its own throwaway cluster, kills it with SIGKILL once its transaction has written,
// and checks that the inventory holds no row of it and that its history is as before. Then it
// runs the same import to its end, which shows the file was importable and the kill came
// before the commit.
func TestKillDuringImportLeavesNothingHalfWritten(t *testing.T) {
	c := postgistest.NewCluster(t, false)
	dir := t.TempDir()
	bin := filepath.Join(dir, "landinv")
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v: %s", err, out)
	}
	ctx := context.Background()
	db, err := postgis.Open(ctx, c.URL, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const n, cols = 30000, 200
	if _, err := db.Pool.Exec(ctx, `insert into zones (code, name, geom) values ('killzone', 'kill test', ST_Multi(ST_MakeEnvelope(110.99, 35.49, 111.01 + $1::float8 * 0.002, 35.51 + $2::float8 * 0.002, 4326)))`,
		cols, n/cols); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddUser(ctx, "pat", inventory.RolePlanner); err != nil {
		t.Fatal(err)
	}
	feats := make([]any, 0, n)
	for i := range n {
		x := 111.0 + float64(i%cols)*0.002
		y := 35.5 + float64(i/cols)*0.002
		feats = append(feats, map[string]any{"type": "Feature",
			"geometry":   map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{{x, y}, {x, y + 0.0015}, {x + 0.0015, y + 0.0015}, {x + 0.0015, y}, {x, y}}}},
			"properties": map[string]any{"code": fmt.Sprintf("K%06d", i), "land_use": "100101", "status": "planned"}})
	}
	raw, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
	file := filepath.Join(dir, "plots.geojson")
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		t.Fatal(err)
	}

	// The state of every layer, history included: rows, live versions, the revision.
	state := func() string {
		var s string
		err := db.Pool.QueryRow(ctx, `select format('plots %s/%s live, roads %s, plants %s, idle %s, layout %s, revision %s, killzone plots %s',
			(select count(*) from plots), (select count(*) from plots where valid_to = 'infinity'),
			(select count(*) from roads), (select count(*) from plants), (select count(*) from idle_sites), (select count(*) from layout),
			(select n from inventory_revision),
			(select count(*) from plots p join zones z on z.id = p.zone_id where z.code = 'killzone'))`).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := state()

	const app = "landinv_kill_test"
	cmd := exec.Command(bin, "import", "--layer", "plots", "--zone", "killzone", "--as", "pat", file)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+c.URL+"&application_name="+app)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the import's transaction has written something (it holds a transaction id).
	wrote := false
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var k int
		if err := db.Pool.QueryRow(ctx, "select count(*) from pg_stat_activity where application_name = $1 and backend_xid is not null", app).Scan(&k); err != nil {
			t.Fatal(err)
		}
		if k > 0 {
			wrote = true
			break
		}
	}
	if !wrote {
		cmd.Process.Kill() //nolint:errcheck
		t.Fatal("the import never started writing")
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no clean-up of any kind
		t.Fatal(err)
	}
	cmd.Wait() //nolint:errcheck
	// The server ends the dead client's session once it notices; what it wrote was never
	// committed either way.
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var k int
		if err := db.Pool.QueryRow(ctx, "select count(*) from pg_stat_activity where application_name = $1", app).Scan(&k); err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			break
		}
	}
	if after := state(); after != before {
		t.Errorf("after killing the import:\n got %s\nwant %s", after, before)
	}
	var doubled int
	if err := db.Pool.QueryRow(ctx, `select count(*) from (select zone_id, code from plots where valid_to = 'infinity'
		group by zone_id, code having count(*) > 1) d`).Scan(&doubled); err != nil {
		t.Fatal(err)
	}
	if doubled != 0 {
		t.Errorf("%d codes with two live versions", doubled)
	}

	// The same import, not killed, commits every plot.
	cmd = exec.Command(bin, "import", "--layer", "plots", "--zone", "killzone", "--as", "pat", file)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+c.URL)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("import to its end: %v: %s", err, out)
	}
	var got int
	if err := db.Pool.QueryRow(ctx, `select count(*) from plots p join zones z on z.id = p.zone_id where z.code = 'killzone' and p.valid_to = 'infinity'`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != n {
		t.Errorf("the import run to its end left %d plots, want %d", got, n)
	}
}
