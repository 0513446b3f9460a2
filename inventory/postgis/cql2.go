package postgis

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/cql2"
)

// CQL2CRS is the CRS of a filter's geometry literals (the OGC parameter filter-crs). The
// zero value is CRS84: longitude, latitude on WGS 84 / CGCS2000, stored SRID 4326.
type CQL2CRS struct {
	// SRID is the EPSG code of the literals; 0 means 4326. Other codes are transformed to
	// 4326 with ST_Transform.
	SRID int
	// SwapXY says the CRS lists latitude (or northing) first, as EPSG:4326 and EPSG:4490 do
	// under OGC rules; the literals' axes are swapped before use.
	SwapXY bool
}

func (c CQL2CRS) srid() int {
	if c.SRID == 0 {
		return 4326
	}
	return c.SRID
}

// geographic says whether literals are degrees, so out-of-range coordinates are a 400.
func (c CQL2CRS) geographic() bool {
	switch c.srid() {
	case 4326, 4490:
		return true
	}
	return false
}

// CompileCQL2 compiles a filter, already checked with cql2.Queryables.Check, to a SQL
// boolean expression. columns maps each property to its SQL column expression (the
// allow-list: a property missing from it is a *cql2.UnknownPropertyError). Every literal
// becomes a bound parameter appended to args ($n counts on from len(args)); geometry
// columns must hold SRID 4326.
//
// Mapping: comparisons, LIKE (PostgreSQL's default escape \, as in CQL2), BETWEEN, IN and
// IS NULL as in SQL, so a comparison with NULL is never true; CASEI(x) is lower(x); numbers
// are numeric, and x / 0 is NULL rather than an error; TIMESTAMP is timestamptz and DATE is
// date; geometry literals are ST_GeomFromText(wkt, filter-crs SRID), axis-swapped and
// transformed to 4326 as crs says; S_INTERSECTS is ST_Intersects and S_DWITHIN(a, b, m) is
// ST_DWithin(a::geography, b::geography, m), metres on the spheroid.
func CompileCQL2(e cql2.Expr, columns map[string]string, crs CQL2CRS, args []any) (string, []any, error) {
	c := &cql2Compiler{cols: columns, crs: crs, args: args}
	sql, err := c.expr(e)
	if err != nil {
		return "", args, err
	}
	return sql, c.args, nil
}

type cql2Compiler struct {
	cols map[string]string
	crs  CQL2CRS
	args []any
}

func (c *cql2Compiler) param(v any, cast string) string {
	c.args = append(c.args, v)
	return "$" + strconv.Itoa(len(c.args)) + "::" + cast
}

