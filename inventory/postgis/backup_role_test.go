package postgis_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestRestoreAsDatabaseOwner restores as a role that is not a superuser: it owns the empty
// target, where a superuser made the postgis extension beforehand. A backup holding a spatial
// reference system of its own is refused there (the role may not add it), and taken by a
// superuser's restore.
func TestRestoreAsDatabaseOwner(t *testing.T) {
	ctx := context.Background()
	bin := os.Getenv("LANDINV_PG_BIN")
	db, before, code, _ := edited(t)
	file := filepath.Join(t.TempDir(), "landinv.dump")
	if _, err := db.Backup(ctx, file, bin); err != nil {
		t.Fatal(err)
	}
	want := stateOf(t, db, before, code)

	admin, err := pgx.Connect(ctx, postgistest.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	role := fmt.Sprintf("landinv_t_owner_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "create role "+role+" login"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), postgistest.ServerURL())
		if err != nil {
			t.Logf("drop role %s: %v", role, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "drop role if exists "+role); err != nil {
			t.Logf("drop role %s: %v", role, err)
		}
	})
	// Databases made from here on are dropped before the role (cleanups run last-first): a
	// role that owns a database cannot be dropped.
	target := postgistest.Empty(t, true)
	if _, err := admin.Exec(ctx, "alter database "+pgx.Identifier{dbName(t, target)}.Sanitize()+" owner to "+role); err != nil {
		t.Fatal(err)
	}
	owner, err := postgis.Open(ctx, asRole(t, target, role), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	if err := owner.Ping(ctx); err != nil && strings.Contains(err.Error(), "authentication") {
		t.Skipf("the test server does not let a new role without a password in: %v", err)
	}
	var super bool
	if err := owner.Pool.QueryRow(ctx, "select rolsuper from pg_roles where rolname = current_user").Scan(&super); err != nil || super {
		t.Fatalf("restoring role is a superuser (%v) or cannot connect: %v", super, err)
	}
	if _, err := owner.RestoreBackup(ctx, file, bin); err != nil {
		t.Fatalf("restore as the database's owner: %v", err)
	}
	compareStates(t, want, stateOf(t, owner, before, code))

	// A reference system of the inventory's own is kept, or the restore refused.
	exec(t, db, `insert into spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text)
		select 990001, 'LANDINV', 990001, srtext, proj4text from spatial_ref_sys where srid = 4490`)
	srsFile := filepath.Join(t.TempDir(), "srs.dump")
	if _, err := db.Backup(ctx, srsFile, bin); err != nil {
		t.Fatal(err)
	}
	other := postgistest.Empty(t, true)
	if _, err := admin.Exec(ctx, "alter database "+pgx.Identifier{dbName(t, other)}.Sanitize()+" owner to "+role); err != nil {
		t.Fatal(err)
	}
	owner2, err := postgis.Open(ctx, asRole(t, other, role), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer owner2.Close()
	if _, err := owner2.RestoreBackup(ctx, srsFile, bin); err == nil || !strings.Contains(err.Error(), "spatial reference system") {
		t.Errorf("restore of a custom SRS without the right to add it: %v", err)
	}
	super2, err := postgis.Open(ctx, postgistest.Empty(t, false), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer super2.Close()
	if _, err := super2.RestoreBackup(ctx, srsFile, bin); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := super2.Pool.QueryRow(ctx, "select count(*) from spatial_ref_sys where srid = 990001").Scan(&n); err != nil || n != 1 {
		t.Errorf("custom SRS after a superuser's restore: %d %v", n, err)
	}
}

func dbName(t *testing.T, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(p.Path, "/")
}

// asRole returns u connecting as role, without a password.
func asRole(t *testing.T, u, role string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	p.User = url.User(role)
	return p.String()
}
