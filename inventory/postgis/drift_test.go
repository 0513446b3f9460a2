package postgis_test

// One definition per rule: the layers' fields and enumerations are written twice, in Go
// (inventory.Layer and its Field lists, PlotStatuses, IdleStages, RoadStatuses, ...) and in SQL
// (data/migrations: columns, CHECK constraints, enum types). These tests read the catalogue of
// a freshly migrated database and fail when the two disagree, in either direction.

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
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

// sameSet reports the values only in want (Go) and only in got (SQL).
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

// sqlTypes are the column types a Field of each type may have. An Enum field is a text column
// with a CHECK list, or a column of an enum type.
var sqlTypes = map[inventory.FieldType][]string{
	inventory.Text:    {"text"},
	inventory.Number:  {"numeric", "double precision"},
	inventory.Integer: {"integer"},
	inventory.Bool:    {"boolean"},
	inventory.Date:    {"date"},
	inventory.Enum:    {"text"},
	inventory.JSON:    {"jsonb"},
}

// versionColumns are the columns every layer table has besides its Fields: the row key, the
// zone (a request's zone parameter), the geometry (Feature.Geometry) and the bookkeeping of a
// version that inventory.Version carries (ValidTo, Archived, Note, Op, RestoredFrom). Each must
// exist, with this type, in every layer table.
var versionColumns = map[string]string{
	"id":            "bigint",
	"zone_id":       "integer",
	"geom":          "geometry(",
	"valid_to":      "timestamp with time zone",
	"archived":      "boolean",
	"change_note":   "text",
	"op":            "text",
	"restored_from": "integer",
}

// ops are the edit operations inventory.Version.Op records (inventory.OpCreate, ...).
var ops = []string{inventory.OpCreate, inventory.OpUpdate, inventory.OpArchive, inventory.OpRestore}

