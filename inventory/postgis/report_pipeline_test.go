package postgis_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// pipelineRow is a live project as read back from the table, for the independent computation.
type pipelineRow struct {
	code, stage, cluster                     string
	invest                                   *float64
	signed, supplied, started, inProduction  *time.Time
	due, agreedStart                         *time.Time
	plot, plant                              string
	plotAgreed, plotStarted, plotStopped     *time.Time
	plotShare, plotInvest, plotPlannedInvest *float64
}

func readPipelineRows(t *testing.T, db *postgis.DB) []pipelineRow {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), `select pr.code, pr.stage, coalesce(pr.cluster, 'none'), pr.total_investment_wan,
			pr.signed_on, pr.supplied_on, pr.started_on, pr.in_production_on, pr.next_action_due, pr.agreed_start_date,
			coalesce(pr.plot_code, ''), coalesce(pr.plant_code, ''),
			t.agreed_start_date, t.started_on, t.stopped_on, t.built_area_share::float8, t.investment_wan, t.planned_investment_wan
		from projects pr left join plots t on t.zone_id = pr.zone_id and t.code = pr.plot_code and t.valid_to = 'infinity' and not t.archived
		where pr.valid_to = 'infinity' and not pr.archived`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []pipelineRow
	for rows.Next() {
		var r pipelineRow
		if err := rows.Scan(&r.code, &r.stage, &r.cluster, &r.invest, &r.signed, &r.supplied, &r.started, &r.inProduction,
			&r.due, &r.agreedStart, &r.plot, &r.plant, &r.plotAgreed, &r.plotStarted, &r.plotStopped, &r.plotShare,
			&r.plotInvest, &r.plotPlannedInvest); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	return out
}

func median(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	sort.Float64s(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
	}
	return &m
}

func days(a, b time.Time) int { return int(math.Round(b.Sub(a).Hours() / 24)) }

