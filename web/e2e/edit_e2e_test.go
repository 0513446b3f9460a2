package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestEditingInTheBrowser runs edit.mjs against the demo data with the write API and a
// planner's password: sign-in on /signin, the plots coloured by per-mu grade and back, a refused
// status step shown at its field, a saved edit, the history and a restore, and a dry-run import
// report.
func TestEditingInTheBrowser(t *testing.T) {
	node := tools(t)
	db := openDB(t, postgistest.URL(t, true))
	ctx := context.Background()
	if _, err := db.AddUser(ctx, "wang", inventory.RolePlanner); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPassword(ctx, "wang", "wang's password"); err != nil {
		t.Fatal(err)
	}
	base := serveWith(t, storeDeps(db), nil)
	var code string
	if err := db.Pool.QueryRow(ctx, "select code from plots where status = 'in_production' and valid_to = 'infinity' order by code limit 1").Scan(&code); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(root(t), "web/e2e/edit.mjs"), "--base", base, "--name", "wang", "--password", "wang's password",
		"--code", code, "--out", filepath.Join(root(t), "test-output"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	want := []string{"sign_in", "grade_colours", "select_and_form", "illegal_step_shown_at_field", "legal_edit_saved", "history_and_restore", "import_dry_run_report", "no_page_errors"}
	got := map[string]result{}
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		var r result
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Check != "" {
			got[r.Check] = r
		}
	}
	if runErr != nil || len(got) == 0 {
		t.Fatalf("edit.mjs: %v\n%s\n%s", runErr, stdout.String(), stderr.String())
	}
	for _, w := range want {
		r, ok := got[w]
		if !ok || !r.OK {
			t.Errorf("%s: ran %v, detail %s", w, ok, r.Detail)
		}
	}
	// The browser's edits went through the API: the plot has an update and a restore.
	var ops []string
	rows, err := db.Pool.Query(context.Background(), "select op from plots where code = $1 order by version", code)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var op string
		rows.Scan(&op)
		ops = append(ops, op)
	}
	if len(ops) != 3 || ops[1] != "update" || ops[2] != "restore" {
		t.Errorf("versions of %s: %v, want create, update, restore", code, ops)
	}
}
