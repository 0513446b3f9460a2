package postgis_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/landinv/landinv/data"
	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestDemoLoadObeysTheRules loads demo-like features into the hand-made zone: every one that
// breaks a rule of the write API is refused, naming the field, and the load changes nothing;
// a good one is written as version 1, op create, by the actor.
func TestDemoLoadObeysTheRules(t *testing.T) {
	db := handZone(t)
	ctx := context.Background()
	plot := func(code string, extra string) inventory.GeoJSONFeature {
		var props map[string]any
		if err := json.Unmarshal([]byte(`{"code":"`+code+`","land_use":"100101","status":"planned"`+extra+`}`), &props); err != nil {
			t.Fatal(err)
		}
		return inventory.GeoJSONFeature{Type: "Feature", Properties: props,
			Geometry: json.RawMessage(`{"type":"Polygon","coordinates":[[[111.53,36.03],[111.54,36.03],[111.54,36.04],[111.53,36.04],[111.53,36.03]]]}`)}
	}
	good := plot("D1", "")
	tests := []struct {
		name  string
		bad   inventory.GeoJSONFeature
		field string
	}{
		// The old load dropped unknown properties silently and took any "confidential".
		{"unknown property", plot("D2", `,"colour":"red"`), "colour"},
		{"confidential is not an object", plot("D2", `,"confidential":"secret"`), "confidential"},
		{"public property inside confidential", plot("D2", `,"confidential":{"name":"x"}`), "confidential.name"},
		{"unknown enum value", plot("D2", `,"cluster":"mining"`), "cluster"},
		{"computed property", plot("D2", `,"area_m2":5`), "area_m2"},
		{"malformed code", plot("D 2", ""), "code"},
		{"missing required property", func() inventory.GeoJSONFeature { f := plot("D2", ""); delete(f.Properties, "status"); return f }(), "status"},
		{"point for a plot", func() inventory.GeoJSONFeature {
			f := plot("D2", "")
			f.Geometry = json.RawMessage(`{"type":"Point","coordinates":[111.53,36.03]}`)
			return f
		}(), "geometry"},
	}
	before := snapshot(t, db)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.LoadLayer(ctx, inventory.PlotLayer, "hand", inventory.GeoJSONCollection{Type: "FeatureCollection",
				Features: []inventory.GeoJSONFeature{good, tc.bad}}, "demo")
			var e *inventory.Error
			if !errors.As(err, &e) || e.Field != tc.field {
				t.Fatalf("load = %v, want a refusal naming %s", err, tc.field)
			}
			if !strings.Contains(err.Error(), "feature 1") {
				t.Errorf("%v does not name feature 1", err)
			}
			if after := snapshot(t, db); after != before {
				t.Errorf("a refused load changed the inventory: %s, was %s", after, before)
			}
		})
	}
	st, err := db.LoadLayer(ctx, inventory.PlotLayer, "hand", inventory.GeoJSONCollection{Features: []inventory.GeoJSONFeature{good}}, "demo")
	if err != nil || st.Inserted != 1 {
		t.Fatalf("good load: %+v, %v", st, err)
	}
	if n := count(t, db, "select count(*) from plots where code = 'D1' and version = 1 and op = 'create' and changed_by = 'demo' and valid_to = 'infinity'"); n != 1 {
		t.Errorf("D1: %d rows as version 1 created by demo, want 1", n)
	}
	if st, err := db.LoadLayer(ctx, inventory.PlotLayer, "hand", inventory.GeoJSONCollection{Features: []inventory.GeoJSONFeature{good}}, "demo"); err != nil || st.Inserted != 0 || st.Skipped != 1 {
		t.Errorf("second load: %+v, %v; want 1 skipped", st, err)
	}
}

