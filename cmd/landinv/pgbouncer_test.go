package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestThroughPgBouncer runs landinv through PgBouncer in transaction pooling mode, with the
// exec modes the README recommends for it, beside a process connected directly to the same
// database: the API's reads answer the same through both, its writes (create, update and
// archive with If-Match, an import dry and real) work and are seen by the other process,
// PgBouncer serves many client connections with few server connections, and no session state
// (settings, prepared statements, advisory locks) is left on the server connections.
func TestThroughPgBouncer(t *testing.T) {
	direct := postgistest.URL(t, true)
	seedHandZone(t, direct)
	token := plannerToken(t, direct, "pat")
	pb := postgistest.NewPgBouncer(t, direct, 3)
	ctx := context.Background()

	// The control: this PgBouncer does pool by transaction, so that pgx's default exec mode,
	// whose named prepared statements live in a server session, fails through it.
	// (A PgBouncer of its own: the statements it prepares stay in its server sessions, which is
	// the point.)
	t.Run("cache_statement fails", func(t *testing.T) {
		control := postgistest.NewPgBouncer(t, direct, 3)
		var conns []*pgx.Conn
		for i := 0; i < 2; i++ {
			conn, err := pgx.Connect(ctx, control.URL(direct, "default_query_exec_mode", "cache_statement"))
			if err != nil {
				t.Fatalf("connect through pgbouncer: %v\n%s", err, control.Log())
			}
			defer conn.Close(ctx)
			conns = append(conns, conn)
		}
		var failed error
		for i := 0; i < 6 && failed == nil; i++ {
			var n int
			failed = conns[i%2].QueryRow(ctx, "select count(*) from plots where code <> $1", "x").Scan(&n)
		}
		var pg *pgconn.PgError
		if !errors.As(failed, &pg) || (pg.Code != "42P05" && pg.Code != "26000") {
			t.Fatalf("named prepared statements through PgBouncer: %v; want 42P05 (exists) or 26000 (does not exist)", failed)
		}
	})

	bin := buildLandinv(t)
	d := startServe(t, bin, "direct", "DATABASE_URL="+direct)
	c := newClient(t, token)
	x, y := tileOf(14, 112.5125, 37.0125) // the hand-made zone's P1
	dx, dy := tileOf(13, 111.545, 36.08)  // the demo zone's old area
	for i, mode := range []string{"cache_describe", "exec"} {
		t.Run(mode, func(t *testing.T) {
			c.t = t
			p := startServe(t, bin, "pgbouncer-"+mode, "DATABASE_URL="+pb.URL(direct), "DATABASE_MIGRATE_URL="+direct,
				"LANDINV_DB_EXEC_MODE="+mode, "LANDINV_DB_MAX_CONNS=12")
			sameThroughBoth := func(paths ...string) {
				t.Helper()
				for _, path := range paths {
					a, b := c.must(200, "GET", p.url, path, ""), c.must(200, "GET", d.url, path, "")
					// Links name the process they came from.
					a.body = bytes.ReplaceAll(a.body, []byte(strings.TrimPrefix(p.url, "http://")), []byte("HOST"))
					b.body = bytes.ReplaceAll(b.body, []byte(strings.TrimPrefix(d.url, "http://")), []byte("HOST"))
					if !bytes.Equal(normalise(t, a.body), normalise(t, b.body)) || a.header.Get("ETag") != b.header.Get("ETag") {
						t.Errorf("%s through PgBouncer differs from the direct answer:\n%.600s\n%.600s", path, a.body, b.body)
					}
				}
			}
			const demo = "zone=linfen-edz"
			reads := []string{
				"/api/v1/zones", "/api/v1/zone?" + demo, "/api/v1/land-uses",
				"/api/v1/plots?limit=50&" + demo, "/api/v1/plots?limit=20&offset=20&" + demo, "/api/v1/plants?limit=30&" + demo,
				"/api/v1/roads?limit=10&" + demo, "/api/v1/plots?zone=hand", "/api/v1/plots/P1?zone=hand", "/api/v1/plots/P1/history?zone=hand",
				"/api/v1/reports/intensity?" + demo, "/api/v1/reports/supply?" + demo, "/api/v1/reports/idle?" + demo, "/api/v1/reports/intensity?format=csv&" + demo,
				"/ogc/collections/plots/items?limit=5&" + demo,
				fmt.Sprintf("/tiles/plots/13/%d/%d.mvt?%s", dx, dy, demo), fmt.Sprintf("/tiles/plots/14/%d/%d.mvt?zone=hand", x, y),
			}
			sameThroughBoth(reads...)

			// Writes through PgBouncer, each seen directly.
			code := fmt.Sprintf("C%d", i)
			x0 := 112.53 + 0.01*float64(i)
			created := c.must(201, "POST", p.url, "/api/v1/plots?zone=hand", feature(box(x0, 37.03, x0+0.005, 37.035), `{"code":"`+code+`","land_use":"100101","status":"planned"}`))
			etag := created.header.Get("ETag")
			if got := c.must(200, "GET", d.url, "/api/v1/plots/"+code+"?zone=hand", "").header.Get("ETag"); got != etag {
				t.Errorf("created %s: ETag %s directly, %s through PgBouncer", code, got, etag)
			}
			updated := c.must(200, "PATCH", p.url, "/api/v1/plots/"+code+"?zone=hand", `{"type":"Feature","properties":{"name":"through pgbouncer"}}`, "If-Match", etag)
			c.must(412, "PATCH", p.url, "/api/v1/plots/"+code+"?zone=hand", `{"type":"Feature","properties":{"name":"stale"}}`, "If-Match", etag)
			if name, _ := plotName(t, c, d.url, code); name != "through pgbouncer" {
				t.Errorf("updated %s: the direct process reads %q", code, name)
			}
			c.must(200, "DELETE", p.url, "/api/v1/plots/"+code+"?zone=hand", "", "If-Match", updated.header.Get("ETag"))
			c.must(404, "GET", d.url, "/api/v1/plots/"+code+"?zone=hand", "")

			var feats []string
			for j := 0; j < 3; j++ {
				fx := x0 + 0.0015*float64(j)
				feats = append(feats, feature(box(fx, 37.05, fx+0.001, 37.051), fmt.Sprintf(`{"code":"%s-I%d","land_use":"100101","status":"planned"}`, code, j)))
			}
			file := `{"type":"FeatureCollection","features":[` + strings.Join(feats, ",") + `]}`
			dry := c.must(200, "POST", p.url, "/api/v1/import?zone=hand&layer=plots&dry_run=true", file)
			if !bytes.Contains(dry.body, []byte(`"committed":false`)) {
				t.Errorf("dry run: %s", dry.body)
			}
			c.must(404, "GET", d.url, "/api/v1/plots/"+code+"-I0?zone=hand", "")
			done := c.must(200, "POST", p.url, "/api/v1/import?zone=hand&layer=plots&note=pgbouncer", file)
			if !bytes.Contains(done.body, []byte(`"committed":true`)) {
				t.Errorf("import: %s", done.body)
			}
			for j := 0; j < 3; j++ {
				c.must(200, "GET", d.url, fmt.Sprintf("/api/v1/plots/%s-I%d?zone=hand", code, j), "")
			}
			// The reads again, after the writes.
			sameThroughBoth(reads...)

			// Many requests at once: more client connections than server connections, and
			// every answer right.
			want := map[string][]byte{}
			for _, path := range reads[3:9] {
				want[path] = normalise(t, c.must(200, "GET", d.url, path, "").body)
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			var wrong []string
			for k := 0; k < 48; k++ {
				path := reads[3+k%6]
				wg.Add(1)
				go func() {
					defer wg.Done()
					a := c.do("GET", p.url, path, "")
					if a.status != 200 || !bytes.Equal(normalise(t, a.body), want[path]) {
						mu.Lock()
						wrong = append(wrong, fmt.Sprintf("%s: %d %.200s", path, a.status, a.body))
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if len(wrong) > 0 {
				t.Errorf("%d of 48 concurrent reads through PgBouncer were wrong: %s", len(wrong), wrong[0])
			}
			clients, servers := pgbouncerConns(t, pb, dbName(direct))
			if servers > pb.PoolSize || clients <= servers {
				t.Errorf("PgBouncer: %d client and %d server connections; want more clients than servers, servers ≤ %d", clients, servers, pb.PoolSize)
			}
			t.Logf("PgBouncer: %d client connections from landinv on %d server connections", clients, servers)
			noSessionState(t, pb, direct)
		})
	}
}

// normalise drops what differs between two correct answers (a report's generated_at, an OGC
// list's timeStamp) from a JSON body; other bodies pass unchanged.
func normalise(t *testing.T, body []byte) []byte {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return body
	}
	var strip func(any)
	strip = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			delete(v, "generated_at")
			delete(v, "timeStamp")
			delete(v, "time_stamp")
			for _, e := range v {
				strip(e)
			}
		case []any:
			for _, e := range v {
				strip(e)
			}
		}
	}
	strip(v)
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func dbName(u string) string {
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		panic(err)
	}
	return cfg.Database
}

// pgbouncerConns counts PgBouncer's client and server connections for database db (its admin
// console's SHOW CLIENTS and SHOW SERVERS).
func pgbouncerConns(t *testing.T, pb *postgistest.PgBouncer, db string) (clients, servers int) {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, pb.AdminURL())
	if err != nil {
		t.Fatalf("PgBouncer's admin console: %v", err)
	}
	defer admin.Close(ctx)
	count := func(show string) int {
		rows, err := admin.Query(ctx, show)
		if err != nil {
			t.Fatalf("%s: %v", show, err)
		}
		defer rows.Close()
		col := -1
		for i, f := range rows.FieldDescriptions() {
			if f.Name == "database" {
				col = i
			}
		}
		n := 0
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				t.Fatal(err)
			}
			if col >= 0 && fmt.Sprint(vals[col]) == db {
				n++
			}
		}
		return n
	}
	return count("SHOW CLIENTS"), count("SHOW SERVERS")
}

