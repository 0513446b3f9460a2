package postgis

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

var _ inventory.TileService = (*DB)(nil)

// Tile renders one Mapbox Vector Tile of tl's live features with ST_AsMVT: geometries are
// transformed to Web Mercator and clipped to the tile (4096 units, 64 units of buffer). Only
// the tile layer's public properties go into the tile; area_mu is computed from area_m2.
//
// Plots are read in Web Mercator as stored (geom_3857, migration 0070) through their own
// index: no transform per row on a request. Other layers would be transformed here.
//
// The clipped geometry is computed once per row: f is MATERIALIZED, so the planner cannot
// inline it and evaluate ST_AsMVTGeom a second time for the "is not null" filter (which it
// does for a plain CTE or subquery).
func (db *DB) Tile(ctx context.Context, tl *inventory.TileLayer, zone string, z, x, y int) ([]byte, error) {
	if err := inventory.CheckTile(z, x, y); err != nil {
		return nil, err
	}
	zone, err := db.zoneCode(ctx, zone)
	if err != nil {
		return nil, err
	}
	cols := make([]string, 0, len(tl.Properties))
	for _, p := range tl.Properties {
		f, ok := tl.Layer.Field(p)
		if !ok || f.Confidential {
			return nil, fmt.Errorf("tile %s: %q is not a public field", tl.Layer.Name, p)
		}
		switch p {
		case "area_mu":
			cols = append(cols, muSQL("t.area_m2")+" as area_mu")
		default:
			cols = append(cols, "t."+pgx.Identifier{p}.Sanitize())
		}
	}
	name := tl.Layer.Name
	// The geometry in Web Mercator, and the test that finds it through an index.
	geom, near := "ST_Transform(t.geom, 3857)", "t.geom && ST_Transform(ST_Expand(b.env, (ST_XMax(b.env) - ST_XMin(b.env)) / 64), 4326)"
	if tl.Layer.Table == "plots" {
		geom, near = "t.geom_3857", "t.geom_3857 && ST_Expand(b.env, (ST_XMax(b.env) - ST_XMin(b.env)) / 64)"
	}
	sql := fmt.Sprintf(`with b as (select ST_TileEnvelope($2, $3, $4) as env),
		f as materialized (
		  select ST_AsMVTGeom(%s, b.env, 4096, 64, true) as geom, %s
		  from %s t, b
		  where t.zone_id = (select id from zones where code = $1)
		    and t.valid_to = 'infinity' and not t.archived
		    and %s)
		select coalesce(ST_AsMVT(f, $5, 4096, 'geom'), ''::bytea) from f where f.geom is not null`,
		geom, strings.Join(cols, ", "), pgx.Identifier{tl.Layer.Table}.Sanitize(), near)
	var tile []byte
	if err := db.Pool.QueryRow(ctx, sql, zone, z, x, y, name).Scan(&tile); err != nil {
		return nil, fmt.Errorf("tile %s %d/%d/%d: %w", name, z, x, y, asError(err))
	}
	return tile, nil
}
