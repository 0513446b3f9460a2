package postgis

// The per-mu benefit evaluation (inventory.Evaluations): the schemes, the runs and their
// events. The rules live in inventory/evaluation.go; here are the land (PostGIS) and figures
// each firm brings (evaluationInputs), and the bookkeeping of schemes, runs and states.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
)

var _ inventory.Evaluations = (*DB)(nil)

// inputsSQL reads every live enterprise of zone $1 with its land and its figures of year $2:
// held_m2 the area of its live plots (computed by PostGIS on the ellipsoid), leased_land_m2 its
// share of each plant's plot by leased floor area (see inventory/evaluation.go), its district
// that of its largest plot, else of its first plant.
var inputsSQL = func() string {
	figs := ""
	for _, f := range inventory.Figures {
		figs += ", f." + f.Name
	}
	for _, f := range inventory.FigureFlags {
		figs += ", coalesce(f." + f.Name + ", false)"
	}
	return `with e as (
		select code, name, cluster, size_class, exemption, founded_on,
		       coalesce(plots, '[]') as plots, coalesce(tenancies, '[]') as tenancies
		from enterprises where zone_id = $1 and valid_to = 'infinity' and not archived
	), held as (
		select e.code, sum(p.area_m2) as m2, jsonb_agg(p.code order by p.code) as plots,
		       (array_agg(p.district order by p.area_m2 desc, p.code))[1] as district
		from e cross join lateral jsonb_array_elements_text(e.plots) pc(code)
		join plots p on p.zone_id = $1 and p.code = pc.code and p.valid_to = 'infinity' and not p.archived
		group by e.code
	), plant_land as (
		select s.code, s.district,
		       p.area_m2 / nullif(sum(coalesce(s.total_floor_area_m2, s.leasable_area_m2)) over (partition by s.plot_code), 0) as land_per_floor
		from plants s join plots p on p.zone_id = s.zone_id and p.code = s.plot_code and p.valid_to = 'infinity' and not p.archived
		where s.zone_id = $1 and s.valid_to = 'infinity' and not s.archived
	), leased as (
		select e.code, sum((t->>'leased_m2')::float8 * pl.land_per_floor) as m2, sum((t->>'leased_m2')::float8) as floor_m2,
		       (array_agg(pl.district order by pl.code))[1] as district
		from e cross join lateral jsonb_array_elements(e.tenancies) t
		join plant_land pl on pl.code = t->>'plant_code'
		group by e.code
	), f as (
		select * from enterprise_figures where zone_id = $1 and year = $2 and valid_to = 'infinity' and not archived
	)
	select e.code, e.name, coalesce(e.cluster, ''), coalesce(h.district, l.district, ''), coalesce(e.size_class, ''),
	       coalesce(e.exemption, ''), e.founded_on, coalesce(h.plots, '[]'), coalesce(h.m2, 0), coalesce(l.m2, 0),
	       coalesce(l.floor_m2, 0)` + figs + `
	from e left join held h on h.code = e.code left join leased l on l.code = e.code
	left join f on f.credit_code = e.code
	order by e.code`
}()

