package importer

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeoPackageViewIsNotRead: a feature "table" that is a view could run any query the file
// defines (an endless recursive one, say); it is refused before anything is read from it.
func TestGeoPackageViewIsNotRead(t *testing.T) {
	name := filepath.Join(t.TempDir(), "view.gpkg")
	db, err := sql.Open("sqlite", "file:"+name)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"create table gpkg_spatial_ref_sys (srs_name text, srs_id integer primary key, organization text, organization_coordsys_id integer, definition text)",
		"insert into gpkg_spatial_ref_sys values ('WGS 84', 4326, 'EPSG', 4326, '')",
		"create table gpkg_geometry_columns (table_name text, column_name text, geometry_type_name text, srs_id integer, z integer, m integer)",
		"insert into gpkg_geometry_columns values ('plots', 'geom', 'POLYGON', 4326, 0, 0)",
		"create view plots as with recursive c(x) as (select 1 union all select x + 1 from c) select x as fid, null as geom from c",
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	db.Close()
	_, err = ReadGeoPackageFile(name)
	if err == nil || !strings.Contains(err.Error(), "not a table") {
		t.Fatalf("error %v, want a refusal of the view", err)
	}
}