// layerDrift lists every disagreement between layer l and its table.
func layerDrift(l *inventory.Layer, t *table) []string {
	var out []string
	bad := func(format string, a ...any) { out = append(out, l.Name+": "+fmt.Sprintf(format, a...)) }
	checks, err := t.allowedValues()
	if err != nil {
		bad("%v", err)
	}
	for name, typ := range versionColumns {
		c, ok := t.Columns[name]
		if !ok {
			bad("table %s has no column %s, which every layer table has", l.Table, name)
		} else if !strings.HasPrefix(c.Type, typ) {
			bad("column %s.%s is %s, want %s", l.Table, name, c.Type, typ)
		}
		if _, ok := l.Field(name); ok {
			bad("%s is version bookkeeping, not a field of the layer", name)
		}
	}
	if vals, ok := t.valuesOf("op", checks); !ok {
		bad("column %s.op lists no allowed values", l.Table)
	} else if msg := enumMismatch(l.Table+".op vs inventory.Op*", ops, vals); msg != "" {
		bad("%s", msg)
	}

	for _, f := range l.Fields {
		c, ok := t.Columns[f.Name]
		if !ok {
			// The store computes a few fields in its query from other columns (area_mu and
			// area_ha from area_m2); TestDriftStoreServesEveryField proves it serves them.
			if !f.Computed {
				bad("field %s has no column in table %s (add it in a new migration, or mark the field Computed if the store computes it)", f.Name, l.Table)
			}
			continue
		}
		typeOK := slices.Contains(sqlTypes[f.Type], c.Type) ||
			(f.Type == inventory.Enum && c.EnumType != nil) ||
			// valid_from: a timestamp, served as RFC 3339 text.
			(f.Type == inventory.Text && f.Computed && c.Type == "timestamp with time zone")
		if !typeOK {
			bad("field %s is %s in Go but column %s.%s is %s", f.Name, f.Type, l.Table, f.Name, c.Type)
		}
		vals, listed := t.valuesOf(f.Name, checks)
		switch {
		case f.Type == inventory.Enum && !listed:
			bad("field %s is an enum in Go (%q) but column %s.%s accepts any value: add CHECK (%s in (...)) in a new migration", f.Name, f.Enum, l.Table, f.Name, f.Name)
		case f.Type == inventory.Enum:
			if msg := enumMismatch(fmt.Sprintf("%s.%s", l.Table, f.Name), f.Enum, vals); msg != "" {
				bad("%s", msg)
			}
		case listed:
			bad("column %s.%s allows only %q but field %s is %s in Go, not an enum", l.Table, f.Name, vals, f.Name, f.Type)
		}
		if len(f.Enum) > 0 && f.Type != inventory.Enum {
			bad("field %s has enum values but type %s", f.Name, f.Type)
		}
		if c.Generated && !f.Computed {
			bad("column %s.%s is generated by the database but field %s is not Computed", l.Table, f.Name, f.Name)
		}
		if f.Required && !c.NotNull {
			bad("field %s is Required in Go but column %s.%s accepts null: add NOT NULL in a new migration", f.Name, l.Table, f.Name)
		}
		if c.NotNull && !c.HasDefault && !c.Generated && !f.Required && !f.Computed {
			bad("column %s.%s is NOT NULL without a default but field %s is not Required in Go", l.Table, f.Name, f.Name)
		}
	}
	for name, c := range t.Columns {
		if _, ok := l.Field(name); ok {
			continue
		}
		if _, ok := versionColumns[name]; ok {
			continue
		}
		kind := "column"
		if c.Generated {
			kind = "generated column"
		}
		bad("%s %s.%s has no field in inventory.%sLayer's Fields (add the field, or drop the column in a new migration)", kind, l.Table, name, goName(l))
	}
	for _, fl := range l.Filters {
		if len(fl.Enum) == 0 {
			continue
		}
		var want []string
		switch fl.Kind {
		case inventory.FilterRoadStat:
			f, _ := inventory.RoadLayer.Field("status")
			want = f.Enum
		default:
			f, ok := l.Field(fl.Field)
			if !ok {
				bad("filter %s reads unknown field %s", fl.Param, fl.Field)
				continue
			}
			want = f.Enum
		}
		if msg := enumMismatch("filter "+fl.Param+" vs its field", want, fl.Enum); msg != "" {
			bad("%s", strings.NewReplacer("only in Go", "only in the field", "only in SQL", "only in the filter").Replace(msg))
		}
	}
	sort.Strings(out)
	return out
}

func goName(l *inventory.Layer) string {
	switch l {
	case inventory.PlotLayer:
		return "Plot"
	case inventory.PlantLayer:
		return "Plant"
	case inventory.IdleSiteLayer:
		return "IdleSite"
	case inventory.RoadLayer:
		return "Road"
	case inventory.LayoutLayer:
		return "Layout"
	}
	return l.Name
}

// TestDriftLayers compares every layer's fields and enum values in Go with its table's
// columns, CHECK constraints and enum types.
func TestDriftLayers(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)
	for _, l := range inventory.Layers() {
		t.Run(l.Name, func(t *testing.T) {
			tbl, err := readTable(ctx, db.Pool, l.Table)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range layerDrift(l, tbl) {
				t.Error(p)
			}
		})
	}
}

