package web

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
)

// A local basemap (底图) is a PMTiles archive (https://github.com/protomaps/PMTiles, spec v3)
// that landinv serves itself, for a zone administration on an intranet that drops in its own
// extract: LANDINV_BASEMAP=/path/to/file.pmtiles, optionally LANDINV_BASEMAP_STYLE=style.json
// (a MapLibre style). The archive is served whole under /basemap/tiles.pmtiles with HTTP range
// requests (206 Partial Content); the page reads it with the `pmtiles` library (npm, kept by
// Protomaps) through a pmtiles:// protocol, which asks for the header and directories, then
// for each tile's bytes. The server only reads the archive's fixed 127-byte header, to refuse
// a file that is not a PMTiles v3 archive at start-up and to tell the page what it holds.
//
// The style, when given, is served at /basemap/style.json; the page draws its layers under the
// zone's own and points every source whose url starts with pmtiles:// at the archive. Without a
// style, a raster archive is drawn as it is and a vector one with plain lines and fills.

// The paths a local basemap is served under.
const (
	basemapArchivePath = "/basemap/tiles.pmtiles"
	basemapStylePath   = "/basemap/style.json"
)

// pmtilesHeaderLen is the length of a PMTiles v3 header.
const pmtilesHeaderLen = 127

// pmtilesTileTypes names the tile types of the PMTiles v3 header (byte 99).
var pmtilesTileTypes = map[byte]string{1: "mvt", 2: "png", 3: "jpg", 4: "webp", 5: "avif"}

// LocalBasemap checks a PMTiles archive (and the style, when stylePath is set) and returns the
// basemap that serves them. The archive's header must be PMTiles v3 with a known tile type;
// the style must be a MapLibre style (version 8, with layers).
func LocalBasemap(archivePath, stylePath string) (Basemap, error) {
	f, err := os.Open(archivePath)
	if err != nil {
		return Basemap{}, fmt.Errorf("basemap: %w", err)
	}
	defer f.Close()
	h := make([]byte, pmtilesHeaderLen)
	if _, err := io.ReadFull(f, h); err != nil {
		return Basemap{}, fmt.Errorf("basemap %s: not a PMTiles archive (header: %w)", archivePath, err)
	}
	if !bytes.Equal(h[:7], []byte("PMTiles")) || h[7] != 3 {
		return Basemap{}, fmt.Errorf("basemap %s: not a PMTiles v3 archive", archivePath)
	}
	tt, ok := pmtilesTileTypes[h[99]]
	if !ok {
		return Basemap{}, fmt.Errorf("basemap %s: unknown tile type %d", archivePath, h[99])
	}
	e7 := func(at int) float64 { return float64(int32(binary.LittleEndian.Uint32(h[at:]))) / 1e7 }
	b := Basemap{
		Name: "pmtiles", CRS: "cgcs2000", Archive: basemapArchivePath, TileType: tt,
		MinZoom: int(h[100]), MaxZoom: int(h[101]), Bounds: []float64{e7(102), e7(106), e7(110), e7(114)},
		archivePath: archivePath,
	}
	if stylePath != "" {
		raw, err := os.ReadFile(stylePath)
		if err != nil {
			return Basemap{}, fmt.Errorf("basemap style: %w", err)
		}
		var st struct {
			Version int               `json:"version"`
			Layers  []json.RawMessage `json:"layers"`
		}
		if err := json.Unmarshal(raw, &st); err != nil || st.Version != 8 || len(st.Layers) == 0 {
			return Basemap{}, fmt.Errorf("basemap style %s: not a MapLibre style (version 8 with layers)", stylePath)
		}
		b.Style, b.style = basemapStylePath, raw
	}
	return b, nil
}

// basemapFile answers GET /basemap/{file}: the local basemap's archive (with range requests:
// 206 and Content-Range for a Range, 200 for the whole file, If-Range and the ETag honoured by
// http.ServeContent) or its style; 404 when no local basemap is set.
func (s *Server) basemapFile(w http.ResponseWriter, r *http.Request) {
	b := s.deps.Basemap
	switch "/basemap/" + chi.URLParam(r, "file") {
	case basemapArchivePath:
		if b.archivePath == "" {
			break
		}
		f, err := os.Open(b.archivePath)
		if err != nil {
			Problem(w, r, fmt.Errorf("basemap: %w", err))
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			Problem(w, r, fmt.Errorf("basemap: %w", err))
			return
		}
		// The ETag changes when the file is replaced: the page's reader (pmtiles) then starts
		// over rather than mixing two archives' bytes.
		w.Header().Set("ETag", `"`+strconv.FormatInt(fi.Size(), 36)+"-"+strconv.FormatInt(fi.ModTime().UnixNano(), 36)+`"`)
		w.Header().Set("Content-Type", "application/vnd.pmtiles")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(w, r, "", fi.ModTime(), f)
		return
	case basemapStylePath:
		if b.style == nil {
			break
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(b.style)
		return
	}
	Problem(w, r, inventory.Errorf(inventory.ENotFound, "", "no such path: %s", r.URL.Path))
}
