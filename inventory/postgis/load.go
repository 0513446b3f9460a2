package postgis

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

// GeoJSON input types.
type (
	// FeatureCollection is a GeoJSON FeatureCollection as read from a file.
	FeatureCollection struct {
		Type     string         `json:"type"`
		Features []InputFeature `json:"features"`
	}
	// InputFeature is a GeoJSON Feature as read from a file or a request.
	InputFeature struct {
		Type       string          `json:"type"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties map[string]any  `json:"properties"`
	}
)

// flatten moves the members of properties.confidential up beside the public properties, as
// they are stored.
func flatten(props map[string]any) map[string]any {
	out := make(map[string]any, len(props)+8)
	for k, v := range props {
		if k == "confidential" {
			continue
		}
		out[k] = v
	}
	if c, ok := props["confidential"].(map[string]any); ok {
		for k, v := range c {
			out[k] = v
		}
	}
	return out
}

// WritableColumns lists the layer's columns a client may write: every field that is neither
// computed nor the code.
func WritableColumns(l *inventory.Layer) []string {
	var cols []string
	for _, f := range l.Fields {
		if f.Computed || f.Name == "code" {
			continue
		}
		cols = append(cols, f.Name)
	}
	return cols
}

// insertVersion inserts one version of a feature. props are flattened properties (unknown keys
// are ignored here; the callers check them); geometry is GeoJSON in EPSG:4326. The database's
// triggers check every rule.
func insertVersion(ctx context.Context, tx pgx.Tx, l *inventory.Layer, zoneID int, code string, version int,
	archived bool, actor, note string, props map[string]any, geometry json.RawMessage) error {
	cols := WritableColumns(l)
	ids := make([]string, len(cols))
	sel := make([]string, len(cols))
	for i, c := range cols {
		id := pgx.Identifier{c}.Sanitize()
		ids[i] = id
		sel[i] = "r." + id
	}
	geom := "ST_GeomFromGeoJSON($6)"
	if l.Geometry != "any" {
		geom = "ST_Multi(ST_GeomFromGeoJSON($6))"
	}
	table := pgx.Identifier{l.Table}.Sanitize()
	sql := fmt.Sprintf(`insert into %s (zone_id, code, version, archived, changed_by, change_note, %s, geom)
		select $1, $2, $3, $4, $5, $7, %s, %s
		from jsonb_populate_record(null::%s, $8::jsonb) r`,
		table, strings.Join(ids, ", "), strings.Join(sel, ", "), geom, table)
	// changed_by etc. in props must not override the arguments.
	clean := make(map[string]any, len(props))
	for k, v := range props {
		switch k {
		case "version", "valid_from", "valid_to", "archived", "changed_by", "zone_id", "id", "geom":
			continue
		}
		clean[k] = v
	}
	body, err := json.Marshal(clean)
	if err != nil {
		return fmt.Errorf("encode properties: %w", err)
	}
	var notePtr *string
	if note != "" {
		notePtr = &note
	}
	if _, err := tx.Exec(ctx, sql, zoneID, code, version, archived, actor, string(geometry), notePtr, string(body)); err != nil {
		return asError(err)
	}
	return nil
}

// LoadStats counts what a load did.
type LoadStats struct {
	Layer    string
	Inserted int
	Skipped  int
}

// LoadZone inserts the zone described by a GeoJSON Feature unless a zone with its code exists,
// and returns its code.
func (db *DB) LoadZone(ctx context.Context, f InputFeature) (string, bool, error) {
	code, _ := f.Properties["code"].(string)
	if code == "" {
		return "", false, inventory.Errorf(inventory.EInvalid, "code", "the zone has no code")
	}
	body, err := json.Marshal(f.Properties)
	if err != nil {
		return "", false, fmt.Errorf("load zone: %w", err)
	}
	tag, err := db.Pool.Exec(ctx, `insert into zones (code, name, name_en, province, level, planned_area_km2, illustrative, geom)
		select r.code, r.name, r.name_en, r.province, coalesce(r.level, 'provincial'), r.planned_area_km2,
		       coalesce(r.illustrative, false), ST_Multi(ST_GeomFromGeoJSON($1))
		from jsonb_to_record($2::jsonb) as r(code text, name text, name_en text, province text, level text,
		                                     planned_area_km2 double precision, illustrative boolean)
		on conflict (code) do nothing`, string(f.Geometry), string(body))
	if err != nil {
		return "", false, fmt.Errorf("load zone %s: %w", code, asError(err))
	}
	return code, tag.RowsAffected() == 1, nil
}

// LoadLayer inserts the features of fc into layer l of zone as version 1, written by actor,
// skipping every feature whose code is already live: loading the same data twice is harmless.
// It runs in one transaction: all or nothing.
func (db *DB) LoadLayer(ctx context.Context, l *inventory.Layer, zone string, fc FeatureCollection, actor string) (LoadStats, error) {
	st := LoadStats{Layer: l.Name}
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var zoneID int
		if err := tx.QueryRow(ctx, "select id from zones where code = $1", zone).Scan(&zoneID); err != nil {
			return fmt.Errorf("zone %s: %w", zone, err)
		}
		live := map[string]bool{}
		rows, err := tx.Query(ctx, fmt.Sprintf("select code from %s where zone_id = $1 and valid_to = 'infinity'",
			pgx.Identifier{l.Table}.Sanitize()), zoneID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				return err
			}
			live[c] = true
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for i, f := range fc.Features {
			props := flatten(f.Properties)
			code, _ := props["code"].(string)
			if !inventory.ValidCode(code) {
				return fmt.Errorf("feature %d: %w", i, inventory.Errorf(inventory.EInvalid, "code", "missing or malformed: %q", code))
			}
			if live[code] {
				st.Skipped++
				continue
			}
			if err := insertVersion(ctx, tx, l, zoneID, code, 1, false, actor, "", props, f.Geometry); err != nil {
				return fmt.Errorf("feature %d (%s): %w", i, code, err)
			}
			live[code] = true
			st.Inserted++
		}
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("load %s: %w", l.Name, err)
	}
	return st, nil
}

// LoadDataset loads a dataset folder: zone.geojson (one zone Feature, or a collection of them)
// and, when present, layout.geojson, roads.geojson, plots.geojson, idle_sites.geojson and
// plants.geojson, in that order (plants need their plots). Loading it again is harmless.
func (db *DB) LoadDataset(ctx context.Context, fsys fs.FS, dir string) ([]LoadStats, error) {
	var zoneFC FeatureCollection
	if err := readGeoJSON(fsys, path.Join(dir, "zone.geojson"), &zoneFC); err != nil {
		return nil, fmt.Errorf("load dataset: %w", err)
	}
	if len(zoneFC.Features) != 1 {
		return nil, fmt.Errorf("load dataset: zone.geojson must hold exactly one zone, not %d", len(zoneFC.Features))
	}
	zone, created, err := db.LoadZone(ctx, zoneFC.Features[0])
	if err != nil {
		return nil, fmt.Errorf("load dataset: %w", err)
	}
	stats := []LoadStats{{Layer: "zone", Inserted: b2i(created), Skipped: b2i(!created)}}
	for _, l := range []*inventory.Layer{inventory.LayoutLayer, inventory.RoadLayer, inventory.PlotLayer, inventory.IdleSiteLayer, inventory.PlantLayer} {
		name := path.Join(dir, l.Table+".geojson")
		if _, err := fs.Stat(fsys, name); err != nil {
			continue
		}
		var fc FeatureCollection
		if err := readGeoJSON(fsys, name, &fc); err != nil {
			return stats, fmt.Errorf("load dataset: %w", err)
		}
		st, err := db.LoadLayer(ctx, l, zone, fc, "demo")
		if err != nil {
			return stats, fmt.Errorf("load dataset: %w", err)
		}
		stats = append(stats, st)
	}
	return stats, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// readGeoJSON reads a FeatureCollection, or a single Feature as a collection of one.
func readGeoJSON(fsys fs.FS, name string, fc *FeatureCollection) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	var probe struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	switch probe.Type {
	case "FeatureCollection":
		if err := json.Unmarshal(b, fc); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	case "Feature":
		var f InputFeature
		if err := json.Unmarshal(b, &f); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fc.Type, fc.Features = "FeatureCollection", []InputFeature{f}
	default:
		return fmt.Errorf("%s: not a GeoJSON Feature or FeatureCollection (type %q)", name, probe.Type)
	}
	return nil
}