// TestDriftCatchesChanges proves the comparison fails on the drift it is for: the real layer
// against a copy of its table with one change each.
func TestDriftCatchesChanges(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)
	plots, err := readTable(ctx, db.Pool, "plots")
	if err != nil {
		t.Fatal(err)
	}
	copyLayer := func(edit func(*inventory.Layer)) *inventory.Layer {
		l := *inventory.PlotLayer
		l.Fields = slices.Clone(l.Fields)
		edit(&l)
		return &l
	}
	setEnum := func(l *inventory.Layer, name string, vals []string) {
		for i := range l.Fields {
			if l.Fields[i].Name == name {
				l.Fields[i].Enum = vals
			}
		}
	}
	statusCheck := -1
	for i, c := range plots.Checks {
		if c.Columns[0] == "status" && strings.Contains(c.Def, "ANY") {
			statusCheck = i
		}
	}
	if statusCheck < 0 {
		t.Fatal("plots has no CHECK listing status values")
	}
	tests := []struct {
		name  string
		layer *inventory.Layer
		table func(*table)
		want  string
	}{
		{"value added in Go", copyLayer(func(l *inventory.Layer) {
			setEnum(l, "status", append(slices.Clone(inventory.PlotStatuses), "demolished"))
		}), nil, `only in Go: ["demolished"]`},
		{"value added in SQL", inventory.PlotLayer, func(tb *table) {
			c := &tb.Checks[statusCheck]
			c.Def = strings.Replace(c.Def, "'idle'::text", "'idle'::text, 'demolished'::text", 1)
		}, `only in SQL: ["demolished"]`},
		{"field without column", copyLayer(func(l *inventory.Layer) {
			l.Fields = append(l.Fields, inventory.Field{Name: "soil_class", Type: inventory.Text})
		}), nil, "field soil_class has no column"},
		{"column without field", copyLayer(func(l *inventory.Layer) {
			l.Fields = slices.DeleteFunc(l.Fields, func(f inventory.Field) bool { return f.Name == "contact" })
		}), nil, "column plots.contact has no field"},
		{"type changed", inventory.PlotLayer, func(tb *table) {
			c := tb.Columns["min_far"]
			c.Type = "text"
			tb.Columns["min_far"] = c
		}, "field min_far is number in Go but column plots.min_far is text"},
		{"enum type instead of CHECK", inventory.PlotLayer, func(tb *table) {
			tb.Checks = slices.Delete(slices.Clone(tb.Checks), statusCheck, statusCheck+1)
			c := tb.Columns["status"]
			c.Type, c.EnumType = "plot_status", []string{"planned", "ready"}
			tb.Columns["status"] = c
		}, `only in Go: ["reserved" "supplied" "under_construction" "in_production" "idle"]`},
		{"unreadable list", inventory.PlotLayer, func(tb *table) {
			tb.Checks = append(slices.Clone(tb.Checks), checkConstraint{Name: "x", Columns: []string{"status"},
				Def: "CHECK (((status IS NULL) OR (status = ANY (ARRAY['a'::text]))))"})
		}, "cannot read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &table{Columns: map[string]column{}, Checks: slices.Clone(plots.Checks)}
			for k, v := range plots.Columns {
				tb.Columns[k] = v
			}
			if tt.table != nil {
				tt.table(tb)
			}
			got := strings.Join(layerDrift(tt.layer, tb), "\n")
			if !strings.Contains(got, tt.want) {
				t.Errorf("drift report does not say %q; it says:\n%s", tt.want, got)
			}
		})
	}
}

