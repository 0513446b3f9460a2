package postgis

// The zones' ranking rules of site matching (选址排序规则, table match_rankings, 0063): one
// versioned row per zone and version; version 0, the documented default
// (inventory.DefaultMatchWeights), is in force until a planner writes one. The pattern is the
// evaluation schemes' (evaluation_scheme.go).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

var _ inventory.MatchRankingService = (*DB)(nil)

// querier is what rankingAt reads through: the pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// rankingAt reads the zone's ranking in force at asOf (now when nil), by zone code.
func rankingAt(ctx context.Context, q querier, zone string, asOf *time.Time) (*inventory.RankingVersion, error) {
	rv := &inventory.RankingVersion{Zone: zone, Stored: map[string]float64{}}
	at := time.Now()
	if asOf != nil {
		at = *asOf
	}
	var body []byte
	err := q.QueryRow(ctx, `select r.version, r.valid_from, r.changed_by, r.weights from match_rankings r
		where r.zone_id = (select id from zones where code = $1) and r.valid_from <= $2 and r.valid_to > $2`, zone, at).
		Scan(&rv.Version, &rv.ValidFrom, &rv.ChangedBy, &body)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("ranking of %s: %w", zone, err)
	default:
		if err := json.Unmarshal(body, &rv.Stored); err != nil {
			return nil, fmt.Errorf("ranking of %s: %w", zone, err)
		}
	}
	rv.Weights = inventory.MatchRanking{Weights: rv.Stored}.Resolved()
	return rv, nil
}

// MatchRanking returns the zone's ranking rule, now or as of a time; for those who may see
// confidential figures.
func (db *DB) MatchRanking(ctx context.Context, zone string, asOf *time.Time) (*inventory.RankingVersion, error) {
	if err := inventory.CanSeeConfidential(inventory.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	zone, err := db.ResolveZone(ctx, zone)
	if err != nil {
		return nil, err
	}
	return rankingAt(ctx, db.Pool, zone, asOf)
}

// PutMatchRanking writes r as the zone's next ranking version (planners and admins), after
// checking it (inventory.MatchRanking.Check) and, when ifMatch is given, that it names the
// version in force. Changes to one zone's ranking are serialised by an advisory lock.
func (db *DB) PutMatchRanking(ctx context.Context, zone, ifMatch string, r inventory.MatchRanking) (*inventory.RankingVersion, error) {
	v := inventory.ViewerFrom(ctx)
	if err := canWrite(v); err != nil {
		return nil, err
	}
	if err := r.Check(); err != nil {
		return nil, err
	}
	if err := r.CheckScored(inventory.MatchLayers...); err != nil {
		return nil, err
	}
	zone, err := db.ResolveZone(ctx, zone)
	if err != nil {
		return nil, err
	}
	if r.Weights == nil {
		r.Weights = map[string]float64{}
	}
	body, err := json.Marshal(r.Weights)
	if err != nil {
		return nil, err
	}
	var out *inventory.RankingVersion
	err = asError(pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		zoneID, err := zoneIDOf(ctx, tx, zone)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "select pg_advisory_xact_lock(hashtext('landinv.match_ranking'), $1)", zoneID); err != nil {
			return err
		}
		cur, err := rankingAt(ctx, tx, zone, nil)
		if err != nil {
			return err
		}
		if ifMatch != "" && ifMatch != cur.ETag() {
			return inventory.Errorf(inventory.EPrecondition, "If-Match", "the ranking was changed since (now version %d)", cur.Version).
				With(inventory.CodeStaleETag, map[string]any{"current_etag": cur.ETag()})
		}
		var at time.Time
		if err := tx.QueryRow(ctx, "select clock_timestamp()").Scan(&at); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update match_rankings set valid_to = $2 where zone_id = $1 and valid_to = 'infinity'`, zoneID, at); err != nil {
			return err
		}
		out = &inventory.RankingVersion{Zone: zone, ValidFrom: at, ChangedBy: v.Name, Stored: r.Weights, Weights: r.Resolved()}
		return tx.QueryRow(ctx, `insert into match_rankings (zone_id, version, weights, changed_by, valid_from)
			select $1, coalesce(max(version), 0) + 1, $2, $3, $4 from match_rankings where zone_id = $1
			returning version`, zoneID, body, v.Name, at).Scan(&out.Version)
	}))
	if err != nil {
		return nil, err
	}
	return out, nil
}
