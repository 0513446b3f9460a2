package inventory

import (
	"context"
	"time"
)

// CRS is a coordinate reference system (坐标参考系) a list is read or written in, by its EPSG
// code. The zero CRS is the store's own: CRS84, longitude and latitude on WGS 84, SRID 4326.
type CRS struct {
	// SRID is the EPSG code; 0 means 4326.
	SRID int
	// SwapXY says the CRS lists its second axis first: latitude before longitude (EPSG:4326
	// and EPSG:4490 under OGC rules) or northing before easting (the CGCS2000 Gauss-Krüger
	// CRSs EPSG:4513–4554). The store swaps the coordinates (ST_FlipCoordinates).
	SwapXY bool
	// Geographic says the coordinates are degrees (rounded to 1e-7°); otherwise metres
	// (rounded to the millimetre).
	Geographic bool
}

// Native reports whether c is the store's own CRS84 (no transform, no swap).
func (c CRS) Native() bool { return (c.SRID == 0 || c.SRID == 4326) && !c.SwapXY }

// Decimals is the number of decimals coordinates in c are written with: 7 for degrees
// (about 1 cm), 3 for metres (the millimetre).
func (c CRS) Decimals() int {
	if c.SRID == 0 || c.Geographic {
		return 7
	}
	return 3
}

// SortKey is one key of a list's order: a property and its direction.
type SortKey struct {
	Property string
	Desc     bool
}

// FilterExpr is a parsed filter expression (a cql2.Expr, which this package cannot name: the
// parser imports inventory for its errors). A store accepts only the cql2 tree.
type FilterExpr interface {
	Pos() int
	String() string
}

// Extent is the spatial and temporal extent of a layer in a zone: the bounding box of its
// live features (minLon, minLat, maxLon, maxLat) and the first and last time any version of
// any of its features began (nil when the layer is empty).
type Extent struct {
	BBox          *[4]float64
	First, Latest *time.Time
}

// ExtentReader reads the extents the OGC collections publish.
type ExtentReader interface {
	// Extent returns layer l's extent in zone.
	Extent(ctx context.Context, l *Layer, zone string) (Extent, error)
}