// TestPipelineReportEqualsIndependentComputation: on the demo (illustrative projects in every
// stage), every figure of the pipeline report equals what Go computes from the rows read back,
// the idle-land test of supplied land included; report dates now and two years on (when more
// is overdue and supplied land turns idle).
func TestPipelineReportEqualsIndependentComputation(t *testing.T) {
	db := postgistest.NewWithDemo(t)
	ctx := inventory.WithViewer(context.Background(), inventory.Viewer{Name: "alice", Role: inventory.RolePlanner})
	rows := readPipelineRows(t, db)
	if len(rows) < 7 {
		t.Fatalf("the demo has %d projects; want one in every stage at least", len(rows))
	}
	later := time.Now().AddDate(2, 0, 0)
	for _, date := range []*time.Time{nil, &later} {
		p := inventory.DefaultReportParams(inventory.ReportPipeline)
		today := time.Now()
		if date != nil {
			// as_of in the future reads the live inventory and moves the report date.
			p.AsOf, today = date, *date
		}
		today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
		rep, err := db.Pipeline(ctx, p)
		if err != nil {
			t.Fatal(err)
		}

		// Stages and clusters.
		stageN, stageInv := map[string]int64{}, map[string]float64{}
		clusterN, clusterActive, clusterInv := map[string]map[string]int64{}, map[string]int64{}, map[string]float64{}
		var total, active float64
		for _, r := range rows {
			inv := 0.0
			if r.invest != nil {
				inv = *r.invest
			}
			stageN[r.stage]++
			stageInv[r.stage] += inv
			if clusterN[r.cluster] == nil {
				clusterN[r.cluster] = map[string]int64{}
			}
			clusterN[r.cluster][r.stage]++
			if r.stage != "dropped" {
				clusterActive[r.cluster]++
				clusterInv[r.cluster] += inv
				active += inv
			}
			total++
		}
		if rep.Projects != int64(total) || math.Abs(rep.InvestmentWan-active) > 1e-6 {
			t.Errorf("totals: %d projects, %.1f 万元; want %.0f, %.1f", rep.Projects, rep.InvestmentWan, total, active)
		}
		if len(rep.Stages) != len(inventory.ProjectStages) {
			t.Fatalf("%d stage rows", len(rep.Stages))
		}
		for i, s := range rep.Stages {
			if s.Stage != inventory.ProjectStages[i] || s.Projects != stageN[s.Stage] || math.Abs(s.InvestmentWan-stageInv[s.Stage]) > 1e-6 {
				t.Errorf("stage %+v; want %d, %.1f", s, stageN[s.Stage], stageInv[s.Stage])
			}
			if s.Projects == 0 {
				t.Errorf("the demo has no project at stage %s", s.Stage)
			}
		}
		for _, c := range rep.Clusters {
			var n int64
			for _, s := range inventory.ProjectStages {
				if c.ByStage[s] != clusterN[c.Cluster][s] {
					t.Errorf("cluster %s stage %s: %d, want %d", c.Cluster, s, c.ByStage[s], clusterN[c.Cluster][s])
				}
				n += clusterN[c.Cluster][s]
			}
			if c.Projects != n || c.Active != clusterActive[c.Cluster] || math.Abs(c.InvestmentWan-clusterInv[c.Cluster]) > 1e-6 {
				t.Errorf("cluster %+v; want %d, %d, %.1f", c, n, clusterActive[c.Cluster], clusterInv[c.Cluster])
			}
		}

		// Median days from signing.
		var toSupplied, toStarted, toProduction []float64
		for _, r := range rows {
			if r.signed == nil {
				continue
			}
			for _, x := range []struct {
				to  *time.Time
				out *[]float64
			}{{r.supplied, &toSupplied}, {r.started, &toStarted}, {r.inProduction, &toProduction}} {
				if x.to != nil {
					*x.out = append(*x.out, float64(days(*r.signed, *x.to)))
				}
			}
		}
		for i, want := range [][]float64{toSupplied, toStarted, toProduction} {
			d := rep.Durations[i]
			m := median(slices.Clone(want))
			if d.Projects != int64(len(want)) || (m == nil) != (d.Median == nil) || m != nil && math.Abs(*m-*d.Median) > 1e-9 {
				t.Errorf("duration to %s: %d projects, median %v; want %d, %v", d.To, d.Projects, d.Median, len(want), m)
			}
			if len(want) == 0 {
				t.Errorf("duration to %s: the demo has no project with both dates", d.To)
			}
		}

		// Overdue, with the legal idle test of supplied land.
		type od struct {
			reasons  []string
			days     int
			idleTest string
		}
		wantOverdue := map[string]od{}
		for _, r := range rows {
			if r.stage == "in_production" || r.stage == "dropped" {
				continue
			}
			var o od
			first := today
			if r.due != nil && r.due.Before(today) {
				o.reasons = append(o.reasons, "next_action")
				first = *r.due
			}
			if r.agreedStart != nil && r.agreedStart.Before(today) && r.stage != "started" {
				o.reasons = append(o.reasons, "start")
				if r.agreedStart.Before(first) {
					first = *r.agreedStart
				}
			}
			if len(o.reasons) == 0 {
				continue
			}
			o.days = days(first, today)
			if r.stage == "supplied" && r.plot != "" {
				year := func(d *time.Time) bool { return d != nil && !d.AddDate(1, 0, 0).After(today) }
				switch {
				case year(r.plotAgreed) && (r.plotStarted == nil || r.plotStarted.After(today)):
					o.idleTest = "not_started"
				case r.plotStarted != nil && !r.plotStarted.After(today) && year(r.plotStopped) &&
					(r.plotShare != nil && *r.plotShare < 1.0/3 || r.plotInvest != nil && r.plotPlannedInvest != nil && *r.plotInvest < 0.25**r.plotPlannedInvest):
					o.idleTest = "stopped"
				}
			}
			wantOverdue[r.code] = o
		}
		if len(rep.Overdue) != len(wantOverdue) {
			t.Errorf("as of %v: %d overdue, want %d (%v)", date, len(rep.Overdue), len(wantOverdue), wantOverdue)
		}
		for i, o := range rep.Overdue {
			w, ok := wantOverdue[o.Code]
			if !ok || !slices.Equal(o.Reasons, w.reasons) || o.DaysOverdue != w.days || o.IdleTest != w.idleTest {
				t.Errorf("overdue %s: %v, %d days, idle test %q; want %+v", o.Code, o.Reasons, o.DaysOverdue, o.IdleTest, w)
			}
			if i > 0 && rep.Overdue[i-1].DaysOverdue < o.DaysOverdue {
				t.Errorf("overdue not by days: %s before %s", rep.Overdue[i-1].Code, o.Code)
			}
		}
		if date != nil && len(rep.Overdue) == 0 {
			t.Error("two years on, no demo project is overdue")
		}

		// 项目等地: signed, no plot, no plant.
		var waiting []string
		for _, r := range rows {
			if r.stage == "signed" && r.plot == "" && r.plant == "" {
				waiting = append(waiting, r.code)
			}
		}
		var got []string
		for _, w := range rep.Waiting {
			got = append(got, w.Code)
			if w.DaysWaiting < 0 {
				t.Errorf("waiting %s: %d days", w.Code, w.DaysWaiting)
			}
		}
		sort.Strings(got)
		sort.Strings(waiting)
		if !slices.Equal(got, waiting) {
			t.Errorf("waiting projects %v, want %v", got, waiting)
		}
	}
}

