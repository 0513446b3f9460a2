package postgis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/cql2"
)

// The OGC API's parts of a list query (inventory.Query's Filter, SortBy, Properties and CRS):
// compiled here, into the one list SQL of StreamList.

// queryColumns is the allow-list of a layer's filterable and sortable properties for the
// viewer: each property's SQL expression over the layer's row t (areas in 亩 and ha computed
// from area_m2, the geometry as cql2.GeometryProperty). Confidential fields are absent unless
// the viewer may see them; JSON fields are never filterable.
func queryColumns(l *inventory.Layer, v inventory.Viewer) map[string]string {
	cols := map[string]string{cql2.GeometryProperty: "t.geom"}
	for _, f := range l.Fields {
		if f.HiddenFrom(v) || f.Type == inventory.JSON {
			continue
		}
		switch f.Name {
		case "area_mu":
			cols[f.Name] = muSQL("t.area_m2")
		case "area_ha":
			cols[f.Name] = haSQL("t.area_m2")
		default:
			cols[f.Name] = "t." + pgx.Identifier{f.Name}.Sanitize()
		}
	}
	return cols
}

// filterSQL compiles q.Filter (a checked cql2 tree) to a predicate over t, binding its values
// after args.
func filterSQL(q inventory.Query, v inventory.Viewer, args *[]any) (string, error) {
	e, ok := q.Filter.(cql2.Expr)
	if !ok {
		return "", fmt.Errorf("filter is a %T, not a cql2.Expr", q.Filter)
	}
	sql, out, err := CompileCQL2(e, queryColumns(q.Layer, v), CQL2CRS{SRID: q.FilterCRS.SRID, SwapXY: q.FilterCRS.SwapXY}, *args)
	if err != nil {
		return "", err
	}
	*args = out
	return sql, nil
}

// bboxSQL is q.BBox as a 4326 geometry: an envelope in q.BBoxCRS, its axes swapped when that
// CRS lists latitude (or northing) first, transformed to 4326. A box in a projected CRS is
// densified first (100 points a side), so its curved image in degrees is followed closely.
func bboxSQL(q inventory.Query, add func(any) string) string {
	b := q.BBox
	c := q.BBoxCRS
	srid := c.SRID
	if srid == 0 {
		srid = 4326
	}
	g := fmt.Sprintf("ST_MakeEnvelope(%s, %s, %s, %s, %s)", add(b[0]), add(b[1]), add(b[2]), add(b[3]), add(srid))
	if c.Native() {
		return g
	}
	if !c.Geographic {
		g = fmt.Sprintf("ST_Segmentize(%s, greatest(%s::float8 - %s::float8, %s::float8 - %s::float8) / 100)", g, add(b[2]), add(b[0]), add(b[3]), add(b[1]))
	}
	if c.SwapXY {
		g = "ST_FlipCoordinates(" + g + ")"
	}
	if srid != 4326 {
		g = "ST_Transform(" + g + ", 4326)"
	}
	return g
}

// bboxInset is how far inside a box in degrees a feature's bounding box must lie for
// bboxCondition to take it without the exact test: 1e-4° (about 10 m), more than twice the
// float4 rounding of PostGIS's stored bounding boxes (at most 1.5e-5° below 180°), which rounds
// outwards and so could make a box just outside the query box look inside it.
const bboxInset = 1e-4

// bboxCondition is the bbox filter: the features whose geometry intersects q.BBox. ST_Intersects
// runs GEOS on every candidate the index finds (about 1 µs a plot, half of a 1,000-feature
// page's filtering); a feature whose bounding box lies inside the box intersects it without that
// test. So, for a box in the stored CRS (the usual case) larger than twice bboxInset, the
// condition is the index test (&&), then "bounding box inside the box shrunk by bboxInset" or,
// only for the features near the box's edges, ST_Intersects. The answer is exactly
// ST_Intersects's (TestBBoxConditionIsExact); the CASE keeps the planner from making index
// conditions of its branches, so the plan stays one index scan. A box in another CRS (a curved
// outline once transformed) gets ST_Intersects alone, which does the index test itself.
func bboxCondition(q inventory.Query, add func(any) string) string {
	b := q.BBox
	box := bboxSQL(q, add)
	if !q.BBoxCRS.Native() || b[2]-b[0] <= 2*bboxInset || b[3]-b[1] <= 2*bboxInset {
		return "ST_Intersects(t.geom, " + box + ")"
	}
	inner := fmt.Sprintf("ST_MakeEnvelope(%s, %s, %s, %s, 4326)", add(b[0]+bboxInset), add(b[1]+bboxInset), add(b[2]-bboxInset), add(b[3]-bboxInset))
	return fmt.Sprintf("t.geom && %[1]s and case when t.geom @ %[2]s then true else ST_Intersects(t.geom, %[1]s) end", box, inner)
}

// orderSQL is the list's ORDER BY: q.SortBy from the allow-list, then code.
func orderSQL(q inventory.Query, v inventory.Viewer) (string, error) {
	if len(q.SortBy) == 0 {
		return "t.code", nil
	}
	keys := make([]cql2.SortKey, len(q.SortBy))
	for i, k := range q.SortBy {
		keys[i] = cql2.SortKey{Property: k.Property, Desc: k.Desc}
	}
	cols := queryColumns(q.Layer, v)
	delete(cols, cql2.GeometryProperty)
	s, err := CompileSortBy(keys, cols)
	if err != nil {
		return "", err
	}
	return s + ", t.code", nil
}

// geoJSONSQL writes the geometry of row t as GeoJSON in crs: transformed (ST_Transform) and
// axis-swapped (ST_FlipCoordinates) as the CRS says, rounded to 1e-7° or the millimetre.
func geoJSONSQL(crs inventory.CRS) string {
	g := "t.geom"
	if crs.SRID != 0 && crs.SRID != 4326 {
		g = "ST_Transform(" + g + ", " + strconv.Itoa(crs.SRID) + ")"
	}
	if crs.SwapXY {
		g = "ST_FlipCoordinates(" + g + ")"
	}
	return "ST_AsGeoJSON(" + g + ", " + strconv.Itoa(crs.Decimals()) + ")"
}

var _ inventory.ExtentReader = (*DB)(nil)

// Extent returns the bounding box of l's live features in zone and the first and latest
// valid_from of any of its versions (the temporal extent of its history).
func (db *DB) Extent(ctx context.Context, l *inventory.Layer, zone string) (inventory.Extent, error) {
	var ext inventory.Extent
	zone, err := db.zoneCode(ctx, zone)
	if err != nil {
		return ext, err
	}
	var x0, y0, x1, y1 *float64
	var first, latest *time.Time
	sql := fmt.Sprintf(`select ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), f, l from
		(select ST_Extent(t.geom) filter (where t.valid_to = 'infinity' and not t.archived) as e,
		        min(t.valid_from) as f, max(t.valid_from) as l
		 from %s t where t.zone_id = (select id from zones where code = $1)) x`, pgx.Identifier{l.Table}.Sanitize())
	err = db.Pool.QueryRow(ctx, sql, zone).Scan(&x0, &y0, &x1, &y1, &first, &latest)
	if errors.Is(err, pgx.ErrNoRows) {
		return ext, nil
	}
	if err != nil {
		return ext, fmt.Errorf("extent of %s: %w", l.Name, err)
	}
	if x0 != nil {
		ext.BBox = &[4]float64{*x0, *y0, *x1, *y1}
	}
	ext.First, ext.Latest = first, latest
	return ext, nil
}
