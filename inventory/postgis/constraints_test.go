package postgis_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestEveryCheckConstraintIsMappedToWords reads every CHECK constraint of the migrated schema
// (pg_constraint) and turns a violation of each into the store's error: each must name a
// property and say the rule in words, never the constraint's name.
func TestEveryCheckConstraintIsMappedToWords(t *testing.T) {
	db := postgistest.New(t)
	rows, err := db.Pool.Query(context.Background(), `select c.conname from pg_constraint c
		join pg_namespace n on n.oid = c.connamespace
		where c.contype = 'c' and n.nspname = 'public'
		  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
		                  and d.objid = c.conrelid and d.deptype = 'e') -- PostGIS's own tables
		order by 1`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(names) < 80 {
		t.Fatalf("only %d CHECK constraints: %v", len(names), names)
	}
	for _, n := range names {
		err := postgis.AsError(&pgconn.PgError{Code: "23514", Message: "new row violates check constraint " + n, ConstraintName: n})
		var e *inventory.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: %v is not an inventory error", n, err)
			continue
		}
		if e.Field == "" || e.Field == "properties" || strings.Contains(e.Field, n) || strings.Contains(e.Reason, n) || e.Reason == "breaks a rule of the inventory" {
			t.Errorf("CHECK constraint %s has no entry in checkRules (constraints.go): answers %q %q", n, e.Field, e.Reason)
		}
		if _, ok := inventory.Codes()[e.Code]; !ok || e.Code == "" {
			t.Errorf("CHECK constraint %s answers code %q, which has no templates (inventory/codes.go)", n, e.Code)
		}
	}
}

// TestCheckViolationsNameTheRule: the database's own checks (bypassing the Go checks with raw
// SQL) answer naming the properties and the rule in words.
func TestCheckViolationsNameTheRule(t *testing.T) {
	db := handZone(t)
	for _, c := range []struct {
		sql, field, rule string
		fields           []string
		code             string
	}{
		{`insert into plots (zone_id, code, land_use, status, min_far, max_far, geom) values (1, 'P2', '100101', 'ready', 3, 2, ST_Multi(ST_MakeEnvelope(111.53, 36.03, 111.54, 36.04, 4326)))`, "min_far", "min_far must not exceed max_far", []string{"min_far", "max_far"}, inventory.CodeFARRange},
		{`insert into plots (zone_id, code, land_use, status, min_far, geom) values (1, 'P2', '100101', 'ready', 1e308, ST_Multi(ST_MakeEnvelope(111.53, 36.03, 111.54, 36.04, 4326)))`, "min_far", "min_far must be between 0 and 10", []string{"min_far"}, inventory.CodeOutOfRange},
		{`insert into plots (zone_id, code, land_use, status, max_green_ratio_pct, geom) values (1, 'P2', '100101', 'ready', 101, ST_Multi(ST_MakeEnvelope(111.53, 36.03, 111.54, 36.04, 4326)))`, "max_green_ratio_pct", "max_green_ratio_pct must be between 0 and 100 %", []string{"max_green_ratio_pct"}, inventory.CodeOutOfRange},
		{`insert into plants (zone_id, code, status, floors, leasable_area_m2, leased_area_m2, geom) values (1, 'S2', 'completed', 2, 10, 20, ST_Multi(ST_MakeEnvelope(111.514, 36.014, 111.515, 36.015, 4326)))`, "leased_area_m2", "leased_area_m2 must not exceed leasable_area_m2", []string{"leased_area_m2", "leasable_area_m2"}, inventory.CodeLeasedOverLeased},
		{`insert into plants (zone_id, code, status, floors, floor_height_m, geom) values (1, 'S2', 'completed', 2, 0.5, ST_Multi(ST_MakeEnvelope(111.514, 36.014, 111.515, 36.015, 4326)))`, "floor_height_m", "floor_height_m must be between 2 and 30 m", []string{"floor_height_m"}, inventory.CodeOutOfRange},
		// An archived version skips the figures' trigger (a live firm), not their ranges.
		{`insert into enterprise_figures (zone_id, code, archived, tax_wan) values (1, '911410000000000000-2024', true, 2e7)`, "tax_wan", "tax_wan must be between 0 and 10000000 万元", []string{"tax_wan"}, inventory.CodeOutOfRange},
		{`insert into enterprise_figures (zone_id, code, archived, electricity_kwh) values (1, '911410000000000000-2024', true, -1)`, "electricity_kwh", "electricity_kwh must be between 0 and 100000000000 kWh", []string{"electricity_kwh"}, inventory.CodeOutOfRange},
	} {
		err := inTx(db, c.sql)
		var e *inventory.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: %v, want an inventory error", c.sql, err)
			continue
		}
		if e.Kind != inventory.EInvalid || e.Field != c.field || e.Detail["rule"] != c.rule || fmt.Sprint(e.Detail["fields"]) != fmt.Sprint(c.fields) {
			t.Errorf("%s: %s %q %v, want %s %q %v", c.sql, e.Field, e.Reason, e.Detail, c.field, c.rule, c.fields)
		}
		if e.Code != c.code {
			t.Errorf("%s: code %q, want %q", c.sql, e.Code, c.code)
		}
		if c.code == inventory.CodeOutOfRange {
			var f inventory.Field
			ok := false
			for _, l := range append(inventory.Layers(), inventory.RecordLayers()...) {
				if x, found := l.Field(c.field); found && x.Min != nil {
					f, ok = x, true
				}
			}
			if !ok || e.Params["min"] != *f.Min || e.Params["max"] != *f.Max {
				t.Errorf("%s: params %v, want the field's range", c.sql, e.Params)
			}
		}
		if strings.Contains(e.Error(), "_check") || strings.Contains(e.Error(), "_range") || strings.Contains(e.Error(), "_order") {
			t.Errorf("%s: the error names a constraint: %s", c.sql, e.Error())
		}
	}
}

