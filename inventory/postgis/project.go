package postgis

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
)

// The projects' stage action (阶段推进, inventory.ProjectService): one transaction that writes
// the project's next version and its side effects on the plot and the plant, each through the
// one write path (writeVersion). The database's projects_rules (0061) holds the rules — the
// step, the stage dates, the plot's status at each stage, a plot or plant fixed once set — and
// refuses a change of the stage fields outside this action (landinv.project_stage). The store
// checks the step first (inventory.ProjectStepOK, the same rule) only to answer before it moves
// a plot; any refusal rolls the whole transaction back.

var _ inventory.ProjectService = (*DB)(nil)

// projectRow is what the stage action reads of a project's live version.
type projectRow struct {
	version     int
	stage       string
	plot, plant string
	plantAreaM2 *float64
	agreedStart *string
}

// readProject locks and reads a project's live version.
func readProject(ctx context.Context, tx pgx.Tx, zoneID int, code string) (*projectRow, error) {
	l := inventory.ProjectLayer
	cur, err := lockCurrent(ctx, tx, l, zoneID, code)
	if err != nil {
		return nil, err
	}
	if cur == nil {
		return nil, inventory.Errorf(inventory.ENotFound, "code", "no project with code %q", code).With(inventory.CodeNotFound, map[string]any{"code": code})
	}
	if cur.archived {
		return nil, inventory.Errorf(inventory.ENotFound, "code", "project %s is archived (version %d); restore it first", code, cur.version).
			With(inventory.CodeArchived, map[string]any{"code": code, "version": cur.version})
	}
	p := projectRow{version: cur.version}
	err = tx.QueryRow(ctx, `select stage, coalesce(plot_code, ''), coalesce(plant_code, ''), plant_area_m2, agreed_start_date::text
		from projects where zone_id = $1 and id = $2`, zoneID, cur.id).
		Scan(&p.stage, &p.plot, &p.plant, &p.plantAreaM2, &p.agreedStart)
	if err != nil {
		return nil, fmt.Errorf("read project %s: %w", code, err)
	}
	return &p, nil
}

// Stage moves a live project to c.Stage with its side effects (inventory.ProjectService).
func (db *DB) Stage(ctx context.Context, zone, code, ifMatch string, c inventory.StageChange) (*inventory.Feature, error) {
	date, err := c.Check()
	if err != nil {
		return nil, err
	}
	if err := matchRequired(inventory.OpUpdate, ifMatch); err != nil {
		return nil, err
	}
	err = db.writeTx(ctx, zone, func(tx pgx.Tx, w writer) error {
		return db.stage(ctx, tx, w, code, ifMatch, c, date)
	})
	if err != nil {
		return nil, fmt.Errorf("project %s: stage %s: %w", code, c.Stage, err)
	}
	return db.Get(ctx, inventory.ProjectLayer, zone, code)
}

