package postgis_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

var projectPlanner = inventory.WithViewer(context.Background(), inventory.Viewer{Name: "zhang", Role: inventory.RolePlanner})

// projectZone is a hand-made zone (111.50–111.60 E, 36.00–36.10 N) with plots R1–R4 ready,
// plot N1 planned, a standard plant S1 (1 000 m² leasable, 400 m² leased) on plot H1 and a plant
// S2 still under construction (1 000 m² leasable, none leased).
func projectZone(t *testing.T) *postgis.DB {
	t.Helper()
	db := postgistest.New(t)
	exec(t, db, `insert into zones (code, name, geom) values ('hand', 'Hand-made zone', ST_Multi(ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326)))`)
	for i, c := range []string{"R1", "R2", "R3", "R4", "N1", "H1"} {
		status := "ready"
		if c == "N1" {
			status = "planned"
		}
		x := 111.51 + float64(i)*0.01
		exec(t, db, fmt.Sprintf(`insert into plots (zone_id, code, land_use, status, geom) values
			(1, '%s', '100101', '%s', ST_Multi(ST_MakeEnvelope(%v, 36.01, %v, 36.02, 4326)))`, c, status, x, x+0.005))
	}
	exec(t, db, `insert into plants (zone_id, code, status, floors, leasable_area_m2, leased_area_m2, geom) values
		(1, 'S1', 'completed', 2, 1000, 400, ST_Multi(ST_MakeEnvelope(111.561, 36.011, 111.562, 36.012, 4326))),
		(1, 'S2', 'under_construction', 2, 1000, 0, ST_Multi(ST_MakeEnvelope(111.563, 36.011, 111.564, 36.012, 4326)))`)
	return db
}

// newProject creates a lead project and moves it through steps (each a StageChange), failing
// the test on any refusal.
func newProject(t *testing.T, db *postgis.DB, code string, props map[string]any, steps ...inventory.StageChange) *inventory.Feature {
	t.Helper()
	p := map[string]any{"code": code, "name": "项目 " + code, "investor_name": "甲公司", "plant_area_m2": 300.0}
	for k, v := range props {
		p[k] = v
	}
	f, err := db.Create(projectPlanner, inventory.ProjectLayer, "hand", inventory.Change{Properties: p})
	if err != nil {
		t.Fatalf("create %s: %v", code, err)
	}
	for _, s := range steps {
		f, err = db.Stage(projectPlanner, "hand", code, f.ETag(), s)
		if err != nil {
			t.Fatalf("%s: stage %+v: %v", code, s, err)
		}
	}
	return f
}

