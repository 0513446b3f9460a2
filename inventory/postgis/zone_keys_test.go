package postgis_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// notPerZone are the tables without zone_id, and why (docs/scale.md): reference tables, read
// everywhere (zones, land_use_codes), and the tables about people and the service, which stay
// on one node (a Citus coordinator).
var notPerZone = map[string]string{
	"zones":              "reference table",
	"land_use_codes":     "reference table",
	"users":              "people: coordinator",
	"api_tokens":         "people: coordinator",
	"sessions":           "people: coordinator",
	"signin_failures":    "people: coordinator",
	"schema_migrations":  "service: coordinator",
	"inventory_revision": "service: coordinator",
	// The revision's log and where each revision changed the map (0078), beside the revision.
	"inventory_revision_log": "service: coordinator",
	"inventory_changes":      "service: coordinator",
	"spatial_ref_sys":        "PostGIS: every node has its own",
}

// TestEveryKeyIncludesZone: every table carries zone_id unless notPerZone says why not, and
// every primary key, unique constraint, unique index and exclusion constraint of a table that
// carries zone_id includes it, and so does every foreign key between two such tables: the
// tables can be distributed by zone_id (Citus) without changing a key.
func TestEveryKeyIncludesZone(t *testing.T) {
	db := postgistest.New(t)
	ctx := context.Background()
	rows, err := db.Pool.Query(ctx, `select c.relname, exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'zone_id' and not a.attisdropped)
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`)
	if err != nil {
		t.Fatal(err)
	}
	perZone := map[string]bool{}
	for rows.Next() {
		var name string
		var has bool
		if err := rows.Scan(&name, &has); err != nil {
			t.Fatal(err)
		}
		if _, listed := notPerZone[name]; has == listed {
			t.Errorf("table %s: zone_id %v, but notPerZone lists it %v", name, has, listed)
		}
		perZone[name] = has
	}
	rows.Close()
	if !perZone["plots"] || !perZone["enquiry_history"] {
		t.Fatalf("catalog read wrong: %v", perZone)
	}
	// Unique indexes (primary keys, unique constraints, exclusion constraints make one each).
	rows, err = db.Pool.Query(ctx, `select t.relname, i.relname,
			array(select a.attname from unnest(x.indkey) k join pg_attribute a on a.attrelid = t.oid and a.attnum = k)::text[]
		from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
		join pg_namespace n on n.oid = t.relnamespace
		where n.nspname = 'public' and (x.indisunique or x.indisexclusion or x.indisprimary)`)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for rows.Next() {
		var table, index string
		var cols []string
		if err := rows.Scan(&table, &index, &cols); err != nil {
			t.Fatal(err)
		}
		if !perZone[table] {
			continue
		}
		checked++
		if !slices.Contains(cols, "zone_id") {
			t.Errorf("%s: unique index %s on (%s) lacks zone_id", table, index, strings.Join(cols, ", "))
		}
	}
	rows.Close()
	if checked < 15 {
		t.Errorf("only %d unique indexes checked", checked)
	}
	rows, err = db.Pool.Query(ctx, `select c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,
			array(select a.attname from unnest(c.conkey) k join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k)::text[]
		from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = 'public' and c.contype = 'f'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, from, to string
		var cols []string
		if err := rows.Scan(&name, &from, &to, &cols); err != nil {
			t.Fatal(err)
		}
		if perZone[from] && perZone[to] && !slices.Contains(cols, "zone_id") {
			t.Errorf("foreign key %s from %s to %s on (%s) lacks zone_id", name, from, to, strings.Join(cols, ", "))
		}
	}
	rows.Close()
}
