package postgis_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// handZone sets up a zone 111.50–111.60 E, 36.00–36.10 N split into districts W and E at
// 111.55, with one plot P1 (111.51–111.52, 36.01–36.02) and a plant S1 inside it.
func handZone(t *testing.T) *postgis.DB {
	t.Helper()
	db := postgistest.New(t)
	exec(t, db, `insert into zones (code, name, geom) values ('hand', 'Hand-made zone', ST_Multi(ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326)))`)
	exec(t, db, `insert into layout (zone_id, code, kind, name, geom) values
		(1, 'W', 'district', 'West', ST_MakeEnvelope(111.50, 36.00, 111.55, 36.10, 4326)),
		(1, 'E', 'district', 'East', ST_MakeEnvelope(111.55, 36.00, 111.60, 36.10, 4326))`)
	exec(t, db, `insert into plots (zone_id, code, land_use, status, geom) values
		(1, 'P1', '100101', 'ready', ST_Multi(ST_MakeEnvelope(111.51, 36.01, 111.52, 36.02, 4326)))`)
	exec(t, db, `insert into plants (zone_id, code, status, floors, geom) values
		(1, 'S1', 'completed', 2, ST_Multi(ST_MakeEnvelope(111.512, 36.012, 111.513, 36.013, 4326)))`)
	return db
}

func exec(t *testing.T, db *postgis.DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func count(t *testing.T, db *postgis.DB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// inTx runs statements in one transaction and returns the domain error of the first failure
// (or of the commit, where deferred rules run).
func inTx(db *postgis.DB, stmts ...string) error {
	ctx := context.Background()
	return postgis.AsError(pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		for _, s := range stmts {
			if _, err := tx.Exec(ctx, s); err != nil {
				return err
			}
		}
		return nil
	}))
}