// inventoryState is every plot's status and every plant's leased area, versions included, and
// every project's version and stage: what a refused stage change must leave as it was.
func inventoryState(t *testing.T, db *postgis.DB) string {
	t.Helper()
	var s string
	err := db.Pool.QueryRow(context.Background(), `select concat_ws('|',
		(select string_agg(code || ':' || version || ':' || status, ',' order by code, version) from plots),
		(select string_agg(code || ':' || version || ':' || leased_area_m2, ',' order by code, version) from plants),
		(select string_agg(code || ':' || version || ':' || stage || ':' || coalesce(plot_code, '-'), ',' order by code, version) from projects))`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func plotStatus(t *testing.T, db *postgis.DB, code string) string {
	t.Helper()
	var s string
	if err := db.Pool.QueryRow(context.Background(), `select status from plots where code = $1 and valid_to = 'infinity'`, code).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestProjectStages walks every transition, legal and illegal, from every stage: a legal one
// moves the plot or the plant as the rules say, an illegal one is refused naming the field and
// leaves the inventory (plots, plants, projects, every version) as it was.
func TestProjectStages(t *testing.T) {
	db := projectZone(t)
	sc := func(stage, date string) inventory.StageChange { return inventory.StageChange{Stage: stage, Date: date} }
	// The steps that bring a fresh project to each stage, on plot R-something given per case.
	to := func(stage, plot string) []inventory.StageChange {
		all := []inventory.StageChange{sc("negotiating", ""), {Stage: "signed", Date: "2026-01-10", PlotCode: plot},
			sc("supplied", "2026-02-01"), sc("started", "2026-03-01"), sc("in_production", "2026-09-01")}
		switch stage {
		case "lead":
			return nil
		case "dropped":
			return []inventory.StageChange{{Stage: "dropped", Date: "2026-01-05", DropReason: "投资方撤回"}}
		}
		for i, s := range all {
			if s.Stage == stage {
				return all[:i+1]
			}
		}
		t.Fatalf("no stage %s", stage)
		return nil
	}
	tests := []struct {
		name     string
		from     string
		plot     bool // the project gets a fresh ready plot at signed
		change   inventory.StageChange
		field    string // "" = accepted
		code     string
		wantPlot string // the plot's status afterwards (accepted cases)
	}{
		{"lead → negotiating", "lead", false, sc("negotiating", ""), "", "", ""},
		{"lead → signed skips negotiating", "lead", false, sc("signed", "2026-01-01"), "stage", inventory.CodeIllegalStep, ""},
		{"lead → supplied", "lead", false, sc("supplied", "2026-01-01"), "stage", inventory.CodeIllegalStep, ""},
		{"lead → dropped", "lead", false, inventory.StageChange{Stage: "dropped", Date: "2026-01-01", DropReason: "不符合产业政策"}, "", "", ""},
		{"negotiating → signed with a ready plot reserves it", "negotiating", false, inventory.StageChange{Stage: "signed", Date: "2026-01-01", PlotCode: "$NEW"}, "", "", "reserved"},
		{"negotiating → signed without land (项目等地)", "negotiating", false, sc("signed", "2026-01-01"), "", "", ""},
		{"negotiating → signed with a planned plot", "negotiating", false, inventory.StageChange{Stage: "signed", Date: "2026-01-01", PlotCode: "N1"}, "plot_code", inventory.CodeProjectPlotStatus, ""},
		{"negotiating → signed with an unknown plot", "negotiating", false, inventory.StageChange{Stage: "signed", Date: "2026-01-01", PlotCode: "ZZ"}, "plot_code", inventory.CodeUnknownPlot, ""},
		{"negotiating → started", "negotiating", false, sc("started", "2026-01-01"), "stage", inventory.CodeIllegalStep, ""},
		{"negotiating → lead goes back", "negotiating", false, sc("lead", ""), "stage", inventory.CodeIllegalStep, ""},
		{"signed → supplied supplies the plot", "signed", true, sc("supplied", "2026-02-01"), "", "", "supplied"},
		{"signed → supplied dated before signing", "signed", true, sc("supplied", "2025-12-01"), "date", inventory.CodeProjectDatesOrder, ""},
		{"signed → started skips supply", "signed", true, sc("started", "2026-03-01"), "stage", inventory.CodeIllegalStep, ""},
		{"signed → signed assigns a plot later", "signed", false, inventory.StageChange{Stage: "signed", PlotCode: "$NEW"}, "", "", "reserved"},
		{"signed → signed with a plot already assigned", "signed", true, inventory.StageChange{Stage: "signed", PlotCode: "$NEW"}, "stage", inventory.CodeIllegalStep, ""},
		{"signed → another plot", "signed", true, inventory.StageChange{Stage: "supplied", PlotCode: "N1"}, "plot_code", inventory.CodeProjectSiteFixed, ""},
		{"signed → supplied without plot or plant", "signed", false, sc("supplied", "2026-02-01"), "plot_code", inventory.CodeRequired, ""},
		{"signed → supplied by a plant lease", "signed", false, inventory.StageChange{Stage: "supplied", Date: "2026-02-01", PlantCode: "S1", LeasedM2: ptr(250.0)}, "", "", ""},
		{"signed → supplied by a lease beyond the free area", "signed", false, inventory.StageChange{Stage: "supplied", Date: "2026-02-01", PlantCode: "S1", LeasedM2: ptr(601.0)}, "leased_m2", inventory.CodeProjectNoFreeArea, ""},
		{"signed → supplied in a plant under construction", "signed", false, inventory.StageChange{Stage: "supplied", Date: "2026-02-01", PlantCode: "S2", LeasedM2: ptr(250.0)}, "plant_code", inventory.CodeProjectPlantUnbuilt, ""},
		{"signed → supplied in an unknown plant", "signed", false, inventory.StageChange{Stage: "supplied", PlantCode: "S9"}, "plant_code", inventory.CodeProjectUnknownPlant, ""},
		{"signed → dropped lets the reservation lapse", "signed", true, inventory.StageChange{Stage: "dropped", Date: "2026-02-01", DropReason: "资金未到位"}, "", "", "ready"},
		{"signed → dropped without a reason", "signed", true, sc("dropped", "2026-02-01"), "drop_reason", inventory.CodeRequired, ""},
		{"supplied → started starts construction", "supplied", true, sc("started", "2026-03-01"), "", "", "under_construction"},
		{"supplied → in_production", "supplied", true, sc("in_production", "2026-03-01"), "stage", inventory.CodeIllegalStep, ""},
		{"supplied → dropped keeps the supplied plot", "supplied", true, inventory.StageChange{Stage: "dropped", Date: "2026-03-01", DropReason: "企业破产"}, "", "", "supplied"},
		{"started → in_production", "started", true, sc("in_production", "2026-09-01"), "", "", "in_production"},
		{"started → signed goes back", "started", true, sc("signed", "2026-09-01"), "stage", inventory.CodeIllegalStep, ""},
		{"in_production → dropped: final", "in_production", true, inventory.StageChange{Stage: "dropped", Date: "2026-10-01", DropReason: "x"}, "stage", inventory.CodeIllegalStep, ""},
		{"dropped → negotiating: final", "dropped", false, sc("negotiating", ""), "stage", inventory.CodeIllegalStep, ""},
		{"unknown stage", "lead", false, sc("won", ""), "stage", "", ""},
		{"a date that is none", "negotiating", false, sc("signed", "2026-13-01"), "date", inventory.CodeNotADate, ""},
	}
	free := []string{"R1", "R2", "R3", "R4", "H1"}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Every case gets its own project and, when it needs one, its own ready plot:
			// the plots are reused once the project holding them is done with (reset).
			code := fmt.Sprintf("P%02d", i)
			plot := ""
			if tt.plot || tt.change.PlotCode == "$NEW" {
				plot = free[i%len(free)]
				resetPlot(t, db, plot)
			}
			given := ""
			if tt.plot {
				given = plot
			}
			f := newProject(t, db, code, nil, to(tt.from, given)...)
			change := tt.change
			if change.PlotCode == "$NEW" {
				change.PlotCode = plot
			}
			var plantBefore float64
			readLeased(t, db, "S1", &plantBefore)
			before := inventoryState(t, db)
			got, err := db.Stage(projectPlanner, "hand", code, f.ETag(), change)
			if tt.field != "" {
				var e *inventory.Error
				if !errors.As(err, &e) {
					t.Fatalf("want a refusal naming %s, got %v", tt.field, err)
				}
				if e.Field != tt.field || (tt.code != "" && e.Code != tt.code) {
					t.Errorf("refused on %s (%s), want %s (%s): %v", e.Field, e.Code, tt.field, tt.code, e)
				}
				if e.Kind != inventory.EInvalid && e.Kind != inventory.EConflict {
					t.Errorf("kind %s, want invalid (422)", e.Kind)
				}
				if after := inventoryState(t, db); after != before {
					t.Errorf("a refused stage change changed the inventory:\n%s\n→\n%s", before, after)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if s := got.Confidential["stage"]; s != change.Stage {
				t.Errorf("stage = %v, want %s", s, change.Stage)
			}
			if got.Version != f.Version+1 || got.Properties["changed_by"] != "zhang" {
				t.Errorf("version %d by %v, want %d by zhang", got.Version, got.Properties["changed_by"], f.Version+1)
			}
			if tt.wantPlot != "" {
				if s := plotStatus(t, db, plot); s != tt.wantPlot {
					t.Errorf("plot %s is %s, want %s", plot, s, tt.wantPlot)
				}
			}
			if change.PlantCode != "" {
				var after float64
				readLeased(t, db, "S1", &after)
				if after != plantBefore+*change.LeasedM2 {
					t.Errorf("S1 leased %g m², want %g + %g", after, plantBefore, *change.LeasedM2)
				}
			}
			if d := inventory.ProjectStageDate(change.Stage); d != "" && change.Date != "" && got.Confidential[d] != change.Date {
				t.Errorf("%s = %v, want %s", d, got.Confidential[d], change.Date)
			}
		})
	}
}

// resetPlot makes a plot ready again for the next case: the project holding it is dropped and
// archived and the plot restored to its first version (a restore is exempt from the lifecycle).
func resetPlot(t *testing.T, db *postgis.DB, plot string) {
	t.Helper()
	if plotStatus(t, db, plot) == "ready" {
		if n := count(t, db, `select count(*) from projects where plot_code = $1 and valid_to = 'infinity' and not archived and stage <> 'dropped'`, plot); n == 0 {
			return
		}
	}
	rows, err := db.Pool.Query(context.Background(), `select code, version from projects where plot_code = $1 and valid_to = 'infinity' and not archived`, plot)
	if err != nil {
		t.Fatal(err)
	}
	type cv struct {
		code string
		v    int
	}
	var held []cv
	for rows.Next() {
		var x cv
		if err := rows.Scan(&x.code, &x.v); err != nil {
			t.Fatal(err)
		}
		held = append(held, x)
	}
	rows.Close()
	for _, x := range held {
		f, err := db.Get(projectPlanner, inventory.ProjectLayer, "hand", x.code)
		if err != nil {
			t.Fatal(err)
		}
		// A project holding its plot is dropped before it is archived (0062).
		if s := f.Confidential["stage"]; s == "signed" || s == "supplied" || s == "started" {
			if f, err = db.Stage(projectPlanner, "hand", x.code, f.ETag(), inventory.StageChange{Stage: "dropped", DropReason: "test reset"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Archive(projectPlanner, inventory.ProjectLayer, "hand", x.code, f.ETag(), "test reset"); err != nil {
			t.Fatal(err)
		}
	}
	cur, err := db.Get(projectPlanner, inventory.PlotLayer, "hand", plot)
	if err != nil {
		t.Fatal(err)
	}
	if cur.Properties["status"] != "ready" {
		if _, err := db.Restore(projectPlanner, inventory.PlotLayer, "hand", plot, 1, cur.ETag()); err != nil {
			t.Fatal(err)
		}
	}
}

func readLeased(t *testing.T, db *postgis.DB, plant string, out *float64) {
	t.Helper()
	if err := db.Pool.QueryRow(context.Background(), `select leased_area_m2 from plants where code = $1 and valid_to = 'infinity'`, plant).Scan(out); err != nil {
		t.Fatal(err)
	}
}

// TestProjectStageFieldsOnlyByTheStageAction: a PATCH may change a project's need and people,
// not its stage, dates, plot or plant; a new project starts as a lead.
func TestProjectStageFieldsOnlyByTheStageAction(t *testing.T) {
	db := projectZone(t)
	f := newProject(t, db, "A1", nil, inventory.StageChange{Stage: "negotiating"})
	for _, props := range []map[string]any{{"stage": "signed"}, {"signed_on": "2026-01-01"}, {"plot_code": "R1"}, {"drop_reason": "x"}} {
		before := inventoryState(t, db)
		_, err := db.Update(projectPlanner, inventory.ProjectLayer, "hand", "A1", f.ETag(), inventory.Change{Properties: props})
		if c := inventory.CodeOf(err); c != inventory.CodeProjectStageOnly && c != inventory.CodeProjectSiteTooEarly && c != inventory.CodeRequired {
			t.Errorf("PATCH %v: %v (%s), want a refusal", props, err, c)
		}
		if after := inventoryState(t, db); after != before {
			t.Errorf("PATCH %v changed the inventory", props)
		}
	}
	g, err := db.Update(projectPlanner, inventory.ProjectLayer, "hand", "A1", f.ETag(), inventory.Change{Properties: map[string]any{"officer": "李专员", "next_action": "现场踏勘", "next_action_due": "2026-02-01"}})
	if err != nil || g.Version != f.Version+1 {
		t.Fatalf("PATCH of the officer: %v", err)
	}
	_, err = db.Create(projectPlanner, inventory.ProjectLayer, "hand", inventory.Change{Properties: map[string]any{"code": "A2", "name": "x", "investor_name": "y", "stage": "signed"}})
	if inventory.CodeOf(err) != inventory.CodeProjectStartsAsLead && inventory.CodeOf(err) != inventory.CodeProjectStageDates {
		t.Errorf("a project created as signed: %v", err)
	}
	// History and as_of: the negotiating version stands as it was.
	h, err := db.History(projectPlanner, inventory.ProjectLayer, "hand", "A1")
	if err != nil || len(h) != 3 {
		t.Fatalf("history: %d versions, %v", len(h), err)
	}
}

// TestProjectFromEnquiry: an enquiry becomes a lead project linked to it; the enquiry stays as
// it was; a second project from the same enquiry is refused.
func TestProjectFromEnquiry(t *testing.T) {
	db := projectZone(t)
	ctx := context.Background()
	id, err := db.CreateEnquiry(ctx, "hand", inventory.NewEnquiry{SiteLayer: "plots", SiteCode: "R1", Name: "王经理", Company: "乙新材料有限公司",
		Phone: "13800000000", Industry: "新材料", AreaMu: ptr(80.0)})
	if err != nil {
		t.Fatal(err)
	}
	var before string
	if err := db.Pool.QueryRow(ctx, `select status || ':' || version from enquiries where id = $1`, id).Scan(&before); err != nil {
		t.Fatal(err)
	}
	f, err := db.FromEnquiry(projectPlanner, "hand", id, "", "")
	if err != nil {
		t.Fatal(err)
	}
	c := f.Confidential
	if f.Code != inventory.ProjectCodeForEnquiry(id) || c["stage"] != "lead" || c["investor_name"] != "乙新材料有限公司" || fmt.Sprint(c["area_mu_min"]) != "80" || fmt.Sprint(c["enquiry_id"]) != fmt.Sprint(id) {
		t.Errorf("project from enquiry: %s %v", f.Code, c)
	}
	var after string
	if err := db.Pool.QueryRow(ctx, `select status || ':' || version from enquiries where id = $1`, id).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("the enquiry changed: %s → %s", before, after)
	}
	if _, err := db.FromEnquiry(projectPlanner, "hand", id, "OTHER", ""); inventory.CodeOf(err) != inventory.CodeProjectEnquiryTaken {
		t.Errorf("second project from one enquiry: %v", err)
	}
	if _, err := db.FromEnquiry(projectPlanner, "hand", id+1000, "", ""); inventory.ErrorKind(err) != inventory.ENotFound {
		t.Errorf("unknown enquiry: %v", err)
	}
	viewer := inventory.WithViewer(ctx, inventory.Viewer{Name: "v", Role: inventory.RoleViewer})
	if _, err := db.FromEnquiry(viewer, "hand", id, "X2", ""); inventory.ErrorKind(err) != inventory.EForbidden {
		t.Errorf("a viewer turned an enquiry into a project: %v", err)
	}
	if !strings.HasPrefix(f.Code, "PRJ-E") {
		t.Errorf("code %s", f.Code)
	}
	// An enquiry numbered past 2^31 − 1 (enquiries.id is bigint) becomes a project too
	// (projects.enquiry_id was integer before 0076).
	if _, err := db.Pool.Exec(ctx, `select setval(pg_get_serial_sequence('enquiries', 'id'), 3000000000)`); err != nil {
		t.Fatal(err)
	}
	big, err := db.CreateEnquiry(ctx, "hand", inventory.NewEnquiry{SiteLayer: "plots", SiteCode: "R1", Name: "李经理", Phone: "13900000000"})
	if err != nil || big <= 1<<31 {
		t.Fatalf("enquiry %d: %v", big, err)
	}
	if g, err := db.FromEnquiry(projectPlanner, "hand", big, "", ""); err != nil || fmt.Sprint(g.Confidential["enquiry_id"]) != fmt.Sprint(big) {
		t.Errorf("a project from enquiry %d: %v", big, err)
	}
}

// TestProjectStepRuleMatchesTheDatabase compares inventory.ProjectStepOK with
// landinv_project_step_ok and inventory.ProjectPlotStatus with landinv_project_plot_status on
// every pair of stages.
func TestProjectStepRuleMatchesTheDatabase(t *testing.T) {
	db := postgistest.New(t)
	for _, a := range inventory.ProjectStages {
		var ps *string
		if err := db.Pool.QueryRow(context.Background(), `select landinv_project_plot_status($1)`, a).Scan(&ps); err != nil {
			t.Fatal(err)
		}
		if got := inventory.ProjectPlotStatus(a); (ps == nil && got != "") || (ps != nil && *ps != got) {
			t.Errorf("plot status at %s: Go %q, SQL %v", a, got, ps)
		}
		for _, b := range inventory.ProjectStages {
			var ok bool
			if err := db.Pool.QueryRow(context.Background(), `select landinv_project_step_ok($1, $2)`, a, b).Scan(&ok); err != nil {
				t.Fatal(err)
			}
			if ok != inventory.ProjectStepOK(a, b) {
				t.Errorf("%s → %s: SQL %v, Go %v", a, b, ok, !ok)
			}
		}
	}
}

// TestDemoProjectsObeyTheRules: the demo has an illustrative project in every stage; each
// project's versions step by ProjectStepOK; the plot of each project that holds one has the
// status its stage binds (a signed project's plot is reserved, …), and each plot was ready
// before its project took it; the lease added exactly its area to the plant.
func TestDemoProjectsObeyTheRules(t *testing.T) {
	db := postgistest.NewWithDemo(t)
	ctx := context.Background()
	rows, err := db.Pool.Query(ctx, `select code, version, stage, coalesce(plot_code, ''), coalesce(plant_code, ''), coalesce(leased_m2, 0), illustrative
		from projects order by code, version`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		code, stage, plot, plant string
		version                  int
		leased                   float64
		illustrative             bool
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.code, &r.version, &r.stage, &r.plot, &r.plant, &r.leased, &r.illustrative); err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	rows.Close()
	live := map[string]row{}
	for i, r := range all {
		if !r.illustrative {
			t.Errorf("%s v%d is not marked illustrative", r.code, r.version)
		}
		if i > 0 && all[i-1].code == r.code && !inventory.ProjectStepOK(all[i-1].stage, r.stage) {
			t.Errorf("%s: v%d %s → v%d %s", r.code, all[i-1].version, all[i-1].stage, r.version, r.stage)
		}
		if r.version == 1 && r.stage != "lead" {
			t.Errorf("%s starts as %s", r.code, r.stage)
		}
		live[r.code] = r
	}
	stages := map[string]int{}
	for _, r := range live {
		stages[r.stage]++
		if r.plot != "" {
			want := inventory.ProjectPlotStatus(r.stage)
			if s := plotStatus(t, db, r.plot); s != want {
				t.Errorf("%s (%s) holds plot %s, which is %s, not %s", r.code, r.stage, r.plot, s, want)
			}
			var first string
			if err := db.Pool.QueryRow(ctx, `select status from plots where code = $1 and version = 1`, r.plot).Scan(&first); err != nil || first != "ready" {
				t.Errorf("plot %s of %s was %s before (%v), not ready", r.plot, r.code, first, err)
			}
		}
		if r.plant != "" {
			var before, after float64
			if err := db.Pool.QueryRow(ctx, `select (select leased_area_m2 from plants where code = $1 and version = 1),
				(select leased_area_m2 from plants where code = $1 and valid_to = 'infinity')`, r.plant).Scan(&before, &after); err != nil {
				t.Fatal(err)
			}
			if after-before != r.leased || r.leased <= 0 {
				t.Errorf("%s leases %g m² in %s, whose leased area went %g → %g", r.code, r.leased, r.plant, before, after)
			}
		}
	}
	for _, s := range inventory.ProjectStages {
		if stages[s] == 0 {
			t.Errorf("the demo has no project at stage %s", s)
		}
	}
	if stages["signed"] < 2 {
		t.Errorf("the demo has %d signed projects; want one with land and one without (项目等地)", stages["signed"])
	}
}

// TestDatabaseHoldsProjectRules writes project versions by hand, past the store: the database
// itself refuses a skipped stage, a stage change outside the stage action, and a signed project
// whose plot is not reserved.
func TestDatabaseHoldsProjectRules(t *testing.T) {
	db := projectZone(t)
	newProject(t, db, "A", nil, inventory.StageChange{Stage: "negotiating"})
	const staging = "set local landinv.project_stage = on"
	const closeA = "update projects set valid_to = clock_timestamp() where code = 'A' and valid_to = 'infinity'"
	const insert = "insert into projects (zone_id, code, version, name, investor_name, stage, signed_on, supplied_on, plot_code) values (1, 'A', 3, 'A', '甲公司', "
	for _, c := range []struct {
		name  string
		stmts []string
		code  string
	}{
		{"a skipped stage", []string{staging, closeA, insert + "'supplied', '2026-01-01', '2026-01-02', null)"}, inventory.CodeIllegalStep},
		{"a stage change outside the stage action", []string{closeA, insert + "'signed', '2026-01-01', null, null)"}, inventory.CodeProjectStageOnly},
		{"a signed project on a ready plot", []string{staging, closeA, insert + "'signed', '2026-01-01', null, 'R1')"}, inventory.CodeProjectPlotStatus},
		{"a signed project on a plot that is none", []string{staging, closeA, insert + "'signed', '2026-01-01', null, 'ZZ')"}, inventory.CodeUnknownPlot},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := inventoryState(t, db)
			err := inTx(db, c.stmts...)
			if inventory.CodeOf(err) != c.code {
				t.Errorf("got %v (%s), want %s", err, inventory.CodeOf(err), c.code)
			}
			if after := inventoryState(t, db); after != before {
				t.Error("the refused write changed the inventory")
			}
		})
	}
}