// TestPipelineWaitingSitesEqualIndependentQuery: 地等项目 are the ready standard plots no live,
// not dropped project names, 厂房等项目 the completed buildings with free area; compared with
// the plots and plants read back and filtered in Go.
func TestPipelineWaitingSitesEqualIndependentQuery(t *testing.T) {
	db := postgistest.NewWithDemo(t)
	ctx := inventory.WithViewer(context.Background(), inventory.Viewer{Name: "alice", Role: inventory.RolePlanner})
	rep, err := db.Pipeline(ctx, inventory.DefaultReportParams(inventory.ReportPipeline))
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, r := range readPipelineRows(t, db) {
		if r.plot != "" && r.stage != "dropped" {
			named[r.plot] = true
		}
	}
	rows, err := db.Pool.Query(ctx, `select code, status, standard_land, area_m2 from plots where valid_to = 'infinity' and not archived`)
	if err != nil {
		t.Fatal(err)
	}
	var wantLand []string
	var wantMu float64
	for rows.Next() {
		var code, status string
		var std bool
		var area float64
		if err := rows.Scan(&code, &status, &std, &area); err != nil {
			t.Fatal(err)
		}
		if status == "ready" && std && !named[code] {
			wantLand = append(wantLand, code)
			wantMu += area * 15 / 10000
		}
	}
	rows.Close()
	var gotLand []string
	for _, p := range rep.WaitingLand {
		gotLand = append(gotLand, p.Code)
	}
	sort.Strings(wantLand)
	if len(wantLand) == 0 || !slices.Equal(gotLand, wantLand) || math.Abs(rep.WaitingLandMu-wantMu) > 1e-6 {
		t.Errorf("waiting land %v (%.3f 亩), want %v (%.3f 亩)", gotLand, rep.WaitingLandMu, wantLand, wantMu)
	}

	rows, err = db.Pool.Query(ctx, `select code, status, leasable_area_m2, leased_area_m2 from plants where valid_to = 'infinity' and not archived`)
	if err != nil {
		t.Fatal(err)
	}
	var wantPlants []string
	var wantM2 float64
	for rows.Next() {
		var code, status string
		var leasable, leased *float64
		if err := rows.Scan(&code, &status, &leasable, &leased); err != nil {
			t.Fatal(err)
		}
		if status == "completed" && leasable != nil && leased != nil && *leasable-*leased > 0 {
			wantPlants = append(wantPlants, code)
			wantM2 += *leasable - *leased
		}
	}
	rows.Close()
	var gotPlants []string
	for _, b := range rep.FreePlants {
		gotPlants = append(gotPlants, b.Code)
	}
	sort.Strings(wantPlants)
	if len(wantPlants) == 0 || !slices.Equal(gotPlants, wantPlants) || math.Abs(rep.FreePlantM2-wantM2) > 1e-6 {
		t.Errorf("waiting plants %v (%.1f m²), want %v (%.1f m²)", gotPlants, rep.FreePlantM2, wantPlants, wantM2)
	}

	// Confidential: the public and a viewer are refused.
	for _, v := range []struct {
		viewer inventory.Viewer
		kind   string
	}{{inventory.Viewer{}, inventory.EUnauthorized}, {inventory.Viewer{Name: "vic", Role: inventory.RoleViewer}, inventory.EForbidden}} {
		_, err := db.Pipeline(inventory.WithViewer(context.Background(), v.viewer), inventory.DefaultReportParams(inventory.ReportPipeline))
		var e *inventory.Error
		if !errors.As(err, &e) || e.Kind != v.kind {
			t.Errorf("viewer %+v: got %v, want %s", v.viewer, err, v.kind)
		}
	}
}
