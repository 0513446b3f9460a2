package postgis_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestExecMode: Options.ExecMode sets pgx's exec mode, a default_query_exec_mode in the URL
// wins, an unknown name is refused naming the modes, and queries work in each mode.
func TestExecMode(t *testing.T) {
	base := postgistest.URL(t, false)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := inventory.WithQueryKind(context.Background(), inventory.KindRead)
	tests := []struct {
		name, url, mode string
		want            pgx.QueryExecMode
		wantErr         string
	}{
		{"pgx default", base, "", pgx.QueryExecModeCacheStatement, ""},
		{"cache_describe", base, "cache_describe", pgx.QueryExecModeCacheDescribe, ""},
		{"exec", base, "exec", pgx.QueryExecModeExec, ""},
		{"describe_exec", base, "describe_exec", pgx.QueryExecModeDescribeExec, ""},
		{"simple_protocol", base, "simple_protocol", pgx.QueryExecModeSimpleProtocol, ""},
		{"the URL wins", base + "&default_query_exec_mode=cache_describe", "exec", pgx.QueryExecModeCacheDescribe, ""},
		{"unknown", base, "prepared", 0, "one of cache_statement, cache_describe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := postgis.CheckExecMode(tt.mode); (err != nil) != (tt.wantErr != "") {
				t.Errorf("CheckExecMode(%q) = %v", tt.mode, err)
			}
			db, err := postgis.OpenWith(ctx, tt.url, quiet, postgis.Options{ExecMode: tt.mode, MaxConns: 2})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("OpenWith(%q) = %v, want an error with %q", tt.mode, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if got := db.Pool.Config().ConnConfig.DefaultQueryExecMode; got != tt.want {
				t.Errorf("exec mode %v, want %v", got, tt.want)
			}
			// A query with arguments of several types, and a list, answer in this mode.
			var n int
			var s string
			if err := db.Pool.QueryRow(ctx, "select $1::int + 1, $2::text || 'b'", 41, "a").Scan(&n, &s); err != nil || n != 42 || s != "ab" {
				t.Errorf("query: %d %q %v", n, s, err)
			}
			if _, err := db.Revision(ctx); err != nil {
				t.Errorf("revision: %v", err)
			}
		})
	}
}

// TestSettingsAreLocal: the pool's statements run with serial plans and their kind's statement
// timeout, set in their own transaction, and a connection of the pool keeps neither once the
// transaction ends (behind PgBouncer a session setting would reach other clients). A URL that
// sets max_parallel_workers_per_gather itself wins.
func TestSettingsAreLocal(t *testing.T) {
	base := postgistest.URL(t, false)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := inventory.WithQueryKind(context.Background(), inventory.KindRead)
	// The server's own values, read on a plain connection.
	plain, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	var serverWorkers, serverTimeout string
	if err := plain.QueryRow(ctx, "select current_setting('max_parallel_workers_per_gather'), current_setting('statement_timeout')").Scan(&serverWorkers, &serverTimeout); err != nil {
		t.Fatal(err)
	}
	plain.Close(ctx)
	if serverWorkers == "0" {
		t.Fatalf("the test server already plans serially (max_parallel_workers_per_gather = 0): the test could not fail")
	}
	wantTimeout := inventory.DefaultTimeouts().Of(inventory.KindRead).Milliseconds()

	for _, tt := range []struct {
		name, url, want string
	}{
		{"serial plans by default", base, "0"},
		{"the URL wins", base + "&max_parallel_workers_per_gather=1", "1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, err := postgis.OpenWith(ctx, tt.url, quiet, postgis.Options{MaxConns: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			const q = "select current_setting('max_parallel_workers_per_gather'), (extract(epoch from current_setting('statement_timeout')::interval) * 1000)::bigint"
			var workers string
			var timeout int64
			if err := db.Pool.QueryRow(ctx, q).Scan(&workers, &timeout); err != nil {
				t.Fatal(err)
			}
			if workers != tt.want || timeout != wantTimeout {
				t.Errorf("in a statement: workers %s, timeout %d ms; want %s, %d ms", workers, timeout, tt.want, wantTimeout)
			}
			tx, err := db.Pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var txWorkers string
			var txTimeout int64
			if err := tx.QueryRow(ctx, q).Scan(&txWorkers, &txTimeout); err != nil {
				t.Fatal(err)
			}
			tx.Rollback(ctx) //nolint:errcheck
			if txWorkers != tt.want || txTimeout != wantTimeout {
				t.Errorf("in a transaction: workers %s, timeout %d ms; want %s, %d ms", txWorkers, txTimeout, tt.want, wantTimeout)
			}
			// The same (only) connection, outside the pool's transactions: the server's values,
			// unless the URL asked for a session setting.
			conn, err := db.Pool.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Release()
			var after, afterTimeout string
			if err := conn.QueryRow(ctx, "select current_setting('max_parallel_workers_per_gather'), current_setting('statement_timeout')").Scan(&after, &afterTimeout); err != nil {
				t.Fatal(err)
			}
			wantAfter := serverWorkers
			if strings.Contains(tt.url, "max_parallel_workers_per_gather") {
				wantAfter = tt.want
			}
			if after != wantAfter || afterTimeout != serverTimeout {
				t.Errorf("after the transaction the connection has workers %s, timeout %s; want the server's %s, %s", after, afterTimeout, wantAfter, serverTimeout)
			}
		})
	}
}
