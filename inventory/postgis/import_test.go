package postgis_test

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	_ "modernc.org/sqlite"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer"
	"github.com/landinv/landinv/inventory/importer/shp"
	"github.com/landinv/landinv/inventory/postgis"
)

var importAs = inventory.WithViewer(context.Background(), inventory.Viewer{Name: "alice", Role: inventory.RolePlanner})

// surveyPlots are hand-made plots in EPSG:4326 (lon, lat), each ring clockwise, inside the
// hand-made zone and clear of P1.
var surveyPlots = []struct {
	code, name string
	ring       [][2]float64
}{
	{"G-001", "甘亭工业园一号地", [][2]float64{{111.530, 36.030}, {111.530, 36.036}, {111.538, 36.037}, {111.539, 36.030}, {111.530, 36.030}}},
	{"G-002", "甘亭工业园二号地", [][2]float64{{111.541, 36.030}, {111.541, 36.040}, {111.549, 36.040}, {111.549, 36.031}, {111.541, 36.030}}},
	{"G-003", "滨河东路东侧地块", [][2]float64{{111.561, 36.050}, {111.562, 36.058}, {111.575, 36.060}, {111.576, 36.052}, {111.561, 36.050}}},
	{"G-004", "第六大道北侧地块", [][2]float64{{111.580, 36.080}, {111.580, 36.0805}, {111.5808, 36.0805}, {111.5808, 36.080}, {111.580, 36.080}}},
}

// prj4546 is the .prj ArcGIS writes for CGCS2000 3-degree GK CM 111E: no AUTHORITY, so the
// importer must know the name.
const prj4546 = `PROJCS["CGCS2000_3_Degree_GK_CM_111E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",111.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`

// toCRS transforms a lon/lat ring to srid with PostGIS (the fixture's coordinates).
func toCRS(t *testing.T, db *postgis.DB, ring [][2]float64, srid int) [][2]float64 {
	t.Helper()
	var pts []string
	for _, p := range ring {
		pts = append(pts, fmt.Sprintf("%.9f %.9f", p[0], p[1]))
	}
	var xs, ys []float64
	err := db.Pool.QueryRow(context.Background(), `select array_agg(ST_X(d.geom) order by d.path), array_agg(ST_Y(d.geom) order by d.path)
		from ST_DumpPoints(ST_Transform(ST_GeomFromText($1, 4326), $2::integer)) d`,
		"LINESTRING("+strings.Join(pts, ",")+")", srid).Scan(&xs, &ys)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][2]float64, len(xs))
	for i := range xs {
		out[i] = [2]float64{xs[i], ys[i]}
	}
	return out
}

// shapefileZip writes the survey plots as a zipped Shapefile in srid, attributes in GBK with
// Chinese field names, and land_use stored as a number (as survey files do).
func shapefileZip(t *testing.T, db *postgis.DB, srid int, prj string) []byte {
	t.Helper()
	var polys [][][][2]float64
	var recs [][]any
	for _, p := range surveyPlots {
		polys = append(polys, [][][2]float64{toCRS(t, db, p.ring, srid)})
		recs = append(recs, []any{p.code, int64(100101), "ready", p.name})
	}
	var shpB, shxB, dbfB bytes.Buffer
	if err := shp.WritePolygons(&shpB, &shxB, polys); err != nil {
		t.Fatal(err)
	}
	fields := []shp.Field{{Name: "地块编号", Type: 'C', Length: 20}, {Name: "用地性质", Type: 'N', Length: 10}, {Name: "状态", Type: 'C', Length: 20}, {Name: "名称", Type: 'C', Length: 60}}
	if err := shp.WriteDBF(&dbfB, fields, recs, simplifiedchinese.GBK); err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	for name, b := range map[string][]byte{"survey/地块.shp": shpB.Bytes(), "survey/地块.shx": shxB.Bytes(), "survey/地块.dbf": dbfB.Bytes(),
		"survey/地块.prj": []byte(prj), "survey/地块.cpg": []byte("GBK")} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return z.Bytes()
}