// TestDriftEveryLayerTableHasALayer: every versioned table (code, version, valid_from,
// valid_to) is the table of a layer in inventory.Layers.
func TestDriftEveryLayerTableHasALayer(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)
	rows, err := db.Pool.Query(ctx, `
		select c.relname::text from pg_class c
		where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
		  and (select count(*) from pg_attribute a where a.attrelid = c.oid and not a.attisdropped
		       and a.attname in ('code', 'version', 'valid_from', 'valid_to')) = 4
		order by 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var layers []string
	for _, l := range inventory.Layers() {
		layers = append(layers, l.Table)
	}
	sort.Strings(layers)
	if !slices.Equal(tables, layers) {
		t.Errorf("versioned tables %q, but the layers' tables are %q", tables, layers)
	}
}

// TestDriftStoreServesEveryField: every field of every layer, column or computed in the
// store's query, comes back from a list read by an admin (with null values too).
func TestDriftStoreServesEveryField(t *testing.T) {
	db := postgistest.NewWithDemo(t)
	ctx := inventory.WithViewer(context.Background(), inventory.Viewer{Name: "drift", Role: inventory.RoleAdmin})
	for _, l := range inventory.Layers() {
		t.Run(l.Name, func(t *testing.T) {
			page, err := db.List(ctx, inventory.Query{Layer: l, Limit: 1})
			if err != nil {
				t.Fatalf("list: %v", err)
			}
			if len(page.Features) == 0 {
				t.Fatal("the demo data has no feature of this layer")
			}
			f := page.Features[0]
			for _, fd := range l.Fields {
				props := f.Properties
				if fd.Confidential {
					props = f.Confidential
				}
				if _, ok := props[fd.Name]; !ok && fd.Name != "code" {
					t.Errorf("field %s is not served", fd.Name)
				}
			}
		})
	}
}

// TestDriftLifecycles: the database's lifecycle functions follow the orders the Go lists state
// (inventory.IdleStages: one step forward at a time; inventory.PlotStatuses: see its comment),
// over every pair of values, so a value added to a list has its place in the rule too.
func TestDriftLifecycles(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)
	stepOK := func(fn, prev, next string) bool {
		t.Helper()
		var ok *bool
		if err := db.Pool.QueryRow(ctx, "select "+fn+"($1, $2)", prev, next).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok != nil && *ok
	}
	stages := inventory.IdleStages
	for i, a := range stages {
		for j, b := range stages {
			if want, got := j == i || j == i+1, stepOK("landinv_stage_step_ok", a, b); got != want {
				t.Errorf("idle stage %s → %s: database says %v, inventory.IdleStages' order says %v", a, b, got, want)
			}
		}
	}
	// PlotStatuses: the lifecycle in order, then idle. One step forward; a reservation may
	// lapse; any status may become idle; idle may go back to any status after planned.
	statuses := inventory.PlotStatuses
	if statuses[len(statuses)-1] != "idle" {
		t.Fatalf("inventory.PlotStatuses should end with idle: %q", statuses)
	}
	life := statuses[:len(statuses)-1]
	for _, a := range statuses {
		for _, b := range statuses {
			i, j := slices.Index(life, a), slices.Index(life, b)
			want := a == b || b == "idle" || (i >= 0 && j == i+1) ||
				(a == "reserved" && b == "ready") || (a == "idle" && j >= 1)
			if got := stepOK("landinv_status_step_ok", a, b); got != want {
				t.Errorf("plot status %s → %s: database says %v, inventory.PlotStatuses' rule says %v", a, b, got, want)
			}
		}
	}
}

// TestDriftUsersAndZones: the account and zone tables against inventory.User, inventory.Role
// and inventory.Zone.
func TestDriftUsersAndZones(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)

	users, err := readTable(ctx, db.Pool, "users")
	if err != nil {
		t.Fatal(err)
	}
	checks, err := users.allowedValues()
	if err != nil {
		t.Fatal(err)
	}
	roles := []string{string(inventory.RoleViewer), string(inventory.RolePlanner), string(inventory.RoleAdmin)}
	if msg := enumMismatch("users.role vs inventory.Role*", roles, checks["role"]); msg != "" {
		t.Error(msg)
	}
	for _, r := range checks["role"] {
		if !inventory.Role(r).Valid() {
			t.Errorf("users.role allows %q, which inventory.Role.Valid refuses", r)
		}
	}
	// Every column but the key is a property of User, and the other way round.
	compareStruct(t, "users", users, reflect.TypeOf(inventory.User{}), map[string]string{"id": ""})

	zones, err := readTable(ctx, db.Pool, "zones")
	if err != nil {
		t.Fatal(err)
	}
	// Zone serves the boundary's measures rather than its columns, and leaves out what only
	// the store and the reports read.
	compareStruct(t, "zones", zones, reflect.TypeOf(inventory.Zone{}), map[string]string{
		"id":         "",
		"created_at": "",
		"evaluation": "", // the intensity report's ideal values and weights
		"area_m2":    "area_km2 area_mu",
		"geom":       "bbox",
	})
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
