package postgis

// The reports' SQL. Every report reads the versioned layers through timeClause (live, or as of
// a time), for one zone, narrowed by district codes and a cluster; every value is a bound
// parameter and the only SQL fragments built in Go are the constants in this file.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

var _ inventory.Reports = (*DB)(nil)

// reportQuery carries a report's bound arguments; $1 is always the zone's id.
type reportQuery struct {
	p      inventory.ReportParams
	zoneID int
	args   []any
}

func (q *reportQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// fresh returns the query with only the zone bound, for the report's next statement.
func (q *reportQuery) fresh() *reportQuery {
	return &reportQuery{p: q.p, zoneID: q.zoneID, args: []any{q.zoneID}}
}

// time restricts alias a's rows to the report's time.
func (q *reportQuery) time(a string) string { return timeClause(a, q.p.AsOf, &q.args) }

// plotFilter is the condition on plots (alias a) of the report: zone, time, districts, cluster.
func (q *reportQuery) plotFilter(a string) string {
	c := fmt.Sprintf("%s.zone_id = $1 and %s", a, q.time(a))
	if len(q.p.Districts) > 0 {
		c += fmt.Sprintf(" and %s.district = any(%s::text[])", a, q.arg(q.p.Districts))
	}
	if q.p.Cluster != "" {
		c += fmt.Sprintf(" and %s.cluster = %s", a, q.arg(q.p.Cluster))
	}
	return c
}

// hostCluster restricts a feature (alias a, with plot_code) to those on a plot of the cluster.
func (q *reportQuery) hostCluster(a string) string {
	if q.p.Cluster == "" {
		return "true"
	}
	return fmt.Sprintf("exists (select 1 from plots hp where hp.zone_id = $1 and hp.code = %s.plot_code and %s and hp.cluster = %s)",
		a, q.time("hp"), q.arg(q.p.Cluster))
}

// districtFilter restricts a feature with a district column (alias a).
func (q *reportQuery) districtFilter(a string) string {
	if len(q.p.Districts) == 0 {
		return "true"
	}
	return fmt.Sprintf("%s.district = any(%s::text[])", a, q.arg(q.p.Districts))
}

// expandDeg is an SQL expression for a bounding-box margin in degrees that is at least m
// metres around geometry g, for the index pre-filter of a geodesic ST_DWithin.
func expandDeg(g, m string) string {
	return fmt.Sprintf("(%s / 110000.0 / cos(radians(least(89.0, greatest(abs(ST_YMin(%s)), abs(ST_YMax(%s))) + 1.0))))", m, g, g)
}

// begin resolves the zone, checks the districts, and fills the report header.
func (db *DB) begin(ctx context.Context, p inventory.ReportParams, title string) (*reportQuery, inventory.ReportHeader, []byte, error) {
	h := inventory.ReportHeader{Report: p.Kind, Title: title, AsOf: p.AsOf, GeneratedAt: time.Now().UTC(),
		Districts: p.Districts, Cluster: p.Cluster, Confidential: inventory.ViewerFrom(ctx).SeesConfidential()}
	zone, err := db.zoneCode(ctx, p.Zone)
	if err != nil {
		return nil, h, nil, err
	}
	q := &reportQuery{p: p}
	var eval []byte
	err = db.Pool.QueryRow(ctx, "select id, code, name, illustrative, evaluation from zones where code = $1", zone).
		Scan(&q.zoneID, &h.Zone, &h.ZoneName, &h.Illustrative, &eval)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, h, nil, inventory.Errorf(inventory.ENotFound, "zone", "no zone %q", zone)
	}
	if err != nil {
		return nil, h, nil, fmt.Errorf("%s report: zone: %w", p.Kind, err)
	}
	q.args = []any{q.zoneID}
	if len(p.Districts) > 0 {
		var missing []string
		err := db.Pool.QueryRow(ctx, `select coalesce(array_agg(d order by d), '{}') from unnest($2::text[]) d
			where not exists (select 1 from layout l where l.zone_id = $1 and l.kind = 'district' and l.code = d)`,
			q.zoneID, p.Districts).Scan(&missing)
		if err != nil {
			return nil, h, nil, fmt.Errorf("%s report: check districts: %w", p.Kind, err)
		}
		if len(missing) > 0 {
			return nil, h, nil, inventory.Errorf(inventory.EInvalid, "district", "unknown district %s in zone %s", strings.Join(missing, ", "), h.Zone)
		}
	}
	return q, h, eval, nil
}