// geoPackage writes the survey plots as a GeoPackage in srid, with UTF-8 attributes.
func geoPackage(t *testing.T, db *postgis.DB, srid int) []byte {
	t.Helper()
	name := filepath.Join(t.TempDir(), "survey.gpkg")
	g, err := sql.Open("sqlite", name)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for _, s := range []string{
		`create table gpkg_spatial_ref_sys (srs_name text, srs_id integer primary key, organization text, organization_coordsys_id integer, definition text, description text)`,
		fmt.Sprintf(`insert into gpkg_spatial_ref_sys values ('CGCS2000 / 3-degree GK CM 111E', %d, 'EPSG', %d, 'undefined', null)`, srid, srid),
		`create table gpkg_contents (table_name text primary key, data_type text, identifier text, srs_id integer)`,
		`insert into gpkg_contents values ('plots', 'features', 'plots', ` + fmt.Sprint(srid) + `)`,
		`create table gpkg_geometry_columns (table_name text, column_name text, geometry_type_name text, srs_id integer, z integer, m integer)`,
		`insert into gpkg_geometry_columns values ('plots', 'geom', 'POLYGON', ` + fmt.Sprint(srid) + `, 0, 0)`,
		`create table plots (fid integer primary key autoincrement, geom blob, code text, land_use text, status text, name text)`,
	} {
		if _, err := g.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	for _, p := range surveyPlots {
		var pts []string
		for _, q := range p.ring {
			pts = append(pts, fmt.Sprintf("%.9f %.9f", q[0], q[1]))
		}
		var wkb []byte
		if err := db.Pool.QueryRow(context.Background(), "select ST_AsBinary(ST_Transform(ST_GeomFromText($1, 4326), $2::integer), 'NDR')",
			"POLYGON(("+strings.Join(pts, ",")+"))", srid).Scan(&wkb); err != nil {
			t.Fatal(err)
		}
		blob := []byte{'G', 'P', 0, 0x01} // version 0, no envelope, little endian
		blob = binary.LittleEndian.AppendUint32(blob, uint32(srid))
		blob = append(blob, wkb...)
		if _, err := g.Exec("insert into plots (geom, code, land_use, status, name) values (?, ?, '100101', 'ready', ?)", blob, p.code, p.name); err != nil {
			t.Fatal(err)
		}
	}
	g.Close()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func surveyGeoJSON() []byte {
	fc := map[string]any{"type": "FeatureCollection"}
	var feats []any
	for _, p := range surveyPlots {
		feats = append(feats, map[string]any{"type": "Feature",
			"geometry":   map[string]any{"type": "Polygon", "coordinates": [][][2]float64{p.ring}},
			"properties": map[string]any{"code": p.code, "land_use": "100101", "status": "ready", "name": p.name}})
	}
	fc["features"] = feats
	b, _ := json.Marshal(fc)
	return b
}

func importFile(t *testing.T, db *postgis.DB, b []byte, zone string, mapping string, opt importer.Options) *importer.Report {
	t.Helper()
	src, err := importer.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	m, err := importer.ParseMapping(mapping)
	if err != nil {
		t.Fatal(err)
	}
	if err := importer.Prepare(inventory.PlotLayer, src, m); err != nil {
		t.Fatal(err)
	}
	opt.Layer, opt.Zone = inventory.PlotLayer, zone
	rep, err := db.Import(importAs, src, opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestSurveyInGaussKrugerMatchesLonLat imports the same plots from a GBK Shapefile in
// EPSG:4546, from a Shapefile in the zone-prefixed EPSG:4525, from a GeoPackage in EPSG:4546
// and from GeoJSON in EPSG:4326, each into its own twin zone, and compares areas (±0.1%) and
// places (every vertex within 0.5 m).
func TestSurveyInGaussKrugerMatchesLonLat(t *testing.T) {
	db := handZone(t)
	for _, z := range []string{"ll", "gk4525", "gpkg"} {
		exec(t, db, `insert into zones (code, name, geom) values ($1, 'twin', ST_Multi(ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326)))`, z)
	}
	mapping := "地块编号=code,用地性质=land_use,状态=status,名称=name"
	prj4525 := strings.NewReplacer("CGCS2000_3_Degree_GK_CM_111E", "CGCS2000_3_Degree_GK_Zone_37", "500000.0", "37500000.0").Replace(prj4546)
	runs := []struct {
		zone, format string
		srid         int
		file         []byte
		mapping      string
	}{
		{"hand", "shapefile", 4546, shapefileZip(t, db, 4546, prj4546), mapping},
		{"gk4525", "shapefile", 4525, shapefileZip(t, db, 4525, prj4525), mapping},
		{"gpkg", "geopackage", 4546, geoPackage(t, db, 4546), ""},
		{"ll", "geojson", 4326, surveyGeoJSON(), ""},
	}
	for _, r := range runs {
		rep := importFile(t, db, r.file, r.zone, r.mapping, importer.Options{})
		if !rep.Committed || len(rep.Rejected) != 0 || rep.Created != len(surveyPlots) || rep.SRID != r.srid || rep.Format != r.format {
			t.Fatalf("%s: %+v", r.zone, rep)
		}
		if r.format == "shapefile" && rep.Encoding != "GBK" {
			t.Errorf("%s: encoding %s", r.zone, rep.Encoding)
		}
	}
	rows, err := db.Pool.Query(context.Background(), `
		select z.code, a.code, a.name, a.land_use, a.status, a.area_m2, b.area_m2,
		       ST_HausdorffDistance(ST_Transform(a.geom, 4546), ST_Transform(b.geom, 4546))
		from plots a join zones z on z.id = a.zone_id
		join plots b on b.code = a.code and b.zone_id = (select id from zones where code = 'll')
		where z.code <> 'll' and a.code like 'G-%'
		order by 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var zone, code, name, landUse, status string
		var area, want, hd float64
		if err := rows.Scan(&zone, &code, &name, &landUse, &status, &area, &want, &hd); err != nil {
			t.Fatal(err)
		}
		n++
		var wantName string
		for _, p := range surveyPlots {
			if p.code == code {
				wantName = p.name
			}
		}
		if name != wantName || landUse != "100101" || status != "ready" {
			t.Errorf("%s %s: name %q land_use %q status %q, want %q 100101 ready", zone, code, name, landUse, status, wantName)
		}
		if d := (area - want) / want; d > 0.001 || d < -0.001 {
			t.Errorf("%s %s: area %.1f m², lon/lat import %.1f m² (%.4f%%)", zone, code, area, want, 100*d)
		}
		if hd > 0.5 {
			t.Errorf("%s %s: lies %.3f m from the lon/lat import", zone, code, hd)
		}
	}
	if n != 3*len(surveyPlots) {
		t.Fatalf("compared %d plots, want %d", n, 3*len(surveyPlots))
	}
}

// TestImportNamesEveryRejectionAndChangesNothing: a dry run and a real run of a file with bad
// features both report each one with its index and reason and leave the inventory as it was;
// the fixed file then imports, and a second file upserts by code.
func TestImportNamesEveryRejectionAndChangesNothing(t *testing.T) {
	db := handZone(t)
	box := func(x0, y0, x1, y1 float64) [][][2]float64 {
		return [][][2]float64{{{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}, {x0, y0}}}
	}
	type f struct {
		geom  any
		props map[string]any
	}
	ok := func(code string, x float64) f {
		return f{map[string]any{"type": "Polygon", "coordinates": box(x, 36.05, x+0.002, 36.052)}, map[string]any{"code": code, "land_use": "100101", "status": "planned"}}
	}
	file := func(fs ...f) []byte {
		var feats []any
		for _, x := range fs {
			feats = append(feats, map[string]any{"type": "Feature", "geometry": x.geom, "properties": x.props})
		}
		b, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
		return b
	}
	bowtie := map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{{111.53, 36.03}, {111.54, 36.04}, {111.54, 36.03}, {111.53, 36.04}, {111.53, 36.03}}}}
	bad := file(
		ok("A1", 111.510),
		f{bowtie, map[string]any{"code": "A2", "land_use": "100101", "status": "planned"}},
		f{map[string]any{"type": "Polygon", "coordinates": box(111.70, 36.05, 111.71, 36.06)}, map[string]any{"code": "A3", "land_use": "100101", "status": "planned"}},
		f{map[string]any{"type": "Polygon", "coordinates": box(111.515, 36.015, 111.525, 36.025)}, map[string]any{"code": "A4", "land_use": "100101", "status": "planned"}},
		f{map[string]any{"type": "Polygon", "coordinates": box(111.53, 36.06, 111.531, 36.061)}, map[string]any{"code": "A5", "land_use": "100101"}},
		ok("A1", 111.540),
		ok("A7", 111.550),
		f{map[string]any{"type": "Polygon", "coordinates": box(111.5505, 36.0505, 111.553, 36.053)}, map[string]any{"code": "A8", "land_use": "100101", "status": "planned"}},
		f{map[string]any{"type": "Polygon", "coordinates": box(111.56, 36.06, 111.561, 36.061)}, map[string]any{"code": "A9", "land_use": "9999", "status": "planned"}},
	)
	want := []struct {
		index         int
		field, reason string
	}{
		{1, "geometry", "Self-intersection"},
		{2, "geometry", "outside the zone"},
		{3, "geometry", "P1"},
		{4, "status", "required"},
		{5, "code", "also feature 0"},
		{7, "geometry", "A7"},
		{8, "land_use", "not a known code"},
	}
	before := snapshot(t, db)
	for _, dry := range []bool{true, false} {
		rep := importFile(t, db, bad, "hand", "", importer.Options{DryRun: dry})
		if rep.Committed {
			t.Fatalf("dry=%v: a file with bad features committed", dry)
		}
		if len(rep.Rejected) != len(want) {
			t.Fatalf("dry=%v: %d rejected, want %d: %+v", dry, len(rep.Rejected), len(want), rep.Rejected)
		}
		for i, w := range want {
			r := rep.Rejected[i]
			if r.Index != w.index || r.Field != w.field || !strings.Contains(r.Reason, w.reason) {
				t.Errorf("dry=%v: rejection %d = %+v, want index %d field %s reason ~%q", dry, i, r, w.index, w.field, w.reason)
			}
		}
		if after := snapshot(t, db); after != before {
			t.Fatalf("dry=%v: the import changed the inventory", dry)
		}
	}

	// The good features alone import; a second file upserts by code and keeps the lifecycle.
	rep := importFile(t, db, file(ok("A1", 111.510), ok("A7", 111.550)), "hand", "", importer.Options{})
	if !rep.Committed || rep.Created != 2 {
		t.Fatalf("good file: %+v", rep)
	}
	up := file(
		f{map[string]any{"type": "Polygon", "coordinates": box(111.510, 36.05, 111.513, 36.052)}, map[string]any{"code": "A1", "status": "ready"}},
		f{map[string]any{"type": "Polygon", "coordinates": box(111.550, 36.05, 111.552, 36.052)}, map[string]any{"code": "A7", "status": "in_production"}},
	)
	rep = importFile(t, db, up, "hand", "", importer.Options{})
	if rep.Committed || len(rep.Rejected) != 1 || rep.Rejected[0].Index != 1 || rep.Rejected[0].Field != "status" {
		t.Fatalf("illegal jump: %+v", rep)
	}
	up = file(
		f{map[string]any{"type": "Polygon", "coordinates": box(111.510, 36.05, 111.513, 36.052)}, map[string]any{"code": "A1", "status": "ready"}},
	)
	rep = importFile(t, db, up, "hand", "", importer.Options{})
	if !rep.Committed || rep.Updated != 1 || rep.Created != 0 {
		t.Fatalf("upsert: %+v", rep)
	}
	if n := count(t, db, "select count(*) from plots where code = 'A1'"); n != 2 {
		t.Fatalf("A1 has %d versions, want 2", n)
	}
	var status, landUse, op string
	var area float64
	db.Pool.QueryRow(context.Background(), `select status, land_use, op, area_m2 from plots where code = 'A1' and valid_to = 'infinity'`).Scan(&status, &landUse, &op, &area)
	var wantArea float64
	db.Pool.QueryRow(context.Background(), `select ST_Area(ST_MakeEnvelope(111.510, 36.05, 111.513, 36.052, 4326)::geography)`).Scan(&wantArea)
	if status != "ready" || landUse != "100101" || op != "update" || area-wantArea > 0.01 || wantArea-area > 0.01 {
		t.Errorf("A1 now %s %s %s %.2f m², want ready 100101 update %.2f m²", status, landUse, op, area, wantArea)
	}
}

func TestPRJNames(t *testing.T) {
	tests := []struct {
		prj  string
		want int
	}{
		{prj4546, 4546},
		{strings.Replace(prj4546, "CM_111E", "Zone_37", 1), 4525},
		{`PROJCS["Xian_1980_3_Degree_GK_CM_111E",GEOGCS["GCS_Xian_1980"]]`, 2382},
		{`PROJCS["Xian_1980_3_Degree_GK_Zone_37",GEOGCS["GCS_Xian_1980"]]`, 2361},
		{`PROJCS["Beijing_1954_3_Degree_GK_CM_111E",GEOGCS["GCS_Beijing_1954"]]`, 2434},
		{`PROJCS["Beijing_1954_3_Degree_GK_Zone_37",GEOGCS["GCS_Beijing_1954"]]`, 2413},
		{`GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000"]]`, 4490},
		{`GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984"]]`, 4326},
		{`PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 111E",GEOGCS["China Geodetic Coordinate System 2000",AUTHORITY["EPSG","4490"]],AUTHORITY["EPSG","4546"]]`, 4546},
	}
	for _, tc := range tests {
		got, err := importer.SRIDFromPRJ(tc.prj)
		if err != nil || got != tc.want {
			t.Errorf("%.50s: %d, %v; want %d", tc.prj, got, err, tc.want)
		}
	}
	if _, err := importer.SRIDFromPRJ(`PROJCS["Some_Local_Grid",GEOGCS["x"]]`); err == nil {
		t.Error("an unknown .prj was accepted")
	}
}

// TestImportWritesRowsInGroundOrder: an import's rows are written in the order of their
// geometries (PostGIS's geometry order, a Hilbert curve), not the file's, so neighbours go into
// the GiST indexes together (README, "An import's rows written in ground order"). The file
// lists twelve plots of a 4 × 3 grid in an order that is neither; the ids must follow the
// geometry order the database computes for the written rows.
func TestImportWritesRowsInGroundOrder(t *testing.T) {
	db := handZone(t)
	var feats []any
	for i, k := range []int{7, 2, 11, 0, 5, 9, 3, 10, 1, 6, 8, 4} {
		x, y := 111.505+0.004*float64(k%4), 36.045+0.004*float64(k/4)
		ring := [][2]float64{{x, y}, {x, y + 0.002}, {x + 0.002, y + 0.002}, {x + 0.002, y}, {x, y}}
		feats = append(feats, map[string]any{"type": "Feature", "geometry": map[string]any{"type": "Polygon", "coordinates": [][][2]float64{ring}},
			"properties": map[string]any{"code": fmt.Sprintf("G%02d", i), "land_use": "100101", "status": "planned"}})
	}
	b, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
	if rep := importFile(t, db, b, "hand", "", importer.Options{}); !rep.Committed {
		t.Fatalf("import not committed: %+v", rep)
	}
	var byID, byGeom, byFile []string
	if err := db.Pool.QueryRow(context.Background(), `select array_agg(code order by id), array_agg(code order by geom), array_agg(code order by code)
		from plots where code like 'G%'`).Scan(&byID, &byGeom, &byFile); err != nil {
		t.Fatal(err)
	}
	if len(byID) != 12 || strings.Join(byID, ",") != strings.Join(byGeom, ",") || strings.Join(byGeom, ",") == strings.Join(byFile, ",") {
		t.Errorf("ids in order %v, geometries in order %v (file order %v)", byID, byGeom, byFile)
	}
}