// evaluationInputs reads what the evaluation needs of every live enterprise of the zone.
func evaluationInputs(ctx context.Context, tx pgx.Tx, zoneID, year int) ([]inventory.EvaluationInput, error) {
	rows, err := tx.Query(ctx, inputsSQL, zoneID, year)
	if err != nil {
		return nil, fmt.Errorf("evaluation inputs: %w", err)
	}
	defer rows.Close()
	var out []inventory.EvaluationInput
	nf, nfl := len(inventory.Figures), len(inventory.FigureFlags)
	for rows.Next() {
		var e inventory.EvaluationInput
		var plots []byte
		var heldM2, leasedM2 float64
		figs := make([]*float64, nf)
		flags := make([]bool, nfl)
		dest := []any{&e.CreditCode, &e.Name, &e.Cluster, &e.District, &e.SizeClass, &e.Exemption, &e.FoundedOn,
			&plots, &heldM2, &leasedM2, &e.LeasedM2}
		for i := range figs {
			dest = append(dest, &figs[i])
		}
		for i := range flags {
			dest = append(dest, &flags[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("evaluation inputs: %w", err)
		}
		if err := json.Unmarshal(plots, &e.Plots); err != nil {
			return nil, fmt.Errorf("evaluation inputs: %w", err)
		}
		e.HeldMu, e.LeasedMu = geo.MuFromSquareMetres(heldM2), geo.MuFromSquareMetres(leasedM2)
		e.Figures, e.Flags = map[string]float64{}, map[string]bool{}
		for i, f := range inventory.Figures {
			if figs[i] != nil {
				e.Figures[f.Name] = *figs[i]
			}
		}
		for i, f := range inventory.FigureFlags {
			e.Flags[f.Name] = flags[i]
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// evalTx runs fn in one transaction for a viewer checked by allow, with the zone's id, under
// the year's evaluation lock (steps of one year's evaluation run one at a time).
func (db *DB) evalTx(ctx context.Context, zone string, year int, allow func(inventory.Viewer) error,
	fn func(tx pgx.Tx, zoneID int, zone string, actor string) error) error {
	v := inventory.ViewerFrom(ctx)
	if err := allow(v); err != nil {
		return err
	}
	if year < inventory.MinYear || year > inventory.MaxYear {
		return inventory.Errorf(inventory.EInvalid, "year", "must be a year from %d to %d", inventory.MinYear, inventory.MaxYear)
	}
	zone, err := db.zoneCode(ctx, zone)
	if err != nil {
		return err
	}
	return asError(pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		zoneID, err := zoneIDOf(ctx, tx, zone)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "select pg_advisory_xact_lock(hashtext('landinv.evaluation'), $1 * 10000 + $2)", zoneID, year); err != nil {
			return err
		}
		if err := fn(tx, zoneID, zone, v.Name); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "set constraints all immediate")
		return err
	}))
}

func canWrite(v inventory.Viewer) error {
	if err := inventory.CanSeeConfidential(v); err != nil {
		return err
	}
	return inventory.CanWrite(v)
}

// schemeAt reads the year's scheme in force at asOf (now when nil): version 0 is the default.
func schemeAt(ctx context.Context, q pgx.Tx, zoneID int, zone string, year int, asOf *time.Time) (*inventory.SchemeVersion, error) {
	sv := &inventory.SchemeVersion{Zone: zone, Year: year}
	var body []byte
	at := time.Now()
	if asOf != nil {
		at = *asOf
	}
	err := q.QueryRow(ctx, `select version, valid_from, changed_by, scheme from evaluation_schemes
		where zone_id = $1 and year = $2 and valid_from <= $3 and valid_to > $3`, zoneID, year, at).
		Scan(&sv.Version, &sv.ValidFrom, &sv.ChangedBy, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		sv.Scheme = inventory.DefaultScheme()
		return sv, nil
	}
	if err != nil {
		return nil, fmt.Errorf("scheme %d: %w", year, err)
	}
	if err := json.Unmarshal(body, &sv.Scheme); err != nil {
		return nil, fmt.Errorf("scheme %d: %w", year, err)
	}
	return sv, nil
}

// Scheme returns the year's scheme, now or as of a time.
func (db *DB) Scheme(ctx context.Context, zone string, year int, asOf *time.Time) (*inventory.SchemeVersion, error) {
	var out *inventory.SchemeVersion
	err := db.evalTx(ctx, zone, year, inventory.CanSeeConfidential, func(tx pgx.Tx, zoneID int, zone, _ string) error {
		var err error
		out, err = schemeAt(ctx, tx, zoneID, zone, year, asOf)
		return err
	})
	return out, err
}

// PutScheme writes a new version of the year's scheme.
func (db *DB) PutScheme(ctx context.Context, zone string, year int, s inventory.Scheme) (*inventory.SchemeVersion, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var out *inventory.SchemeVersion
	err := db.evalTx(ctx, zone, year, canWrite, func(tx pgx.Tx, zoneID int, zone, actor string) error {
		body, err := json.Marshal(s)
		if err != nil {
			return err
		}
		var at time.Time
		if err := tx.QueryRow(ctx, "select clock_timestamp()").Scan(&at); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update evaluation_schemes set valid_to = $3
			where zone_id = $1 and year = $2 and valid_to = 'infinity'`, zoneID, year, at); err != nil {
			return err
		}
		out = &inventory.SchemeVersion{Zone: zone, Year: year, ValidFrom: at, ChangedBy: actor, Scheme: s}
		if err := tx.QueryRow(ctx, `insert into evaluation_schemes (zone_id, year, version, scheme, changed_by, valid_from)
			select $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5 from evaluation_schemes where zone_id = $1 and year = $2
			returning version`, zoneID, year, body, actor, at).Scan(&out.Version); err != nil {
			return err
		}
		return event(ctx, tx, zoneID, year, nil, actor, "scheme_changed", map[string]any{"version": out.Version})
	})
	return out, err
}

func event(ctx context.Context, tx pgx.Tx, zoneID, year int, run *int, actor, action string, detail map[string]any) error {
	body, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `insert into evaluation_events (zone_id, year, run, actor, action, detail) values ($1, $2, $3, $4, $5, $6)`,
		zoneID, year, run, actor, action, body)
	return err
}

// latestRun reads the year's latest run (nil when none).
func latestRun(ctx context.Context, tx pgx.Tx, zoneID int, zone string, year int) (*inventory.Evaluation, error) {
	return runAt(ctx, tx, zoneID, zone, year, nil)
}

// runAt reads the year's latest run computed at or before asOf (the latest when nil; nil when
// none).
func runAt(ctx context.Context, tx pgx.Tx, zoneID int, zone string, year int, asOf *time.Time) (*inventory.Evaluation, error) {
	ev := &inventory.Evaluation{Zone: zone, Year: year}
	var until *time.Time
	var scheme, results []byte
	err := tx.QueryRow(ctx, `select run, state, published_until, computed_at, computed_by, scheme_version, scheme, results
		from evaluation_runs where zone_id = $1 and year = $2 and ($3::timestamptz is null or computed_at <= $3)
		order by run desc limit 1`, zoneID, year, asOf).
		Scan(&ev.Run, &ev.State, &until, &ev.ComputedAt, &ev.ComputedBy, &ev.SchemeVersion, &scheme, &results)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("evaluation %d: %w", year, err)
	}
	if until != nil {
		s := until.Format("2006-01-02")
		ev.PublishedUntil = &s
	}
	var stored struct {
		Results     []inventory.EvaluationResult `json:"results"`
		NotEligible []inventory.NotEligible      `json:"not_eligible"`
	}
	if err := json.Unmarshal(scheme, &ev.Scheme); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(results, &stored); err != nil {
		return nil, fmt.Errorf("evaluation %d: stored results: %w", year, err)
	}
	ev.Results, ev.NotEligible = stored.Results, stored.NotEligible
	return ev, nil
}

// countResults sets ev.Counts.
func countResults(ev *inventory.Evaluation) {
	c := map[string]int{"graded": 0, "A": 0, "B": 0, "C": 0, "D": 0, "exempt": 0, "missing": 0, "not_eligible": len(ev.NotEligible)}
	for _, r := range ev.Results {
		if r.Grade != nil {
			c["graded"]++
			c[*r.Grade]++
		}
		if r.ExemptReason != nil {
			c["exempt"]++
		}
		if len(r.Missing) > 0 {
			c["missing"]++
		}
	}
	ev.Counts = c
}

// evaluate computes a new run in tx: it refuses a final evaluation, keeps the published state
// (and end date) of the run before, and records the event.
func (db *DB) evaluate(ctx context.Context, tx pgx.Tx, zoneID int, zone string, year int, actor string, why map[string]any) (*inventory.Evaluation, error) {
	prev, err := latestRun(ctx, tx, zoneID, zone, year)
	if err != nil {
		return nil, err
	}
	state, run := inventory.EvalDraft, 1
	var until *string
	if prev != nil {
		if prev.State == inventory.EvalFinal {
			return nil, inventory.Errorf(inventory.EConflict, "year", "the %d evaluation is final (定稿); it is not computed again", year)
		}
		state, until, run = prev.State, prev.PublishedUntil, prev.Run+1
	}
	sv, err := schemeAt(ctx, tx, zoneID, zone, year, nil)
	if err != nil {
		return nil, err
	}
	in, err := evaluationInputs(ctx, tx, zoneID, year)
	if err != nil {
		return nil, err
	}
	results, left := inventory.Evaluate(sv.Scheme, year, in)
	if results == nil {
		results = []inventory.EvaluationResult{}
	}
	if left == nil {
		left = []inventory.NotEligible{}
	}
	body, err := json.Marshal(map[string]any{"results": results, "not_eligible": left})
	if err != nil {
		return nil, err
	}
	scheme, err := json.Marshal(sv.Scheme)
	if err != nil {
		return nil, err
	}
	ev := &inventory.Evaluation{Zone: zone, Year: year, Run: run, State: state, PublishedUntil: until, ComputedBy: actor,
		SchemeVersion: sv.Version, Scheme: sv.Scheme, Results: results, NotEligible: left}
	if err := tx.QueryRow(ctx, `insert into evaluation_runs (zone_id, year, run, state, published_until, computed_by, scheme_version, scheme, results)
		values ($1, $2, $3, $4, $5::date, $6, $7, $8, $9) returning computed_at`, zoneID, year, run, state, until, actor, sv.Version, scheme, body).
		Scan(&ev.ComputedAt); err != nil {
		return nil, err
	}
	detail := map[string]any{"scheme_version": sv.Version, "firms": len(results)}
	for k, v := range why {
		detail[k] = v
	}
	if err := event(ctx, tx, zoneID, year, &run, actor, "computed", detail); err != nil {
		return nil, err
	}
	countResults(ev)
	return ev, nil
}

// Evaluate computes the year's evaluation (a new run).
func (db *DB) Evaluate(ctx context.Context, zone string, year int) (*inventory.Evaluation, error) {
	var out *inventory.Evaluation
	err := db.evalTx(ctx, zone, year, canWrite, func(tx pgx.Tx, zoneID int, zone, actor string) error {
		var err error
		out, err = db.evaluate(ctx, tx, zoneID, zone, year, actor, nil)
		return err
	})
	return out, err
}

// Evaluation returns the year's latest run, its results filtered by f.
func (db *DB) Evaluation(ctx context.Context, zone string, year int, f inventory.EvaluationFilter) (*inventory.Evaluation, error) {
	var out *inventory.Evaluation
	err := db.evalTx(ctx, zone, year, inventory.CanSeeConfidential, func(tx pgx.Tx, zoneID int, zone, _ string) error {
		var err error
		out, err = latestRun(ctx, tx, zoneID, zone, year)
		if err != nil {
			return err
		}
		if out == nil {
			return inventory.Errorf(inventory.ENotFound, "year", "no evaluation of %d yet; compute one (POST /api/v1/evaluations/%d)", year, year)
		}
		countResults(out)
		kept := []inventory.EvaluationResult{}
		for _, r := range out.Results {
			if f.Keep(r) {
				kept = append(kept, r)
			}
		}
		out.Results = kept
		return nil
	})
	return out, err
}

// setState moves the latest run to state, after check accepts it.
func (db *DB) setState(ctx context.Context, zone string, year int, action string,
	check func(ev *inventory.Evaluation, today string) error, state string, until *time.Time) (*inventory.Evaluation, error) {
	var out *inventory.Evaluation
	err := db.evalTx(ctx, zone, year, canWrite, func(tx pgx.Tx, zoneID int, zone, actor string) error {
		ev, err := latestRun(ctx, tx, zoneID, zone, year)
		if err != nil {
			return err
		}
		if ev == nil {
			return inventory.Errorf(inventory.ENotFound, "year", "no evaluation of %d yet; compute one first", year)
		}
		var today string
		if err := tx.QueryRow(ctx, "select current_date::text").Scan(&today); err != nil {
			return err
		}
		if err := check(ev, today); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update evaluation_runs set state = $4, published_until = coalesce($5::date, published_until)
			where zone_id = $1 and year = $2 and run = $3`, zoneID, year, ev.Run, state, until); err != nil {
			return err
		}
		detail := map[string]any{}
		if until != nil {
			detail["published_until"] = until.Format("2006-01-02")
		}
		if err := event(ctx, tx, zoneID, year, &ev.Run, actor, action, detail); err != nil {
			return err
		}
		out, err = latestRun(ctx, tx, zoneID, zone, year)
		if err == nil {
			countResults(out)
		}
		return err
	})
	return out, err
}

