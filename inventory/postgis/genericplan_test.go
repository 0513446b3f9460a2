package postgis_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestReadsByKeyArePlannedOnce: a read of one feature by code (the ordinary statement) and the
// read of a version's text by id (the index of codes, when the feature cache does not hold the
// text) are planned once per connection, not with every execution. PostgreSQL's own choice
// kept planning both again each time (a custom plan looked cheaper than the generic one), which
// cost more than running them. Each store has one connection, whose prepared statements
// (pg_prepared_statements) count the plans made of each statement.
func TestReadsByKeyArePlannedOnce(t *testing.T) {
	ctx := context.Background()
	url := postgistest.URL(t, true)
	public := inventory.WithViewer(ctx, inventory.Anonymous)
	open := func(opts postgis.Options) *postgis.DB {
		opts.MaxConns = 1
		db, err := postgis.OpenWith(ctx, url, nil, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		return db
	}
	codes := texts(t, open(postgis.Options{FeatureCacheBytes: -1}),
		"select code from plots where valid_to = 'infinity' and not archived order by code limit 40")
	if len(codes) < 40 {
		t.Fatalf("%d codes", len(codes))
	}
	read := func(db *postgis.DB, code string) {
		t.Helper()
		var got []byte
		n, _, err := db.StreamList(public, inventory.Query{Layer: inventory.PlotLayer, Limit: 1,
			Conditions: []inventory.Condition{{Kind: inventory.FilterEquals, Field: "code", Value: code}}},
			func(b []byte) error { got = b; return nil })
		if err != nil || n != 1 || !strings.Contains(string(got), `"id":"`+code+`"`) {
			t.Fatalf("plot %s: %d features, %v: %.80s", code, n, err, got)
		}
	}
	// plans returns the generic and custom plans made of db's prepared statements whose text
	// holds each of parts.
	plans := func(t *testing.T, db *postgis.DB, parts ...string) (generic, custom int64) {
		t.Helper()
		conn, err := db.Pool.Pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		rows, err := conn.Query(ctx, "select statement, generic_plans, custom_plans from pg_prepared_statements")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		found := false
	next:
		for rows.Next() {
			var s string
			var g, c int64
			if err := rows.Scan(&s, &g, &c); err != nil {
				t.Fatal(err)
			}
			for _, p := range parts {
				if !strings.Contains(s, p) {
					continue next
				}
			}
			found = true
			generic, custom = generic+g, custom+c
		}
		if !found {
			t.Fatalf("no prepared statement holds %q", parts)
		}
		return generic, custom
	}

	t.Run("one feature by code", func(t *testing.T) {
		db := open(postgis.Options{FeatureCacheBytes: -1}) // no cache: every read is the statement
		for _, c := range codes {
			read(db, c)
		}
		g, c := plans(t, db, `t."code" = $`, "limit $")
		if c != 0 || g < int64(len(codes)) {
			t.Errorf("%d reads by code: %d generic plans, %d custom; want one generic plan for each, no custom", len(codes), g, c)
		}
	})

	t.Run("a bbox page keeps PostgreSQL's choice", func(t *testing.T) {
		// The same statement for every box: its first executions are planned with their
		// own values (auto), which a generic plan forced beyond reads by key would stop.
		db := open(postgis.Options{FeatureCacheBytes: -1})
		for i := range 8 {
			x := 111.40 + float64(i)*0.01
			if _, _, err := db.StreamList(public, inventory.Query{Layer: inventory.PlotLayer, Limit: 10,
				BBox: &[4]float64{x, 36.0, x + 0.05, 36.1}}, func([]byte) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
		if _, c := plans(t, db, "count(*) over ()"); c == 0 {
			t.Error("bbox pages: no custom plan; want PostgreSQL's own choice (auto)")
		}
	})

	t.Run("a version's text by id", func(t *testing.T) {
		// A cache too small to hold any text (the index's texts are built when it loads, and
		// would all be held in a cache of the default size).
		db := open(postgis.Options{FeatureCacheBytes: 1})
		read(db, codes[0]) // the ordinary way; the index of the zone's codes loads after it
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			if n, _, _ := db.CodeIndexState(); n == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the index of codes did not load")
			}
		}
		before := db.FeatureCacheStats().ByCode
		for _, c := range codes[1:] {
			read(db, c) // from the index, the text read by id
		}
		if got := db.FeatureCacheStats().ByCode - before; got != uint64(len(codes)-1) {
			t.Fatalf("%d of %d reads answered by the index", got, len(codes)-1)
		}
		// Without plan_cache_mode (one statement, no transaction of its own), PostgreSQL
		// plans the first five executions one by one and then keeps the generic plan, when
		// that is as cheap as theirs.
		g, c := plans(t, db, "t.id = $2")
		if reads := int64(len(codes) - 1); c > 5 || g < reads-5 {
			t.Errorf("%d texts read by id: %d generic plans, %d custom; want at most 5 custom", reads, g, c)
		}
	})
}
