package postgis

// The per-mu evaluation report and the reclamation list (inventory/report_permu.go): the
// year's stored evaluation (its latest run, or the latest computed by as_of), narrowed to the
// report's districts and cluster; the reclamation list adds the plots each firm holds now (area
// in 亩) and any idle-land case open on them.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
)

// perMuRuns reads the report year's run (p.Year, else the latest year evaluated; none then: nil
// and no error) and the runs of the n years before it (nil where there is none), each narrowed
// to p's districts and cluster.
func (db *DB) perMuRuns(ctx context.Context, q *reportQuery, zone string, n int) (*inventory.Evaluation, []*inventory.Evaluation, error) {
	var ev *inventory.Evaluation
	var before []*inventory.Evaluation
	err := pgx.BeginTxFunc(ctx, db.Pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		year := q.p.Year
		if year == 0 {
			if err := tx.QueryRow(ctx, `select coalesce(max(year), 0) from evaluation_runs where zone_id = $1
				and ($2::timestamptz is null or computed_at <= $2)`, q.zoneID, q.p.AsOf).Scan(&year); err != nil {
				return err
			}
			if year == 0 {
				return nil // no evaluation (as of then): an empty report
			}
		}
		var err error
		if ev, err = runAt(ctx, tx, q.zoneID, zone, year, q.p.AsOf); err != nil {
			return err
		}
		if ev == nil {
			return inventory.Errorf(inventory.ENotFound, "year", "no per-mu evaluation of %d in zone %s", year, zone)
		}
		for i := 1; i <= n; i++ {
			e, err := runAt(ctx, tx, q.zoneID, zone, year-i, q.p.AsOf)
			if err != nil {
				return err
			}
			before = append(before, e)
		}
		return nil
	})
	if err != nil || ev == nil {
		return nil, nil, err
	}
	for _, e := range append([]*inventory.Evaluation{ev}, before...) {
		if e == nil {
			continue
		}
		kept := e.Results[:0]
		for _, r := range e.Results {
			if (len(q.p.Districts) == 0 || slices.Contains(q.p.Districts, r.District)) && (q.p.Cluster == "" || r.Cluster == q.p.Cluster) {
				kept = append(kept, r)
			}
		}
		e.Results = kept
	}
	return ev, before, nil
}

const noEvaluation = "no per-mu evaluation in this zone yet (as of the report's time): compute one with POST /api/v1/evaluations/{year}"

// PerMu computes the per-mu evaluation report (亩均效益评价报告).
func (db *DB) PerMu(ctx context.Context, p inventory.ReportParams) (*inventory.PerMuReport, error) {
	q, h, eval, err := db.begin(ctx, p, "亩均效益评价 Per-mu benefit evaluation")
	if err != nil {
		return nil, err
	}
	// The zone's disclosure rule, as the intensity report reads it.
	var stored inventory.EvalConfig
	if len(eval) > 0 {
		if err := json.Unmarshal(eval, &stored); err != nil {
			h.Notes = append(h.Notes, "zone evaluation settings are malformed and were ignored: "+err.Error())
			stored = inventory.EvalConfig{}
		}
	}
	cfg, notes := stored.Merge()
	for _, n := range notes {
		if strings.HasPrefix(n, "zone evaluation disclosure") {
			h.Notes = append(h.Notes, n)
		}
	}
	ev, before, err := db.perMuRuns(ctx, q, h.Zone, 1)
	if err != nil {
		return nil, fmt.Errorf("per-mu report: %w", err)
	}
	if ev == nil {
		h.Notes = append(h.Notes, noEvaluation)
		return &inventory.PerMuReport{ReportHeader: h, ByCluster: []inventory.GradeCount{}, ByDistrict: []inventory.GradeCount{},
			LandByGrade: map[string]any{}, Changes: []inventory.GradeChange{}, Firms: []inventory.EvaluationResult{}}, nil
	}
	return inventory.BuildPerMuReport(h, ev, before[0], cfg.Rule(), h.Confidential), nil
}