// totalSQL gives, per class total, the summed expression and the plots it sums over.
var totalSQL = map[string][2]string{
	"A":                     {"t.area_m2", "t.eval_class like 'A%'"},
	"A1":                    {"t.area_m2", "t.eval_class = 'A1'"},
	"A2":                    {"t.area_m2", "t.eval_class = 'A2'"},
	"B":                     {"t.area_m2", "t.eval_class like 'B%'"},
	"B21":                   {"t.area_m2", "t.eval_class = 'B21'"},
	"D":                     {"t.area_m2", "t.supply_class in ('D1', 'D21', 'D22')"},
	"G":                     {"t.area_m2", "t.status = 'idle'"},
	"H":                     {"t.area_m2", "t.hightech_class in ('H1', 'H2')"},
	"floor_area":            {"t.floor_area_m2", "t.eval_class like 'A%'"},
	"footprint":             {"t.footprint_m2", "t.eval_class like 'A%'"},
	"industrial_floor_area": {"t.floor_area_m2", "t.eval_class = 'A2'"},
	"industrial_footprint":  {"t.footprint_m2", "t.eval_class = 'A2'"},
	"industrial_investment": {"t.investment_wan", "t.eval_class = 'A2'"},
	"industrial_tax":        {"t.tax_wan_per_year", "t.eval_class = 'A2'"},
	"tax":                   {"t.tax_wan_per_year", "t.eval_class like 'A%'"},
	"population":            {"t.population", "t.eval_class like 'A%'"},
}

