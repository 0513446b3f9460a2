package postgis

import (
	"context"
	"fmt"
	"slices"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
)

// Pipeline computes the pipeline report (inventory.PipelineReport) for viewers who may see
// confidential figures (inventory.CanSeePipeline). Projects are read as the report's time
// (live or as_of), narrowed by cluster; every figure is aggregated in PostGIS.
func (db *DB) Pipeline(ctx context.Context, p inventory.ReportParams) (*inventory.PipelineReport, error) {
	if err := inventory.CanSeePipeline(inventory.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	q, h, _, err := db.begin(ctx, p, "招商项目推进情况 Investment project pipeline")
	if err != nil {
		return nil, err
	}
	rep := &inventory.PipelineReport{ReportHeader: h, Stages: []inventory.PipelineStageRow{}, Clusters: []inventory.PipelineClusterRow{},
		Overdue: []inventory.PipelineOverdue{}, Waiting: []inventory.PipelineWaiting{}, WaitingLand: []inventory.ReadyPlot{},
		FreePlants: []inventory.PipelineFreePlant{}}
	if err := db.pipelineCounts(ctx, q, rep); err != nil {
		return nil, err
	}
	if err := db.pipelineDurations(ctx, q.fresh(), rep); err != nil {
		return nil, err
	}
	if err := db.pipelineOverdue(ctx, q.fresh(), rep); err != nil {
		return nil, err
	}
	if err := db.pipelineWaiting(ctx, q.fresh(), rep); err != nil {
		return nil, err
	}
	if err := db.pipelineWaitingSites(ctx, q.fresh(), rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// projectFilter is the condition on projects (alias a) of the report: zone, time, cluster.
func (q *reportQuery) projectFilter(a string) string {
	c := fmt.Sprintf("%s.zone_id = $1 and %s", a, q.time(a))
	if q.p.Cluster != "" {
		c += fmt.Sprintf(" and %s.cluster = %s", a, q.arg(q.p.Cluster))
	}
	return c
}

// pipelineProjectSQL selects a project's PipelineProject fields (alias pr; the investor: its
// name, else the name of the enterprise on record at the report's time, else its credit code);
// scan them with pipelineProjectDest.
func (q *reportQuery) pipelineProjectSQL() string {
	return fmt.Sprintf(`pr.code, pr.name, pr.stage, coalesce(pr.cluster, ''),
	coalesce(nullif(btrim(pr.investor_name), ''), (select e.name from enterprises e where e.zone_id = pr.zone_id
		and e.code = pr.investor_code and %s limit 1), pr.investor_code, ''),
	coalesce(pr.leader, ''), coalesce(pr.officer, ''), pr.total_investment_wan`, q.time("e"))
}

func pipelineProjectDest(p *inventory.PipelineProject) []any {
	return []any{&p.Code, &p.Name, &p.Stage, &p.Cluster, &p.Investor, &p.Leader, &p.Officer, &p.InvestmentWan}
}

// pipelineCounts fills the stages, the clusters and the totals from one grouped count.
func (db *DB) pipelineCounts(ctx context.Context, q *reportQuery, rep *inventory.PipelineReport) error {
	rows, err := db.Pool.Query(ctx, fmt.Sprintf(`select pr.stage, coalesce(pr.cluster, 'none'), count(*), coalesce(sum(pr.total_investment_wan), 0)
		from projects pr where %s group by 1, 2`, q.projectFilter("pr")), q.args...)
	if err != nil {
		return fmt.Errorf("pipeline report: counts: %w", err)
	}
	stages := map[string]*inventory.PipelineStageRow{}
	for _, s := range inventory.ProjectStages {
		l := inventory.ProjectStageLabels[s]
		stages[s] = &inventory.PipelineStageRow{Stage: s, Label: l.Label, LabelEN: l.LabelEN}
	}
	clusterNames := slices.Concat(inventory.Clusters, []string{"none"})
	clusters := map[string]*inventory.PipelineClusterRow{}
	for _, c := range clusterNames {
		r := &inventory.PipelineClusterRow{Cluster: c, ByStage: map[string]int64{}}
		for _, s := range inventory.ProjectStages {
			r.ByStage[s] = 0
		}
		clusters[c] = r
	}
	defer rows.Close()
	for rows.Next() {
		var stage, cluster string
		var n int64
		var invest float64
		if err := rows.Scan(&stage, &cluster, &n, &invest); err != nil {
			return fmt.Errorf("pipeline report: counts: %w", err)
		}
		st, c := stages[stage], clusters[cluster]
		if st == nil || c == nil {
			return fmt.Errorf("pipeline report: counts: unknown stage %q or cluster %q", stage, cluster)
		}
		st.Projects += n
		st.InvestmentWan += invest
		c.ByStage[stage] += n
		c.Projects += n
		if stage != "dropped" {
			c.Active += n
			c.InvestmentWan += invest
			rep.InvestmentWan += invest
		}
		rep.Projects += n
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("pipeline report: counts: %w", err)
	}
	for _, s := range inventory.ProjectStages {
		rep.Stages = append(rep.Stages, *stages[s])
	}
	for _, c := range clusterNames {
		rep.Clusters = append(rep.Clusters, *clusters[c])
	}
	return nil
}

// pipelineDurations fills the median days from signing to land supplied, to the start of
// construction and to production (percentile_cont, over the projects having both dates).
func (db *DB) pipelineDurations(ctx context.Context, q *reportQuery, rep *inventory.PipelineReport) error {
	rep.Durations = []inventory.PipelineDuration{
		{To: "supplied_on", Label: "供地/租赁", LabelEN: "Land supplied or plant leased"},
		{To: "started_on", Label: "开工", LabelEN: "Construction started"},
		{To: "in_production_on", Label: "投产", LabelEN: "In production"},
	}
	d := &rep.Durations
	err := db.Pool.QueryRow(ctx, fmt.Sprintf(`select
			count(pr.supplied_on - pr.signed_on), percentile_cont(0.5) within group (order by pr.supplied_on - pr.signed_on),
			count(pr.started_on - pr.signed_on), percentile_cont(0.5) within group (order by pr.started_on - pr.signed_on),
			count(pr.in_production_on - pr.signed_on), percentile_cont(0.5) within group (order by pr.in_production_on - pr.signed_on)
		from projects pr where %s`, q.projectFilter("pr")), q.args...).
		Scan(&(*d)[0].Projects, &(*d)[0].Median, &(*d)[1].Projects, &(*d)[1].Median, &(*d)[2].Projects, &(*d)[2].Median)
	if err != nil {
		return fmt.Errorf("pipeline report: durations: %w", err)
	}
	return nil
}

// pipelineOverdue lists the overdue projects (inventory.PipelineOverdue), the plot of those
// whose land is supplied under the idle report's legal test (idleNotStartedSQL, idleStoppedSQL).
func (db *DB) pipelineOverdue(ctx context.Context, q *reportQuery, rep *inventory.PipelineReport) error {
	date := q.arg(q.p.Date())
	rep.OverdueRule = "live projects neither in production nor dropped whose next action is past due (next_action_due before " +
		"the report date) or whose agreed start date has passed before construction started (stage lead to supplied); " +
		"for land supplied (stage supplied, with a plot), the plot under the legal idle-land test of the idle report " +
		"(闲置土地处置办法 art. 2): not_started, stopped, or empty when not idle (yet); idle_from is the plot's agreed start date + 1 year"
	rows, err := db.Pool.Query(ctx, fmt.Sprintf(`select `+q.pipelineProjectSQL()+`, coalesce(pr.next_action, ''),
			pr.next_action_due::text, pr.agreed_start_date::text, o.late_action, o.late_start,
			%[1]s::date - least(case when o.late_action then pr.next_action_due end, case when o.late_start then pr.agreed_start_date end),
			coalesce(pr.plot_code, ''),
			case when pr.stage = 'supplied' and t.code is not null then
				case when %[4]s then 'not_started' when %[5]s then 'stopped' else '' end else '' end,
			case when pr.stage = 'supplied' and t.code is not null then (t.agreed_start_date + interval '1 year')::date::text end
		from projects pr
		cross join lateral (select coalesce(pr.next_action_due < %[1]s::date, false) as late_action,
			coalesce(pr.agreed_start_date < %[1]s::date and pr.stage in ('lead', 'negotiating', 'signed', 'supplied'), false) as late_start) o
		left join plots t on t.zone_id = pr.zone_id and t.code = pr.plot_code and %[3]s
		where %[2]s and pr.stage not in ('in_production', 'dropped') and (o.late_action or o.late_start)
		order by 14 desc, pr.code`, date, q.projectFilter("pr"), q.time("t"),
		idleNotStartedSQL("t", date), idleStoppedSQL("t", date, true)), q.args...)
	if err != nil {
		return fmt.Errorf("pipeline report: overdue: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o inventory.PipelineOverdue
		var action, start bool
		if err := rows.Scan(append(pipelineProjectDest(&o.PipelineProject), &o.NextAction, &o.NextActionDue, &o.AgreedStartDate,
			&action, &start, &o.DaysOverdue, &o.PlotCode, &o.IdleTest, &o.IdleFrom)...); err != nil {
			return fmt.Errorf("pipeline report: overdue: %w", err)
		}
		o.Reasons = []string{}
		if action {
			o.Reasons = append(o.Reasons, "next_action")
		}
		if start {
			o.Reasons = append(o.Reasons, "start")
		}
		rep.Overdue = append(rep.Overdue, o)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("pipeline report: overdue: %w", err)
	}
	return nil
}

// pipelineWaiting lists the signed projects with no plot and no plant (项目等地), longest
// waiting first.
func (db *DB) pipelineWaiting(ctx context.Context, q *reportQuery, rep *inventory.PipelineReport) error {
	date := q.arg(q.p.Date())
	rows, err := db.Pool.Query(ctx, fmt.Sprintf(`select `+q.pipelineProjectSQL()+`, pr.signed_on::text, %[1]s::date - pr.signed_on,
			pr.area_mu_min, pr.area_mu_max, coalesce(pr.land_use, ''), pr.plant_area_m2
		from projects pr
		where %[2]s and pr.stage = 'signed' and pr.plot_code is null and pr.plant_code is null
		order by 10 desc, pr.code`, date, q.projectFilter("pr")), q.args...)
	if err != nil {
		return fmt.Errorf("pipeline report: waiting projects: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var w inventory.PipelineWaiting
		if err := rows.Scan(append(pipelineProjectDest(&w.PipelineProject), &w.SignedOn, &w.DaysWaiting,
			&w.AreaMuMin, &w.AreaMuMax, &w.LandUse, &w.PlantAreaM2)...); err != nil {
			return fmt.Errorf("pipeline report: waiting projects: %w", err)
		}
		rep.Waiting = append(rep.Waiting, w)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("pipeline report: waiting projects: %w", err)
	}
	return nil
}

// pipelineWaitingSites lists the ready standard land no live project (not dropped) names
// (地等项目) and the completed buildings with free space (厂房等项目).
func (db *DB) pipelineWaitingSites(ctx context.Context, q *reportQuery, rep *inventory.PipelineReport) error {
	rows, err := db.Pool.Query(ctx, fmt.Sprintf(`select t.code, coalesce(t.name, ''), coalesce(t.district, ''), coalesce(t.cluster, ''),
			t.land_use, t.area_m2, t.min_investment_wan_per_mu::float8, t.min_tax_wan_per_mu_year::float8, t.min_far::float8, t.max_far::float8
		from plots t
		where %s and t.standard_land and t.status = 'ready'
		  and not exists (select 1 from projects pr where pr.zone_id = t.zone_id and pr.plot_code = t.code and %s and pr.stage <> 'dropped')
		order by t.code`, q.plotFilter("t"), q.time("pr")), q.args...)
	if err != nil {
		return fmt.Errorf("pipeline report: waiting land: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r inventory.ReadyPlot
		var area float64
		if err := rows.Scan(&r.Code, &r.Name, &r.District, &r.Cluster, &r.LandUse, &area, &r.MinInvestmentWanPerMu, &r.MinTaxWanPerMuYear, &r.MinFAR, &r.MaxFAR); err != nil {
			return fmt.Errorf("pipeline report: waiting land: %w", err)
		}
		r.AreaMu = geo.MuFromSquareMetres(area)
		rep.WaitingLand = append(rep.WaitingLand, r)
		rep.WaitingLandMu += r.AreaMu
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("pipeline report: waiting land: %w", err)
	}
	rows.Close()

	q = q.fresh()
	rows, err = db.Pool.Query(ctx, fmt.Sprintf(`select s.code, coalesce(s.name, ''), coalesce(s.district, ''), coalesce(s.plot_code, ''), s.free_area_m2
		from plants s where s.zone_id = $1 and %s and s.status = 'completed' and s.free_area_m2 > 0
		order by s.code`, q.time("s")), q.args...)
	if err != nil {
		return fmt.Errorf("pipeline report: waiting plants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b inventory.PipelineFreePlant
		if err := rows.Scan(&b.Code, &b.Name, &b.District, &b.PlotCode, &b.FreeM2); err != nil {
			return fmt.Errorf("pipeline report: waiting plants: %w", err)
		}
		rep.FreePlants = append(rep.FreePlants, b)
		rep.FreePlantM2 += b.FreeM2
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("pipeline report: waiting plants: %w", err)
	}
	return nil
}
