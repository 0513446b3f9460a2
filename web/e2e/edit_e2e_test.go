package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestEditingInTheBrowser runs edit.mjs against the demo data with the write API and a
// planner's password, in Chinese and English: sign-in on /signin, the plots coloured by per-mu grade and back, refusals (status step, range,
// land use, overlap with the other plot highlighted) written at their fields, no raw keys, a saved
// edit, a no-op save, the history and a confirmed restore with the list and card fresh, vertex
// editing at 375 px, and a dry-run import report.
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
	var code, other string
	if err := db.Pool.QueryRow(ctx, "select code from plots where status = 'in_production' and valid_to = 'infinity' order by code limit 1").Scan(&code); err != nil {
		t.Fatal(err)
	}
	// The other plot, for an overlap: a large one away from code's.
	if err := db.Pool.QueryRow(ctx, `select code from plots where valid_to = 'infinity' and not archived and code <> $1
		order by area_m2 desc limit 1`, code).Scan(&other); err != nil {
		t.Fatal(err)
	}
	results := runScript(t, node, "edit.mjs", 4*time.Minute, "--base", base, "--name", "wang", "--password", "wang's password",
		"--code", code, "--other", other)
	expectChecks(t, results, "sign_in", "grade_colours", "select_and_form", "zh_illegal_step_at_field", "zh_out_of_range_at_field", "zh_unknown_land_use_at_field",
		"legal_edit_saved", "list_and_card_fresh_after_save", "noop_save_writes_no_version", "history_and_restore", "list_and_card_fresh_after_restore",
		"zh_overlap_highlighted_and_named", "en_illegal_step_at_field", "en_out_of_range_at_field", "en_unknown_land_use_at_field",
		"en_overlap_highlighted_and_named", "en_history_labelled", "vertices_at_375", "zh_refusal_at_375", "en_refusal_at_375",
		"import_dry_run_report", "no_page_errors")
	// The browser's edits went through the API: the plot has an update, a restore and a moved
	// boundary; the refusals and the no-op save wrote nothing.
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
	if len(ops) != 4 || ops[1] != "update" || ops[2] != "restore" || ops[3] != "update" {
		t.Errorf("versions of %s: %v, want create, update, restore, update", code, ops)
	}
	var n int
	db.Pool.QueryRow(context.Background(), "select count(*) from plots where code = 'E2E-OVERLAP'").Scan(&n)
	if n != 0 {
		t.Errorf("the refused overlapping plot was written")
	}
}
