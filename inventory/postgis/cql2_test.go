package postgis_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/cql2"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// cqlProbe is a hand-made table whose answers are known row by row:
//
//	A: name 'Hefen Road Plot', ready, 60 mu, 3 floors, 80 of 100 m² leased, standard land,
//	   approved 2020-01-02, updated 2024-05-01 08:00Z, no enterprise, POINT(111.51 36.01)
//	B: name '临汾 plot', leased, 40.5 mu, 1 floor, 50 of 100 m², not standard, approved
//	   2021-06-30, updated 2023-01-01, enterprise SecretCo, the square 111.52–111.53 E,
//	   36.02–36.03 N
//	C: name "x' OR 1=1 --", sold, 120 mu, floors unknown, 0 of 0 m², standard, no dates,
//	   enterprise O'Brien, the line along 111.60 E from 36.00 to 36.05 N
//	D: name 'h_x%', idle, area unknown, 10 floors, 5 of 10 m², not standard, approved
//	   2019-12-31, updated 2022-01-01, no enterprise, POINT(111.70 36.20)
const cqlProbe = `
create table cql_probe (code text primary key, name text, status text, area_mu double precision,
	floors integer, leased_m2 numeric, leasable_m2 numeric, standard_land boolean, approved_on date,
	updated_at timestamptz, enterprise text, geom geometry(Geometry, 4326));
insert into cql_probe values
 ('A', 'Hefen Road Plot', 'ready', 60, 3, 80, 100, true, '2020-01-02', '2024-05-01T08:00:00Z', null,
  ST_SetSRID(ST_MakePoint(111.51, 36.01), 4326)),
 ('B', '临汾 plot', 'leased', 40.5, 1, 50, 100, false, '2021-06-30', '2023-01-01T00:00:00Z', 'SecretCo',
  ST_MakeEnvelope(111.52, 36.02, 111.53, 36.03, 4326)),
 ('C', 'x'' OR 1=1 --', 'sold', 120, null, 0, 0, true, null, null, 'O''Brien',
  ST_SetSRID(ST_MakeLine(ST_MakePoint(111.60, 36.00), ST_MakePoint(111.60, 36.05)), 4326)),
 ('D', 'h_x%', 'idle', null, 10, 5, 10, false, '2019-12-31', '2022-01-01T00:00:00Z', null,
  ST_SetSRID(ST_MakePoint(111.70, 36.20), 4326));`

var cqlProbeQueryables = cql2.Queryables{
	"code": {Type: cql2.TypeString}, "name": {Type: cql2.TypeString},
	"status":  {Type: cql2.TypeString, Enum: []string{"ready", "leased", "sold", "idle"}},
	"area_mu": {Type: cql2.TypeNumber}, "floors": {Type: cql2.TypeInteger},
	"leased_m2": {Type: cql2.TypeNumber}, "leasable_m2": {Type: cql2.TypeNumber},
	"standard_land": {Type: cql2.TypeBoolean}, "approved_on": {Type: cql2.TypeDate},
	"updated_at": {Type: cql2.TypeTimestamp}, "enterprise": {Type: cql2.TypeString},
	"geom": {Type: cql2.TypeGeometry},
}

// The allow-list: every property's column, qualified the way a real query would.
var cqlProbeColumns = map[string]string{
	"code": "t.code", "name": "t.name", "status": "t.status", "area_mu": "t.area_mu",
	"floors": "t.floors", "leased_m2": "t.leased_m2", "leasable_m2": "t.leasable_m2",
	"standard_land": "t.standard_land", "approved_on": "t.approved_on", "updated_at": "t.updated_at",
	"enterprise": "t.enterprise", "geom": "t.geom",
}

type cqlRunner struct {
	t  *testing.T
	db *postgis.DB
}

