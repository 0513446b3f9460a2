package postgistest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/data"
)

// The grid of the synthetic zones of SyntheticZonesSQL, for tests and benchmarks that need to
// know where a zone or a plot lies. Zone k (0-based) has code ZoneCode(k) and sits at column
// k % ZoneCols, row k / ZoneCols; plot j of a zone (code PlotCode(j)) is the 90 m × 90 m square
// at column j % PlotCols, row j / PlotCols of its zone, 100 m from the next. The grid's constants, in degrees (near Linfen, Shanxi: 100 m ≈ 0.001111° of longitude and
// 0.000899° of latitude).
const (
	GridX0, GridY0     = 110.0, 34.0 // south-west corner of zone 0
	ZoneCols           = 40          // zones per row
	ZoneDX, ZoneDY     = 0.05, 0.025 // distance between zones
	PlotCols           = 40          // plots per row inside a zone
	PlotDX, PlotDY     = 0.001111, 0.000899
	PlotW, PlotH       = 0.001, 0.00081 // a plot's size
	ZoneMargin         = 0.0001         // between a zone's boundary and its first plots
	SyntheticProvinces = 31
)

// ZoneCode is the code of synthetic zone k.
func ZoneCode(k int) string { return fmt.Sprintf("z%04d", k) }

// PlotCode is the code of plot j of a synthetic zone.
func PlotCode(j int) string { return fmt.Sprintf("P%04d", j) }

// ZoneOrigin is the south-west corner of synthetic zone k's plot grid.
func ZoneOrigin(k int) (x, y float64) {
	return GridX0 + float64(k%ZoneCols)*ZoneDX + ZoneMargin, GridY0 + float64(k/ZoneCols)*ZoneDY + ZoneMargin
}

// SyntheticZonesSQL returns the statements that load zones synthetic development zones,
// numbered from first (zone k is ZoneCode(k) in its place on the grid, whatever else is
// loaded: a one-zone database of zone 500 holds the same zone as the thousand-zone one), of
// perZone plots each (perZone ≤ 1000, rows of 40), all set-based (generate_series): the zones
// (in SyntheticProvinces provinces, "省01" …), two districts per zone (W, E), the plots with
// every figure the intensity report reads, and a plant on every 50th plot. The rows are valid
// and disjoint by construction, so the rule triggers are off while loading
// (session_replication_role = replica); VACUUM (FREEZE, ANALYZE) ends the load.
func SyntheticZonesSQL(first, zones, perZone int) []string {
	zoneW := ZoneMargin*2 + PlotCols*PlotDX
	rows := (perZone + PlotCols - 1) / PlotCols
	zoneH := ZoneMargin*2 + float64(rows)*PlotDY
	r := strings.NewReplacer(
		"{first}", fmt.Sprint(first), "{last}", fmt.Sprint(first+zones-1), "{per}", fmt.Sprint(perZone),
		"{x0}", fmt.Sprint(GridX0), "{y0}", fmt.Sprint(GridY0), "{zc}", fmt.Sprint(ZoneCols),
		"{zdx}", fmt.Sprint(ZoneDX), "{zdy}", fmt.Sprint(ZoneDY), "{zw}", fmt.Sprint(zoneW), "{zh}", fmt.Sprint(zoneH),
		"{pc}", fmt.Sprint(PlotCols), "{pdx}", fmt.Sprint(PlotDX), "{pdy}", fmt.Sprint(PlotDY),
		"{pw}", fmt.Sprint(PlotW), "{ph}", fmt.Sprint(PlotH), "{m}", fmt.Sprint(ZoneMargin),
		"{half}", fmt.Sprint(ZoneMargin+PlotCols/2*PlotDX), "{np}", fmt.Sprint(SyntheticProvinces))
	return []string{
		"set session_replication_role = replica",
		r.Replace(`insert into zones (code, name, name_en, province, illustrative, geom)
			select 'z' || lpad(k::text, 4, '0'), '合成开发区' || k, 'Synthetic zone ' || k,
			       '省' || lpad((k % {np} + 1)::text, 2, '0'), true,
			       ST_Multi(ST_MakeEnvelope({x0} + (k % {zc}) * {zdx}, {y0} + (k / {zc}) * {zdy},
			                                {x0} + (k % {zc}) * {zdx} + {zw}, {y0} + (k / {zc}) * {zdy} + {zh}, 4326))
			from generate_series({first}, {last}) k order by k`),
		r.Replace(`insert into layout (zone_id, code, kind, name, geom)
			select z.id, d.code, 'district', d.code, ST_MakeEnvelope(ST_XMin(z.geom) + d.i * {half}, ST_YMin(z.geom),
			       case when d.i = 0 then ST_XMin(z.geom) + {half} else ST_XMax(z.geom) end, ST_YMax(z.geom), 4326)
			from zones z, (values (0, 'W'), (1, 'E')) d(i, code) order by z.id, d.i`),
		r.Replace(`insert into plots (zone_id, code, district, land_use, cluster, status, standard_land, eval_class, supply_class,
				hightech_class, enterprise, floor_area_m2, footprint_m2, investment_wan, planned_investment_wan, tax_wan_per_year,
				output_wan_per_year, population, min_investment_wan_per_mu, min_tax_wan_per_mu_year, min_far, max_far,
				agreed_start_date, started_on, illustrative, geom)
			select z.id, 'P' || lpad(j::text, 4, '0'), case when j % {pc} < {pc} / 2 then 'W' else 'E' end,
			       (array['100101','100102','0901','1101'])[1 + j % 4],
			       (array['intelligent_manufacturing','energy_saving_environmental','new_energy','new_materials','modern_services'])[1 + j % 5],
			       (array['planned','ready','reserved','supplied','under_construction','in_production','idle'])[1 + j % 7],
			       j % 3 = 0,
			       (array['A1','A2','A2','A2','A4','A31','A51','B11','B21','B22','C1'])[1 + j % 11],
			       (array['D1','D21','D21','D22','E','F'])[1 + j % 6],
			       case when j % 13 = 0 then 'H1' end, 'Firm ' || (j % 97),
			       8000 * (j % 20) / 10.0, 8000 * (j % 7) / 10.0,
			       (j % 500) * 10, 5000, (j % 97), (j % 300), case when j % 11 = 0 then j % 400 end,
			       300, 20, 1.0, 2.5, date '2020-01-01' + (j % 1500), case when j % 4 = 0 then date '2021-01-01' + (j % 900) end,
			       true,
			       ST_Multi(ST_MakeEnvelope(ST_XMin(z.geom) + {m} + (j % {pc}) * {pdx}, ST_YMin(z.geom) + {m} + (j / {pc}) * {pdy},
			                                ST_XMin(z.geom) + {m} + (j % {pc}) * {pdx} + {pw}, ST_YMin(z.geom) + {m} + (j / {pc}) * {pdy} + {ph}, 4326))
			from zones z, generate_series(0, {per} - 1) j order by z.id, j`),
		`insert into plants (zone_id, code, plot_code, district, status, floors, leasable_area_m2, leased_area_m2, total_floor_area_m2, illustrative, geom)
			select p.zone_id, 'B' || p.code, p.code, p.district, 'completed', 3, 3000, 1400, 9000, true,
			       ST_Multi(ST_MakeEnvelope(ST_XMin(p.geom) + 0.0002, ST_YMin(p.geom) + 0.0002, ST_XMin(p.geom) + 0.0006, ST_YMin(p.geom) + 0.0006, 4326))
			from plots p where right(p.code, 2) in ('00', '50') order by p.zone_id, p.code`,
		"set session_replication_role = origin",
		// Frozen and analysed: a copy of the template starts with its visibility map and hint
		// bits set, so no autovacuum of a million fresh rows competes with what a benchmark times.
		"vacuum (freeze, analyze)",
	}
}

