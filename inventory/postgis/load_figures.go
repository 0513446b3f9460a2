package postgis

// The demo's firm profiles and annual figures (data/demo/enterprise_figures.json, written by
// data/gen): loaded through the write path after the enterprises are linked, then the
// evaluation of each year is computed. Loading again changes nothing: a profile is written only
// onto an enterprise still at version 1 without a size class, figures only where there are none,
// and an evaluation only for a year without one.

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

// demoFigures is the file's shape.
type demoFigures struct {
	Years []int `json:"years"`
	Firms []struct {
		Name         string                    `json:"name"`
		SizeClass    string                    `json:"size_class"`
		FoundedOn    string                    `json:"founded_on"`
		IndustryCode string                    `json:"industry_code"`
		Exemption    *string                   `json:"exemption"`
		Figures      map[string]map[string]any `json:"figures"`
	} `json:"firms"`
}

// LoadFigures loads a dataset's enterprise_figures.json into zone (see the top of this file).
func (db *DB) LoadFigures(ctx context.Context, fsys fs.FS, name, zone, actor string) (LoadStats, error) {
	st := LoadStats{Layer: inventory.FigureLayer.Name}
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return st, err
	}
	var d demoFigures
	if err := jsonUnmarshal(b, &d); err != nil {
		return st, fmt.Errorf("%s: %w", name, err)
	}
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		zoneID, err := zoneIDOf(ctx, tx, zone)
		if err != nil {
			return err
		}
		w := writer{zoneID: zoneID, actor: actor}
		firms := map[string]string{} // name → credit code of the live enterprise still at version 1 without a size class
		codes := map[string]string{}
		rows, err := tx.Query(ctx, `select name, code, version = 1 and size_class is null from enterprises
			where zone_id = $1 and valid_to = 'infinity' and not archived`, zoneID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var n, c string
			var fresh bool
			if err := rows.Scan(&n, &c, &fresh); err != nil {
				rows.Close()
				return err
			}
			codes[n] = c
			if fresh {
				firms[n] = c
			}
		}
		rows.Close()
		have := map[string]bool{}
		rows, err = tx.Query(ctx, "select code from enterprise_figures where zone_id = $1 and valid_to = 'infinity'", zoneID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return err
			}
			have[c] = true
		}
		rows.Close()
		for _, f := range d.Firms {
			code, ok := codes[f.Name]
			if !ok {
				return fmt.Errorf("%s: firm %q names no enterprise of zone %s", name, f.Name, zone)
			}
			if _, fresh := firms[f.Name]; fresh {
				props := map[string]any{"size_class": f.SizeClass, "founded_on": f.FoundedOn, "industry_code": f.IndustryCode}
				if f.Exemption != nil {
					props["exemption"] = *f.Exemption
				}
				if _, _, err := db.writeVersion(ctx, tx, inventory.EnterpriseLayer, w, writeRequest{op: inventory.OpUpdate, code: code, internal: true,
					change: inventory.Change{Properties: props, Note: "demo profile (illustrative)"}}); err != nil {
					return fmt.Errorf("%s: %s: %w", name, f.Name, err)
				}
			}
			for y, figs := range f.Figures {
				year, err := strconv.Atoi(y)
				if err != nil {
					return fmt.Errorf("%s: %s: year %q", name, f.Name, y)
				}
				fc := inventory.FigureCode(code, year)
				if have[fc] {
					continue
				}
				body := map[string]any{"source": "示例数据 illustrative", "date": fmt.Sprintf("%d-03-31", year+1)}
				for k, v := range figs {
					body[k] = v
				}
				props, err := inventory.FigureChange(body)
				if err != nil {
					return fmt.Errorf("%s: %s %d: %w", name, f.Name, year, err)
				}
				props["code"], props["illustrative"] = fc, true
				if _, _, err := db.writeVersion(ctx, tx, inventory.FigureLayer, w, writeRequest{op: inventory.OpCreate, change: inventory.Change{Properties: props}}); err != nil {
					return fmt.Errorf("%s: %s %d: %w", name, f.Name, year, err)
				}
				st.Inserted++
			}
		}
		for _, y := range d.Years {
			var runs int
			if err := tx.QueryRow(ctx, "select count(*) from evaluation_runs where zone_id = $1 and year = $2", zoneID, y).Scan(&runs); err != nil {
				return err
			}
			if runs == 0 {
				if _, err := db.evaluate(ctx, tx, zoneID, zone, y, actor, map[string]any{"demo": true}); err != nil {
					return fmt.Errorf("evaluate %d: %w", y, err)
				}
			}
		}
		_, err = tx.Exec(ctx, "set constraints all immediate")
		return err
	})
	if err != nil {
		return st, fmt.Errorf("load figures: %w", asError(err))
	}
	return st, nil
}
