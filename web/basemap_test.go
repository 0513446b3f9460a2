package web_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/landinv/landinv/web"
	"github.com/landinv/landinv/web/pmtilestest"
)

// testArchive writes a PMTiles archive with one PNG tile at z0/0/0 and returns its path and
// the tile's bytes.
func testArchive(t *testing.T) (string, []byte) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range 256 {
		img.Set(i, i, color.RGBA{30, 90, 200, 255})
	}
	var tile bytes.Buffer
	if err := png.Encode(&tile, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "zone.pmtiles")
	if err := pmtilestest.Write(p, pmtilestest.Archive{TileType: pmtilestest.PNG, MaxZoom: 0, Bounds: [4]float64{-180, -85, 180, 85},
		Tiles: map[uint64][]byte{pmtilestest.TileID(0, 0, 0): tile.Bytes()}}); err != nil {
		t.Fatal(err)
	}
	return p, tile.Bytes()
}

func TestLocalBasemapChecksItsFiles(t *testing.T) {
	archive, _ := testArchive(t)
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	style := write("style.json", `{"version":8,"sources":{"b":{"type":"raster","url":"pmtiles://x"}},"layers":[{"id":"b","type":"raster","source":"b"}]}`)
	for _, c := range []struct {
		name, archive, style, err string
	}{
		{"archive", archive, "", ""},
		{"archive and style", archive, style, ""},
		{"missing file", filepath.Join(dir, "none.pmtiles"), "", "no such file"},
		{"not PMTiles", write("x.pmtiles", strings.Repeat("x", 200)), "", "not a PMTiles v3 archive"},
		{"short file", write("short.pmtiles", "PMTiles"), "", "not a PMTiles archive"},
		{"style not JSON", archive, write("bad.json", "{"), "not a MapLibre style"},
		{"style without layers", archive, write("empty.json", `{"version":8,"layers":[]}`), "not a MapLibre style"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := web.LocalBasemap(c.archive, c.style)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.Archive != "/basemap/tiles.pmtiles" || b.TileType != "png" || b.MaxZoom != 0 || len(b.Bounds) != 4 || b.Bounds[0] != -180 {
				t.Errorf("basemap %+v", b)
			}
			if (c.style != "") != (b.Style == "/basemap/style.json") {
				t.Errorf("style %q", b.Style)
			}
		})
	}
}