// codes parses, checks and compiles filter, runs it with one argument already bound (to
// show the numbering continues), and returns the matching codes.
func (r cqlRunner) codes(lang, filter string, crs postgis.CQL2CRS) ([]string, error) {
	e, err := cql2.Parse(lang, filter)
	if err != nil {
		return nil, err
	}
	if err := cqlProbeQueryables.Check(e); err != nil {
		return nil, err
	}
	where, args, err := postgis.CompileCQL2(e, cqlProbeColumns, crs, []any{"Z"})
	if err != nil {
		return nil, err
	}
	rows, err := r.db.Pool.Query(context.Background(), "select code from cql_probe t where code <> $1 and "+where+" order by code", args...)
	if err != nil {
		return nil, fmt.Errorf("SQL %s %v: %w", where, args, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func TestCQLCompileAgainstPostGIS(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)
	if _, err := db.Pool.Exec(ctx, cqlProbe); err != nil {
		t.Fatal(err)
	}
	r := cqlRunner{t, db}

	// A is 0.005° of longitude east of the meridian 111.505 at 36.01 N, B 0.015° at best.
	dA := parallelArc(0.005, 36.01)
	for _, c := range []struct {
		name, lang, filter string
		want               []string
	}{
		{"equality", "", `status = 'ready'`, []string{"A"}},
		{"not equal excludes nothing but the value", "", `status <> 'ready'`, []string{"B", "C", "D"}},
		{"and, numbers", "", `status = 'ready' AND area_mu > 50`, []string{"A"}},
		{"or", "", `area_mu > 100 OR floors >= 10`, []string{"C", "D"}},
		{"not: null is never true", "", `NOT (area_mu > 50)`, []string{"B"}},
		{"is null", "", `enterprise IS NULL`, []string{"A", "D"}},
		{"is not null", "", `floors IS NOT NULL`, []string{"A", "B", "D"}},
		{"like, case-sensitive", "", `name LIKE 'H%'`, []string{"A"}},
		{"like with _", "", `name LIKE '临汾_plot'`, []string{"B"}},
		{"like with escaped wildcards", "", `name LIKE 'h\_x\%'`, []string{"D"}},
		{"like: the escape is the user's, wildcards stay wildcards", "", `name LIKE '%\%'`, []string{"D"}},
		{"not like", "", `name NOT LIKE '%plot'`, []string{"A", "C", "D"}},
		{"casei like", "", `CASEI(name) LIKE CASEI('h%')`, []string{"A", "D"}},
		{"casei equality", "", `CASEI(name) = CASEI('临汾 PLOT')`, []string{"B"}},
		{"between is inclusive", "", `area_mu BETWEEN 40.5 AND 60`, []string{"A", "B"}},
		{"in", "", `status IN ('ready', 'sold')`, []string{"A", "C"}},
		{"not in", "", `floors NOT IN (1, 3)`, []string{"D"}},
		{"boolean property", "", `standard_land`, []string{"A", "C"}},
		{"boolean literal", "", `standard_land = FALSE`, []string{"B", "D"}},
		{"timestamp", "", `updated_at > TIMESTAMP('2023-06-01T00:00:00Z')`, []string{"A"}},
		{"timestamp with offset", "", `updated_at = TIMESTAMP('2024-05-01T16:00:00+08:00')`, []string{"A"}},
		{"date", "", `approved_on >= DATE('2021-06-30')`, []string{"B"}},
		{"date against timestamp property", "", `updated_at < DATE('2022-01-02')`, []string{"D"}},
		{"GDAL date string", "cql-text", `approved_on > '2020-01-02T'`, []string{"B"}},
		{"GDAL timestamp string", "cql-text", `updated_at >= '2023-01-01T00:00:00Z'`, []string{"A", "B"}},
		{"GDAL ILIKE", "cql-text", `name ILIKE '%PLOT%'`, []string{"A", "B"}},
		{"GDAL and", "cql-text", `(status = 'ready') AND (area_mu > 50)`, []string{"A"}},
		{"property-property", "", `leased_m2 < leasable_m2`, []string{"A", "B", "D"}},
		{"arithmetic; 0/0 is no match, not an error", "", `leased_m2 * 100 / leasable_m2 >= 80`, []string{"A"}},
		{"arithmetic precedence", "", `floors + floors * 2 = 9`, []string{"A"}},
		{"integer division is not truncated", "", `floors / 2 = 1.5`, []string{"A"}},
		{"intersects bbox", "", `S_INTERSECTS(geom, BBOX(111.515, 36.015, 111.525, 36.025))`, []string{"B"}},
		{"intersects point", "", `S_INTERSECTS(geom, POINT(111.51 36.01))`, []string{"A"}},
		{"intersects polygon", "", `S_INTERSECTS(geom, POLYGON((111.5 36, 111.55 36, 111.55 36.05, 111.5 36.05, 111.5 36)))`, []string{"A", "B"}},
		{"intersects multipolygon", "", `S_INTERSECTS(geom, MULTIPOLYGON(((111.5 36, 111.515 36, 111.515 36.015, 111.5 36.015, 111.5 36)), ((111.69 36.19, 111.71 36.19, 111.71 36.21, 111.69 36.21, 111.69 36.19))))`, []string{"A", "D"}},
		{"intersects linestring", "", `S_INTERSECTS(geom, LINESTRING(111.59 36.02, 111.61 36.02))`, []string{"C"}},
		{"intersects multipoint", "", `S_INTERSECTS(geom, MULTIPOINT((111.51 36.01), (0 0)))`, []string{"A"}},
		{"intersects multilinestring", "", `S_INTERSECTS(geom, MULTILINESTRING((0 0, 1 1), (111.525 36.0, 111.525 36.1)))`, []string{"B"}},
		{"dwithin just beyond A", "", fmt.Sprintf(`S_DWITHIN(geom, LINESTRING(111.505 36.0, 111.505 36.05), %f)`, dA-0.5), nil},
		{"dwithin just reaching A", "", fmt.Sprintf(`S_DWITHIN(geom, LINESTRING(111.505 36.0, 111.505 36.05), %f)`, dA+0.5), []string{"A"}},
		{"dwithin in JSON", "cql2-json", fmt.Sprintf(`{"op":"s_dwithin","args":[{"property":"geom"},{"type":"LineString","coordinates":[[111.505,36.0],[111.505,36.05]]},%f]}`, parallelArc(0.015, 36.02)+0.5), []string{"A", "B"}},
		{"json and", "cql2-json", `{"op":"and","args":[{"op":"=","args":[{"property":"status"},"ready"]},{"op":">","args":[{"property":"area_mu"},50]}]}`, []string{"A"}},
		// Injection: each attempt is one literal; it matches only a row that holds that text.
		{"quote injection is one literal", "", `name = 'x'' OR 1=1 --'`, []string{"C"}},
		{"statement injection", "", `name = 'ready''); drop table cql_probe; --'`, nil},
		{"comment injection", "", `name = '*/ OR TRUE /*'`, nil},
		{"dollar quoting", "", `name = '$$ OR 1=1 $$'`, nil},
		{"backslash", "", `enterprise = 'O\''Brien'`, nil},
		{"doubled quote in data", "", `enterprise = 'O''Brien'`, []string{"C"}},
		{"injection in a LIKE", "", `name LIKE '%'' OR ''1''=''1'`, nil},
		{"a bbox with no plot in it", "cql2-json", `{"op":"s_intersects","args":[{"property":"geom"},{"bbox":[0,0,1,1]}]}`, nil},
	} {
		got, err := r.codes(c.lang, c.filter, postgis.CQL2CRS{})
		if err != nil {
			t.Errorf("%s: %s: %v", c.name, c.filter, err)
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %s: got %v, want %v", c.name, c.filter, got, c.want)
		}
	}
	var n int
	if err := db.Pool.QueryRow(ctx, "select count(*) from cql_probe").Scan(&n); err != nil || n != 4 {
		t.Fatalf("after the injection attempts the table holds %d rows (%v), want 4", n, err)
	}
}

func TestCQLCompileFilterCRS(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)
	if _, err := db.Pool.Exec(ctx, cqlProbe); err != nil {
		t.Fatal(err)
	}
	r := cqlRunner{t, db}
	// EPSG:4326 under OGC rules is latitude first.
	for _, c := range []struct {
		crs  postgis.CQL2CRS
		want []string
	}{
		{postgis.CQL2CRS{SRID: 4326, SwapXY: true}, []string{"A"}},
		{postgis.CQL2CRS{SRID: 4490, SwapXY: true}, []string{"A"}},
		{postgis.CQL2CRS{}, nil}, // CRS84 reads (36.01, 111.51) as a latitude of 111.51: refused below
	} {
		got, err := r.codes("", `S_INTERSECTS(geom, BBOX(36.005, 111.505, 36.015, 111.515))`, c.crs)
		if c.want == nil {
			var te *cql2.TypeError
			if !errors.As(err, &te) || inventory.ErrorKind(err) != inventory.EInvalid {
				t.Errorf("%+v: got %v, %v; want a 400 for out-of-range degrees", c.crs, got, err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%+v: got %v, %v; want %v", c.crs, got, err, c.want)
		}
	}
	// CGCS2000 3-degree Gauss-Krüger 111°E (EPSG:4546): a 2 m box around A's projected
	// position finds A; the projection comes from PostGIS itself, the plumbing is what is
	// tested (literal SRID, then ST_Transform to 4326).
	var x, y float64
	if err := db.Pool.QueryRow(ctx, "select ST_X(g), ST_Y(g) from (select ST_Transform(geom, 4546) g from cql_probe where code = 'A') s").Scan(&x, &y); err != nil {
		t.Fatal(err)
	}
	if x < 300000 || x > 700000 || y < 3.9e6 || y > 4.1e6 {
		t.Fatalf("A in EPSG:4546 at (%f, %f): not a Gauss-Krüger easting/northing near 36°N", x, y)
	}
	got, err := r.codes("", fmt.Sprintf(`S_INTERSECTS(geom, BBOX(%f, %f, %f, %f))`, x-1, y-1, x+1, y+1), postgis.CQL2CRS{SRID: 4546})
	if err != nil || !slices.Equal(got, []string{"A"}) {
		t.Errorf("EPSG:4546 box around A: got %v, %v", got, err)
	}
	// 200 m from A's projected position, within 201 m (in the projection's metres, close to
	// the spheroid's so near the central meridian) finds A; within 150 m does not.
	for _, c := range []struct {
		d    float64
		want []string
	}{{201, []string{"A"}}, {150, nil}} {
		got, err := r.codes("", fmt.Sprintf(`S_DWITHIN(geom, POINT(%f %f), %f)`, x+200, y, c.d), postgis.CQL2CRS{SRID: 4546})
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("S_DWITHIN %v m in EPSG:4546: got %v, %v; want %v", c.d, got, err, c.want)
		}
	}
}

func TestCQLCompileRefusals(t *testing.T) {
	e, err := cql2.ParseText(`status = 'ready' AND "secret" = 'x'`)
	if err != nil {
		t.Fatal(err)
	}
	// A property that passed Check but has no column is still refused: the column map is the
	// allow-list of what reaches SQL.
	var up *cql2.UnknownPropertyError
	if _, _, err := postgis.CompileCQL2(e, cqlProbeColumns, postgis.CQL2CRS{}, nil); !errors.As(err, &up) || up.Name != "secret" {
		t.Errorf("got %v, want unknown property secret", err)
	}
	// Values never appear in the SQL text.
	e, _ = cql2.ParseText(`name = 'x'' OR 1=1 --' AND area_mu > 12.5 AND S_INTERSECTS(geom, POINT(111.5 36.5))`)
	sql, args, err := postgis.CompileCQL2(e, cqlProbeColumns, postgis.CQL2CRS{}, []any{"first"})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"OR 1=1", "12.5", "111.5", "'"} {
		if strings.Contains(sql, v) {
			t.Errorf("SQL %q contains the value %q", sql, v)
		}
	}
	if len(args) != 5 || args[0] != "first" || args[1] != "x' OR 1=1 --" || !strings.Contains(sql, "$2::text") || strings.Contains(sql, "$1:") {
		t.Errorf("SQL %q args %v: want numbering to continue after the caller's one argument", sql, args)
	}
	// Degrees out of range are a 400, before PostGIS could raise an error.
	e, _ = cql2.ParseText(`S_DWITHIN(geom, POINT(200 36), 10)`)
	if _, _, err := postgis.CompileCQL2(e, cqlProbeColumns, postgis.CQL2CRS{}, nil); inventory.ErrorKind(err) != inventory.EInvalid {
		t.Errorf("POINT(200 36): got %v, want invalid", err)
	}
}

func TestCQLCompileSortBy(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)
	if _, err := db.Pool.Exec(ctx, cqlProbe); err != nil {
		t.Fatal(err)
	}
	keys, err := cql2.ParseSortBy("-area_mu,code", cqlProbeQueryables)
	if err != nil {
		t.Fatal(err)
	}
	order, err := postgis.CompileSortBy(keys, cqlProbeColumns)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Pool.Query(ctx, "select code from cql_probe t order by "+order)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var c string
		_ = rows.Scan(&c)
		got = append(got, c)
	}
	rows.Close()
	// Area 120 (C), 60 (A), 40.5 (B), unknown (D) last.
	if want := []string{"C", "A", "B", "D"}; !slices.Equal(got, want) {
		t.Errorf("order by %s: got %v, want %v", order, got, want)
	}
	if _, err := postgis.CompileSortBy([]cql2.SortKey{{Property: "x; drop table cql_probe"}}, cqlProbeColumns); inventory.ErrorKind(err) != inventory.EInvalid {
		t.Errorf("unknown sort key: got %v", err)
	}
}
