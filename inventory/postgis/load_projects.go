package postgis

// The demo's investment projects (data/demo/projects.json, written by data/gen): each created
// as a lead through the write path, then moved through its stage steps by the stage action
// (project.go), so that the plots and plants they take move exactly as a planner's steps would
// move them. Loading again changes nothing: a project whose code exists is skipped.

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

// demoProjects is the file's shape.
type demoProjects struct {
	Projects []struct {
		Properties map[string]any          `json:"properties"`
		Steps      []inventory.StageChange `json:"steps"`
	} `json:"projects"`
}

// LoadProjects loads a dataset's projects.json into zone (see the top of this file), in one
// transaction: all or nothing; the error names the refused project and step.
func (db *DB) LoadProjects(ctx context.Context, fsys fs.FS, name, zone, actor string) (LoadStats, error) {
	l := inventory.ProjectLayer
	st := LoadStats{Layer: l.Name}
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return st, err
	}
	var d demoProjects
	if err := json.Unmarshal(b, &d); err != nil {
		return st, fmt.Errorf("%s: %w", name, err)
	}
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		zoneID, err := zoneIDOf(ctx, tx, zone)
		if err != nil {
			return err
		}
		current, err := currentCodes(ctx, tx, l, zoneID)
		if err != nil {
			return err
		}
		w := writer{zoneID: zoneID, actor: actor}
		for _, p := range d.Projects {
			code, _ := p.Properties["code"].(string)
			if current[code] {
				st.Skipped++
				continue
			}
			v, _, err := db.writeVersion(ctx, tx, l, w, writeRequest{op: inventory.OpCreate,
				change: inventory.Change{Properties: p.Properties, Note: "demo project (illustrative)"}})
			if err != nil {
				return fmt.Errorf("%s: project %s: %w", name, code, err)
			}
			n := v.Version
			for _, s := range p.Steps {
				date, err := s.Check()
				if err != nil {
					return fmt.Errorf("%s: project %s: stage %s: %w", name, code, s.Stage, err)
				}
				if err := db.stage(ctx, tx, w, code, etag(l, code, n), s, date); err != nil {
					return fmt.Errorf("%s: project %s: stage %s: %w", name, code, s.Stage, err)
				}
				n++
			}
			st.Inserted++
		}
		_, err = tx.Exec(ctx, "set constraints all immediate")
		return asError(err)
	})
	if err != nil {
		return st, fmt.Errorf("load projects: %w", err)
	}
	return st, nil
}
