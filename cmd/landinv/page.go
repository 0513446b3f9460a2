package main

import (
	"os"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/web"
)

// The land map page. Its optional basemap is set from the environment:
//
//	LANDINV_BASEMAP=tianditu|amap|tencent   a preset (tianditu also needs LANDINV_TIANDITU_KEY)
//	LANDINV_BASEMAP_URL=https://…/{z}/{x}/{y}.png and LANDINV_BASEMAP_CRS=cgcs2000|gcj02
//	                                        any other XYZ raster tile service
//
// Without them the page uses no tile service at all and works offline.
func init() {
	mounts = append(mounts, func(db *postgis.DB, s *web.Server) func(r chi.Router) {
		p := &web.Page{Map: db, Tiles: db}
		if name := os.Getenv("LANDINV_BASEMAP"); name != "" && name != "none" {
			if b, ok := web.BasemapPreset(name, os.Getenv("LANDINV_TIANDITU_KEY")); ok {
				p.Basemap = b
			} else {
				s.Log.Warn("LANDINV_BASEMAP is unknown or lacks its key; serving without a basemap", "basemap", name)
			}
		}
		if u := os.Getenv("LANDINV_BASEMAP_URL"); u != "" {
			crs := os.Getenv("LANDINV_BASEMAP_CRS")
			if crs != "gcj02" {
				crs = "cgcs2000"
			}
			p.Basemap = web.Basemap{Name: "custom", Tiles: []string{u}, CRS: crs}
		}
		return p.Mount
	})
}