func (c *cql2Compiler) list(es []cql2.Expr, sep string) (string, error) {
	parts := make([]string, len(es))
	for i, e := range es {
		s, err := c.expr(e)
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	return strings.Join(parts, sep), nil
}

func (c *cql2Compiler) expr(e cql2.Expr) (string, error) {
	switch e := e.(type) {
	case *cql2.And:
		s, err := c.list(e.Args, " AND ")
		return "(" + s + ")", err
	case *cql2.Or:
		s, err := c.list(e.Args, " OR ")
		return "(" + s + ")", err
	case *cql2.Not:
		s, err := c.expr(e.Arg)
		return "(NOT " + s + ")", err
	case *cql2.Compare:
		s, err := c.list([]cql2.Expr{e.Left, e.Right}, " "+sqlCompare[e.Op]+" ")
		return "(" + s + ")", err
	case *cql2.Like:
		s, err := c.list([]cql2.Expr{e.Expr, e.Pattern}, " LIKE ")
		return "(" + s + ")", err
	case *cql2.Between:
		x, err := c.expr(e.Expr)
		if err != nil {
			return "", err
		}
		s, err := c.list([]cql2.Expr{e.Low, e.High}, " AND ")
		return "(" + x + " BETWEEN " + s + ")", err
	case *cql2.In:
		x, err := c.expr(e.Expr)
		if err != nil {
			return "", err
		}
		s, err := c.list(e.List, ", ")
		return "(" + x + " IN (" + s + "))", err
	case *cql2.IsNull:
		s, err := c.expr(e.Expr)
		return "(" + s + " IS NULL)", err
	case *cql2.Spatial:
		a, err := c.expr(e.Left)
		if err != nil {
			return "", err
		}
		b, err := c.expr(e.Right)
		if err != nil {
			return "", err
		}
		if e.Op == cql2.SIntersects {
			return "ST_Intersects(" + a + ", " + b + ")", nil
		}
		return "ST_DWithin((" + a + ")::geography, (" + b + ")::geography, " + c.param(e.Distance.Value, "float8") + ")", nil
	case *cql2.Property:
		col, ok := c.cols[e.Name]
		if !ok {
			return "", &cql2.UnknownPropertyError{Name: e.Name, Pos: e.Pos(), Path: e.At.Path}
		}
		return "(" + col + ")", nil
	case *cql2.String:
		return c.param(e.Value, "text"), nil
	case *cql2.Number:
		return c.param(strconv.FormatFloat(e.Value, 'g', -1, 64), "numeric"), nil
	case *cql2.Bool:
		return c.param(e.Value, "boolean"), nil
	case *cql2.Timestamp:
		return c.param(e.Value, "timestamptz"), nil
	case *cql2.Date:
		return c.param(e.Value, "date"), nil
	case *cql2.Geometry:
		return c.geometry(e)
	case *cql2.CaseI:
		s, err := c.expr(e.Arg)
		return "lower(" + s + ")", err
	case *cql2.Arith:
		l, err := c.expr(e.Left)
		if err != nil {
			return "", err
		}
		r, err := c.expr(e.Right)
		if err != nil {
			return "", err
		}
		if e.Op == "/" {
			return "((" + l + ")::numeric / NULLIF((" + r + ")::numeric, 0))", nil
		}
		return "((" + l + ")::numeric " + e.Op + " (" + r + ")::numeric)", nil
	}
	return "", inventory.Errorf(inventory.EInvalid, "filter", "cannot compile %s", e)
}

var sqlCompare = map[string]string{"=": "=", "<>": "<>", "<": "<", ">": ">", "<=": "<=", ">=": ">="}

func (c *cql2Compiler) geometry(e *cql2.Geometry) (string, error) {
	if c.crs.geographic() {
		if err := inDegrees(e, c.crs.SwapXY); err != nil {
			return "", err
		}
	}
	g := "ST_GeomFromText(" + c.param(cql2.WKT(e.Geom), "text") + ", " + c.param(c.crs.srid(), "integer") + ")"
	if c.crs.SwapXY {
		g = "ST_FlipCoordinates(" + g + ")"
	}
	if c.crs.srid() != 4326 {
		g = "ST_Transform(" + g + ", 4326)"
	}
	return g, nil
}

// inDegrees refuses coordinates outside ±180°, or a latitude outside ±90°, which PostGIS
// geography would reject with an error.
func inDegrees(e *cql2.Geometry, swapXY bool) error {
	b := e.Geom.Bound()
	lat := 1
	if swapXY {
		lat = 0
	}
	if b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -180 || b.Max[1] > 180 || b.Min[lat] < -90 || b.Max[lat] > 90 {
		return &cql2.TypeError{Pos: e.Pos(), Path: e.At.Path, Msg: fmt.Sprintf("coordinates from %v to %v are outside the range of degrees", b.Min, b.Max)}
	}
	return nil
}

// CompileSortBy turns sortby keys (cql2.ParseSortBy) into an ORDER BY list ("col DESC,
// col2") from the columns allow-list; nothing of the request text reaches SQL. Nulls sort
// last either way, so paging stays stable.
func CompileSortBy(keys []cql2.SortKey, columns map[string]string) (string, error) {
	parts := make([]string, len(keys))
	for i, k := range keys {
		col, ok := columns[k.Property]
		if !ok {
			return "", inventory.Errorf(inventory.EInvalid, "sortby", "unknown property %q", k.Property)
		}
		dir := " ASC NULLS LAST"
		if k.Desc {
			dir = " DESC NULLS LAST"
		}
		parts[i] = "(" + col + ")" + dir
	}
	return strings.Join(parts, ", "), nil
}
