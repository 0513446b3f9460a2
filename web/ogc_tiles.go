package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/cql2"
)

// OGC API – Tiles (矢量瓦片) over the vector tiles of /tiles/{layer}/{z}/{x}/{y}.mvt: the
// tileset list of a layer, its WebMercatorQuad tileset, a TileJSON 3.0 document, and the tiles
// at /tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}: row is y and column is x, the
// reverse of the XYZ order. The same store call (TileService.Tile) answers both.

const webMercatorQuad = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"

// tilingSchemeRel links a tileset to its tile matrix set, which the server serves itself
// (/ogc/tileMatrixSets/WebMercatorQuad): a link to the OGC registry on GitHub, as before, left
// GDAL's OGCAPI driver unable to open a collection where GitHub cannot be reached (often so in
// China), and the tileset itself carried no such link at all.
const tilingSchemeRel = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"

// webMercatorQuadSet is the WebMercatorQuad tile matrix set (OGC Two Dimensional Tile Matrix
// Set 2.0, JSON), zoom 0 to inventory.MaxTileZoom: 256-pixel tiles in EPSG:3857 from the top
// left corner of the square of ±20037508.3427892 m; each zoom halves the cell size. It carries
// the 1.0 encoding's names as well (type, identifier, supportedCRS, tileMatrix with
// topLeftCorner): GDAL 3.6, Debian 12's, reads only those ("Invalid tiling matrix set name"
// otherwise); a 2.0 reader ignores them.
func webMercatorQuadSet() map[string]any {
	const (
		origin   = 20037508.3427892
		cell0    = 156543.03392804097 // metres per pixel at zoom 0: 2·origin / 256
		scale0   = 559082264.0287178  // cell0 / 0.28 mm, the standard pixel
		tileSize = 256
	)
	var matrices []map[string]any
	for z := 0; z <= inventory.MaxTileZoom; z++ {
		n := 1 << z
		matrices = append(matrices, map[string]any{
			"id": strconv.Itoa(z), "scaleDenominator": scale0 / float64(n), "cellSize": cell0 / float64(n),
			"cornerOfOrigin": "topLeft", "pointOfOrigin": []float64{-origin, origin},
			"tileWidth": tileSize, "tileHeight": tileSize, "matrixWidth": n, "matrixHeight": n,
			"type": "TileMatrixType", "identifier": strconv.Itoa(z), "topLeftCorner": []float64{-origin, origin}, // 1.0
		})
	}
	crs := "http://www.opengis.net/def/crs/EPSG/0/3857"
	return map[string]any{
		"id": "WebMercatorQuad", "title": "Google Maps Compatible for the World", "uri": webMercatorQuad,
		"crs": crs, "orderedAxes": []string{"X", "Y"},
		"wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
		"tileMatrices":      matrices,
		"type":              "TileMatrixSetType", "identifier": "WebMercatorQuad", "supportedCRS": crs, "tileMatrix": matrices, // 1.0
	}
}

// ogcTileMatrixSets answers GET /ogc/tileMatrixSets: the one set the tiles use.
func ogcTileMatrixSets(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"tileMatrixSets": []map[string]any{{
		"id": "WebMercatorQuad", "title": "Google Maps Compatible for the World", "uri": webMercatorQuad,
		"links": []map[string]string{ogcLink(r, "self", "/ogc/tileMatrixSets/WebMercatorQuad", "application/json", "WebMercatorQuad")},
	}}})
}

// ogcTileMatrixSet answers GET /ogc/tileMatrixSets/WebMercatorQuad.
func ogcTileMatrixSet(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, webMercatorQuadSet())
}

func ogcTileURL(l *inventory.Layer) string {
	return "/ogc/collections/" + l.Name + "/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"
}

// ogcTilesets answers GET /ogc/collections/{layer}/tiles.
func (s *Server) ogcTilesets(tl *inventory.TileLayer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		base := "/ogc/collections/" + tl.Layer.Name + "/tiles/WebMercatorQuad"
		writeJSON(w, http.StatusOK, map[string]any{
			"links": []map[string]string{ogcLink(r, "self", "/ogc/collections/"+tl.Layer.Name+"/tiles", "application/json", "")},
			"tilesets": []map[string]any{{
				"title": ogcCollectionText[tl.Layer.Name][0] + " / " + tl.Layer.LabelEN, "dataType": "vector",
				"crs": "http://www.opengis.net/def/crs/EPSG/0/3857", "tileMatrixSetURI": webMercatorQuad,
				"links": []map[string]string{
					ogcLink(r, "self", base, "application/json", "tileset"),
					ogcLink(r, tilingSchemeRel, "/ogc/tileMatrixSets/WebMercatorQuad", "application/json", "WebMercatorQuad"),
					ogcLink(r, "item", ogcTileURL(tl.Layer), "application/vnd.mapbox-vector-tile", "Mapbox Vector Tiles"),
					ogcLink(r, "describedby", base+"/tilejson", "application/json", "TileJSON 3.0"),
				},
			}},
		})
	}
}