// noSessionState checks every server connection PgBouncer holds for the database: the server's
// own settings (no statement timeout or serial plans left behind), no named prepared
// statements; and no advisory lock held in the database.
func noSessionState(t *testing.T, pb *postgistest.PgBouncer, direct string) {
	t.Helper()
	ctx := context.Background()
	plain, err := pgx.Connect(ctx, direct)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close(ctx)
	var workers, timeout string
	var locks int
	if err := plain.QueryRow(ctx, `select current_setting('max_parallel_workers_per_gather'), current_setting('statement_timeout'),
		(select count(*) from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database()))`).Scan(&workers, &timeout, &locks); err != nil {
		t.Fatal(err)
	}
	if locks != 0 {
		t.Errorf("%d advisory locks held in the database after the requests", locks)
	}
	// Hold every server connection of the pool at once (one open transaction each), so that
	// each is looked at.
	var conns []*pgx.Conn
	seen := map[int32]bool{}
	for i := 0; i < pb.PoolSize; i++ {
		conn, err := pgx.Connect(ctx, pb.URL(direct, "default_query_exec_mode", "exec"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		conns = append(conns, conn)
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx) //nolint:errcheck
		var pid int32
		var w, st string
		var prepared int
		if err := tx.QueryRow(ctx, `select pg_backend_pid(), current_setting('max_parallel_workers_per_gather'),
			current_setting('statement_timeout'), (select count(*) from pg_prepared_statements)`).Scan(&pid, &w, &st, &prepared); err != nil {
			t.Fatal(err)
		}
		seen[pid] = true
		if prepared > 0 {
			rows, _ := tx.Query(ctx, "select name || ': ' || statement from pg_prepared_statements")
			names, _ := pgx.CollectRows(rows, pgx.RowTo[string])
			t.Logf("prepared statements on server connection %d: %q", pid, names)
		}
		if w != workers || st != timeout || prepared != 0 {
			t.Errorf("server connection %d: max_parallel_workers_per_gather %s, statement_timeout %s, %d prepared statements; want the server's %s, %s and none",
				pid, w, st, prepared, workers, timeout)
		}
	}
	if len(seen) != pb.PoolSize {
		t.Errorf("looked at %d server connections, want %d", len(seen), pb.PoolSize)
	}
}
