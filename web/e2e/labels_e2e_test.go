package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory/postgis/postgistest"
	"github.com/landinv/landinv/web"
	"github.com/landinv/landinv/web/pmtilestest"
)

// basemapColour is the colour of the test basemap's one tile.
var basemapColour = color.RGBA{120, 170, 220, 255}

// TestLabelsAndLocalBasemap serves the demo with a local PMTiles basemap that the test makes (one
// PNG tile of one colour at z0, overzoomed by the map) and runs labels.mjs: at 1366×768 and
// 375×740, in Chinese and English, at four zooms, no two labels overlap (queryRenderedFeatures
// probed over the whole map), the archive is read from /basemap/ by range requests (206) and
// nothing is requested beyond the server. The screenshots then show the basemap's colour where
// no layer covers it (a corner of the map), not the page's background.
func TestLabelsAndLocalBasemap(t *testing.T) {
	node := tools(t)
	db := openDB(t, postgistest.URL(t, true))
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = basemapColour.R, basemapColour.G, basemapColour.B, 255
	}
	var tile bytes.Buffer
	_ = png.Encode(&tile, img)
	archive := filepath.Join(t.TempDir(), "zone.pmtiles")
	if err := pmtilestest.Write(archive, pmtilestest.Archive{TileType: pmtilestest.PNG, Bounds: [4]float64{-180, -85, 180, 85},
		Tiles: map[uint64][]byte{pmtilestest.TileID(0, 0, 0): tile.Bytes()}}); err != nil {
		t.Fatal(err)
	}
	b, err := web.LocalBasemap(archive, "")
	if err != nil {
		t.Fatal(err)
	}
	base := serve(t, db, b, nil)
	results := runScript(t, node, "labels.mjs", 8*time.Minute, "--base", base)
	if len(results) != 22 { // five checks in each of four views, and the lines named on a laptop in each language
		t.Fatalf("labels.mjs: %d results, want 22: %v", len(results), checkNames(results))
	}
	expectChecks(t, results)
	// The basemap's screenshots: the map's bottom-right corner, left of the attribution button,
	// is outside the zone, so it shows the basemap's colour.
	for _, r := range results {
		if !strings.HasPrefix(r.Check, "basemap") || r.Path == "" {
			continue
		}
		t.Run(r.Check+": basemap pixel", func(t *testing.T) {
			f, err := os.Open(r.Path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			shot, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Probe) != 2 {
				t.Fatalf("no probe point: %s", r.Raw)
			}
			c := color.RGBAModel.Convert(shot.At(int(r.Probe[0]), int(r.Probe[1]))).(color.RGBA)
			near := func(a, b uint8) bool { return a > b-12 && a < b+12 }
			if !near(c.R, basemapColour.R) || !near(c.G, basemapColour.G) || !near(c.B, basemapColour.B) {
				t.Errorf("pixel %v in the map's corner, want the basemap's %v", c, basemapColour)
			}
		})
	}
}
