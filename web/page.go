package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
)

// ui holds the built land map (web/ui, built by `make build` into web/ui/dist). A clean clone
// holds only a placeholder there; the page handler then says how to build it.
//
//go:embed all:ui/dist
var ui embed.FS

// Basemap is the optional basemap under the zone's layers. The page works fully offline
// without one; a basemap is for users who can reach a tile service.
//
// CRS says which datum the tiles are drawn in: "cgcs2000" (Tianditu 天地图, equal to WGS 84 at
// map scale: the layers line up directly) or "gcj02" (AMap 高德, Tencent 腾讯: the page shifts
// every layer into GCJ-02, see geo.WGS84ToGCJ02, and then reads plots as GeoJSON rather than
// vector tiles so that it can shift them).
type Basemap struct {
	Name        string   `json:"name"`
	Tiles       []string `json:"tiles"`
	Overlay     []string `json:"overlay,omitempty"` // annotation tiles drawn above the base (Tianditu cva)
	Scheme      string   `json:"scheme,omitempty"`  // "xyz" (default) or "tms"
	CRS         string   `json:"crs"`
	Attribution string   `json:"attribution,omitempty"`
	MaxZoom     int      `json:"max_zoom,omitempty"`

	// A local PMTiles archive served by landinv (basemap.go, LocalBasemap): the archive's and
	// the style's paths on this server, the archive's tile type (mvt, png, jpg, webp, avif),
	// zoom range and bounds (west, south, east, north) from its header.
	Archive  string    `json:"archive,omitempty"`
	Style    string    `json:"style,omitempty"`
	TileType string    `json:"tile_type,omitempty"`
	MinZoom  int       `json:"min_zoom,omitempty"`
	Bounds   []float64 `json:"bounds,omitempty"`

	archivePath string // the archive's file
	style       []byte // the style's JSON
}

// BasemapPreset returns a named basemap: "tianditu" (needs key, a Tianditu browser key),
// "amap" or "tencent". ok is false for an unknown name or a Tianditu preset without a key.
func BasemapPreset(name, key string) (Basemap, bool) {
	switch name {
	case "tianditu":
		if key == "" {
			return Basemap{}, false
		}
		wmts := func(layer string) []string {
			var out []string
			for i := range 8 {
				out = append(out, "https://t"+strconv.Itoa(i)+".tianditu.gov.cn/"+layer+"_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER="+layer+
					"&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk="+key)
			}
			return out
		}
		return Basemap{Name: "tianditu", Tiles: wmts("vec"), Overlay: wmts("cva"), CRS: "cgcs2000", Attribution: "© 天地图 Tianditu", MaxZoom: 18}, true
	case "amap":
		var t []string
		for i := 1; i <= 4; i++ {
			t = append(t, "https://webrd0"+strconv.Itoa(i)+".is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}")
		}
		return Basemap{Name: "amap", Tiles: t, CRS: "gcj02", Attribution: "© 高德地图 AMap", MaxZoom: 18}, true
	case "tencent":
		var t []string
		for i := range 4 {
			t = append(t, "https://rt"+strconv.Itoa(i)+".map.gtimg.com/tile?z={z}&x={x}&y={y}&type=vector&styleid=0")
		}
		return Basemap{Name: "tencent", Tiles: t, Scheme: "tms", CRS: "gcj02", Attribution: "© 腾讯地图 Tencent", MaxZoom: 18}, true
	}
	return Basemap{}, false
}

// pageETags returns the entity tags of the embedded page files, by path.
func pageETags() map[string]string {
	etags := map[string]string{}
	_ = fs.WalkDir(ui, "ui/dist", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := ui.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		etags[name] = `"` + hex.EncodeToString(sum[:8]) + `"`
		return nil
	})
	return etags
}

// pageCSP is the Content-Security-Policy of the map and report pages: scripts only from this
// server (a planner's token sits in sessionStorage), tiles from an optional basemap over https.
const pageCSP = "default-src 'self'; img-src 'self' data: blob: https:; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' https:"

