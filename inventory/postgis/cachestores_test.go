package postgis_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// cacheStores opens two stores on one copy of the demo: cached, with the feature cache (and so
// the index of codes), and plain, with neither, whose readings are the independent ones the
// cached store's must equal; and the contexts of the public and of a planner (who sees the
// confidential properties). Both stores close with the test.
func cacheStores(t *testing.T) (cached, plain *postgis.DB, public, planner context.Context) {
	t.Helper()
	ctx := context.Background()
	url := postgistest.URL(t, true)
	cached, err := postgis.OpenWith(ctx, url, nil, postgis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cached.Close)
	plain, err = postgis.OpenWith(ctx, url, nil, postgis.Options{FeatureCacheBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(plain.Close)
	return cached, plain, inventory.WithViewer(ctx, inventory.Anonymous),
		inventory.WithViewer(ctx, inventory.Viewer{Name: "alice", Role: inventory.RolePlanner})
}

// liveETag is the ETag of the live plot code, read straight from the table.
func liveETag(t *testing.T, db *postgis.DB, code string) string {
	t.Helper()
	var v int
	if err := db.Pool.QueryRow(context.Background(), "select version from plots where code = $1 and valid_to = 'infinity'", code).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf(`"plots-%s-v%d"`, code, v)
}

// freeSquare is a small square (GeoJSON MultiPolygon) in a free spot of the demo zone, 100 m or
// more from every live plot.
func freeSquare(t *testing.T, db *postgis.DB) string {
	t.Helper()
	var x, y float64
	if err := db.Pool.QueryRow(context.Background(), `select ST_X(p), ST_Y(p) from (select ST_PointOnSurface(ST_Buffer(ST_Difference(z.geom,
			(select ST_Union(ST_Buffer(geom, 0.001)) from plots where valid_to = 'infinity' and not archived)), -0.001)) p
		from zones z where code = 'linfen-edz') s`).Scan(&x, &y); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf(`{"type":"MultiPolygon","coordinates":[[[[%[1]f,%[2]f],[%[3]f,%[2]f],[%[3]f,%[4]f],[%[1]f,%[4]f],[%[1]f,%[2]f]]]]}`, x, y, x+0.0004, y+0.0003)
}

// readByCode is the text of the live plot code as db reads it for the viewer of as.
func readByCode(t *testing.T, db *postgis.DB, as context.Context, code string) string {
	t.Helper()
	var b strings.Builder
	if _, _, err := db.StreamList(as, inventory.Query{Layer: inventory.PlotLayer, Limit: 1,
		Conditions: []inventory.Condition{{Kind: inventory.FilterEquals, Field: "code", Value: code}}}, func(f []byte) error {
		b.Write(f)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// texts is the one text column of the rows sql (with args) reads through db.
func texts(t *testing.T, db *postgis.DB, sql string, args ...any) []string {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