// rangeRe reads a range constraint as PostgreSQL prints it: `CHECK (((col >= (0)::numeric) AND
// (col <= (10)::numeric)))`, the bounds possibly written as (0.5)::numeric, 10000000,
// (1900)::double precision or, beyond an integer, ('100000000000'::bigint)::double precision.
var rangeRe = regexp.MustCompile(`^CHECK \(\(\((\w+) >= ` + rangeBound + `\) AND \((\w+) <= ` + rangeBound + `\)\)\)$`)

const rangeBound = `\(?'?(-?[0-9.e+]+)'?(?:::[a-z]+)?\)?(?:::[a-z ]+)?`

// TestDriftRanges: every numeric field's range (inventory.Field.Min/Max) is one CHECK
// constraint <table>_<field>_range with the same bounds, every writable numeric field has one,
// and no range constraint lacks a Go range: over the map layers and the record layers
// (enterprises and their annual figures).
func TestDriftRanges(t *testing.T) {
	db := postgistest.New(t)
	ctx := context.Background()
	for _, l := range append(inventory.Layers(), inventory.RecordLayers()...) {
		tbl, err := readTable(ctx, db.Pool.Pool, l.Table)
		if err != nil {
			t.Fatal(err)
		}
		sqlRanges := map[string][2]float64{}
		for _, c := range tbl.Checks {
			if !strings.HasSuffix(c.Name, "_range") {
				continue
			}
			m := rangeRe.FindStringSubmatch(c.Def)
			if m == nil || m[1] != m[3] {
				t.Errorf("%s: %s is not a range this test reads: %s", l.Table, c.Name, c.Def)
				continue
			}
			lo, err1 := strconv.ParseFloat(m[2], 64)
			hi, err2 := strconv.ParseFloat(m[4], 64)
			if err1 != nil || err2 != nil || c.Name != l.Table+"_"+m[1]+"_range" {
				t.Errorf("%s: cannot read %s: %s", l.Table, c.Name, c.Def)
				continue
			}
			sqlRanges[m[1]] = [2]float64{lo, hi}
		}
		for _, f := range l.Fields {
			numeric := f.Type == inventory.Number || f.Type == inventory.Integer
			r, inSQL := sqlRanges[f.Name]
			delete(sqlRanges, f.Name)
			switch {
			case f.Min == nil && numeric && !f.Computed:
				t.Errorf("%s.%s is a writable number without a range (Field.Between)", l.Name, f.Name)
			case f.Min == nil && inSQL:
				t.Errorf("%s.%s has a range in SQL %v but none in Go", l.Name, f.Name, r)
			case f.Min != nil && !inSQL:
				t.Errorf("%s.%s has a range in Go (%s) but no constraint %s_%s_range", l.Name, f.Name, f.RangeText(), l.Table, f.Name)
			case f.Min != nil && (r[0] != *f.Min || r[1] != *f.Max):
				t.Errorf("%s.%s: Go range %v–%v, SQL %v–%v", l.Name, f.Name, *f.Min, *f.Max, r[0], r[1])
			}
		}
		for col, r := range sqlRanges {
			t.Errorf("%s: range constraint on %s (%v) has no field", l.Table, col, r)
		}
	}
}
