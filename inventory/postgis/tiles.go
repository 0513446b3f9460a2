package postgis

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

var _ inventory.TileService = (*DB)(nil)

// Tile renders one Mapbox Vector Tile of tl's live features with ST_AsMVT (TileAt without the
// revision).
func (db *DB) Tile(ctx context.Context, tl *inventory.TileLayer, zone string, z, x, y int) ([]byte, error) {
	t, err := db.TileAt(ctx, tl, zone, z, x, y)
	return t.Tile, err
}

// TileAt renders one Mapbox Vector Tile of tl's live features with ST_AsMVT: geometries are
// transformed to Web Mercator and clipped to the tile (4096 units, 64 units of buffer). Only
// the tile layer's public properties go into the tile; area_mu is computed from area_m2.
//
// One statement, one round trip: it resolves the zone (the default zone too, as ResolveZone),
// reads the inventory's revision in the same snapshot as the features it draws, and renders
// only when that revision is none of have (a one-time filter: a tile the caller holds costs
// no feature read). An unknown zone draws nothing; only then is the zone looked up again, for
// ResolveZone's 404 naming zone.
//
// Plots are read in Web Mercator as stored (geom_3857, migration 0070) through their own
// index: no transform per row on a request. Other layers would be transformed here.
//
// The clipped geometry is computed once per row: f is MATERIALIZED, so the planner cannot
// inline it and evaluate ST_AsMVTGeom a second time for the "is not null" filter (which it
// does for a plain CTE or subquery).
func (db *DB) TileAt(ctx context.Context, tl *inventory.TileLayer, zone string, z, x, y int, have ...int64) (inventory.RevisionTile, error) {
	var out inventory.RevisionTile
	if err := inventory.CheckTile(z, x, y); err != nil {
		return out, err
	}
	sql, err := tileSQL(tl)
	if err != nil {
		return out, err
	}
	want := zone
	if want == "" {
		want = db.defaultZone
	}
	if have == nil {
		have = []int64{}
	}
	var found bool
	var tile []byte
	if err := db.Pool.QueryRow(ctx, sql, want, z, x, y, tl.Layer.Name, have).Scan(&out.Revision, &found, &tile); err != nil {
		return out, fmt.Errorf("tile %s %d/%d/%d: %w", tl.Layer.Name, z, x, y, asError(err))
	}
	if !found {
		if _, err := db.ResolveZone(ctx, zone); err != nil {
			return out, err
		}
		// The zone was made since the statement's snapshot: its tile is empty at that revision.
	}
	out.Rendered = !slices.Contains(have, out.Revision)
	if out.Rendered && len(tile) > 0 {
		out.Tile = tile
	}
	return out, nil
}

// tileSQL returns the statement of tl's tiles: $1 the zone's code (empty for the first by code),
// $2–$4 z/x/y, $5 the layer's name in the tile, $6 the revisions whose tile is not rendered.
// It returns the revision, whether the zone exists, and the tile (empty when it draws nothing or is skipped).
func tileSQL(tl *inventory.TileLayer) (string, error) {
	cols := make([]string, 0, len(tl.Properties))
	for _, p := range tl.Properties {
		f, ok := tl.Layer.Field(p)
		if !ok || f.Confidential {
			return "", fmt.Errorf("tile %s: %q is not a public field", tl.Layer.Name, p)
		}
		switch p {
		case "area_mu":
			cols = append(cols, muSQL("t.area_m2")+" as area_mu")
		default:
			cols = append(cols, "t."+pgx.Identifier{p}.Sanitize())
		}
	}
	// The geometry in Web Mercator, and the test that finds it through an index.
	geom, near := "ST_Transform(t.geom, 3857)", "t.geom && ST_Transform(ST_Expand(b.env, (ST_XMax(b.env) - ST_XMin(b.env)) / 64), 4326)"
	if tl.Layer.Table == "plots" {
		geom, near = "t.geom_3857", "t.geom_3857 && ST_Expand(b.env, (ST_XMax(b.env) - ST_XMin(b.env)) / 64)"
	}
	return fmt.Sprintf(`with zn as (select id from zones
		    where code = coalesce(nullif($1, ''), (select code from zones order by code limit 1))),
		rv as (select n from inventory_revision),
		b as (select ST_TileEnvelope($2, $3, $4) as env),
		f as materialized (
		  select ST_AsMVTGeom(%s, b.env, 4096, 64, true) as geom, %s
		  from %s t, b
		  where t.zone_id = (select id from zn)
		    and (select n from rv) <> all($6::bigint[])
		    and t.valid_to = 'infinity' and not t.archived
		    and %s)
		select (select n from rv), exists (select from zn),
		  coalesce((select ST_AsMVT(f, $5, 4096, 'geom') from f where f.geom is not null), ''::bytea)`,
		geom, strings.Join(cols, ", "), pgx.Identifier{tl.Layer.Table}.Sanitize(), near), nil
}