// Publish opens the latest run to objections (公示) until the end date.
func (db *DB) Publish(ctx context.Context, zone string, year int, until time.Time) (*inventory.Evaluation, error) {
	return db.setState(ctx, zone, year, "published", func(ev *inventory.Evaluation, today string) error {
		if ev.State == inventory.EvalFinal {
			return inventory.Errorf(inventory.EConflict, "year", "the %d evaluation is already final", year)
		}
		if until.Format("2006-01-02") < today {
			return inventory.Errorf(inventory.EInvalid, "until", "the end of the objection period cannot be in the past (today is %s)", today)
		}
		return nil
	}, inventory.EvalPublished, &until)
}

// Finalize makes the published run final (定稿), once its objection period has come to its end
// date.
func (db *DB) Finalize(ctx context.Context, zone string, year int) (*inventory.Evaluation, error) {
	return db.setState(ctx, zone, year, "finalized", func(ev *inventory.Evaluation, today string) error {
		if ev.State != inventory.EvalPublished {
			return inventory.Errorf(inventory.EConflict, "state", "only a published evaluation can be made final; the %d evaluation is %s", year, ev.State)
		}
		if today < *ev.PublishedUntil {
			return inventory.Errorf(inventory.EConflict, "published_until", "objections are open until %s; finalize on or after that day", *ev.PublishedUntil)
		}
		return nil
	}, inventory.EvalFinal, nil)
}