// TestDemoLoadsIntoAnEmptyDatabase loads the demo dataset through the write path into an
// empty database (the test templates are keyed by the data, not by the loader): every feature
// of every file is there as version 1, op create, by "demo".
func TestDemoLoadsIntoAnEmptyDatabase(t *testing.T) {
	db := postgistest.New(t)
	ctx := context.Background()
	stats, err := db.LoadDataset(ctx, data.Demo, "demo")
	if err != nil {
		t.Fatal(err)
	}
	inserted := map[string]int{}
	for _, s := range stats {
		inserted[s.Layer] = s.Inserted
	}
	for _, l := range []*inventory.Layer{inventory.LayoutLayer, inventory.RoadLayer, inventory.PlotLayer, inventory.IdleSiteLayer, inventory.PlantLayer} {
		b, err := fs.ReadFile(data.Demo, "demo/"+l.Table+".geojson")
		if err != nil {
			t.Fatal(err)
		}
		var fc struct {
			Features []json.RawMessage `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			t.Fatal(err)
		}
		if inserted[l.Name] != len(fc.Features) {
			t.Errorf("%s: %d loaded, the file has %d", l.Name, inserted[l.Name], len(fc.Features))
		}
		// Version 1 of each, live or not: the demo's projects move a few plots and a plant on
		// to later versions (LoadProjects).
		sql := fmt.Sprintf("select count(*) from %s where version = 1 and op = 'create' and changed_by = 'demo'", l.Table)
		if n := count(t, db, sql); n != len(fc.Features) {
			t.Errorf("%s: %d rows written as version 1 by demo, the file has %d", l.Name, n, len(fc.Features))
		}
	}
}

// TestEveryOpWritesConsecutiveVersions writes one plot through every writer (the demo load,
// update, archive, restore, an import) and checks its history: consecutive versions, each
// valid from the moment the one before stopped, with the op and the actor of its writer.
func TestEveryOpWritesConsecutiveVersions(t *testing.T) {
	db := handZone(t)
	ctx := inventory.WithViewer(context.Background(), inventory.Viewer{Name: "alice", Role: inventory.RolePlanner})
	l := inventory.PlotLayer
	ring := func(x0 float64) string {
		return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%[1]v,36.03],[%[2]v,36.03],[%[2]v,36.04],[%[1]v,36.04],[%[1]v,36.03]]]}`, x0, x0+0.005)
	}
	if _, err := db.LoadLayer(ctx, l, "hand", inventory.GeoJSONCollection{Features: []inventory.GeoJSONFeature{{Type: "Feature",
		Properties: map[string]any{"code": "Q1", "land_use": "100101", "status": "planned"}, Geometry: json.RawMessage(ring(111.53))}}}, "demo"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Create(ctx, l, "hand", inventory.Change{Properties: map[string]any{"code": "Q2", "land_use": "100101", "status": "planned"},
		Geometry: json.RawMessage(ring(111.57))}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Update(ctx, l, "hand", "Q1", `"plots-Q1-v1"`, inventory.Change{Properties: map[string]any{"name": "一号", "confidential": map[string]any{"enterprise": "某公司"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Archive(ctx, l, "hand", "Q1", `"plots-Q1-v2"`, "gone"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Restore(ctx, l, "hand", "Q1", 2, ""); err != nil {
		t.Fatal(err)
	}
	file, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": []any{
		map[string]any{"type": "Feature", "geometry": json.RawMessage(ring(111.535)), "properties": map[string]any{"code": "Q1", "status": "ready"}}}})
	if rep := importFile(t, db, file, "hand", "", importer.Options{}); !rep.Committed || rep.Updated != 1 {
		t.Fatalf("import: %+v", rep)
	}

	want := []struct {
		op, by, status, name string
		archived             bool
	}{
		{"create", "demo", "planned", "", false},
		{"update", "alice", "planned", "一号", false},
		{"archive", "alice", "planned", "一号", true},
		{"restore", "alice", "planned", "一号", false},
		{"update", "alice", "ready", "一号", false},
	}
	rows, err := db.Pool.Query(ctx, `select version, op, changed_by, status, coalesce(name, ''), coalesce(enterprise, ''), archived,
		valid_from, valid_to = 'infinity', lag(valid_to) over (order by version)
		from plots where code = 'Q1' order by version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var version int
		var op, by, status, name, enterprise string
		var archived bool
		var from time.Time
		var prevTo *time.Time
		var live bool
		if err := rows.Scan(&version, &op, &by, &status, &name, &enterprise, &archived, &from, &live, &prevTo); err != nil {
			t.Fatal(err)
		}
		if i >= len(want) {
			t.Fatalf("version %d: more versions than the %d written", version, len(want))
		}
		w := want[i]
		if version != i+1 || op != w.op || by != w.by || status != w.status || name != w.name || archived != w.archived {
			t.Errorf("version %d = %s by %s, %s %q archived %v; want version %d = %+v", version, op, by, status, name, archived, i+1, w)
		}
		if i > 0 && (enterprise != "某公司") {
			t.Errorf("version %d lost the confidential enterprise: %q", version, enterprise)
		}
		if i > 0 && (prevTo == nil || !prevTo.Equal(from)) {
			t.Errorf("version %d starts at %v, the one before stopped at %v", version, from, prevTo)
		}
		if last := i == len(want)-1; live != last {
			t.Errorf("version %d: current %v, want %v", version, live, last)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if i != len(want) {
		t.Errorf("%d versions, want %d", i, len(want))
	}
	if n := count(t, db, "select count(*) from plots where code = 'Q2' and version = 1 and op = 'create' and changed_by = 'alice'"); n != 1 {
		t.Errorf("Q2 created: %d rows, want 1", n)
	}
	// The history the API serves agrees.
	h, err := db.History(ctx, l, "hand", "Q1")
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range h {
		if v.Version != i+1 || v.Op != want[i].op {
			t.Errorf("history %d: version %d op %s, want %d %s", i, v.Version, v.Op, i+1, want[i].op)
		}
	}
}

// TestOneInsertOfAVersionRow reads the package's source: exactly one SQL text inserts into a
// layer's table (the write path's, version.go); every other writer calls it.
func TestOneInsertOfAVersionRow(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for _, l := range inventory.Layers() {
		tables = append(tables, regexp.QuoteMeta(l.Table))
	}
	insert := regexp.MustCompile(`(?i)insert\s+into\s+(%(\[\d+\])?s|` + strings.Join(tables, "|") + `)\b`)
	var found []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && insert.MatchString(s) {
				found = append(found, fset.Position(lit.Pos()).String())
			}
			return true
		})
	}
	if len(found) != 1 || !strings.HasPrefix(found[0], "version.go:") {
		t.Errorf("inserts into a layer's table at %v; want exactly one, in version.go", found)
	}
}