func (db *DB) stage(ctx context.Context, tx pgx.Tx, w writer, code, ifMatch string, c inventory.StageChange, date *time.Time) error {
	l := inventory.ProjectLayer
	p, err := readProject(ctx, tx, w.zoneID, code)
	if err != nil {
		return err
	}
	if err := checkMatch(ifMatch, etag(l, code, p.version)); err != nil {
		return err
	}
	assign := c.PlotCode != "" && p.plot == "" // a plot given now
	if c.PlotCode != "" && p.plot != "" && c.PlotCode != p.plot {
		return inventory.Errorf(inventory.EInvalid, "plot_code", "the project's plot is %s and cannot change; drop the project and start another", p.plot).
			With(inventory.CodeProjectSiteFixed, map[string]any{"value": p.plot})
	}
	if c.PlantCode != "" && p.plant != "" {
		return inventory.Errorf(inventory.EInvalid, "plant_code", "the project already leases in plant %s", p.plant).
			With(inventory.CodeProjectSiteFixed, map[string]any{"value": p.plant})
	}
	sameStage := p.stage == c.Stage
	if !inventory.ProjectStepOK(p.stage, c.Stage) || (sameStage && !(c.Stage == "signed" && assign)) {
		return inventory.Errorf(inventory.EInvalid, "stage", "cannot go from %s to %s; a project goes lead → negotiating → signed → supplied → started → in_production one stage at a time, or to dropped with a reason (at signed, the same stage assigns a plot)", p.stage, c.Stage).
			With(inventory.CodeIllegalStep, map[string]any{"from": p.stage, "to": c.Stage})
	}
	// A stage records what has happened: its date is today (China time) or before.
	today := inventory.DayOf(time.Now())
	day := today
	if date != nil {
		day = date.Format("2006-01-02")
	}
	if day > today {
		return inventory.Errorf(inventory.EInvalid, "date", "%s is after today (%s): a stage is recorded when it has happened", day, today).
			With(inventory.CodeProjectDateFuture, map[string]any{"max": today})
	}
	props := map[string]any{"stage": c.Stage}
	if f := inventory.ProjectStageDate(c.Stage); f != "" && !sameStage {
		props[f] = day
	}
	plot := p.plot
	if assign {
		plot = c.PlotCode
		props["plot_code"] = plot
	}
	sw := stageWriter{db: db, tx: tx, w: w, project: code}
	switch c.Stage {
	case "signed":
		if assign {
			if err := sw.movePlot(ctx, plot, "ready", "reserved", nil); err != nil {
				return err
			}
		}
	case "supplied":
		if plot == "" && c.PlantCode == "" {
			return inventory.Errorf(inventory.EInvalid, "plot_code", "land supplied needs the project's plot (or plot_code), a plant lease needs plant_code").
				With(inventory.CodeRequired, nil)
		}
		if plot != "" {
			if assign {
				if err := sw.movePlot(ctx, plot, "ready", "reserved", nil); err != nil {
					return err
				}
			}
			set := map[string]any{"supplied_on": day}
			if p.agreedStart != nil {
				set["agreed_start_date"] = *p.agreedStart
			}
			if err := sw.movePlot(ctx, plot, "reserved", "supplied", set); err != nil {
				return err
			}
		}
		if c.PlantCode != "" {
			leased := c.LeasedM2
			if leased == nil {
				leased = p.plantAreaM2
			}
			if leased == nil || *leased <= 0 {
				return inventory.Errorf(inventory.EInvalid, "leased_m2", "give the area leased in plant %s (or the project's plant_area_m2)", c.PlantCode).
					With(inventory.CodeProjectNoLeasedArea, map[string]any{"fields": []string{"leased_m2", "plant_area_m2"}})
			}
			if err := sw.lease(ctx, c.PlantCode, *leased); err != nil {
				return err
			}
			props["plant_code"], props["leased_m2"] = c.PlantCode, *leased
		}
	case "started":
		if plot != "" {
			if err := sw.movePlot(ctx, plot, "supplied", "under_construction", map[string]any{"started_on": day}); err != nil {
				return err
			}
		}
	case "in_production":
		if plot != "" {
			if err := sw.movePlot(ctx, plot, "under_construction", "in_production", nil); err != nil {
				return err
			}
		}
	case "dropped":
		props["drop_reason"] = strings.TrimSpace(c.DropReason)
		if plot != "" && p.stage == "signed" {
			// The reservation lapses (预留失效): the plot, if still reserved, is offered again. A
			// plot the planner has moved on since (the plot layer lets a reservation lapse, or
			// the land be supplied) is left as it is: dropping the project must stay possible.
			status, err := sw.plotStatus(ctx, plot)
			if err != nil {
				return err
			}
			if status == "reserved" {
				if err := sw.movePlot(ctx, plot, "reserved", "ready", nil); err != nil {
					return err
				}
			}
		}
	}
	if _, err := tx.Exec(ctx, "set local landinv.project_stage = on"); err != nil {
		return err
	}
	note := c.Note
	if note == "" {
		note = "stage " + c.Stage
	}
	if _, _, err := db.writeVersion(ctx, tx, l, w, writeRequest{op: inventory.OpUpdate, code: code, ifMatch: ifMatch,
		change: inventory.Change{Properties: props, Note: note}}); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "set local landinv.project_stage = off")
	return err
}

// stageWriter writes the side effects of one stage action, each a version of its own through
// the one write path, noted with the project's code.
type stageWriter struct {
	db      *DB
	tx      pgx.Tx
	w       writer
	project string
}

// movePlot moves a live plot from status from to status to, with the extra properties set.
// A plot that does not exist, or is not in from, is refused naming plot_code.
func (s stageWriter) movePlot(ctx context.Context, plot, from, to string, set map[string]any) error {
	status, err := s.plotStatus(ctx, plot)
	if err != nil {
		return err
	}
	if status != from {
		return inventory.Errorf(inventory.EInvalid, "plot_code", "plot %s is %s; this stage needs it %s", plot, status, from).
			With(inventory.CodeProjectPlotStatus, map[string]any{"value": status, "want": from})
	}
	props := map[string]any{"status": to}
	for k, v := range set {
		props[k] = v
	}
	_, _, err = s.db.writeVersion(ctx, s.tx, inventory.PlotLayer, s.w, writeRequest{op: inventory.OpUpdate, code: plot, internal: true,
		change: inventory.Change{Properties: props, Note: fmt.Sprintf("project %s: %s → %s", s.project, from, to)}})
	return err
}