// TestBasemapServedWithRanges reads the archive over HTTP as the page's reader does: the
// header by a range, the root directory by a range, then the tile by a range, and checks each
// answer (206, Content-Range, the bytes of the file) and the tile against the one written.
func TestBasemapServedWithRanges(t *testing.T) {
	archive, tile := testArchive(t)
	file, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	b, err := web.LocalBasemap(archive, "")
	if err != nil {
		t.Fatal(err)
	}
	srv := pageServer(t, b)
	u := srv.URL + "/basemap/tiles.pmtiles"
	rangeGet := func(t *testing.T, from, to int, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", from, to))
		req.Header.Set("Accept-Encoding", "gzip, br")
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		r, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		body, _ := io.ReadAll(r.Body)
		return r, body
	}
	part := func(t *testing.T, from, to int) []byte {
		t.Helper()
		r, body := rangeGet(t, from, to)
		if r.StatusCode != http.StatusPartialContent {
			t.Fatalf("range %d-%d: status %d", from, to, r.StatusCode)
		}
		if got, want := r.Header.Get("Content-Range"), fmt.Sprintf("bytes %d-%d/%d", from, to, len(file)); got != want {
			t.Errorf("Content-Range %q, want %q", got, want)
		}
		if ce := r.Header.Get("Content-Encoding"); ce != "" {
			t.Errorf("a range was sent with Content-Encoding %q", ce)
		}
		if r.Header.Get("Accept-Ranges") != "bytes" || r.Header.Get("Content-Type") != "application/vnd.pmtiles" || r.Header.Get("ETag") == "" {
			t.Errorf("headers %v", r.Header)
		}
		if !bytes.Equal(body, file[from:to+1]) {
			t.Errorf("range %d-%d: the body is not the file's bytes", from, to)
		}
		return body
	}
	var tileAt, tileLen uint64
	t.Run("header, directory and tile by ranges", func(t *testing.T) {
		h := part(t, 0, 126)
		if string(h[:7]) != "PMTiles" || h[7] != 3 {
			t.Fatalf("header %q", h[:8])
		}
		dirAt, dirLen := binary.LittleEndian.Uint64(h[8:]), binary.LittleEndian.Uint64(h[16:])
		dataAt := binary.LittleEndian.Uint64(h[56:])
		dir := bytes.NewReader(part(t, int(dirAt), int(dirAt+dirLen-1)))
		var v [5]uint64 // count, id delta, run length, length, offset+1
		for i := range v {
			v[i], _ = binary.ReadUvarint(dir)
		}
		if v[0] != 1 || v[1] != 0 || v[2] != 1 {
			t.Fatalf("directory %v", v)
		}
		tileAt, tileLen = dataAt+v[4]-1, v[3]
		if got := part(t, int(tileAt), int(tileAt+tileLen-1)); !bytes.Equal(got, tile) {
			t.Errorf("tile: %d bytes, want the %d written", len(got), len(tile))
		}
	})
	t.Run("whole file", func(t *testing.T) {
		r, body := get(t, u)
		if r.StatusCode != 200 || !bytes.Equal(body, file) {
			t.Errorf("status %d, %d bytes of %d", r.StatusCode, len(body), len(file))
		}
	})
	t.Run("If-Range with another ETag gets the whole file", func(t *testing.T) {
		r, body := rangeGet(t, 0, 9, "If-Range", `"other"`)
		if r.StatusCode != 200 || len(body) != len(file) {
			t.Errorf("status %d, %d bytes", r.StatusCode, len(body))
		}
	})
	t.Run("range beyond the end", func(t *testing.T) {
		r, _ := rangeGet(t, len(file)+10, len(file)+20)
		if r.StatusCode != http.StatusRequestedRangeNotSatisfiable {
			t.Errorf("status %d, want 416", r.StatusCode)
		}
	})
	t.Run("map config names the archive", func(t *testing.T) {
		_, body := get(t, srv.URL+"/map-config.json")
		var cfg struct {
			Basemap web.Basemap `json:"basemap"`
		}
		if err := json.Unmarshal(body, &cfg); err != nil || cfg.Basemap.Archive != "/basemap/tiles.pmtiles" || cfg.Basemap.TileType != "png" {
			t.Errorf("config %s (%v)", body, err)
		}
		if strings.Contains(string(body), archive) {
			t.Errorf("the config shows the archive's path on the server: %s", body)
		}
	})
	for _, p := range []string{"/basemap/style.json", "/basemap/zone.pmtiles", "/basemap/..%2Fpage.go"} {
		t.Run("404 "+p, func(t *testing.T) {
			if r, _ := get(t, srv.URL+p); r.StatusCode != 404 {
				t.Errorf("status %d", r.StatusCode)
			}
		})
	}
}

func TestNoBasemapNoArchive(t *testing.T) {
	srv := pageServer(t, web.Basemap{})
	if r, _ := get(t, srv.URL+"/basemap/tiles.pmtiles"); r.StatusCode != 404 {
		t.Errorf("status %d, want 404", r.StatusCode)
	}
}

func TestGlyphs(t *testing.T) {
	srv := pageServer(t, web.Basemap{})
	if r, _ := get(t, srv.URL+"/glyphs/Noto%20Sans%20CJK%20SC,sans-serif/x.pbf"); r.StatusCode != 404 {
		t.Errorf("a bad range: status %d, want 404", r.StatusCode)
	}
	if _, err := os.Stat("ui/dist/glyphs/0-255.pbf"); err != nil {
		t.Skip("the page is not built (make build)")
	}
	want, _ := os.ReadFile("ui/dist/glyphs/0-255.pbf")
	r, body := get(t, srv.URL+"/glyphs/Noto%20Sans%20CJK%20SC,sans-serif/0-255.pbf") // Go's client asks for gzip and unpacks it
	if r.StatusCode != 200 || !bytes.Equal(body, want) || !r.Uncompressed || r.Header.Get("Content-Type") != "application/x-protobuf" {
		t.Errorf("status %d, %d bytes (want %d), uncompressed %v, type %q", r.StatusCode, len(body), len(want), r.Uncompressed, r.Header.Get("Content-Type"))
	}
	if r, _ := get(t, srv.URL+"/glyphs/any/40960-41215.pbf"); r.StatusCode != 404 {
		t.Errorf("a range not built: status %d, want 404", r.StatusCode)
	}
}
