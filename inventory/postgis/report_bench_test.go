package postgis_test

import (
	"context"
	"slices"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// syntheticZone loads 100 000 plots (a 400 × 250 grid of 0.002° squares, about 4 ha each, in
// four districts), 2 000 plants, 1 000 idle sites and 65 roads (a grid every 10 plots; every
// 7th road new), all through generate_series. Triggers are switched off for the bulk load
// (session_replication_role = replica): the data is made valid by construction.
func syntheticZone(b *testing.B) *postgis.DB {
	b.Helper()
	db := postgistest.New(b)
	ctx := context.Background()
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Release()
	for _, s := range []string{
		"set session_replication_role = replica",
		`insert into zones (code, name, geom) values ('synth', 'Synthetic zone', ST_Multi(ST_MakeEnvelope(110.99, 35.99, 112.01, 36.64, 4326)))`,
		`insert into layout (zone_id, code, kind, name, geom) values
			(1, 'SW', 'district', 'South-west', ST_MakeEnvelope(110.99, 35.99, 111.5, 36.3125, 4326)),
			(1, 'SE', 'district', 'South-east', ST_MakeEnvelope(111.5, 35.99, 112.01, 36.3125, 4326)),
			(1, 'NW', 'district', 'North-west', ST_MakeEnvelope(110.99, 36.3125, 111.5, 36.64, 4326)),
			(1, 'NE', 'district', 'North-east', ST_MakeEnvelope(111.5, 36.3125, 112.01, 36.64, 4326))`,
		`insert into plots (zone_id, code, district, land_use, cluster, status, standard_land, eval_class, supply_class, hightech_class,
			floor_area_m2, footprint_m2, investment_wan, planned_investment_wan, tax_wan_per_year, output_wan_per_year, population,
			min_investment_wan_per_mu, min_tax_wan_per_mu_year, min_far, max_far, agreed_start_date, started_on, stopped_on, built_area_share, geom)
		select 1, 'P' || i,
			case when y < 125 then (case when x < 200 then 'SW' else 'SE' end) else (case when x < 200 then 'NW' else 'NE' end) end,
			'100101',
			(array['intelligent_manufacturing','energy_saving_environmental','new_energy','new_materials','modern_services'])[1 + i % 5],
			(array['planned','ready','reserved','supplied','under_construction','in_production','idle'])[1 + i % 7],
			i % 3 = 0,
			(array['A1','A2','A2','A2','A4','A31','A51','B11','B21','B22','C1'])[1 + i % 11],
			(array['D1','D21','D21','D22','E','F'])[1 + i % 6],
			case when i % 13 = 0 then 'H1' end,
			40000 * (i % 20) / 10.0, 40000 * (i % 7) / 10.0,
			(i % 500) * 10, 5000, (i % 97), (i % 300), case when i % 11 = 0 then i % 400 end,
			300, 20, 1.0, 2.5,
			date '2020-01-01' + (i % 1500), case when i % 4 = 0 then date '2021-01-01' + (i % 900) end,
			case when i % 8 = 0 then date '2022-01-01' + (i % 700) end, (i % 10) / 10.0,
			ST_Multi(ST_MakeEnvelope(111 + x * 0.0025, 36 + y * 0.0025, 111 + x * 0.0025 + 0.002, 36 + y * 0.0025 + 0.002, 4326))
		from generate_series(0, 99999) i, lateral (select i % 400 as x, i / 400 as y) g`,
		`insert into plants (zone_id, code, plot_code, district, status, floors, leasable_area_m2, leased_area_m2, total_floor_area_m2, geom)
		select 1, 'B' || p.code, p.code, p.district, (array['completed','completed','under_construction','planned'])[1 + n % 4], 3,
			3000, (n % 4) * 700, 9000,
			ST_Multi(ST_MakeEnvelope(ST_XMin(p.geom) + 0.0005, ST_YMin(p.geom) + 0.0005, ST_XMin(p.geom) + 0.0015, ST_YMin(p.geom) + 0.0015, 4326))
		from (select code, district, geom, row_number() over (order by id) as n from plots where id % 50 = 0) p`,
		`insert into idle_sites (zone_id, code, kind, plot_code, district, stage, reclaimed_on, relet_on, geom)
		select 1, 'I' || p.code, (array['idle_land','zombie_enterprise'])[1 + n % 2], p.code, p.district,
			(array['survey','determination','notice_hearing','disposal_plan','implementation','reactivated'])[1 + n % 6],
			case when n % 3 = 0 then date '2019-01-01' + (n % 2000)::int end, case when n % 6 = 5 then date '2022-01-01' + (n % 1000)::int end, p.geom
		from (select code, district, geom, row_number() over (order by id) as n from plots where status = 'idle' and id % 10 < 3 limit 1000) p`,
		`insert into roads (zone_id, code, name, status, geom)
		select 1, 'RV' || x, 'V' || x, case when x % 7 = 3 then 'planned' else 'existing' end,
			ST_Multi(ST_MakeLine(ST_Point(111 + x * 0.025 - 0.00025, 35.999), ST_Point(111 + x * 0.025 - 0.00025, 36.626)))
		from generate_series(0, 40) x`,
		`insert into roads (zone_id, code, name, status, geom)
		select 1, 'RH' || y, 'H' || y, case when y % 7 = 3 then 'under_construction' else 'existing' end,
			ST_Multi(ST_MakeLine(ST_Point(110.999, 36 + y * 0.025 - 0.00025), ST_Point(112.001, 36 + y * 0.025 - 0.00025)))
		from generate_series(0, 25) y`,
		"set session_replication_role = origin",
		"analyze",
	} {
		if _, err := conn.Exec(ctx, s); err != nil {
			b.Fatalf("%.80s: %v", s, err)
		}
	}
	return db
}

// BenchmarkReports times every report on the synthetic 100 000-plot zone, for a planner (who
// gets every figure). The target (issue 11) is under 0.5 s each. For the reports that read
// more than the layers, the zone also gets a province (the province report), the 10 000 firms
// of BenchmarkEvaluate with one evaluation of 2025 (per-mu, reclamation) and the projects of
// setupPipelineBench (pipeline).
func BenchmarkReports(b *testing.B) {
	db := syntheticZone(b)
	setupEvalBench(b, db)
	if _, err := db.Evaluate(planner, "", 2025); err != nil {
		b.Fatal(err)
	}
	setupPipelineBench(b, db)
	var n int
	if err := db.Pool.QueryRow(context.Background(), "select count(*) from plots").Scan(&n); err != nil || n != 100000 {
		b.Fatalf("synthetic plots = %d, %v", n, err)
	}
	for _, c := range []struct{ name, kind string }{
		{"intensity", "intensity"}, {"intensity_by_district", "intensity"}, {"compliance", "compliance"},
		{"idle", "idle"}, {"supply", "supply"}, {"roads", "roads"}, {"per_mu", "per-mu"},
		{"reclamation", "reclamation"}, {"province", "province"}, {"pipeline", "pipeline"},
	} {
		kv := []string{}
		if c.name == "intensity_by_district" {
			kv = []string{"group", "district", "include", "plots"}
		}
		p := params(b, c.kind, kv...)
		if c.kind == inventory.ReportReclamation {
			checkReclamationPlots(b, db, p)
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := inventory.RunReport(planner, db, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// setupPipelineBench names the synthetic zone's province and adds 3 500 projects: 500 in each
// stage from lead to in production and 500 dropped; from signing on they carry their dates,
// from supply on a plot (P(37i mod 100 000)); every 3rd has a next action due in 2024–2026 and
// every 2nd an agreed start date, so some are overdue.
func setupPipelineBench(b *testing.B, db *postgis.DB) {
	ctx := context.Background()
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Release()
	for _, s := range []string{
		"set session_replication_role = replica",
		"update zones set province = '山西省' where code = 'synth'",
		`insert into projects (zone_id, code, name, investor_name, cluster, total_investment_wan, area_mu_min, area_mu_max, land_use,
			stage, signed_on, supplied_on, started_on, in_production_on, dropped_on, drop_reason, plot_code, next_action, next_action_due,
			agreed_start_date)
		select 1, 'PR' || i, 'Project ' || i, 'Investor ' || (i % 900),
			(array['intelligent_manufacturing','energy_saving_environmental','new_energy','new_materials','modern_services'])[1 + i % 5],
			1000 + (i % 50) * 200, 10 + i % 20, 40 + i % 60, '100101', st,
			case when k between 2 and 5 then d end, case when k between 3 and 5 then d + 30 + i % 200 end,
			case when k between 4 and 5 then d + 240 + i % 100 end, case when k = 5 then d + 500 end,
			case when k = 6 then date '2024-06-01' + i % 300 end, case when k = 6 then 'withdrew' end,
			case when k between 3 and 5 then 'P' || ((i * 37) % 100000) end,
			case when i % 3 = 0 then 'call' end, case when i % 3 = 0 then date '2024-01-01' + i % 1000 end,
			case when i % 2 = 0 then date '2023-06-01' + i % 900 end
		from generate_series(0, 3499) i, lateral (select i % 7 as k, date '2022-01-01' + (i % 700) as d) x,
			lateral (select (array['lead','negotiating','signed','supplied','started','in_production','dropped'])[1 + k] as st) y`,
		"set session_replication_role = origin",
		"analyze",
	} {
		if _, err := conn.Exec(ctx, s); err != nil {
			b.Fatalf("%.80s: %v", s, err)
		}
	}
}

// checkReclamationPlots checks the reclamation list's plots, read for every firm in one
// statement, against a lookup per firm and per plot (how the list read them before): the
// firm's live plots in code order, each with the first open idle case on it.
func checkReclamationPlots(b *testing.B, db *postgis.DB, p inventory.ReportParams) {
	ctx := context.Background()
	rep, err := db.Reclamation(planner, p)
	if err != nil {
		b.Fatal(err)
	}
	plots := 0
	for _, f := range rep.Firms {
		var want []string
		rows, err := db.Pool.Query(ctx, `select p.code || '/' || coalesce((select s.code from idle_sites s where s.zone_id = 1
				and s.plot_code = p.code and s.valid_to = 'infinity' and not s.archived and s.stage <> 'reactivated' order by s.code limit 1), '')
			from plots p where p.zone_id = 1 and p.valid_to = 'infinity' and not p.archived
			  and p.code = any(array(select jsonb_array_elements_text(plots) from enterprises
			                         where zone_id = 1 and code = $1 and valid_to = 'infinity' and not archived))
			order by p.code`, f.CreditCode)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				b.Fatal(err)
			}
			want = append(want, s)
		}
		rows.Close()
		var got []string
		for _, rp := range f.Plots {
			c := ""
			if rp.IdleCase != nil {
				c = *rp.IdleCase
			}
			got = append(got, rp.Code+"/"+c)
		}
		if !slices.Equal(got, want) {
			b.Fatalf("reclamation list, firm %s: plots %v, want %v", f.CreditCode, got, want)
		}
		plots += len(got)
	}
	if len(rep.Firms) < 100 || plots < 10*len(rep.Firms) {
		b.Fatalf("reclamation list: %d firms, %d plots; the check needs a long list", len(rep.Firms), plots)
	}
}