// Seeded returns the connection URL of a fresh database (schema applied, then the statements
// stmts run in one session), dropped when the test ends. The seeded database is built once per
// (migrations, stmts) and kept as a template (landinv_tmpl_seed_<hash>), so a benchmark that
// loads a million rows pays for it on its first run only. built is how long building took (0
// when the template existed already).
func Seeded(t testing.TB, stmts []string) (url string, built time.Duration) {
	t.Helper()
	server := ServerURL()
	if server == "" {
		t.Fatal("no test database: set LANDINV_TEST_DATABASE_URL (or DATABASE_URL) to a PostGIS server where tests may create databases; `make test` does this for you")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Hour)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to test server: %v", err)
	}
	defer admin.Close(ctx)
	h := sha256.New()
	if err := hashFS(h, data.Migrations); err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	tmpl := "landinv_tmpl_seed_" + hex.EncodeToString(h.Sum(nil))[:12]
	if _, err := admin.Exec(ctx, "select pg_advisory_lock(hashtext('landinv.testtemplate.seed'))"); err != nil {
		t.Fatal(err)
	}
	var exists bool
	err = admin.QueryRow(ctx, "select exists (select 1 from pg_database where datname = $1)", tmpl).Scan(&exists)
	if err == nil && !exists {
		start := time.Now()
		err = buildSeed(ctx, t, admin, server, tmpl, stmts)
		built = time.Since(start)
	}
	admin.Exec(context.WithoutCancel(ctx), "select pg_advisory_unlock(hashtext('landinv.testtemplate.seed'))") //nolint:errcheck
	if err != nil {
		t.Fatalf("build seeded template %s: %v", tmpl, err)
	}
	name := copyOf(ctx, t, admin, tmpl)
	return withDB(t, server, name), built
}

// buildSeed copies the schema template into tmpl+"_build", runs stmts there and renames it.
func buildSeed(ctx context.Context, t testing.TB, admin *pgx.Conn, server, tmpl string, stmts []string) error {
	schema, err := template(ctx, admin, server, false)
	if err != nil {
		return err
	}
	building := tmpl + "_build"
	if _, err := admin.Exec(ctx, "drop database if exists "+building+" with (force)"); err != nil {
		return err
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf("create database %s template %s", building, schema)); err != nil {
		return err
	}
	c, err := pgx.Connect(ctx, withDB(t, server, building))
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := c.Exec(ctx, s); err != nil {
			c.Close(ctx)
			return fmt.Errorf("%.80s: %w", s, err)
		}
	}
	c.Close(ctx)
	_, err = admin.Exec(ctx, fmt.Sprintf("alter database %s rename to %s", building, tmpl))
	return err
}
