package postgis

// The per-mu benefit evaluation (inventory.Evaluations): the runs, their states and events. The
// rules live in inventory/evaluation.go; what each firm brings is read in evaluation_inputs.go,
// the schemes in evaluation_scheme.go.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

var _ inventory.Evaluations = (*DB)(nil)

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

// latestState reads the year's latest run without its results (nil when none): its number,
// state and end of objections. A run of 10,000 firms carries ~15 MB of results, which the
// steps that only look at the state need not read.
func latestState(ctx context.Context, tx pgx.Tx, zoneID int, zone string, year int) (*inventory.Evaluation, error) {
	return readRun(ctx, tx, zoneID, zone, year, nil, false)
}

// runAt reads the year's latest run computed at or before asOf (the latest when nil; nil when
// none).
func runAt(ctx context.Context, tx pgx.Tx, zoneID int, zone string, year int, asOf *time.Time) (*inventory.Evaluation, error) {
	return readRun(ctx, tx, zoneID, zone, year, asOf, true)
}

// readRun reads the year's latest run computed at or before asOf (the latest when nil; nil
// when none), with its results when withResults.
func readRun(ctx context.Context, tx pgx.Tx, zoneID int, zone string, year int, asOf *time.Time, withResults bool) (*inventory.Evaluation, error) {
	ev := &inventory.Evaluation{Zone: zone, Year: year}
	var until *time.Time
	var scheme, results []byte
	err := tx.QueryRow(ctx, `select run, state, published_until, computed_at, computed_by, scheme_version, scheme,
		       case when $4 then results else '{}'::json end
		from evaluation_runs where zone_id = $1 and year = $2 and ($3::timestamptz is null or computed_at <= $3)
		order by run desc limit 1`, zoneID, year, asOf, withResults).
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
	prev, err := latestState(ctx, tx, zoneID, zone, year)
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
		ev, err := latestState(ctx, tx, zoneID, zone, year)
		if err != nil {
			return err
		}
		if ev == nil {
			return inventory.Errorf(inventory.ENotFound, "year", "no evaluation of %d yet; compute one first", year)
		}
		// The zone's day (China time), not the database session's: the objection period ends on
		// a day of the zone's calendar.
		today := inventory.DayOf(time.Now())
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
			"date": inventory.DayOf(time.Now())})
		if err != nil {
			return err
		}
		w := writer{zoneID: zoneID, actor: actor}
		req := writeRequest{op: inventory.OpUpdate, code: inventory.FigureCode(o.CreditCode, year), internal: true,
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
