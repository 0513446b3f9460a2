package postgis

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

var _ inventory.MapService = (*DB)(nil)

// NearestRoads returns the live road nearest to the live plot code, of any status and among
// existing roads, with the geodesic distance between the plot's outline and the road (metres,
// ST_Distance on geography): nearestRoadSQL, the one rule of "nearest road".
func (db *DB) NearestRoads(ctx context.Context, zone, plotCode string) (nearest, existing *inventory.NearestRoad, err error) {
	zone, err = db.zoneCode(ctx, zone)
	if err != nil {
		return nil, nil, err
	}
	var found bool
	err = db.Pool.QueryRow(ctx, `select exists (select 1 from plots p
		where p.zone_id = (select id from zones where code = $1) and p.code = $2
		  and p.valid_to = 'infinity' and not p.archived)`, zone, plotCode).Scan(&found)
	if err != nil {
		return nil, nil, fmt.Errorf("nearest road of plot %s: %w", plotCode, err)
	}
	if !found {
		return nil, nil, inventory.Errorf(inventory.ENotFound, "code", "no plot with code %q", plotCode)
	}
	q := `select c.code, c.name, c.name_en, c.status, c.d from plots p, lateral (` +
		nearestRoadSQL("c.code, c.name, c.name_en, c.status, c.d", "p.geom", "p.zone_id",
			"r.valid_to = 'infinity' and not r.archived", "($3::text is null or r.status = $3)") + `) c
		where p.zone_id = (select id from zones where code = $1) and p.code = $2
		  and p.valid_to = 'infinity' and not p.archived`
	one := func(status *string) (*inventory.NearestRoad, error) {
		var r inventory.NearestRoad
		err := db.Pool.QueryRow(ctx, q, zone, plotCode, status).Scan(&r.Code, &r.Name, &r.NameEN, &r.Status, &r.DistanceM)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("nearest road of plot %s: %w", plotCode, err)
		}
		return &r, nil
	}
	if nearest, err = one(nil); err != nil {
		return nil, nil, err
	}
	ex := "existing"
	if existing, err = one(&ex); err != nil {
		return nil, nil, err
	}
	return nearest, existing, nil
}

// LandUses lists the land-use codes with their names.
func (db *DB) LandUses(ctx context.Context) ([]inventory.LandUse, error) {
	rows, err := db.Pool.Query(ctx, `select code, scheme, name_zh, name_en, coalesce(parent, '') from land_use_codes order by scheme desc, code`)
	if err != nil {
		return nil, fmt.Errorf("list land-use codes: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (inventory.LandUse, error) {
		var l inventory.LandUse
		err := row.Scan(&l.Code, &l.Scheme, &l.Name, &l.NameEN, &l.Parent)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("list land-use codes: %w", err)
	}
	return out, nil
}
