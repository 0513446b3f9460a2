package postgis

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

// LoadStats counts what a load did.
type LoadStats struct {
	Layer    string
	Inserted int
	Skipped  int
}

// LoadZone inserts the zone described by a GeoJSON Feature unless a zone with its code exists,
// and returns its code.
func (db *DB) LoadZone(ctx context.Context, f inventory.GeoJSONFeature) (string, bool, error) {
	code, _ := f.Properties["code"].(string)
	if code == "" {
		return "", false, inventory.Errorf(inventory.EInvalid, "code", "the zone has no code")
	}
	body, err := json.Marshal(f.Properties)
	if err != nil {
		return "", false, fmt.Errorf("load zone: %w", err)
	}
	tag, err := db.Pool.Exec(ctx, `insert into zones (code, name, name_en, province, province_en, city, city_en, level, planned_area_km2, illustrative, contact, contact_en, geom)
		select r.code, r.name, r.name_en, r.province, r.province_en, r.city, r.city_en, coalesce(r.level, 'provincial'), r.planned_area_km2,
		       coalesce(r.illustrative, false), r.contact, r.contact_en, ST_Multi(ST_GeomFromGeoJSON($1))
		from jsonb_to_record($2::jsonb) as r(code text, name text, name_en text, province text, province_en text, city text, city_en text, level text,
		                                     planned_area_km2 double precision, illustrative boolean,
		                                     contact text, contact_en text)
		on conflict (code) do nothing`, string(f.Geometry), string(body))
	if err != nil {
		return "", false, fmt.Errorf("load zone %s: %w", code, asError(err))
	}
	return code, tag.RowsAffected() == 1, nil
}

// LoadLayer adds the features of fc to layer l of zone as version 1, written by actor, through
// the write path every writer takes (version.go): each feature passes the same checks as one
// sent to the write API (inventory.CheckChange, then the database's rules). A feature whose
// code is already current (live or archived) is skipped: loading the same data twice is
// harmless. It runs in one transaction: all or nothing; the error names the refused feature.
//
// The load is an operator's command (landinv demo), not a request: it acts as actor without a
// viewer, so inventory.CanWrite does not apply.
func (db *DB) LoadLayer(ctx context.Context, l *inventory.Layer, zone string, fc inventory.GeoJSONCollection, actor string) (LoadStats, error) {
	st := LoadStats{Layer: l.Name}
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		zoneID, err := zoneIDOf(ctx, tx, zone)
		if err != nil {
			return err
		}
		current, err := currentCodes(ctx, tx, l, zoneID)
		if err != nil {
			return err
		}
		w := writer{zoneID: zoneID, actor: actor}
		for i, f := range fc.Features {
			if code, _ := f.Properties["code"].(string); current[code] {
				st.Skipped++
				continue
			}
			_, code, err := db.writeVersion(ctx, tx, l, w, writeRequest{op: inventory.OpCreate,
				change: inventory.Change{Properties: f.Properties, Geometry: f.Geometry}})
			if err != nil {
				return fmt.Errorf("feature %d (%v): %w", i, f.Properties["code"], err)
			}
			current[code] = true
			st.Inserted++
		}
		_, err = tx.Exec(ctx, "set constraints all immediate")
		return asError(err)
	})
	if err != nil {
		return st, fmt.Errorf("load %s: %w", l.Name, err)
	}
	return st, nil
}

// currentCodes returns the codes of a layer's current rows in a zone, live or archived.
func currentCodes(ctx context.Context, tx pgx.Tx, l *inventory.Layer, zoneID int) (map[string]bool, error) {
	rows, err := tx.Query(ctx, fmt.Sprintf("select code from %s where zone_id = $1 and valid_to = 'infinity'",
		pgx.Identifier{l.Table}.Sanitize()), zoneID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}

// LoadDataset loads a dataset folder: zone.geojson (one zone Feature, or a collection of them)
// and, when present, layout.geojson, roads.geojson, plots.geojson, idle_sites.geojson and
// plants.geojson, in that order (plants need their plots); then it links the firms they name as
// enterprises (LinkEnterprises) and loads enterprise_figures.json when present (LoadFigures,
// which also evaluates its years), then projects.json when present (LoadProjects: the
// investment projects, moved through their stages). Loading it again is harmless.
func (db *DB) LoadDataset(ctx context.Context, fsys fs.FS, dir string) ([]LoadStats, error) {
	var zoneFC inventory.GeoJSONCollection
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
		var fc inventory.GeoJSONCollection
		if err := readGeoJSON(fsys, name, &fc); err != nil {
			return stats, fmt.Errorf("load dataset: %w", err)
		}
		st, err := db.LoadLayer(ctx, l, zone, fc, "demo")
		if err != nil {
			return stats, fmt.Errorf("load dataset: %w", err)
		}
		stats = append(stats, st)
	}
	st, err := db.LinkEnterprises(ctx, zone, "demo")
	if err != nil {
		return stats, fmt.Errorf("load dataset: %w", err)
	}
	stats = append(stats, st)
	if name := path.Join(dir, "enterprise_figures.json"); fileExists(fsys, name) {
		st, err := db.LoadFigures(ctx, fsys, name, zone, "demo")
		if err != nil {
			return stats, fmt.Errorf("load dataset: %w", err)
		}
		stats = append(stats, st)
	}
	if name := path.Join(dir, "projects.json"); fileExists(fsys, name) {
		st, err := db.LoadProjects(ctx, fsys, name, zone, "demo")
		if err != nil {
			return stats, fmt.Errorf("load dataset: %w", err)
		}
		stats = append(stats, st)
	}
	return stats, nil
}

func fileExists(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}

// LinkEnterprises makes an enterprise record of every firm named on the zone's live plots
// (enterprise) or in its plants' tenants that has none yet, linked to those plots and
// tenancies, with a provisional credit code: the SQL function landinv_link_enterprises of
// migration 0050, the one definition of that step (the migration ran it on the data of its
// day; a dataset load runs it on what it loaded).
func (db *DB) LinkEnterprises(ctx context.Context, zone, actor string) (LoadStats, error) {
	st := LoadStats{Layer: inventory.EnterpriseLayer.Name}
	err := db.Pool.QueryRow(ctx, "select landinv_link_enterprises((select id from zones where code = $1), $2)", zone, actor).Scan(&st.Inserted)
	if err != nil {
		return st, fmt.Errorf("link enterprises: %w", asError(err))
	}
	return st, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// readGeoJSON reads a FeatureCollection, or a single Feature as a collection of one.
func readGeoJSON(fsys fs.FS, name string, fc *inventory.GeoJSONCollection) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(fc); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	switch fc.Type {
	case "FeatureCollection":
	case "Feature":
		f := inventory.GeoJSONFeature{Type: fc.Type, Geometry: fc.Geometry, Properties: fc.Properties}
		fc.Type, fc.Features, fc.Geometry, fc.Properties = "FeatureCollection", []inventory.GeoJSONFeature{f}, nil, nil
	default:
		return fmt.Errorf("%s: not a GeoJSON Feature or FeatureCollection (type %q)", name, fc.Type)
	}
	return nil
}
