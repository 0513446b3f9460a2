package importer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestParamsCheck: bad parameters are refused before any file is read, naming the parameter.
func TestParamsCheck(t *testing.T) {
	for _, tc := range []struct {
		p     importer.Params
		field string // "" means accepted
	}{
		{importer.Params{Layer: "plots"}, ""},
		{importer.Params{Layer: "roads", CRS: "EPSG:4546", Map: "名称=name"}, ""},
		{importer.Params{Layer: "lakes"}, "layer"},
		{importer.Params{Layer: "layout"}, "layer"},
		{importer.Params{Layer: "plots", CRS: "EPSG:x"}, "crs"},
		{importer.Params{Layer: "plots", Map: "a"}, "map"},
	} {
		err := tc.p.Check()
		var e *inventory.Error
		if tc.field == "" && err != nil || tc.field != "" && (!errors.As(err, &e) || e.Field != tc.field || e.Kind != inventory.EInvalid) {
			t.Errorf("%+v: %v, want field %q", tc.p, err, tc.field)
		}
	}
}

// TestRun runs the pipeline into a real PostGIS: a dry run reports and changes nothing, a real
// run creates the plot; a file that does not fit the layer stops before the store.
func TestRun(t *testing.T) {
	db := postgistest.New(t)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `insert into zones (code, name, geom) values ('hand', 'Hand-made zone', ST_Multi(ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326)))`); err != nil {
		t.Fatal(err)
	}
	as := inventory.WithViewer(ctx, inventory.Viewer{Name: "alice", Role: inventory.RolePlanner})
	file := writeFile(t, `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[111.53,36.03],[111.53,36.04],[111.54,36.04],[111.54,36.03],[111.53,36.03]]]},
		"properties":{"地块编号":"R1","LAND_USE":100101,"status":"planned"}}]}`)
	p := importer.Params{Layer: "plots", Map: "地块编号=code", Zone: "hand", DryRun: true}
	count := func() (n int) {
		if err := db.Pool.QueryRow(ctx, "select count(*) from plots where code = 'R1'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	rep, err := importer.Run(as, db, file, p)
	if err != nil || rep.Created != 0 || rep.WouldCreate != 1 || rep.Committed || !rep.DryRun || rep.Format != "geojson" || count() != 0 {
		t.Fatalf("dry run: %+v, %v; %d rows", rep, err, count())
	}
	p.DryRun = false
	rep, err = importer.Run(as, db, file, p)
	if err != nil || rep.Created != 1 || rep.WouldCreate != 1 || !rep.Committed || count() != 1 {
		t.Fatalf("run: %+v, %v; %d rows", rep, err, count())
	}
	called := false
	spy := importer.LoaderFunc(func(context.Context, *importer.Source, importer.Options) (*importer.Report, error) {
		called = true
		return nil, nil
	})
	_, err = importer.Run(as, spy, file, importer.Params{Layer: "plots"})
	var e *inventory.Error
	if !errors.As(err, &e) || e.Field != "map" || called {
		t.Errorf("unmapped 地块编号: %v (loader called: %v), want an error naming map", err, called)
	}
}

// writeFile writes s to a file in the test's temporary directory and returns its path.
func writeFile(t *testing.T, s string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "import.geojson")
	if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}