// Intensity computes the land-use intensity report.
func (db *DB) Intensity(ctx context.Context, p inventory.ReportParams) (*inventory.IntensityReport, error) {
	q, h, eval, err := db.begin(ctx, p, "开发区土地集约利用评价 Land-use intensity evaluation")
	if err != nil {
		return nil, err
	}
	sees := h.Confidential
	var stored inventory.EvalConfig
	if len(eval) > 0 {
		if err := json.Unmarshal(eval, &stored); err != nil {
			h.Notes = append(h.Notes, "zone evaluation settings are malformed and were ignored: "+err.Error())
			stored = inventory.EvalConfig{}
		}
	}
	cfg, notes := stored.Merge()
	h.Notes = append(h.Notes, notes...)
	if !sees {
		for _, d := range inventory.Indicators {
			if d.Confidential() {
				h.Withheld = append(h.Withheld, d.Key)
			}
		}
	}

	var keys []string
	for _, d := range inventory.IntensityTotals {
		if d.Confidential && !sees {
			continue
		}
		keys = append(keys, d.Key)
	}
	grp := "'zone'"
	switch p.Group {
	case inventory.GroupDistrict:
		grp = "coalesce(t.district, 'none')"
	case inventory.GroupCluster:
		grp = "coalesce(t.cluster, 'none')"
	}
	sel := []string{"grouping(g) = 1", "g", "count(*)"}
	for _, k := range keys {
		e := totalSQL[k]
		cond := fmt.Sprintf("%s and %s is not null", e[1], e[0])
		sel = append(sel, fmt.Sprintf("coalesce(sum(%s) filter (where %s), 0)::float8", e[0], cond),
			fmt.Sprintf("count(*) filter (where %s)", cond))
		if p.IncludePlots {
			// Plot codes for the land classes; a figure total sums the plots of its class (A or
			// A2) that carry the figure, and its count says how many did.
			if e[0] == "t.area_m2" {
				sel = append(sel, fmt.Sprintf("coalesce(array_agg(t.code order by t.code) filter (where %s), '{}')", cond))
			} else {
				sel = append(sel, "'{}'::text[]")
			}
		}
	}
	sets := "(), (g)"
	sql := fmt.Sprintf(`select %s from (select t.*, %s as g from plots t where %s) t group by grouping sets (%s) order by 1 desc, 2`,
		strings.Join(sel, ", "), grp, q.plotFilter("t"), sets)
	rows, err := db.Pool.Query(ctx, sql, q.args...)
	if err != nil {
		return nil, fmt.Errorf("intensity report: %w", err)
	}
	defer rows.Close()
	rep := &inventory.IntensityReport{ReportHeader: h, Group: p.Group, Config: cfg, NationalScore: inventory.NationalScore}
	for _, d := range inventory.IntensityTotals {
		if !d.Confidential || sees {
			rep.Definitions = append(rep.Definitions, d)
		}
	}
	haveTotal := false
	for rows.Next() {
		var isTotal bool
		var g *string
		s := inventory.ClassSums{Values: map[string]float64{}, Counts: map[string]int64{}, Codes: map[string][]string{}}
		dest := []any{&isTotal, &g, &s.Plots}
		vals := make([]float64, len(keys))
		counts := make([]int64, len(keys))
		codes := make([][]string, len(keys))
		for i := range keys {
			dest = append(dest, &vals[i], &counts[i])
			if p.IncludePlots {
				dest = append(dest, &codes[i])
			}
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("intensity report: %w", err)
		}
		for i, k := range keys {
			s.Values[k], s.Counts[k] = vals[i], counts[i]
			if p.IncludePlots {
				s.Codes[k] = codes[i]
			}
		}
		if isTotal {
			s.Key = "total"
			rep.Total = inventory.EvaluateIntensity(s, cfg, sees)
			haveTotal = true
		} else if g != nil && p.Group != inventory.GroupZone {
			s.Key = *g
			rep.Groups = append(rep.Groups, inventory.EvaluateIntensity(s, cfg, sees))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("intensity report: %w", err)
	}
	if !haveTotal {
		rep.Total = inventory.EvaluateIntensity(inventory.ClassSums{Key: "total"}, cfg, sees)
	}
	return rep, nil
}

// Compliance computes the standard-land compliance report.
func (db *DB) Compliance(ctx context.Context, p inventory.ReportParams) (*inventory.ComplianceReport, error) {
	q, h, _, err := db.begin(ctx, p, "标准地承诺履约 Standard-land compliance")
	if err != nil {
		return nil, err
	}
	sees := h.Confidential
	rep := &inventory.ComplianceReport{ReportHeader: h}
	for _, m := range inventory.ComplianceMeasures {
		if m.Confidential && !sees {
			rep.Withheld = append(rep.Withheld, m.Key)
			continue
		}
		rep.Measures = append(rep.Measures, m)
	}
	conf := "null::text, null::float8, null::float8, null::float8, null::float8, null::float8, null::float8"
	if sees {
		conf = `t.enterprise, t.min_investment_wan_per_mu::float8, t.investment_wan::float8,
			t.min_tax_wan_per_mu_year::float8, t.tax_wan_per_year::float8, t.min_output_wan_per_mu::float8, t.output_wan_per_year::float8`
	}
	sql := fmt.Sprintf(`select t.code, coalesce(t.name, ''), coalesce(t.district, ''), coalesce(t.cluster, ''), t.status, t.area_m2,
			t.min_far::float8, t.max_far::float8, t.floor_area_m2, %s
		from plots t
		where %s and t.standard_land and t.status in ('supplied', 'under_construction', 'in_production', 'idle')
		order by t.code`, conf, q.plotFilter("t"))
	rows, err := db.Pool.Query(ctx, sql, q.args...)
	if err != nil {
		return nil, fmt.Errorf("compliance report: %w", err)
	}
	defer rows.Close()
	perMu := func(v *float64, areaMu float64) *float64 {
		if v == nil || areaMu <= 0 {
			return nil
		}
		x := *v / areaMu
		return &x
	}
	for rows.Next() {
		var pl inventory.CompliancePlot
		var area float64
		var minFAR, maxFAR, floor *float64
		var ent *string
		var minInv, inv, minTax, tax, minOut, out *float64
		if err := rows.Scan(&pl.Code, &pl.Name, &pl.District, &pl.Cluster, &pl.Status, &area, &minFAR, &maxFAR, &floor,
			&ent, &minInv, &inv, &minTax, &tax, &minOut, &out); err != nil {
			return nil, fmt.Errorf("compliance report: %w", err)
		}
		pl.AreaMu = inventory.Mu(area)
		if ent != nil {
			pl.Enterprise = *ent
		}
		for _, m := range rep.Measures {
			c := inventory.ComplianceCheck{Measure: m.Key}
			switch m.Key {
			case "investment_intensity":
				c.Committed, c.Actual = minInv, perMu(inv, pl.AreaMu)
			case "tax_per_mu":
				c.Committed, c.Actual = minTax, perMu(tax, pl.AreaMu)
			case "output_per_mu":
				c.Committed, c.Actual = minOut, perMu(out, pl.AreaMu)
			case "far":
				c.Committed, c.CommittedMax = minFAR, maxFAR
				if floor != nil && area > 0 {
					x := *floor / area
					c.Actual = &x
				}
			}
			pl.Checks = append(pl.Checks, c)
		}
		rep.Plots = append(rep.Plots, pl)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("compliance report: %w", err)
	}
	if rep.Plots == nil {
		rep.Plots = []inventory.CompliancePlot{}
	}
	rep.Finish()
	return rep, nil
}

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
		rep.Stages = append(rep.Stages, inventory.IdleStageRow{Stage: st, Label: inventory.IdleStageLabels[st]})
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
			x.Sites, x.IdleLnd, x.Zombie, x.AreaM2, x.AreaMu = r.Sites, r.IdleLnd, r.Zombie, r.AreaM2, inventory.Mu(r.AreaM2)
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
		y.ReclaimedMu, y.ReletMu = inventory.Mu(rec), inventory.Mu(rel)
		rep.Years = append(rep.Years, y)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("idle report: years: %w", err)
	}

	// The legal idle test (闲置土地处置办法 art. 2) on the report date.
	q = q.fresh()
	date := q.arg(p.Date())
	invest := "false"
	rep.CandidateRule = "supplied or building plot (status supplied, under_construction or in_production), not flagged " +
		"(status not idle, no idle site names it), and on the report date either (not_started) the agreed start date is " +
		"at least one year past and work has not started, or (stopped) work started, stopped at least one year ago, and " +
		"the built share of what was due is below 1/3"
	if h.Confidential {
		invest = "t.investment_wan < 0.25 * t.planned_investment_wan"
		rep.CandidateRule += " or investment is below 25% of the planned total"
	} else {
		rep.Withheld = append(rep.Withheld, "idle test on investment below 25% of the planned total (confidential)")
	}
	rows, err = db.Pool.Query(ctx, fmt.Sprintf(`select t.code, coalesce(t.name, ''), coalesce(t.district, ''), coalesce(t.cluster, ''),
			t.status, t.area_m2, t.agreed_start_date::text, t.started_on::text, t.stopped_on::text,
			case when t.started_on is null or t.started_on > %[1]s::date then 'not_started' else 'stopped' end,
			case when t.started_on is null or t.started_on > %[1]s::date then %[1]s::date - t.agreed_start_date
			     else %[1]s::date - t.stopped_on end,
			coalesce(t.built_area_share::float8, -1)
		from plots t
		where %[2]s and t.status in ('supplied', 'under_construction', 'in_production')
		  and not exists (select 1 from idle_sites s where s.zone_id = $1 and s.plot_code = t.code and %[3]s)
		  and ((t.agreed_start_date is not null and t.agreed_start_date + interval '1 year' <= %[1]s::date
		        and (t.started_on is null or t.started_on > %[1]s::date))
		    or (t.started_on <= %[1]s::date and t.stopped_on is not null and t.stopped_on + interval '1 year' <= %[1]s::date
		        and (t.built_area_share < 1.0/3 or %[4]s)))
		order by t.code`, date, q.plotFilter("t"), q.time("s"), invest), q.args...)
	if err != nil {
		return nil, fmt.Errorf("idle report: candidates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c inventory.IdleCandidate
		var area, share float64
		if err := rows.Scan(&c.Code, &c.Name, &c.District, &c.Cluster, &c.Status, &area, &c.AgreedStartDate, &c.StartedOn, &c.StoppedOn,
			&c.Test, &c.DaysIdle, &share); err != nil {
			return nil, fmt.Errorf("idle report: candidates: %w", err)
		}
		c.AreaMu = inventory.Mu(area)
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

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Supply computes the supply report.
func (db *DB) Supply(ctx context.Context, p inventory.ReportParams) (*inventory.SupplyReport, error) {
	q, h, _, err := db.begin(ctx, p, "地等项目与厂房等项目 Land and plants ready for investors")
	if err != nil {
		return nil, err
	}
	rep := &inventory.SupplyReport{ReportHeader: h, ReadyByDistrict: []inventory.SupplyRow{}, ReadyByCluster: []inventory.SupplyRow{},
		ReadyPlots: []inventory.ReadyPlot{}, PlantsByDistrict: []inventory.PlantSpace{}}
	rep.Ready.Key = "total"
	ready := q.plotFilter("t") + " and t.standard_land and t.status = 'ready'"
	rows, err := db.Pool.Query(ctx, fmt.Sprintf(`select t.code, coalesce(t.name, ''), coalesce(t.district, ''), coalesce(t.cluster, ''),
			t.land_use, t.area_m2, t.min_investment_wan_per_mu::float8, t.min_tax_wan_per_mu_year::float8, t.min_far::float8, t.max_far::float8
		from plots t where %s order by t.code`, ready), q.args...)
	if err != nil {
		return nil, fmt.Errorf("supply report: %w", err)
	}
	byD, byC := map[string]*inventory.SupplyRow{}, map[string]*inventory.SupplyRow{}
	var dk, ck []string
	add := func(m map[string]*inventory.SupplyRow, keys *[]string, k string, mu float64) {
		if k == "" {
			k = "none"
		}
		r, ok := m[k]
		if !ok {
			r = &inventory.SupplyRow{Key: k}
			m[k] = r
			*keys = append(*keys, k)
		}
		r.Plots++
		r.AreaMu += mu
	}
	for rows.Next() {
		var r inventory.ReadyPlot
		var area float64
		if err := rows.Scan(&r.Code, &r.Name, &r.District, &r.Cluster, &r.LandUse, &area, &r.MinInvestmentWanPerMu, &r.MinTaxWanPerMuYear, &r.MinFAR, &r.MaxFAR); err != nil {
			rows.Close()
			return nil, fmt.Errorf("supply report: %w", err)
		}
		r.AreaMu = inventory.Mu(area)
		rep.ReadyPlots = append(rep.ReadyPlots, r)
		rep.Ready.Plots++
		rep.Ready.AreaMu += r.AreaMu
		add(byD, &dk, r.District, r.AreaMu)
		add(byC, &ck, r.Cluster, r.AreaMu)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("supply report: %w", err)
	}
	sort.Strings(dk)
	sort.Strings(ck)
	for _, k := range dk {
		rep.ReadyByDistrict = append(rep.ReadyByDistrict, *byD[k])
	}
	for _, k := range ck {
		rep.ReadyByCluster = append(rep.ReadyByCluster, *byC[k])
	}

	q = q.fresh()
	plantWhere := fmt.Sprintf("s.zone_id = $1 and %s and %s and %s", q.time("s"), q.districtFilter("s"), q.hostCluster("s"))
	rows, err = db.Pool.Query(ctx, fmt.Sprintf(`select grouping(d) = 1, d, s.completed, count(*),
			coalesce(sum(s.total_floor_area_m2), 0), sum(s.leasable_area_m2), sum(s.leased_area_m2), sum(s.free_area_m2)
		from (select s.*, coalesce(s.district, 'none') as d, s.status = 'completed' as completed from plants s where %s) s
		group by grouping sets ((completed), (completed, d)) order by 1 desc, 2`, plantWhere), q.args...)
	if err != nil {
		return nil, fmt.Errorf("supply report: plants: %w", err)
	}
	defer rows.Close()
	rep.Plants.Key, rep.Pipeline.Key = "total", "pipeline"
	for rows.Next() {
		var total, completed bool
		var d *string
		var x inventory.PlantSpace
		if err := rows.Scan(&total, &d, &completed, &x.Plants, &x.FloorM2, &x.LeasableM2, &x.LeasedM2, &x.FreeM2); err != nil {
			return nil, fmt.Errorf("supply report: plants: %w", err)
		}
		x.VacancyPct = inventory.Ratio(&x.FreeM2, &x.LeasableM2, 100)
		switch {
		case total && completed:
			x.Key = "total"
			rep.Plants = x
		case total:
			x.Key = "pipeline"
			rep.Pipeline = x
		case completed && d != nil:
			x.Key = *d
			rep.PlantsByDistrict = append(rep.PlantsByDistrict, x)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("supply report: plants: %w", err)
	}
	return rep, nil
}
