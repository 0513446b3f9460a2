package inventory

import "context"

// TileLayers are the layers served as Mapbox Vector Tiles (矢量瓦片), with the properties each
// tile carries. Tiles carry only public properties (never a confidential one), enough to
// colour, filter and identify a feature; the details come from the GeoJSON API.
var TileLayers = map[string]*TileLayer{
	"plots": {Layer: PlotLayer, Properties: []string{"code", "name", "district", "land_use", "cluster", "status", "standard_land", "area_mu"}},
}

// TileLayer is a layer served as vector tiles.
type TileLayer struct {
	Layer      *Layer
	Properties []string
}

// MaxTileZoom is the deepest tile zoom served; the map overzooms beyond it.
const MaxTileZoom = 18

// TileService renders vector tiles.
type TileService interface {
	// Tile returns the MVT tile z/x/y (XYZ scheme, Web Mercator) of the live features of tl in
	// zone; an empty tile is a nil slice.
	Tile(ctx context.Context, tl *TileLayer, zone string, z, x, y int) ([]byte, error)
	// TileAt is Tile with the inventory's revision (the tile's ETag), read by the same
	// statement as the tile's features, in the same snapshot: the tile is exactly that
	// revision's, and with the tile's content key. When the revision is one of
	// held.Revisions (the revision of a tile the caller holds: the client's If-None-Match, a
	// cached tile), or the content key is held.Content (the features drawn are the ones a tile
	// the caller holds was drawn from), the tile is not rendered and Tile is nil. zone "" is the
	// default zone; a zone that does not exist is ENotFound naming zone.
	TileAt(ctx context.Context, tl *TileLayer, zone string, z, x, y int, held TileHeld) (RevisionTile, error)
	// RevisionEpoch is FeatureReader.Revision with the epoch of the database it was read from
	// (TileChanges.Epoch; 0 when not known): a tile drawn at revision n is current at n only in
	// the database it was drawn from, since one restored under the server may count the same
	// numbers again.
	RevisionEpoch(ctx context.Context) (rev int64, epoch uint32, err error)
}

// TileHeld is what a caller of TileAt holds of a tile already: the revisions it has the tile of
// (the client's If-None-Match, a cached tile's) and the content key of a cached tile ("": none).
type TileHeld struct {
	Revisions []int64
	Content   string
}

// RevisionTile is a tile and the inventory's revision it shows.
//
// Content is the tile's content key: a digest of the versions (rows) it draws. A version never
// changes once written (an edit or an archiving is a new row), and a tile is drawn from its
// versions' own columns only, so two tiles of one z/x/y, layer and zone with the same content
// key are the same tile, whatever the revisions between them: a write elsewhere in the zone
// leaves a tile's key, and so the tile, as it was.
type RevisionTile struct {
	Revision int64
	Tile     []byte // nil when empty or not rendered (Rendered)
	Rendered bool   // false when Revision was one of held.Revisions, or Same
	Content  string // the content key; "" when the revision was one of held.Revisions (not read)
	Same     bool   // Content is held.Content: the held tile is this revision's too
	// Box is the box the tile draws its features from, in EPSG:3857 (minX, minY, maxX, maxY):
	// its envelope (ST_TileEnvelope) with the buffer, as PostGIS computed it. A change outside
	// it leaves the tile as it is (TileChange.Touches).
	Box [4]float64
	// Epoch is TileChanges.Epoch of the database the tile was drawn from.
	Epoch uint32
}

// CheckTile reports whether z/x/y names a tile.
func CheckTile(z, x, y int) error {
	if z < 0 || z > MaxTileZoom {
		return Errorf(EInvalid, "z", "must be a zoom from 0 to %d", MaxTileZoom)
	}
	n := 1 << z
	if x < 0 || x >= n {
		return Errorf(EInvalid, "x", "must be from 0 to %d at zoom %d", n-1, z)
	}
	if y < 0 || y >= n {
		return Errorf(EInvalid, "y", "must be from 0 to %d at zoom %d", n-1, z)
	}
	return nil
}

// TileChangeLogKeeps is how many of the newest revisions the change log keeps (migration 0078
// prunes beyond it): what one TileChanges reads at most, and what a copy of the log keeps.
const TileChangeLogKeeps = 20000

// TileChangeLog says where the inventory changed, revision by revision (inventory_changes,
// migration 0078), so that a tile cache can keep a tile that a write elsewhere did not touch
// without asking the database about that tile.
type TileChangeLog interface {
	// TileChanges returns the changes of the revisions after after, up to the current one, read
	// in one snapshot with that revision (To). Revisions lists every revision of (after, To]
	// the log holds (a revision the log has lost, or never had, is missing from it).
	TileChanges(ctx context.Context, after int64) (TileChanges, error)
}

// TileChanges is the log of the revisions (After, To].
type TileChanges struct {
	After, To int64
	// Epoch tells one database from another whose revisions may repeat the same numbers (one
	// restored under the server): the oid of the revision's table (0: not known).
	Epoch     uint32
	Revisions []int64      // the revisions of (After, To] the log holds, ascending
	Changes   []TileChange // what they changed, by revision
}

// TileChange is one writing statement's change: the table it wrote and the box (EPSG:3857) the
// rows it wrote cover, old and new versions alike; Anywhere for a change that is not in one
// place (a zone, a land-use code), which may change any tile.
type TileChange struct {
	Revision               int64
	Table                  string
	Anywhere               bool
	MinX, MinY, MaxX, MaxY float64
}

// Touches reports whether c may change a tile of table whose box (EPSG:3857, with the tile's
// buffer) is minX, minY, maxX, maxY: a change anywhere, or on that table in a box that meets it
// (edges included).
func (c TileChange) Touches(table string, minX, minY, maxX, maxY float64) bool {
	if c.Anywhere {
		return true
	}
	return c.Table == table && c.MinX <= maxX && c.MaxX >= minX && c.MinY <= maxY && c.MaxY >= minY
}