func TestDatabaseRefusesBrokenRules(t *testing.T) {
	db := handZone(t)
	env := func(x0, y0, x1, y1 float64) string {
		return fmt.Sprintf("ST_Multi(ST_MakeEnvelope(%v, %v, %v, %v, 4326))", x0, y0, x1, y1)
	}
	plot := func(code, geom string) string {
		return fmt.Sprintf("insert into plots (zone_id, code, land_use, status, geom) values (1, '%s', '100101', 'ready', %s)", code, geom)
	}
	tests := []struct {
		name   string
		stmts  []string
		kind   string
		field  string
		reason string // a part of the reason
	}{
		{"overlapping plot", []string{plot("P2", env(111.515, 36.015, 111.53, 36.03))}, inventory.EConflict, "geometry", "P1"},
		{"plot outside the zone", []string{plot("P2", env(111.59, 36.09, 111.61, 36.11))}, inventory.EInvalid, "geometry", "outside the zone"},
		{"plot with lat and lon swapped", []string{plot("P2", env(36.01, 111.51, 36.02, 111.52))}, inventory.EInvalid, "geometry", "(lat, lon)"},
		{"self-intersecting plot", []string{plot("P2", "ST_Multi('SRID=4326;POLYGON((111.53 36.03,111.54 36.04,111.54 36.03,111.53 36.04,111.53 36.03))'::geometry)")}, inventory.EInvalid, "geometry", "Self-intersection"},
		{"empty plot", []string{plot("P2", "'SRID=4326;MULTIPOLYGON EMPTY'::geometry")}, inventory.EInvalid, "geometry", "empty"},
		{"unknown district", []string{"insert into plots (zone_id, code, land_use, status, district, geom) values (1, 'P2', '100101', 'ready', 'X9', " + env(111.53, 36.03, 111.54, 36.04) + ")"}, inventory.EInvalid, "district", "unknown"},
		{"unknown land use", []string{"insert into plots (zone_id, code, land_use, status, geom) values (1, 'P2', '9999', 'ready', " + env(111.53, 36.03, 111.54, 36.04) + ")"}, inventory.EInvalid, "land_use", ""},
		{"duplicate live code", []string{plot("P1", env(111.53, 36.03, 111.54, 36.04))}, inventory.EConflict, "code", ""},
		{"plant outside any plot", []string{"insert into plants (zone_id, code, status, floors, geom) values (1, 'S2', 'completed', 1, " + env(111.542, 36.012, 111.543, 36.013) + ")"}, inventory.EInvalid, "geometry", "inside any plot"},
		{"plant straddling its plot's edge", []string{"insert into plants (zone_id, code, status, floors, geom) values (1, 'S2', 'completed', 1, " + env(111.519, 36.012, 111.521, 36.013) + ")"}, inventory.EInvalid, "geometry", "inside any plot"},
		{"archiving the plot under a plant", []string{
			"update plots set valid_to = now() where code = 'P1' and valid_to = 'infinity'",
			"insert into plots (zone_id, code, version, archived, land_use, status, geom) values (1, 'P1', 2, true, '100101', 'ready', " + env(111.51, 36.01, 111.52, 36.02) + ")",
		}, inventory.EConflict, "geometry", "S1"},
		{"shrinking the plot away from its plant", []string{
			"update plots set valid_to = now() where code = 'P1' and valid_to = 'infinity'",
			"insert into plots (zone_id, code, version, land_use, status, geom) values (1, 'P1', 2, '100101', 'ready', " + env(111.515, 36.015, 111.52, 36.02) + ")",
		}, inventory.EConflict, "geometry", "S1"},
		{"status jumping from ready to in_production", []string{
			"update plots set valid_to = now() where code = 'P1' and valid_to = 'infinity'",
			"insert into plots (zone_id, code, version, land_use, status, geom) values (1, 'P1', 2, '100101', 'in_production', " + env(111.51, 36.01, 111.52, 36.02) + ")",
		}, inventory.EInvalid, "status", "ready to in_production"},
		{"road that is a polygon", []string{"insert into roads (zone_id, code, name, status, geom) values (1, 'R1', 'x', 'existing', 'SRID=4326;POLYGON((111.5 36,111.6 36,111.6 36.1,111.5 36))'::geometry)"}, inventory.EInvalid, "geometry", "wrong type"},
		{"plot overlapping by just over 1 m²", []string{plot("P2", env(111.51999998, 36.01, 111.53, 36.02))}, inventory.EConflict, "geometry", "P1"},
		{"changing a version in place", []string{"update plots set status = 'planned' where code = 'P1'"}, inventory.EInvalid, "version", "in place"},
		{"changing a closed version", []string{
			"update plots set valid_to = now() where code = 'P1' and valid_to = 'infinity'",
			"insert into plots (zone_id, code, version, land_use, status, geom) values (1, 'P1', 2, '100101', 'ready', " + env(111.51, 36.01, 111.52, 36.02) + ")",
			"update plots set name = 'rewritten' where code = 'P1' and version = 1",
		}, inventory.EInvalid, "version", "in place"},
		// footprint_m2 is generated in plants but a plain column of plots: closing a plot's
		// version does not change it in place (0077; it could before).
		{"changing a plot's footprint while closing its version", []string{
			"update plots set valid_to = now(), footprint_m2 = 123 where code = 'P1' and valid_to = 'infinity'",
		}, inventory.EInvalid, "version", "in place"},
		{"deleting a plot", []string{"delete from plots where code = 'P1'"}, inventory.EInvalid, "code", "archive"},
		{"truncating plants", []string{"truncate plants"}, inventory.EInvalid, "table", "truncated"},
		{"skipping a version", []string{
			"update plots set valid_to = now() where code = 'P1' and valid_to = 'infinity'",
			"insert into plots (zone_id, code, version, land_use, status, geom) values (1, 'P1', 3, '100101', 'ready', " + env(111.51, 36.01, 111.52, 36.02) + ")",
		}, inventory.EConflict, "version", "does not follow"},
		{"shrinking the zone away from its plots", []string{"update zones set geom = " + env(111.53, 36.03, 111.60, 36.10)}, inventory.EConflict, "geometry", "P1"},
		{"idle site outside the zone", []string{"insert into idle_sites (zone_id, code, stage, geom) values (1, 'I1', 'survey', " + env(111.61, 36.01, 111.62, 36.02) + ")"}, inventory.EInvalid, "geometry", "outside the zone"},
	}
	before := snapshot(t, db)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := inTx(db, tt.stmts...)
			if err == nil {
				t.Fatal("accepted")
			}
			var e *inventory.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *inventory.Error", err)
			}
			if e.Kind != tt.kind {
				t.Errorf("kind = %s, want %s (%v)", e.Kind, tt.kind, e)
			}
			if tt.field != "" && e.Field != tt.field {
				t.Errorf("field = %q, want %q (%v)", e.Field, tt.field, e)
			}
			if !strings.Contains(e.Error(), tt.reason) {
				t.Errorf("error %q does not mention %q", e.Error(), tt.reason)
			}
			if after := snapshot(t, db); after != before {
				t.Errorf("refused write changed the inventory: %s → %s", before, after)
			}
		})
	}
}

