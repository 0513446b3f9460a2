package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
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
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(root(t), "web/e2e/labels.mjs"), "--base", base, "--out", filepath.Join(root(t), "test-output"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var got []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(stdout.Bytes()))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var r map[string]any
		if line := sc.Bytes(); len(line) > 0 && line[0] == '{' && json.Unmarshal(line, &r) == nil {
			got = append(got, r)
		}
	}
	if err != nil || len(got) != 20 { // five checks in each of four views
		t.Fatalf("labels.mjs: %v, %d results\nstdout:\n%s\nstderr:\n%s", err, len(got), stdout.String(), stderr.String())
	}
	for _, r := range got {
		name, _ := r["check"].(string)
		t.Run(name, func(t *testing.T) {
			if ok, _ := r["ok"].(bool); !ok {
				t.Errorf("failed: %v", r["detail"])
			}
			p, _ := r["path"].(string)
			if !strings.HasPrefix(name, "basemap") || p == "" {
				return
			}
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			shot, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			// The map's bottom-right corner, left of the attribution button: outside the zone.
			probe, _ := r["probe"].([]any)
			if len(probe) != 2 {
				t.Fatalf("no probe point: %v", r)
			}
			x, _ := probe[0].(float64)
			y, _ := probe[1].(float64)
			c := color.RGBAModel.Convert(shot.At(int(x), int(y))).(color.RGBA)
			near := func(a, b uint8) bool { return a > b-12 && a < b+12 }
			if !near(c.R, basemapColour.R) || !near(c.G, basemapColour.G) || !near(c.B, basemapColour.B) {
				t.Errorf("pixel %v in the map's corner, want the basemap's %v", c, basemapColour)
			}
		})
	}
}
