package postgis_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// state is what a restore must bring back, each part computed by SQL (or read through the
// store) on both sides.
type state struct {
	// tables: per table of the database's own (not an extension's), the row count and the md5
	// of every row's text, in primary-key order. The tile change log's tables are not restored
	// (restoreList: their rows name another cluster's transactions): notRestored.
	tables map[string]string
	// sequences: each sequence's last value.
	sequences map[string]string
	// schema: every trigger (and whether it is enabled), constraint, index and function body.
	schema []string
	// reads through the store: the live plots now, as they stood before the edits, and one
	// plot's history.
	list, asOf, history string
}

// notRestored are the tables whose rows a restore leaves out or changes on purpose: the tile
// change log (migration 0078), which starts empty in a restored database, and the revision
// counter, which a restore moves on (moveRevisionOn). TestBackupDropRestore checks both.
var notRestored = map[string]bool{"inventory_revision_log": true, "inventory_changes": true, "inventory_revision": true}

func stateOf(t *testing.T, db *postgis.DB, before time.Time, code string) state {
	t.Helper()
	ctx := context.Background()
	s := state{tables: map[string]string{}, sequences: map[string]string{}}
	type table struct{ name, pk string }
	var tables []table
	rows, err := db.Pool.Query(ctx, `select c.oid::regclass::text,
			coalesce((select string_agg(quote_ident(a.attname), ', ' order by k.ord)
			          from pg_index i, unnest(i.indkey) with ordinality k(attnum, ord), pg_attribute a
			          where i.indrelid = c.oid and i.indisprimary and a.attrelid = c.oid and a.attnum = k.attnum), '')
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where c.relkind in ('r', 'p') and n.nspname = 'public'
		  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
		order by 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var tb table
		if err := rows.Scan(&tb.name, &tb.pk); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, tb)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(tables) < 10 {
		t.Fatalf("only %d tables found: %v", len(tables), tables)
	}
	for _, tb := range tables {
		if notRestored[tb.name] {
			continue
		}
		order := tb.pk
		if order == "" {
			order = "r::text"
		}
		var n int64
		var sum string
		q := fmt.Sprintf("select count(*), md5(coalesce(string_agg(r::text, E'\\n' order by %s), '')) from %s r", order, tb.name)
		if err := db.Pool.QueryRow(ctx, q).Scan(&n, &sum); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		s.tables[tb.name] = fmt.Sprintf("%d rows, md5 %s", n, sum)
	}
	rows, err = db.Pool.Query(ctx, "select sequencename, coalesce(last_value::text, 'unused') from pg_sequences where schemaname = 'public'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, v string
		if err := rows.Scan(&name, &v); err != nil {
			t.Fatal(err)
		}
		s.sequences[name] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool.QueryRow(ctx, `select array_agg(x order by x) from (
		select format('trigger %s %s', pg_get_triggerdef(oid), tgenabled) from pg_trigger where not tgisinternal
		union all
		select format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) from pg_constraint where connamespace = 'public'::regnamespace
		union all
		select 'index ' || pg_get_indexdef(indexrelid) from pg_index where indexrelid::regclass::text not like 'pg\_%'
		union all
		select format('function %s %s', p.oid::regprocedure, md5(p.prosrc)) from pg_proc p
		where p.pronamespace = 'public'::regnamespace
		  and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
	) s(x)`).Scan(&s.schema); err != nil {
		t.Fatal(err)
	}

	// The same reads through the store, as a client would see them (a planner sees all).
	planner := inventory.WithViewer(ctx, inventory.Viewer{Name: "alice", Role: inventory.RolePlanner})
	js := func(v any, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	s.list = js(db.List(planner, inventory.Query{Layer: inventory.PlotLayer, Limit: 10000}))
	s.asOf = js(db.List(planner, inventory.Query{Layer: inventory.PlotLayer, Limit: 10000, AsOf: &before}))
	s.history = js(db.History(planner, inventory.PlotLayer, "", code))
	return s
}

func compareStates(t *testing.T, want, got state) {
	t.Helper()
	if len(got.tables) != len(want.tables) {
		t.Errorf("%d tables restored, want %d:\n got %v\nwant %v", len(got.tables), len(want.tables), got.tables, want.tables)
	}
	for name, w := range want.tables {
		if g := got.tables[name]; g != w {
			t.Errorf("table %s: %s, want %s", name, g, w)
		}
	}
	if !reflect.DeepEqual(got.sequences, want.sequences) {
		t.Errorf("sequences: %v, want %v", got.sequences, want.sequences)
	}
	if !reflect.DeepEqual(got.schema, want.schema) {
		have := map[string]bool{}
		for _, x := range got.schema {
			have[x] = true
		}
		for _, x := range want.schema {
			if !have[x] {
				t.Errorf("missing after the restore: %s", x)
			}
		}
		t.Errorf("schema differs: %d objects, want %d", len(got.schema), len(want.schema))
	}
	for _, c := range []struct{ name, got, want string }{
		{"list", got.list, want.list}, {"list as of before the edits", got.asOf, want.asOf}, {"history", got.history, want.history},
	} {
		if c.got != c.want {
			t.Errorf("%s through the store differs:\n got %.300s\nwant %.300s", c.name, c.got, c.want)
		}
	}
}

// edited returns a demo inventory with users, tokens (one used, one revoked) and edits: an
// update, an archive and a restore. It returns the time before the edits and the code of the
// plot archived and restored.
func edited(t *testing.T) (db *postgis.DB, before time.Time, code string, tokens [2]string) {
	t.Helper()
	ctx := context.Background()
	db = postgistest.NewWithDemo(t)
	tokens[0] = userWithToken(t, db, "alice", inventory.RolePlanner)
	if _, err := db.Authenticate(ctx, tokens[0]); err != nil {
		t.Fatal(err)
	}
	tokens[1] = userWithToken(t, db, "bob", inventory.RoleViewer)
	if _, err := db.RevokeTokens(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool.QueryRow(ctx, "select now()").Scan(&before); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	planner := inventory.WithViewer(ctx, inventory.Viewer{Name: "alice", Role: inventory.RolePlanner})
	page, err := db.List(planner, inventory.Query{Layer: inventory.PlotLayer, Limit: 2})
	if err != nil || len(page.Features) != 2 {
		t.Fatalf("demo plots: %v", err)
	}
	p0, p1 := page.Features[0], page.Features[1]
	if _, err := db.Update(planner, inventory.PlotLayer, "", p0.Code, p0.ETag(), inventory.Change{
		Properties: map[string]any{"name": "备份测试 backup test"}, Note: "before the backup"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Archive(planner, inventory.PlotLayer, "", p1.Code, p1.ETag(), "archived before the backup"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Restore(planner, inventory.PlotLayer, "", p1.Code, 1, ""); err != nil {
		t.Fatal(err)
	}
	return db, before, p1.Code, tokens
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestBackupDropRestore backs an edited inventory up, drops its database, creates it again
// empty, restores, and finds every table, sequence, trigger and read as it was.
func TestBackupDropRestore(t *testing.T) {
	ctx := context.Background()
	bin := os.Getenv("LANDINV_PG_BIN")
	db, before, code, tokens := edited(t)
	want := stateOf(t, db, before, code)
	var versions int64
	if err := db.Pool.QueryRow(ctx, "select count(*) from plots").Scan(&versions); err != nil {
		t.Fatal(err)
	}
	rev, err := db.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	logRows := func(db *postgis.DB) (n int64) {
		t.Helper()
		if err := db.Pool.QueryRow(ctx, "select (select count(*) from inventory_revision_log) + (select count(*) from inventory_changes)").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if logRows(db) == 0 {
		t.Fatal("the edited database has no change log: the check below would see nothing")
	}

	file := filepath.Join(t.TempDir(), "landinv.dump")
	sum, err := db.Backup(ctx, file, bin)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Versions["plots"] != versions || sum.Revision != rev || sum.Users != 2 || sum.Tokens != 2 || sum.Bytes == 0 {
		t.Errorf("backup summary %s (%d bytes), want %d plot versions and revision %d", sum, sum.Bytes, versions, rev)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm()&0o077 != 0 {
		t.Errorf("the backup (it holds token hashes) should be readable by its owner only: %v %v", st.Mode(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*partial")); len(left) != 0 {
		t.Errorf("partial files left behind: %v", left)
	}

	// Drop the database and create it again, empty.
	cfg := db.Pool.Config()
	name, dbURL := cfg.ConnConfig.Database, cfg.ConnString()
	db.Close()
	admin, err := pgx.Connect(ctx, postgistest.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{"drop database " + pgx.Identifier{name}.Sanitize() + " with (force)",
		"create database " + pgx.Identifier{name}.Sanitize() + " template template0"} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	restored, err := postgis.Open(ctx, dbURL, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	sum2, err := restored.RestoreBackup(ctx, file, bin)
	if err != nil {
		t.Fatal(err)
	}
	// The revision moves on past any number the backed-up database gave out after the backup
	// (it went on to rev+1… before it was dropped; a restored counter must not repeat them).
	if sum2.Revision <= rev+1_000_000 {
		t.Errorf("restored revision %d, want it moved far past the backup's %d", sum2.Revision, rev)
	}
	if now, err := restored.Revision(ctx); err != nil || now != sum2.Revision {
		t.Errorf("the restored database's revision is %d (%v), the summary says %d", now, err, sum2.Revision)
	}
	restoredRev := sum2.Revision
	sum2.Revision = sum.Revision
	if !reflect.DeepEqual(sum2, sum) {
		t.Errorf("restored %s, backed up %s", sum2, sum)
	}
	compareStates(t, want, stateOf(t, restored, before, code))
	// The tile change log starts empty (notRestored): its rows were another cluster's.
	if n := logRows(restored); n != 0 {
		t.Errorf("the restored change log holds %d rows, want none", n)
	}

	// The restored inventory keeps its rules, its tokens, and takes the next edit.
	if _, err := restored.Pool.Exec(ctx, "delete from plots where code = $1", code); err == nil || !strings.Contains(err.Error(), "cannot be deleted") {
		t.Errorf("deleting a version of the restored history: %v", err)
	}
	if v, err := restored.Authenticate(ctx, tokens[0]); err != nil || v.Name != "alice" {
		t.Errorf("alice's token after the restore: %v %v", v, err)
	}
	if _, err := restored.Authenticate(ctx, tokens[1]); err == nil {
		t.Error("bob's revoked token works after the restore")
	}
	planner := inventory.WithViewer(ctx, inventory.Viewer{Name: "alice", Role: inventory.RolePlanner})
	f, err := restored.Get(planner, inventory.PlotLayer, "", code)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := restored.Update(planner, inventory.PlotLayer, "", code, f.ETag(), inventory.Change{Properties: map[string]any{"name": "after the restore"}}); err != nil {
		t.Fatalf("edit after the restore: %v", err)
	}
	if got, err := restored.Revision(ctx); err != nil || got != restoredRev+1 {
		t.Errorf("revision after one edit on the restored inventory: %d %v, want %d", got, err, restoredRev+1)
	}

	// A second restore into it is refused, and changes nothing.
	again := stateOf(t, restored, before, code)
	_, err = restored.RestoreBackup(ctx, file, bin)
	var e *inventory.Error
	if !errors.As(err, &e) || e.Kind != inventory.EConflict || !strings.Contains(e.Reason, "not empty") {
		t.Fatalf("restore into a non-empty database: %v", err)
	}
	compareStates(t, again, stateOf(t, restored, before, code))
}

// TestRestoreTargets: a database holding only the postgis extension takes a restore; one with
// the schema, or anything else of its own, is refused untouched; a file that is not a landinv
// backup is refused, leaving the target empty.
func TestRestoreTargets(t *testing.T) {
	ctx := context.Background()
	bin := os.Getenv("LANDINV_PG_BIN")
	db, before, code, _ := edited(t)
	file := filepath.Join(t.TempDir(), "landinv.dump")
	if _, err := db.Backup(ctx, file, bin); err != nil {
		t.Fatal(err)
	}
	open := func(url string) *postgis.DB {
		t.Helper()
		d, err := postgis.Open(ctx, url, quietLog())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(d.Close)
		return d
	}

	withPostGIS := open(postgistest.Empty(t, true))
	if _, err := withPostGIS.RestoreBackup(ctx, file, bin); err != nil {
		t.Fatalf("restore into a database with only postgis: %v", err)
	}
	compareStates(t, stateOf(t, db, before, code), stateOf(t, withPostGIS, before, code))

	schemaOnly := postgistest.New(t)
	var n int
	count := func(d *postgis.DB) int {
		t.Helper()
		var n int
		if err := d.Pool.QueryRow(ctx, "select count(*) from pg_tables where schemaname = 'public'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	n = count(schemaOnly)
	if _, err := schemaOnly.RestoreBackup(ctx, file, bin); err == nil || !strings.Contains(err.Error(), "schema_migrations") {
		t.Errorf("restore into a migrated database: %v", err)
	}
	if count(schemaOnly) != n {
		t.Error("a refused restore changed the target")
	}
	other := open(postgistest.Empty(t, false))
	if _, err := other.Pool.Exec(ctx, "create table notes (id int primary key)"); err != nil {
		t.Fatal(err)
	}
	if _, err := other.RestoreBackup(ctx, file, bin); err == nil || !strings.Contains(err.Error(), "public.notes") {
		t.Errorf("restore into a database with a table of its own: %v", err)
	}

	empty := open(postgistest.Empty(t, false))
	for name, content := range map[string][]byte{"not-a-dump": []byte("-- just some SQL\ncreate table x ();\n"), "empty": nil} {
		bad := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(bad, content, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := empty.RestoreBackup(ctx, bad, bin); err == nil {
			t.Errorf("restoring %s succeeded", name)
		}
	}
	if _, err := empty.RestoreBackup(ctx, filepath.Join(t.TempDir(), "missing"), bin); err == nil {
		t.Error("restoring a missing file succeeded")
	}
	if got := count(empty); got != 0 {
		t.Errorf("failed restores left %d tables", got)
	}

	// pg_dump of a database that is not a landinv inventory is refused.
	if _, err := empty.Backup(ctx, filepath.Join(t.TempDir(), "x.dump"), bin); err == nil || !strings.Contains(err.Error(), "no landinv inventory") {
		t.Errorf("backup of a database without an inventory: %v", err)
	}
	if _, err := db.Backup(ctx, file, "/nonexistent"); err == nil || !strings.Contains(err.Error(), "LANDINV_PG_BIN") {
		t.Errorf("backup with a wrong LANDINV_PG_BIN: %v", err)
	}
}