// Reclamation computes the reclamation list (腾笼换鸟名单): confidential, so the public gets an
// empty list that says it was withheld.
func (db *DB) Reclamation(ctx context.Context, p inventory.ReportParams) (*inventory.ReclamationReport, error) {
	q, h, _, err := db.begin(ctx, p, "腾笼换鸟名单 Reclamation list")
	if err != nil {
		return nil, err
	}
	out := &inventory.ReclamationReport{ReportHeader: h, Firms: []inventory.ReclamationFirm{}}
	if !h.Confidential {
		out.Withheld = []string{"the reclamation list: firms and their grades are confidential"}
		return out, nil
	}
	// The scheme of the year's run says how many years of C count; read the run first.
	ev, _, err := db.perMuRuns(ctx, q, h.Zone, 0)
	if err != nil {
		return nil, fmt.Errorf("reclamation list: %w", err)
	}
	if ev == nil {
		out.Notes = append(out.Notes, noEvaluation)
		return out, nil
	}
	n := max(ev.Scheme.ReclaimCYears-1, 0)
	q.p.Year = ev.Year
	ev, before, err := db.perMuRuns(ctx, q, h.Zone, n)
	if err != nil {
		return nil, fmt.Errorf("reclamation list: %w", err)
	}
	earlier := make([]map[string]string, len(before))
	for i, e := range before {
		earlier[i] = map[string]string{}
		if e == nil {
			continue
		}
		for _, r := range e.Results {
			if r.Grade != nil {
				earlier[i][r.CreditCode] = *r.Grade
			}
		}
	}
	out.Year, out.State = ev.Year, ev.State
	out.Rule = fmt.Sprintf("grade D, or grade C %d years running (scheme: reclaim_c_years)", ev.Scheme.ReclaimCYears)
	out.Firms = inventory.ReclamationList(ev, earlier)
	// The plots a listed firm holds now: the evaluation weighed its land at the year's end, but
	// an idle-land case is opened on a plot it still holds (openIdleCase checks the same).
	codes := make([]string, len(out.Firms))
	for i, f := range out.Firms {
		codes[i] = f.CreditCode
	}
	plotsOf := map[string][]string{}
	rows, err := db.Pool.Query(ctx, `select code, coalesce(array(select jsonb_array_elements_text(plots)), '{}')
		from enterprises where zone_id = $1 and code = any($2::text[]) and valid_to = 'infinity' and not archived`, q.zoneID, codes)
	if err != nil {
		return nil, fmt.Errorf("reclamation list: firms: %w", err)
	}
	for rows.Next() {
		var c string
		var ps []string
		if err := rows.Scan(&c, &ps); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reclamation list: firms: %w", err)
		}
		plotsOf[c] = ps
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reclamation list: firms: %w", err)
	}
	for i := range out.Firms {
		f := &out.Firms[i]
		rows, err := db.Pool.Query(ctx, `select p.code, p.area_m2,
			(select s.code from idle_sites s where s.zone_id = $1 and s.plot_code = p.code and s.valid_to = 'infinity'
			   and not s.archived and s.stage <> 'reactivated' order by s.code limit 1)
			from plots p where p.zone_id = $1 and p.code = any($2::text[]) and p.valid_to = 'infinity' and not p.archived
			order by p.code`, q.zoneID, plotsOf[f.CreditCode])
		if err != nil {
			return nil, fmt.Errorf("reclamation list: plots: %w", err)
		}
		for rows.Next() {
			var rp inventory.ReclamationPlot
			var m2 float64
			if err := rows.Scan(&rp.Code, &m2, &rp.IdleCase); err != nil {
				rows.Close()
				return nil, fmt.Errorf("reclamation list: plots: %w", err)
			}
			rp.AreaMu = geo.MuFromSquareMetres(m2)
			f.Plots = append(f.Plots, rp)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("reclamation list: plots: %w", err)
		}
	}
	return out, nil
}