func snapshot(t *testing.T, db *postgis.DB) string {
	t.Helper()
	var s string
	err := db.Pool.QueryRow(context.Background(), `select concat_ws('|',
		(select string_agg(code || ':' || version || ':' || archived::text || ':' || status, ',' order by code, version) from plots),
		(select string_agg(code || ':' || version, ',' order by code, version) from plants),
		(select count(*) from roads), (select count(*) from idle_sites))`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDatabaseAcceptsAndDerives(t *testing.T) {
	db := handZone(t)
	ctx := context.Background()

	// A sliver overlap under 1 m² is tolerated: P2 reaches 1e-9° (≈ 0.09 mm) into P1 along
	// P1's 1.1 km east edge, ≈ 0.1 m². (1e-8° would be ≈ 1.0 m², refused above.)
	exec(t, db, `insert into plots (zone_id, code, land_use, status, geom) values
		(1, 'P2', '100101', 'planned', ST_Multi(ST_MakeEnvelope(111.519999999, 36.01, 111.53, 36.02, 4326)))`)

	// District derived from the layout: P1 and P2 are in W; P3 straddles 111.55 with most of it in E.
	exec(t, db, `insert into plots (zone_id, code, land_use, status, geom) values
		(1, 'P3', '0901', 'planned', ST_Multi(ST_MakeEnvelope(111.549, 36.05, 111.56, 36.06, 4326)))`)
	for code, want := range map[string]string{"P1": "W", "P2": "W", "P3": "E"} {
		var got string
		if err := db.Pool.QueryRow(ctx, "select district from plots where code = $1", code).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("district of %s = %s, want %s", code, got, want)
		}
	}
	// Plant S1 took its plot and district from P1.
	var plot, district string
	if err := db.Pool.QueryRow(ctx, "select plot_code, district from plants where code = 'S1'").Scan(&plot, &district); err != nil {
		t.Fatal(err)
	}
	if plot != "P1" || district != "W" {
		t.Errorf("S1 plot, district = %s, %s; want P1, W", plot, district)
	}

	// Areas come from PostGIS on the ellipsoid; check against the geo package's independent
	// ellipsoidal equal-area computation.
	var area float64
	if err := db.Pool.QueryRow(ctx, "select area_m2 from plots where code = 'P1'").Scan(&area); err != nil {
		t.Fatal(err)
	}
	ring := orb.Ring{{111.51, 36.01}, {111.52, 36.01}, {111.52, 36.02}, {111.51, 36.02}, {111.51, 36.01}}
	want := geo.EllipsoidArea(orb.Polygon{ring})
	if math.Abs(area-want)/want > 1e-4 {
		t.Errorf("area of P1 = %.1f m², independent ellipsoidal area %.1f m²", area, want)
	}

	// The lifecycle: ready → reserved → ready (lapsed) → reserved → supplied → idle → ready.
	steps := []string{"reserved", "ready", "reserved", "supplied", "idle", "ready"}
	for i, st := range steps {
		err := inTx(db,
			"update plots set valid_to = now() where code = 'P1' and valid_to = 'infinity'",
			fmt.Sprintf("insert into plots (zone_id, code, version, land_use, status, geom) values (1, 'P1', %d, '100101', '%s', ST_Multi(ST_MakeEnvelope(111.51, 36.01, 111.52, 36.02, 4326)))", i+2, st))
		if err != nil {
			t.Fatalf("step %d to %s: %v", i+1, st, err)
		}
	}
	if n := count(t, db, "select count(*) from plots where code = 'P1'"); n != len(steps)+1 {
		t.Errorf("P1 has %d versions, want %d", n, len(steps)+1)
	}
	if n := count(t, db, "select count(*) from plots where code = 'P1' and valid_to = 'infinity'"); n != 1 {
		t.Errorf("P1 has %d live versions, want 1", n)
	}
}

// TestConcurrentOverlapsCannotBothCommit starts two transactions that each insert one of two
// overlapping plots, at each isolation level: at most one may commit.
func TestConcurrentOverlapsCannotBothCommit(t *testing.T) {
	for _, iso := range []string{"read committed", "repeatable read", "serializable"} {
		t.Run(iso, func(t *testing.T) {
			db := handZone(t)
			ctx := context.Background()
			a, err := db.Pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			b, err := db.Pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, tx := range []pgx.Tx{a, b} {
				if _, err := tx.Exec(ctx, "set transaction isolation level "+iso); err != nil {
					t.Fatal(err)
				}
				if _, err := tx.Exec(ctx, "select count(*) from plots"); err != nil { // take the snapshot now
					t.Fatal(err)
				}
			}
			if _, err := a.Exec(ctx, `insert into plots (zone_id, code, land_use, status, geom) values
				(1, 'RACE1', '100101', 'planned', ST_Multi(ST_MakeEnvelope(111.53, 36.03, 111.54, 36.04, 4326)))`); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				_, err := b.Exec(ctx, `insert into plots (zone_id, code, land_use, status, geom) values
					(1, 'RACE2', '100101', 'planned', ST_Multi(ST_MakeEnvelope(111.535, 36.035, 111.545, 36.045, 4326)))`)
				if err == nil {
					err = b.Commit(ctx)
				} else {
					b.Rollback(ctx) //nolint:errcheck
				}
				done <- err
			}()
			time.Sleep(200 * time.Millisecond) // let b block on a's zone lock
			if err := a.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			errB := postgis.AsError(<-done)
			if errB == nil {
				t.Fatalf("both overlapping plots committed")
			}
			if k := inventory.ErrorKind(errB); k != inventory.EConflict {
				t.Errorf("second writer: %v (kind %s), want a conflict", errB, k)
			}
			if n := count(t, db, "select count(*) from plots where code like 'RACE%'"); n != 1 {
				t.Errorf("%d race plots stored, want 1", n)
			}
		})
	}
}

// TestRevisionMovesAtCommit: the revision behind list ETags changes exactly when a change
// becomes visible: not while the writing transaction is open, and once when it commits.
func TestRevisionMovesAtCommit(t *testing.T) {
	db := handZone(t)
	ctx := context.Background()
	rev := func() int64 {
		t.Helper()
		r, err := db.Revision(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r0 := rev()
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := tx.Exec(ctx, fmt.Sprintf(`insert into roads (zone_id, code, name, status, geom) values
			(1, 'R%d', 'road', 'existing', ST_Multi(ST_MakeLine(ST_MakePoint(111.5, 36.0%d), ST_MakePoint(111.6, 36.0%d))::geometry(LineString, 4326)))`, i, i+1, i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if r := rev(); r != r0 {
		t.Errorf("revision moved from %d to %d before the commit", r0, r)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if r := rev(); r != r0+1 {
		t.Errorf("revision after one committed transaction: %d, want %d", r, r0+1)
	}
}