// mapPage serves the land map (土地一张图).
func (s *Server) mapPage(w http.ResponseWriter, r *http.Request) {
	if _, err := fs.Stat(ui, "ui/dist/index.html"); err != nil {
		writeProblem(w, http.StatusServiceUnavailable, "page not built",
			"the land map is not built into this binary: run `make build` (npm ci and the frontend build, then go build)", "", nil)
		return
	}
	w.Header().Set("Content-Security-Policy", pageCSP)
	s.serveFile(w, r, "ui/dist/index.html", "no-cache")
}

// immutable is the Cache-Control of an asset whose name carries the hash of its content: a new
// build has new names, so a browser may keep it for a year without asking again.
const immutable = "public, max-age=31536000, immutable"

// hashedAsset matches the names the UI build gives its assets: NAME-HASH.EXT, HASH being 8
// base32 characters (esbuild's [hash]; build.mjs computes the worker's and the icon's alike).
var hashedAsset = regexp.MustCompile(`^/[a-z0-9-]+-[A-Z2-7]{8}\.(js|mjs|css|svg)$`)

// asset serves a file of the UI build: hashed names cached for a year, anything else revalidated
// (no-cache with its ETag). A client that accepts brotli or gzip gets the build's precompressed
// copy (name.br, name.gz: compressed once, at the highest level, at build time).
func (s *Server) asset(w http.ResponseWriter, r *http.Request) {
	name := path.Clean("/" + chi.URLParam(r, "*"))
	if strings.Contains(name, "..") {
		Problem(w, r, inventory.Errorf(inventory.ENotFound, "", "no such asset"))
		return
	}
	cache := "no-cache"
	if hashedAsset.MatchString(name) {
		cache = immutable
	}
	file := "ui/dist/assets" + name
	w.Header().Add("Vary", "Accept-Encoding")
	for _, enc := range []struct{ coding, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if _, ok := s.etags[file+enc.ext]; ok && accepts(r, enc.coding) {
			w.Header().Set("Content-Encoding", enc.coding)
			s.serveFileAs(w, r, file+enc.ext, path.Ext(name), cache)
			return
		}
	}
	s.serveFile(w, r, file, cache)
}

// accepts reports whether the request's Accept-Encoding lists coding with a q-value above 0.
func accepts(r *http.Request, coding string) bool {
	for _, h := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(h, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(name), coding) {
				continue
			}
			if q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
				if v, err := strconv.ParseFloat(q, 64); err == nil && v <= 0 {
					return false
				}
			}
			return true
		}
	}
	return false
}

// favicon serves the page's icon.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	s.serveFile(w, r, "ui/dist/assets/favicon.svg", "public, max-age=86400")
}

// serveFile writes an embedded file with its ETag, answering 304 to a matching If-None-Match.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, name, cache string) {
	s.serveFileAs(w, r, name, path.Ext(name), cache)
}

// serveFileAs is serveFile with the content type of the extension ext (a precompressed copy is
// served with the type of what it holds). The body goes through http.ServeContent, straight
// from the embedded file (no copy per request): ranges, HEAD and If-None-Match against the
// file's ETag as net/http does them.
func (s *Server) serveFileAs(w http.ResponseWriter, r *http.Request, name, ext, cache string) {
	f, err := ui.Open(name)
	if err != nil {
		Problem(w, r, inventory.Errorf(inventory.ENotFound, "", "no such path: %s", r.URL.Path))
		return
	}
	defer f.Close()
	body, ok := f.(io.ReadSeeker)
	if st, serr := f.Stat(); !ok || serr != nil || st.IsDir() {
		Problem(w, r, inventory.Errorf(inventory.ENotFound, "", "no such path: %s", r.URL.Path))
		return
	}
	ct := mime.TypeByExtension(ext)
	switch ext {
	case ".mjs", ".js":
		ct = "text/javascript; charset=utf-8"
	case ".html":
		ct = "text/html; charset=utf-8"
	case ".css":
		ct = "text/css; charset=utf-8"
	case ".svg":
		ct = "image/svg+xml"
	case ".pbf":
		ct = "application/x-protobuf"
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", cache)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if tag := s.etags[name]; tag != "" {
		w.Header().Set("ETag", tag)
	}
	http.ServeContent(w, r, "", time.Time{}, body)
}

