package postgis

// The evaluation schemes (评价方案): one versioned row per zone, year and version; version 0, the
// documented default, is in force until a planner writes one.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

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
