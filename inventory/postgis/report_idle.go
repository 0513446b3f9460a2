package postgis

import (
	"context"
	"fmt"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
)

// Idle computes the idle and zombie land report.
func (db *DB) Idle(ctx context.Context, p inventory.ReportParams) (*inventory.IdleReport, error) {
	q, h, _, err := db.begin(ctx, p, "闲置土地与僵尸企业用地处置 Idle and zombie land")
	if err != nil {
		return nil, err
	}
	rep := &inventory.IdleReport{ReportHeader: h, Years: []inventory.IdleYearRow{}, Candidates: []inventory.IdleCandidate{}}
	sq := q.fresh()
	siteWhere := fmt.Sprintf("s.zone_id = $1 and %s and %s and %s", sq.time("s"), sq.districtFilter("s"), sq.hostCluster("s"))
	stages := map[string]*inventory.IdleStageRow{}
	for _, st := range inventory.IdleStages {
		rep.Stages = append(rep.Stages, inventory.IdleStageRow{Stage: st, Label: inventory.EnumLabels(inventory.IdleSiteLayer.Name, "stage")[st].Label})
	}
	for i := range rep.Stages {
		stages[rep.Stages[i].Stage] = &rep.Stages[i]
	}
	rows, err := db.Pool.Query(ctx, fmt.Sprintf(`select s.stage, count(*), count(*) filter (where s.kind = 'idle_land'),
		count(*) filter (where s.kind = 'zombie_enterprise'), sum(s.area_m2)
		from idle_sites s where %s group by s.stage`, siteWhere), sq.args...)
	if err != nil {
		return nil, fmt.Errorf("idle report: stages: %w", err)
	}
	for rows.Next() {
		var st string
		var r inventory.IdleStageRow
		if err := rows.Scan(&st, &r.Sites, &r.IdleLnd, &r.Zombie, &r.AreaM2); err != nil {
			rows.Close()
			return nil, fmt.Errorf("idle report: stages: %w", err)
		}
		if x, ok := stages[st]; ok {
			x.Sites, x.IdleLnd, x.Zombie, x.AreaM2, x.AreaMu = r.Sites, r.IdleLnd, r.Zombie, r.AreaM2, geo.MuFromSquareMetres(r.AreaM2)
			rep.Sites += r.Sites
			rep.AreaMu += x.AreaMu
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("idle report: stages: %w", err)
	}

	rows, err = db.Pool.Query(ctx, fmt.Sprintf(`with s as (select s.* from idle_sites s where %s),
		y as (select extract(year from reclaimed_on)::int as y from s where reclaimed_on is not null
		      union select extract(year from relet_on)::int from s where relet_on is not null)
		select y.y,
			(select count(*) from s where extract(year from reclaimed_on) = y.y),
			(select coalesce(sum(area_m2), 0) from s where extract(year from reclaimed_on) = y.y),
			(select count(*) from s where extract(year from relet_on) = y.y),
			(select coalesce(sum(area_m2), 0) from s where extract(year from relet_on) = y.y)
		from y order by y.y`, siteWhere), sq.args...)
	if err != nil {
		return nil, fmt.Errorf("idle report: years: %w", err)
	}
	for rows.Next() {
		var y inventory.IdleYearRow
		var rec, rel float64
		if err := rows.Scan(&y.Year, &y.Reclaimed, &rec, &y.Relet, &rel); err != nil {
			rows.Close()
			return nil, fmt.Errorf("idle report: years: %w", err)
		}
		y.ReclaimedMu, y.ReletMu = geo.MuFromSquareMetres(rec), geo.MuFromSquareMetres(rel)
		rep.Years = append(rep.Years, y)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("idle report: years: %w", err)
	}

	// The legal idle test (闲置土地处置办法 art. 2) on the report date.
	q = q.fresh()
	date := q.arg(p.Date())
	seesInvest := h.Confidential
	rep.CandidateRule = "supplied or building plot (status supplied, under_construction or in_production), not flagged " +
		"(status not idle, no idle site names it), and on the report date either (not_started) the agreed start date is " +
		"at least one year past and work has not started, or (stopped) work started, stopped at least one year ago, and " +
		"the built share of what was due is below 1/3"
	if seesInvest {
		rep.CandidateRule += " or investment is below 25% of the planned total"
	} else {
		rep.Withheld = append(rep.Withheld, "idle test on investment below 25% of the planned total (confidential)")
	}
	rows, err = db.Pool.Query(ctx, fmt.Sprintf(`select `+reportPlotSQL+`, t.agreed_start_date::text, t.started_on::text, t.stopped_on::text,
			case when t.started_on is null or t.started_on > %[1]s::date then 'not_started' else 'stopped' end,
			case when t.started_on is null or t.started_on > %[1]s::date then %[1]s::date - t.agreed_start_date
			     else %[1]s::date - t.stopped_on end,
			coalesce(t.built_area_share::float8, -1)
		from plots t
		where %[2]s and t.status in ('supplied', 'under_construction', 'in_production')
		  and not exists (select 1 from idle_sites s where s.zone_id = $1 and s.plot_code = t.code and %[3]s)
		  and (%[4]s or %[5]s)
		order by t.code`, date, q.plotFilter("t"), q.time("s"), idleNotStartedSQL("t", date), idleStoppedSQL("t", date, seesInvest)), q.args...)
	if err != nil {
		return nil, fmt.Errorf("idle report: candidates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c inventory.IdleCandidate
		var area, share float64
		if err := rows.Scan(append(reportPlotDest(&c.ReportPlot, &area), &c.AgreedStartDate, &c.StartedOn, &c.StoppedOn,
			&c.Test, &c.DaysIdle, &share)...); err != nil {
			return nil, fmt.Errorf("idle report: candidates: %w", err)
		}
		c.AreaMu = geo.MuFromSquareMetres(area)
		if c.Test == "not_started" {
			c.Reason = fmt.Sprintf("not started %d days after the agreed start date %s (a full year is 365)", c.DaysIdle, deref(c.AgreedStartDate))
		} else {
			c.Reason = fmt.Sprintf("stopped since %s (%d days)", deref(c.StoppedOn), c.DaysIdle)
			if share >= 0 && share < 1.0/3 {
				c.Reason += fmt.Sprintf(", built share %.0f%% < 1/3", share*100)
			} else {
				c.Reason += ", investment < 25% of the planned total"
			}
		}
		rep.Candidates = append(rep.Candidates, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("idle report: candidates: %w", err)
	}
	return rep, nil
}

// idleNotStartedSQL and idleStoppedSQL are the legal idle-land test (闲置土地处置办法 art. 2)
// on plot t at the date expression date, the one definition the idle report and the pipeline
// report share: not started one full year after the agreed start date; or started, stopped for
// a full year, with the built share of what was due below 1/3 or (only when seesInvest: the
// investment is confidential) investment below 25% of the planned total.
func idleNotStartedSQL(t, date string) string {
	return fmt.Sprintf(`(%[1]s.agreed_start_date is not null and %[1]s.agreed_start_date + interval '1 year' <= %[2]s::date
		        and (%[1]s.started_on is null or %[1]s.started_on > %[2]s::date))`, t, date)
}

func idleStoppedSQL(t, date string, seesInvest bool) string {
	invest := "false"
	if seesInvest {
		invest = fmt.Sprintf("%[1]s.investment_wan < 0.25 * %[1]s.planned_investment_wan", t)
	}
	return fmt.Sprintf(`(%[1]s.started_on <= %[2]s::date and %[1]s.stopped_on is not null and %[1]s.stopped_on + interval '1 year' <= %[2]s::date
		        and (%[1]s.built_area_share < 1.0/3 or %[3]s))`, t, date, invest)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
