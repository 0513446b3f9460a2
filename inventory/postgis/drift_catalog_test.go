package postgis_test

// The catalogue side of the drift tests (drift_test.go): a table's columns, CHECK constraints
// and enum types as a migrated database describes them, and the comparisons with Go.

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// column is one column of a table, as the catalogue describes it.
type column struct {
	Name       string
	Type       string // format_type(): text, numeric, double precision, geometry(MultiPolygon,4326), ...
	NotNull    bool
	HasDefault bool
	Generated  bool // GENERATED ALWAYS AS (...) STORED
	Identity   bool
	EnumType   []string // the labels of an enum type, in order; nil for other types
}

// checkConstraint is one CHECK constraint of a table.
type checkConstraint struct {
	Name    string
	Def     string   // pg_get_constraintdef()
	Columns []string // the columns it reads
}

// table is what the catalogue says about one table.
type table struct {
	Columns map[string]column
	Checks  []checkConstraint
}

func readTable(ctx context.Context, pool *pgxpool.Pool, name string) (*table, error) {
	t := &table{Columns: map[string]column{}}
	rows, err := pool.Query(ctx, `
		select a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.atthasdef,
		       a.attgenerated <> '', a.attidentity <> '',
		       case when ty.typtype = 'e' then
		         array(select e.enumlabel::text from pg_enum e where e.enumtypid = ty.oid order by e.enumsortorder)
		       end
		from pg_attribute a
		join pg_type ty on ty.oid = a.atttypid
		where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped
		order by a.attnum`, name)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", name, err)
	}
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.Name, &c.Type, &c.NotNull, &c.HasDefault, &c.Generated, &c.Identity, &c.EnumType); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", name, err)
		}
		t.Columns[c.Name] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("columns of %s: %w", name, err)
	}
	if len(t.Columns) == 0 {
		return nil, fmt.Errorf("table %s does not exist", name)
	}
	rows, err = pool.Query(ctx, `
		select c.conname, pg_get_constraintdef(c.oid),
		       array(select a.attname::text from pg_attribute a
		             where a.attrelid = c.conrelid and a.attnum = any(c.conkey) order by a.attnum)
		from pg_constraint c
		where c.conrelid = to_regclass($1) and c.contype = 'c'
		order by c.conname`, name)
	if err != nil {
		return nil, fmt.Errorf("checks of %s: %w", name, err)
	}
	for rows.Next() {
		var c checkConstraint
		if err := rows.Scan(&c.Name, &c.Def, &c.Columns); err != nil {
			return nil, fmt.Errorf("checks of %s: %w", name, err)
		}
		t.Checks = append(t.Checks, c)
	}
	return t, rows.Err()
}

// The forms PostgreSQL gives a CHECK that lists a column's allowed values: `col in ('a', 'b')`
// is stored as `col = ANY (ARRAY['a'::text, 'b'::text])`, and `col in ('a')` as `col = 'a'::text`.
var (
	anyArrayRe = regexp.MustCompile(`^CHECK \(\((\w+) = ANY \(ARRAY\[(.*)\]\)\)\)$`)
	equalsRe   = regexp.MustCompile(`^CHECK \(\((\w+) = ('(?:[^']|'')*'::text)\)\)$`)
	literalRe  = regexp.MustCompile(`^'((?:[^']|'')*)'::text$`)
)

// allowedValues returns, per column, the values the table's CHECK constraints allow. A
// constraint that looks like a list of values (= ANY, or a column equal to a literal) but in a
// form this reader does not know is an error, so that no list escapes the comparison.
func (t *table) allowedValues() (map[string][]string, error) {
	out := map[string][]string{}
	for _, c := range t.Checks {
		var col string
		var items []string
		if m := anyArrayRe.FindStringSubmatch(c.Def); m != nil {
			col, items = m[1], strings.Split(m[2], ", ")
		} else if m := equalsRe.FindStringSubmatch(c.Def); m != nil {
			col, items = m[1], []string{m[2]}
		} else if strings.Contains(c.Def, "= ANY (") {
			return nil, fmt.Errorf("constraint %s (%s) lists values in a form this test cannot read; write it as CHECK (column in ('a', 'b'))", c.Name, c.Def)
		} else {
			continue
		}
		if len(c.Columns) != 1 || c.Columns[0] != col {
			return nil, fmt.Errorf("constraint %s (%s) reads %v, not just %s", c.Name, c.Def, c.Columns, col)
		}
		if _, dup := out[col]; dup {
			return nil, fmt.Errorf("column %s has two CHECK constraints listing its values", col)
		}
		vals := make([]string, 0, len(items))
		for _, it := range items {
			m := literalRe.FindStringSubmatch(it)
			if m == nil {
				return nil, fmt.Errorf("constraint %s: cannot read the value %s", c.Name, it)
			}
			vals = append(vals, strings.ReplaceAll(m[1], "''", "'"))
		}
		out[col] = vals
	}
	return out, nil
}

// valuesOf returns the values column col may take, from its enum type or its CHECK list
// (nil, false when neither restricts it).
func (t *table) valuesOf(col string, checks map[string][]string) ([]string, bool) {
	if v, ok := checks[col]; ok {
		return v, true
	}
	if c := t.Columns[col]; c.EnumType != nil {
		return c.EnumType, true
	}
	return nil, false
}

// sameSet returns the values only in goVals and those only in sqlVals.
func sameSet(goVals, sqlVals []string) (onlyGo, onlySQL []string) {
	for _, v := range goVals {
		if !slices.Contains(sqlVals, v) {
			onlyGo = append(onlyGo, v)
		}
	}
	for _, v := range sqlVals {
		if !slices.Contains(goVals, v) {
			onlySQL = append(onlySQL, v)
		}
	}
	return onlyGo, onlySQL
}

func enumMismatch(where string, goVals, sqlVals []string) string {
	onlyGo, onlySQL := sameSet(goVals, sqlVals)
	if len(onlyGo) == 0 && len(onlySQL) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: Go and SQL allow different values", where)
	if len(onlyGo) > 0 {
		fmt.Fprintf(&b, "; only in Go: %q (add them to the CHECK constraint in a new migration)", onlyGo)
	}
	if len(onlySQL) > 0 {
		fmt.Fprintf(&b, "; only in SQL: %q (add them to the Go list, or drop them in a new migration)", onlySQL)
	}
	return b.String()
}

// compareStruct compares a table's columns with a struct's JSON properties. served maps a
// column to the properties derived from it ("" when none: the column is internal).
func compareStruct(t *testing.T, name string, tbl *table, typ reflect.Type, served map[string]string) {
	t.Helper()
	props := map[string]bool{}
	for i := 0; i < typ.NumField(); i++ {
		tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if tag != "" && tag != "-" {
			props[tag] = true
		}
	}
	derived := map[string]bool{}
	for col, ps := range served {
		if _, ok := tbl.Columns[col]; !ok {
			t.Errorf("%s has no column %s", name, col)
		}
		for _, p := range strings.Fields(ps) {
			derived[p] = true
		}
	}
	for col := range tbl.Columns {
		if _, ok := served[col]; !ok && !props[col] {
			t.Errorf("column %s.%s is not a property of %s", name, col, typ)
		}
	}
	for p := range props {
		if _, ok := tbl.Columns[p]; !ok && !derived[p] {
			t.Errorf("property %s of %s has no column in %s", p, typ, name)
		}
	}
}
