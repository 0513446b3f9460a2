// Package data holds what the binary carries with it: the versioned SQL migrations of the
// inventory's PostGIS schema and the illustrative Linfen demo dataset (see demo/README.md).
// The generator that writes the demo files lives in data/gen.
package data

import "embed"

// Migrations are the schema migrations, applied in file-name order (NNNN_name.sql).
//
//go:embed migrations/*.sql
var Migrations embed.FS

// Demo is the illustrative demo dataset: zone, layout, plots, plants, idle sites and roads as
// GeoJSON FeatureCollections in demo/*.geojson, and the firms' illustrative annual figures in
// demo/enterprise_figures.json.
//
//go:embed demo
var Demo embed.FS