// mapConfig answers /map-config.json: the basemap and tile settings for the page.
func (s *Server) mapConfig(w http.ResponseWriter, r *http.Request) {
	threshold := s.deps.TileThreshold
	if threshold <= 0 {
		threshold = 3000
	}
	cfg := map[string]any{
		"tile_threshold": threshold,
		"tiles":          s.deps.Tiles != nil,
		"max_tile_zoom":  inventory.MaxTileZoom,
	}
	if len(s.deps.Basemap.Tiles) > 0 || s.deps.Basemap.Archive != "" {
		cfg["basemap"] = s.deps.Basemap
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, cfg)
}

// nearestRoad answers GET /api/v1/plots/{code}/nearest-road: the nearest road (any status) and
// the nearest existing one, with their distances.
func (s *Server) nearestRoad(w http.ResponseWriter, r *http.Request) {
	code := chi.URLParam(r, "code")
	if !inventory.ValidCode(code) {
		Problem(w, r, inventory.Errorf(inventory.ENotFound, "code", "no plot with code %q", code))
		return
	}
	nearest, existing, err := s.deps.Map.NearestRoads(r.Context(), zoneOf(r), code)
	if err != nil {
		Problem(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"plot": code, "nearest": nearest, "nearest_existing": existing})
}

// landUses answers GET /api/v1/land-uses: land-use codes with Chinese and English names.
func (s *Server) landUses(w http.ResponseWriter, r *http.Request) {
	lu, err := s.deps.Map.LandUses(r.Context())
	if err != nil {
		Problem(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeJSON(w, http.StatusOK, map[string]any{"land_uses": lu})
}

// tile answers GET /tiles/{layer}/{z}/{x}/{y}.mvt: a Mapbox Vector Tile (ST_AsMVT) of the live
// features; 204 when the tile is empty.
//
// A tile's ETag is the inventory's revision (every write bumps it) that its statement read in
// the same snapshot as its features (TileService.TileAt). One round trip per request:
//   - with a cached tile of the same key, the revision is read in the store's shared rounds
//     (inventory/postgis/revisiongate.go); if it is the cached tile's, the cached tile is
//     served (or a 304 when it is also the client's If-None-Match);
//   - otherwise the tile's one statement resolves the zone (404 naming zone), reads the revision
//     and renders, unless the revision is the client's (304) or the cached tile's.
//
// Tiles are kept in memory under (layer, zone, z, x, y, audience) with their revision, see
// tileCache for why a cached tile is never stale.
func (s *Server) tile(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "layer")
	tl, ok := inventory.TileLayers[name]
	if !ok || s.deps.Tiles == nil {
		Problem(w, r, inventory.Errorf(inventory.ENotFound, "layer", "no vector tiles for layer %q", name))
		return
	}
	var zxy [3]int
	for i, k := range []string{"z", "x", "y"} {
		n, err := strconv.Atoi(chi.URLParam(r, k))
		if err != nil {
			Problem(w, r, inventory.Errorf(inventory.EInvalid, k, "must be a whole number"))
			return
		}
		zxy[i] = n
	}
	if err := inventory.CheckTile(zxy[0], zxy[1], zxy[2]); err != nil {
		Problem(w, r, err)
		return
	}
	s.serveTile(w, r, tl, zxy[0], zxy[1], zxy[2])
}

// serveTile answers with tile z/x/y of tl in the request's zone, through the tile cache, its
// ETag the revision it was drawn at (304 on a current If-None-Match): /tiles and the OGC API
// tiles alike.
func (s *Server) serveTile(w http.ResponseWriter, r *http.Request, tl *inventory.TileLayer, z, x, y int) {
	key := tileKey{layer: tl.Layer.Name, zone: zoneOf(r), z: z, x: x, y: y,
		planner: inventory.ViewerFrom(r.Context()).SeesConfidential()}
	client, haveClient := tileETag(r.Header.Get("If-None-Match"))
	ent, hit := s.tileCache.get(key)
	cachedRev, cached := ent.rev, ent.tile
	if hit {
		// A tile of this zone is at hand: the revision alone tells whether it (or the
		// client's) is current, and that is read in the store's shared rounds
		// (inventory/postgis/revisiongate.go), one query for many requests. Without a cached
		// tile the zone is not known to exist, so even a client's ETag goes to the tile's
		// statement (which checks the zone).
		rev, epoch, err := s.deps.Tiles.RevisionEpoch(r.Context())
		if err != nil {
			Problem(w, r, err)
			return
		}
		if epoch != 0 && epoch != ent.epoch {
			// The database was restored under the server since the tile was drawn: its
			// revision numbers name other states. Draw again (the entry is replaced).
			hit, cachedRev, cached, ent = false, 0, nil, tileEntry{}
		} else if (haveClient && rev == client) || rev == cachedRev {
			s.writeTile(w, r, rev, haveClient && rev == client, cached)
			return
		}
		// Newer revisions, none of which touched the tile's box (the change log, tilechanges.go):
		// the cached tile is rev's too.
		if s.tileChanges.untouched(r.Context(), tl.Layer.Table, ent.box, ent.epoch, cachedRev, rev) {
			s.tileCache.seen(key, ent.content, rev, ent.epoch)
			s.writeTile(w, r, rev, haveClient && rev == client, cached)
			return
		}
	}
	held := inventory.TileHeld{Revisions: make([]int64, 0, 2)}
	if haveClient {
		held.Revisions = append(held.Revisions, client)
	}
	if hit {
		held.Revisions = append(held.Revisions, cachedRev)
		held.Content = ent.content
	}
	t, err := s.deps.Tiles.TileAt(r.Context(), tl, key.zone, key.z, key.x, key.y, held)
	if err != nil {
		Problem(w, r, err)
		return
	}
	b := t.Tile
	switch {
	case t.Rendered:
		s.tileCache.put(key, t.Revision, t.Content, t.Box, t.Epoch, b)
	case t.Same: // the cached tile's content, at this revision: a write elsewhere left it as it was
		s.tileCache.seen(key, t.Content, t.Revision, t.Epoch)
		b = cached
	case !haveClient || t.Revision != client: // the revision is the cached tile's
		b = cached
	}
	s.writeTile(w, r, t.Revision, haveClient && t.Revision == client, b)
}

// writeTile answers with tile b of revision rev (its ETag), or 304 when notModified.
func (s *Server) writeTile(w http.ResponseWriter, r *http.Request, rev int64, notModified bool, b []byte) {
	h := w.Header()
	h["Etag"] = []string{`"` + strconv.FormatInt(rev, 10) + `"`}
	h["Cache-Control"] = []string{"no-cache"}
	h.Add("Vary", "Authorization")
	switch {
	case notModified:
		w.WriteHeader(http.StatusNotModified)
	case len(b) == 0:
		w.WriteHeader(http.StatusNoContent)
	default:
		h["Content-Type"] = []string{"application/vnd.mapbox-vector-tile"}
		_, _ = w.Write(b)
	}
}

// tileETag reads the revision of an If-None-Match naming one tile ETag ("N"; W/"N" too, as
// weak comparison allows); ok is false for anything else.
func tileETag(h string) (int64, bool) {
	h = strings.TrimPrefix(strings.TrimSpace(h), "W/")
	if len(h) < 3 || h[0] != '"' || h[len(h)-1] != '"' {
		return 0, false
	}
	n, err := strconv.ParseInt(h[1:len(h)-1], 10, 64)
	return n, err == nil && n > 0
}
