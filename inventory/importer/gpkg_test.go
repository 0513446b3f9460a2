package importer

import (
	"database/sql"
	"encoding/binary"
	"math"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"
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

// blob wraps WKB in a GeoPackage geometry header with an XY envelope (flags 0x03: little
// endian, envelope kind 1).
func blob(w []byte) []byte {
	b := []byte{'G', 'P', 0, 0x03, 0xE6, 0x10, 0, 0}
	return append(append(b, make([]byte, 32)...), w...)
}

// TestGeoPackageGeometryBlobs: a valid blob decodes to its geometry; every truncation of it,
// and blobs whose counts claim more than they hold, are refused without a large allocation.
func TestGeoPackageGeometryBlobs(t *testing.T) {
	mp := geom.NewMultiPolygon(geom.XY)
	mp.Push(geom.NewPolygon(geom.XY).MustSetCoords([][]geom.Coord{{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}}, {{2, 2}, {4, 2}, {4, 4}, {2, 2}}}))
	w, err := wkb.Marshal(mp, wkb.NDR)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gpkgGeometry(blob(w))
	if err != nil || !reflect.DeepEqual(g, mp) {
		t.Fatalf("decoded %v, %v; want %v", g, err, mp)
	}
	full := blob(w)
	for n := range len(full) {
		if g, err := gpkgGeometry(full[:n]); err == nil {
			t.Errorf("blob cut to %d of %d bytes decoded to %v", n, len(full), g)
		}
	}
	if g, err := gpkgGeometry([]byte{'G', 'P', 0, 0x11, 0, 0, 0, 0}); g != nil || err != nil {
		t.Errorf("empty geometry: %v, %v; want nil, nil", g, err)
	}
	if _, err := gpkgGeometry([]byte{'G', 'P', 0, 0x21, 0, 0, 0, 0}); err == nil {
		t.Error("an extended geometry was decoded")
	}
	huge := func(typ uint32) []byte {
		b := binary.LittleEndian.AppendUint32([]byte{1}, typ)
		return binary.LittleEndian.AppendUint32(b, math.MaxUint32)
	}
	nested := []byte{}
	for range 20 {
		nested = binary.LittleEndian.AppendUint32(append(nested, 1), 7) // a collection of one
		nested = binary.LittleEndian.AppendUint32(nested, 1)
	}
	for name, w := range map[string][]byte{
		"line of 2^32-1 points":      huge(2),
		"polygon of 2^32-1 rings":    huge(3),
		"multipolygon of 2^32-1":     huge(6),
		"line Z of 2^32-1 points":    huge(1002),
		"collections nested 20 deep": nested,
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := gpkgGeometry(blob(w))
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("%s: decoded", name)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
			t.Errorf("%s: allocated %d KiB", name, grew>>10)
		}
	}
}