// ogcTileset answers GET /ogc/collections/{layer}/tiles/WebMercatorQuad.
func (s *Server) ogcTileset(tl *inventory.TileLayer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// The layer's properties as JSON Schema, as /schema gives them (OGC API – Tiles:
		// propertiesSchema is a schema, each property one, not a title).
		qa := cql2.LayerQueryables(tl.Layer, inventory.ViewerFrom(r.Context()))
		fields := map[string]any{}
		for _, p := range tl.Properties {
			f, _ := tl.Layer.Field(p)
			fields[p] = ogcPropertySchema(f, qa[p])
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"title": tl.Layer.Label + " / " + tl.Layer.LabelEN, "dataType": "vector",
			"crs": "http://www.opengis.net/def/crs/EPSG/0/3857", "tileMatrixSetURI": webMercatorQuad,
			"tileMatrixSetLimits": []map[string]any{},
			"layers":              []map[string]any{{"id": tl.Layer.Name, "dataType": "vector", "propertiesSchema": map[string]any{"type": "object", "properties": fields}, "maxTileMatrix": strconv.Itoa(inventory.MaxTileZoom)}},
			"links": []map[string]string{
				ogcLink(r, "self", "/ogc/collections/"+tl.Layer.Name+"/tiles/WebMercatorQuad", "application/json", ""),
				ogcLink(r, tilingSchemeRel, "/ogc/tileMatrixSets/WebMercatorQuad", "application/json", "WebMercatorQuad"),
				ogcLink(r, "item", ogcTileURL(tl.Layer), "application/vnd.mapbox-vector-tile", "Mapbox Vector Tiles"),
			},
		})
	}
}

// ogcTileJSON answers GET /ogc/collections/{layer}/tiles/WebMercatorQuad/tilejson: TileJSON
// 3.0.0 of the layer's tiles, with the zone's bounds.
func (s *Server) ogcTileJSON(tl *inventory.TileLayer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		z, err := s.deps.Zones.Zone(r.Context(), zoneOf(r))
		if err != nil {
			Problem(w, r, err)
			return
		}
		fields := map[string]string{}
		for _, p := range tl.Properties {
			f, _ := tl.Layer.Field(p)
			fields[p] = string(f.Type)
		}
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"tilejson": "3.0.0", "name": tl.Layer.Label + " / " + tl.Layer.LabelEN, "scheme": "xyz",
			"tiles":   []string{scheme + "://" + r.Host + "/tiles/" + tl.Layer.Name + "/{z}/{x}/{y}.mvt?zone=" + z.Code},
			"minzoom": 0, "maxzoom": inventory.MaxTileZoom, "bounds": z.BBox,
			"center":        []float64{(z.BBox[0] + z.BBox[2]) / 2, (z.BBox[1] + z.BBox[3]) / 2, 12},
			"vector_layers": []map[string]any{{"id": tl.Layer.Name, "fields": fields, "minzoom": 0, "maxzoom": inventory.MaxTileZoom}},
		})
	}
}

// ogcTile answers GET .../tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}: the MVT of
// /tiles/{layer}/{tileMatrix}/{tileCol}/{tileRow}.mvt, served the same way (serveTile: the
// tile cache, the revision as ETag, 304).
func (s *Server) ogcTile(tl *inventory.TileLayer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var v [3]int
		for i, k := range []string{"tileMatrix", "tileRow", "tileCol"} {
			n, err := strconv.Atoi(chi.URLParam(r, k))
			if err != nil {
				Problem(w, r, inventory.Errorf(inventory.EInvalid, k, "must be a whole number"))
				return
			}
			v[i] = n
		}
		z, row, col := v[0], v[1], v[2]
		if err := inventory.CheckTile(z, col, row); err != nil {
			Problem(w, r, ogcTileError(err))
			return
		}
		s.serveTile(w, r, tl, z, col, row)
	}
}

// ogcTileError renames CheckTile's z/x/y to the OGC names.
func ogcTileError(err error) error {
	e, ok := err.(*inventory.Error)
	if !ok {
		return err
	}
	names := map[string]string{"z": "tileMatrix", "x": "tileCol", "y": "tileRow"}
	return &inventory.Error{Kind: e.Kind, Field: names[e.Field], Reason: e.Reason}
}

// ogcStyle answers GET /ogc/styles/land-map: a MapLibre (Mapbox GL) style drawing the plots'
// vector tiles the way the land map does: filled by status, outlined.
func (s *Server) ogcStyle(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	colours := []any{"match", []any{"get", "status"}}
	for _, st := range []struct{ s, c string }{
		{"planned", "#bdbdbd"}, {"ready", "#4caf50"}, {"reserved", "#ffc107"}, {"supplied", "#2196f3"},
		{"under_construction", "#ff9800"}, {"in_production", "#3f51b5"}, {"idle", "#e53935"},
	} {
		colours = append(colours, st.s, st.c)
	}
	colours = append(colours, "#9e9e9e")
	writeJSON(w, http.StatusOK, map[string]any{
		"version": 8, "name": "landinv 土地一张图",
		"sources": map[string]any{"plots": map[string]any{"type": "vector", "url": scheme + "://" + r.Host + "/ogc/collections/plots/tiles/WebMercatorQuad/tilejson"}},
		"layers": []map[string]any{
			{"id": "background", "type": "background", "paint": map[string]any{"background-color": "#f5f5f0"}},
			{"id": "plots-fill", "type": "fill", "source": "plots", "source-layer": "plots", "paint": map[string]any{"fill-color": colours, "fill-opacity": 0.6}},
			{"id": "plots-line", "type": "line", "source": "plots", "source-layer": "plots", "paint": map[string]any{"line-color": "#424242", "line-width": 0.5}},
		},
	})
}
