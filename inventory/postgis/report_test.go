package postgis_test

// Helpers and fixtures shared by the report tests, and the export of every report.

import (
	"bytes"
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/export"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

var (
	planner = inventory.WithViewer(context.Background(), inventory.Viewer{Name: "p", Role: inventory.RolePlanner})
	public  = inventory.WithViewer(context.Background(), inventory.Anonymous)
)

// rexec runs one fixture statement. Fixtures fill in a version's figures in place, which the
// append-only history forbids to ordinary writers, so it runs as a maintenance session
// (landinv.maintenance, see 0030_integrity.sql).
func rexec(t testing.TB, db *postgis.DB, sql string, args ...any) {
	t.Helper()
	err := pgx.BeginFunc(context.Background(), db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(context.Background(), "set local landinv.maintenance = on"); err != nil {
			return err
		}
		_, err := tx.Exec(context.Background(), sql, args...)
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// params builds a report's parameters from name, value pairs (as the query string names them;
// as_of is an RFC 3339 time or a date, its first instant UTC), checked by Validate.
func params(t testing.TB, kind string, kv ...string) inventory.ReportParams {
	t.Helper()
	p := inventory.DefaultReportParams(kind)
	for i := 0; i+1 < len(kv); i += 2 {
		name, raw := kv[i], kv[i+1]
		num := func() float64 {
			x, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				t.Fatalf("params %v: %s: %v", kv, name, err)
			}
			return x
		}
		switch name {
		case "district":
			p.Districts = strings.Split(raw, ",")
		case "cluster":
			p.Cluster = raw
		case "group":
			p.Group = raw
		case "year":
			p.Year = int(num())
		case "include":
			p.IncludePlots = raw == "plots"
		case "as_of":
			at, err := time.Parse(time.RFC3339Nano, raw)
			if err != nil {
				at, err = time.Parse("2006-01-02", raw)
			}
			if err != nil {
				t.Fatalf("params %v: as_of: %v", kv, err)
			}
			p.AsOf = &at
		case "tolerance_m":
			p.ToleranceM = num()
		case "frontage_m":
			p.FrontageM = num()
		case "loop_cover_pct":
			p.LoopCoverPct = num()
		default:
			t.Fatalf("params %v: no parameter %s", kv, name)
		}
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("params %v: %v", kv, err)
	}
	return p
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func asErr(err error, e **inventory.Error) bool {
	x, ok := err.(*inventory.Error)
	if ok {
		*e = x
	}
	return ok
}

// bareHandZone makes the hand-made zone of the report tests: 111.50–111.60 E, 36.00–36.10 N,
// with districts W (west of 111.55) and E (east of it), and nothing else (handZone in
// rules_test.go adds a plot and a plant to the same zone).
func bareHandZone(t testing.TB) *postgis.DB {
	t.Helper()
	db := postgistest.New(t)
	rexec(t, db, `insert into zones (code, name, province, geom) values ('hand', 'Hand-made zone', '山西省', ST_Multi(ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326)))`)
	rexec(t, db, `insert into layout (zone_id, code, kind, name, geom) values
		(1, 'W', 'district', 'West', ST_MakeEnvelope(111.50, 36.00, 111.55, 36.10, 4326)),
		(1, 'E', 'district', 'East', ST_MakeEnvelope(111.55, 36.00, 111.60, 36.10, 4326))`)
	return db
}

// landZone: compliance, idle and supply cases in the hand zone. Areas are set as multiples
// of the plot's own area so the answers are exact whatever the area is.
func landZone(t testing.TB) *postgis.DB {
	t.Helper()
	db := bareHandZone(t)
	i := 0
	plot := func(code, status string, set string) {
		x := 111.505 + 0.006*float64(i%8)
		y := 36.01 + 0.01*float64(i/8)
		i++
		rexec(t, db, `insert into plots (zone_id, code, land_use, status, geom) values (1, $1, '100101', $2, ST_Multi(ST_MakeEnvelope($3, $4, $5, $6, 4326)))`,
			code, status, x, y, x+0.005, y+0.005)
		if set != "" {
			rexec(t, db, "update plots set "+set+" where code = $1", code)
		}
	}
	mu := "(area_m2 * 15 / 10000)"
	// Compliance: C1 falls short on investment (250 of 300 万元/亩) and FAR (0.8 < 1.0), meets tax.
	plot("C1", "in_production", "standard_land = true, enterprise = 'Firm One', min_investment_wan_per_mu = 300, investment_wan = 250 * "+mu+
		", min_tax_wan_per_mu_year = 20, tax_wan_per_year = 25 * "+mu+", min_far = 1.0, max_far = 2.0, floor_area_m2 = 0.8 * area_m2")
	// C2 meets everything; C3 exceeds its FAR cap (2.5 > 2.0) and has no investment recorded.
	plot("C2", "under_construction", "standard_land = true, min_investment_wan_per_mu = 300, investment_wan = 320 * "+mu+", min_far = 1.0, floor_area_m2 = 1.5 * area_m2")
	plot("C3", "supplied", "standard_land = true, min_investment_wan_per_mu = 300, min_far = 1.0, max_far = 2.0, floor_area_m2 = 2.5 * area_m2")
	// Not covered: not standard land; standard land not yet supplied.
	plot("C4", "in_production", "min_investment_wan_per_mu = 300, investment_wan = 1")
	// Supply: ready standard land, two in W (one new_energy), one in E (no cluster, x ≥ 111.55).
	plot("S1", "ready", "standard_land = true, cluster = 'new_energy'")
	plot("S2", "ready", "standard_land = true")
	plot("S3", "ready", "") // not standard land
	plot("S4", "reserved", "standard_land = true")
	i = 8
	today := time.Now().UTC()
	ago := func(y, m int) string { return today.AddDate(-y, -m, 0).Format("2006-01-02") }
	// Idle test: I1 not started 2 years after its agreed date; I2 only 6 months; I3 stopped
	// 13 months ago with 20 % built; I4 stopped 13 months ago, 50 % built but 10 % invested;
	// I5 flagged by status; I6 flagged by an idle site.
	plot("I1", "supplied", "agreed_start_date = '"+ago(2, 0)+"'")
	plot("I2", "supplied", "agreed_start_date = '"+ago(0, 6)+"'")
	plot("I3", "under_construction", "agreed_start_date = '"+ago(4, 0)+"', started_on = '"+ago(3, 0)+"', stopped_on = '"+ago(1, 1)+"', built_area_share = 0.2")
	plot("I4", "under_construction", "agreed_start_date = '"+ago(4, 0)+"', started_on = '"+ago(3, 0)+"', stopped_on = '"+ago(1, 1)+"', built_area_share = 0.5, investment_wan = 10, planned_investment_wan = 100")
	plot("I5", "idle", "agreed_start_date = '"+ago(3, 0)+"'")
	plot("I6", "supplied", "agreed_start_date = '"+ago(3, 0)+"'")
	rexec(t, db, `insert into idle_sites (zone_id, code, kind, plot_code, stage, geom)
		select 1, 'X1', 'idle_land', 'I6', 'survey', geom from plots where code = 'I6'`)
	rexec(t, db, `insert into idle_sites (zone_id, code, kind, stage, reclaimed_on, relet_on, geom)
		select 1, 'X2', 'zombie_enterprise', 'reactivated', '2024-03-01', '2025-05-01', geom from plots where code = 'I5'`)
	rexec(t, db, `insert into idle_sites (zone_id, code, kind, stage, reclaimed_on, geom)
		select 1, 'X3', 'idle_land', 'implementation', '2024-09-01', geom from plots where code = 'I2'`)
	// Plants on S4 (in W): two completed (1000/600 and 500/500 leasable/leased), one being built.
	for _, pl := range []struct {
		code, status  string
		lease, leased float64
		dx0, dx1      float64
	}{{"B1", "completed", 1000, 600, 0.0005, 0.0015}, {"B2", "completed", 500, 500, 0.002, 0.003}, {"B3", "under_construction", 800, 0, 0.0035, 0.0045}} {
		rexec(t, db, `insert into plants (zone_id, code, status, floors, leasable_area_m2, leased_area_m2, total_floor_area_m2, geom)
			select 1, $1, $2, 2, $3, $4, $3, ST_Multi(ST_MakeEnvelope(ST_XMin(geom) + $5, ST_YMin(geom) + 0.001, ST_XMin(geom) + $6, ST_YMin(geom) + 0.002, 4326))
			from plots where code = 'S4'`, pl.code, pl.status, pl.lease, pl.leased, pl.dx0, pl.dx1)
	}
	return db
}

// xlsxText returns every cell of every sheet, one per line.
func xlsxText(t testing.TB, b []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sb strings.Builder
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		sb.WriteString("#sheet " + s + "\n")
		for _, r := range rows {
			sb.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return sb.String()
}

func TestReportExports(t *testing.T) {
	db := landZone(t)
	for _, kind := range inventory.ReportKinds {
		rep, err := inventory.RunReport(planner, db, params(t, kind))
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		tables := rep.Tables()
		var x bytes.Buffer
		if err := export.WriteXLSX(&x, *rep.(inventory.Headed).Header(), tables); err != nil {
			t.Fatal(err)
		}
		text := xlsxText(t, x.Bytes())
		for _, tb := range tables {
			if !strings.Contains(text, "#sheet "+tb.Name+"\n") {
				t.Errorf("%s: no sheet %s", kind, tb.Name)
			}
			for _, c := range tb.Columns {
				if c.Unit != "" && !strings.Contains(text, "("+c.Unit+")") {
					t.Errorf("%s: sheet %s lacks the unit of %s", kind, tb.Name, c.Key)
				}
			}
			var csv bytes.Buffer
			if err := export.WriteCSV(&csv, tb); err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(csv.String(), "\n"); n != len(tb.Rows)+1 {
				t.Errorf("%s %s: %d CSV lines, want %d", kind, tb.Name, n, len(tb.Rows)+1)
			}
		}
	}
}

// TestReportSaysWhenHistoryBegins: a report of a time before the zone's first version says
// when its history begins (history_from, read here from the zone's tables themselves); a report
// of a later time, or of now, does not. Another zone with a far earlier version (written with
// its own valid_from in maintenance mode) must not count.
func TestReportSaysWhenHistoryBegins(t *testing.T) {
	db := landZone(t)
	var first time.Time
	if err := db.Pool.QueryRow(context.Background(), `select least((select min(valid_from) from plots where zone_id = 1),
		(select min(valid_from) from layout where zone_id = 1))`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	rexec(t, db, `insert into zones (code, name, geom) values ('other', 'other', ST_Multi(ST_MakeEnvelope(112, 37, 112.1, 37.1, 4326)))`)
	rexec(t, db, `insert into layout (zone_id, code, kind, name, geom, valid_from)
		select id, 'X', 'station', 'x', ST_SetSRID(ST_MakePoint(112.05, 37.05), 4326), '2000-01-01Z' from zones where code = 'other'`)
	for _, c := range []struct {
		name string
		asOf []string
		want *time.Time
	}{
		{"before", []string{"as_of", first.Add(-time.Second).Format(time.RFC3339Nano)}, &first},
		{"before, after the other zone's", []string{"as_of", "2001-01-01"}, &first},
		{"at the first version", []string{"as_of", first.Format(time.RFC3339Nano)}, nil},
		{"later", []string{"as_of", first.Add(time.Hour).Format(time.RFC3339Nano)}, nil},
		{"now", nil, nil},
	} {
		rep, err := db.Supply(planner, params(t, "supply", c.asOf...))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := rep.HistoryFrom
		if (got == nil) != (c.want == nil) || (got != nil && !got.Equal(*c.want)) {
			t.Errorf("%s: history_from %v, want %v", c.name, got, c.want)
		}
	}
}
