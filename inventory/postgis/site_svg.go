package postgis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

var _ inventory.SiteService = (*DB)(nil)

// Site map geometry: the view is the site's box in Web Mercator grown by siteMapGrow times its
// larger side plus siteMapPad metres each way, then widened to the aspect ratio
// siteMapAspect (width / height).
const (
	siteMapGrow   = 0.9
	siteMapPad    = 120.0
	siteMapAspect = 4.0 / 3.0
	// siteMapDigits is ST_AsSVG's maxdecimaldigits: 0.1 m in Web Mercator.
	siteMapDigits = 1
)

// SiteMap draws the site and its neighbours with ST_AsSVG, in Web Mercator (EPSG:3857: angles
// kept, so shapes look as on a web map), y down as SVG wants it. Neighbours are the live plots,
// plants and roads of the zone whose geometry meets the view, and the zone's boundary. Only
// codes, names, statuses and geometry are read: nothing confidential.
func (db *DB) SiteMap(ctx context.Context, l *inventory.Layer, zone, code string) (*inventory.SiteMap, error) {
	if l != inventory.PlotLayer && l != inventory.PlantLayer {
		return nil, fmt.Errorf("site map: layer %s has no site sheet", l.Name)
	}
	zone, err := db.zoneCode(ctx, zone)
	if err != nil {
		return nil, err
	}
	table := pgx.Identifier{l.Table}.Sanitize()
	m := &inventory.SiteMap{}
	var x0, y0, x1, y1, lat float64
	var zoneID int
	err = db.Pool.QueryRow(ctx, fmt.Sprintf(`select t.zone_id, ST_AsSVG(ST_Transform(t.geom, 3857), 0, %d),
		  ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b), ST_Y(ST_Centroid(t.geom))
		from %s t, ST_Transform(t.geom, 3857) b
		where t.zone_id = (select id from zones where code = $1) and t.code = $2
		  and t.valid_to = 'infinity' and not t.archived`, siteMapDigits, table), zone, code).
		Scan(&zoneID, &m.Site, &x0, &y0, &x1, &y1, &lat)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, inventory.Errorf(inventory.ENotFound, "code", "no %s with code %q", strings.TrimSuffix(l.Name, "s"), code)
	}
	if err != nil {
		return nil, fmt.Errorf("site map of %s %s: %w", l.Name, code, err)
	}
	// The view: grown around the site, widened to the aspect ratio. SVG's y runs down, so the
	// view's top is -maxY.
	grow := siteMapGrow*math.Max(x1-x0, y1-y0) + siteMapPad/math.Cos(lat*math.Pi/180)
	vx0, vy0, vx1, vy1 := x0-grow, y0-grow, x1+grow, y1+grow
	if w, h := vx1-vx0, vy1-vy0; w/h < siteMapAspect {
		d := (h*siteMapAspect - w) / 2
		vx0, vx1 = vx0-d, vx1+d
	} else {
		d := (w/siteMapAspect - h) / 2
		vy0, vy1 = vy0-d, vy1+d
	}
	m.ViewBox = [4]float64{vx0, -vy1, vx1 - vx0, vy1 - vy0}
	m.MetresPerUnit = math.Cos(lat * math.Pi / 180)

	// Neighbours: everything live that meets the view (the box in EPSG:4326 uses the indexes).
	const box = `ST_MakeEnvelope($2, $3, $4, $5, 3857)`
	shapes := func(table, name, status string, exclude bool) ([]inventory.MapShape, error) {
		q := fmt.Sprintf(`select t.code, %[2]s, %[3]s, %[4]s,
			  ST_AsSVG(g, 0, %[5]d), ST_X(p), -ST_Y(p)
			from %[1]s t,
			  ST_Transform(t.geom, 3857) g,
			  -- label point: on the part inside the view shrunk by a tenth, so names stay inside
			  ST_PointOnSurface(ST_Intersection(g, ST_Expand(%[6]s, -0.1 * ($4 - $2)))) p
			where t.zone_id = $1 and t.valid_to = 'infinity' and not t.archived
			  and ST_Intersects(t.geom, ST_Transform(%[6]s, 4326))
			  and not ($6 and t.code = $7)
			order by t.code`, pgx.Identifier{table}.Sanitize(), name, "coalesce(t.name_en, '')", status, siteMapDigits, box)
		rows, err := db.Pool.Query(ctx, q, zoneID, vx0, vy0, vx1, vy1, exclude, code)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []inventory.MapShape
		for rows.Next() {
			var s inventory.MapShape
			var lx, ly *float64
			if err := rows.Scan(&s.Code, &s.Name, &s.NameEN, &s.Status, &s.Path, &lx, &ly); err != nil {
				return nil, err
			}
			if lx != nil && ly != nil {
				s.LabelX, s.LabelY = *lx, *ly
			}
			out = append(out, s)
		}
		return out, rows.Err()
	}
	if m.Plots, err = shapes("plots", "coalesce(t.name, '')", "t.status", l == inventory.PlotLayer); err != nil {
		return nil, fmt.Errorf("site map of %s %s: plots: %w", l.Name, code, err)
	}
	if m.Plants, err = shapes("plants", "coalesce(t.name, '')", "t.status", l == inventory.PlantLayer); err != nil {
		return nil, fmt.Errorf("site map of %s %s: plants: %w", l.Name, code, err)
	}
	if m.Roads, err = shapes("roads", "t.name", "t.status", false); err != nil {
		return nil, fmt.Errorf("site map of %s %s: roads: %w", l.Name, code, err)
	}
	// The zone's boundary, clipped to a box a little larger than the view.
	err = db.Pool.QueryRow(ctx, fmt.Sprintf(`select coalesce(ST_AsSVG(ST_Intersection(ST_Boundary(ST_Transform(z.geom, 3857)),
		  ST_Expand(%s, ($4 - $2) * 0.1)), 0, %d), '')
		from zones z where z.id = $1`, box, siteMapDigits), zoneID, vx0, vy0, vx1, vy1).Scan(&m.Zone)
	if err != nil {
		return nil, fmt.Errorf("site map of %s %s: zone: %w", l.Name, code, err)
	}
	return m, nil
}