// plotStatus is a live plot's status; a plot that does not exist is refused naming plot_code.
func (s stageWriter) plotStatus(ctx context.Context, plot string) (string, error) {
	var status string
	err := s.tx.QueryRow(ctx, `select status from plots where zone_id = $1 and code = $2 and valid_to = 'infinity' and not archived`,
		s.w.zoneID, plot).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", inventory.Errorf(inventory.EInvalid, "plot_code", "unknown plot '%s'", plot).With(inventory.CodeUnknownPlot, map[string]any{"plot": plot})
	}
	return status, err
}

// lease adds m2 to a live plant's leased_area_m2, refused naming plant_code when the building
// is not completed (已建成: one cannot lease space in a building still planned or being built)
// and naming leased_m2 when m2 exceeds the plant's free area. (The plant's tenants list is left to the planner: a tenant named there becomes an
// enterprise record when the firms are linked, which a project's investor need not be yet.)
func (s stageWriter) lease(ctx context.Context, plant string, m2 float64) error {
	var free, leased float64
	var status string
	err := s.tx.QueryRow(ctx, `select coalesce(free_area_m2, 0), leased_area_m2, status
		from plants where zone_id = $1 and code = $2 and valid_to = 'infinity' and not archived`, s.w.zoneID, plant).Scan(&free, &leased, &status)
	if errors.Is(err, pgx.ErrNoRows) {
		return inventory.Errorf(inventory.EInvalid, "plant_code", "no standard plant %s in the zone", plant).
			With(inventory.CodeProjectUnknownPlant, map[string]any{"value": plant})
	}
	if err != nil {
		return err
	}
	if status != inventory.PlantCompleted {
		return inventory.Errorf(inventory.EInvalid, "plant_code", "plant %s is %s; only a completed building is leased", plant, status).
			With(inventory.CodeProjectPlantUnbuilt, map[string]any{"plant": plant, "value": status})
	}
	if m2 > free {
		return inventory.Errorf(inventory.EInvalid, "leased_m2", "plant %s has %g m² free, less than the %g m² leased", plant, free, m2).
			With(inventory.CodeProjectNoFreeArea, map[string]any{"plant": plant, "free_m2": free, "leased_m2": m2})
	}
	_, _, err = s.db.writeVersion(ctx, s.tx, inventory.PlantLayer, s.w, writeRequest{op: inventory.OpUpdate, code: plant, internal: true,
		change: inventory.Change{Properties: map[string]any{"leased_area_m2": leased + m2},
			Note: fmt.Sprintf("project %s: leases %g m²", s.project, m2)}})
	return err
}

// FromEnquiry turns an enquiry into a lead project (inventory.ProjectService): the investor's
// company (or name), the area asked for as the land need when the enquiry was about a plot, and
// enquiry_id linking back. The enquiry is not changed.
func (db *DB) FromEnquiry(ctx context.Context, zone string, id int64, code, note string) (*inventory.Feature, error) {
	if code == "" {
		code = inventory.ProjectCodeForEnquiry(id)
	}
	err := db.writeTx(ctx, zone, func(tx pgx.Tx, w writer) error {
		var layer, name, company, industry, message string
		var area *float64
		err := tx.QueryRow(ctx, `select site_layer, name, coalesce(company, ''), coalesce(industry, ''), coalesce(message, ''), area_mu::double precision
			from enquiries where zone_id = $1 and id = $2`, w.zoneID, id).Scan(&layer, &name, &company, &industry, &message, &area)
		if errors.Is(err, pgx.ErrNoRows) {
			return inventory.Errorf(inventory.ENotFound, "id", "no enquiry %d in the zone", id).With(inventory.CodeProjectEnquiry, map[string]any{"value": id})
		}
		if err != nil {
			return err
		}
		investor := company
		if investor == "" {
			investor = name
		}
		props := map[string]any{"code": code, "confidential": map[string]any{}}
		conf := props["confidential"].(map[string]any)
		conf["name"] = investor + " 项目"
		conf["investor_name"] = investor
		conf["enquiry_id"] = id
		if industry != "" {
			conf["next_action"] = "follow up: " + industry
		}
		if area != nil && layer == "plots" {
			conf["area_mu_min"], conf["area_mu_max"] = *area, *area
		}
		if area != nil && layer == "plants" {
			conf["plant_area_m2"] = geo.SquareMetresFromMu(*area)
		}
		if note == "" {
			note = fmt.Sprintf("from enquiry %d", id)
		}
		_, _, err = db.writeVersion(ctx, tx, inventory.ProjectLayer, w, writeRequest{op: inventory.OpCreate,
			change: inventory.Change{Properties: props, Note: note}})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("project from enquiry %d: %w", id, err)
	}
	return db.Get(ctx, inventory.ProjectLayer, zone, code)
}
