package postgistest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// RestoreUnder makes the database of pool look restored under a running server, as a dump
// restored by hand would: the revision's table made again (a new oid, the server's epoch) with
// the same counter, and changes made by changes with the triggers off (session_replication_role
// replica), so that the revision stays what the server last read. All in one transaction.
func RestoreUnder(t testing.TB, pool *pgxpool.Pool, changes ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	stmts := append([]string{
		`begin`,
		`alter table inventory_revision rename to inventory_revision_old`,
		`create table inventory_revision as select * from inventory_revision_old`,
		`drop table inventory_revision_old cascade`,
		`set local session_replication_role = replica`,
	}, changes...)
	for _, sql := range append(stmts, `commit`) {
		if _, err := conn.Exec(ctx, sql); err != nil {
			conn.Exec(ctx, `rollback`) //nolint:errcheck
			t.Fatalf("%s: %v", sql, err)
		}
	}
}