// Object records an objection to a figure of the published evaluation; a corrected value is
// written as the firm's figures' next version (the write path) and the evaluation re-runs.
func (db *DB) Object(ctx context.Context, zone string, year int, o inventory.Objection) (*inventory.Evaluation, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	var out *inventory.Evaluation
	err := db.evalTx(ctx, zone, year, canWrite, func(tx pgx.Tx, zoneID int, zone, actor string) error {
		ev, err := latestRun(ctx, tx, zoneID, zone, year)
		if err != nil {
			return err
		}
		if ev == nil || ev.State != inventory.EvalPublished {
			return inventory.Errorf(inventory.EConflict, "state", "objections are recorded while the evaluation is published (公示)")
		}
		detail := map[string]any{"credit_code": o.CreditCode, "figure": o.Figure, "reason": o.Reason}
		if o.Corrected != nil {
			detail["corrected_value"], detail["source"] = *o.Corrected, o.Source
		}
		if err := event(ctx, tx, zoneID, year, &ev.Run, actor, "objection", detail); err != nil {
			return err
		}
		if o.Corrected == nil {
			out = ev
			countResults(out)
			return nil
		}
		props, err := inventory.FigureChange(map[string]any{o.Figure: *o.Corrected, "source": o.Source,
			"date": time.Now().Format("2006-01-02")})
		if err != nil {
			return err
		}
		w := writer{zoneID: zoneID, actor: actor}
		req := writeRequest{op: inventory.OpUpdate, code: inventory.FigureCode(o.CreditCode, year), ifMatch: "*",
			change: inventory.Change{Properties: props, Note: "objection: " + o.Reason}}
		if _, _, err := db.writeVersion(ctx, tx, inventory.FigureLayer, w, req); err != nil {
			if inventory.ErrorKind(err) != inventory.ENotFound {
				return err
			}
			props["code"] = req.code
			req.op, req.code, req.ifMatch = inventory.OpCreate, "", ""
			req.change.Properties = props
			if _, _, err := db.writeVersion(ctx, tx, inventory.FigureLayer, w, req); err != nil {
				return err
			}
		}
		out, err = db.evaluate(ctx, tx, zoneID, zone, year, actor, map[string]any{"after_objection": o.CreditCode})
		return err
	})
	return out, err
}

// EvaluationHistory lists every step of the year's evaluation, oldest first.
func (db *DB) EvaluationHistory(ctx context.Context, zone string, year int) ([]inventory.EvaluationEvent, error) {
	out := []inventory.EvaluationEvent{}
	err := db.evalTx(ctx, zone, year, inventory.CanSeeConfidential, func(tx pgx.Tx, zoneID int, _, _ string) error {
		rows, err := tx.Query(ctx, `select at, actor, action, run, detail from evaluation_events
			where zone_id = $1 and year = $2 order by id`, zoneID, year)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e inventory.EvaluationEvent
			var d []byte
			if err := rows.Scan(&e.At, &e.Actor, &e.Action, &e.Run, &d); err != nil {
				return err
			}
			if err := json.Unmarshal(d, &e.Detail); err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}
