package postgis

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/landinv/landinv/inventory"
)

// totalSQL gives, per class total, the summed expression and the plots it sums over.
var totalSQL = map[string][2]string{
	"A":                     {"t.area_m2", "t.eval_class like 'A%'"},
	"A1":                    {"t.area_m2", "t.eval_class = 'A1'"},
	"A2":                    {"t.area_m2", "t.eval_class = 'A2'"},
	"B":                     {"t.area_m2", "t.eval_class like 'B%'"},
	"B21":                   {"t.area_m2", "t.eval_class = 'B21'"},
	"D":                     {"t.area_m2", "t.supply_class in ('D1', 'D21', 'D22')"},
	"G":                     {"t.area_m2", "t.status = 'idle'"},
	"H":                     {"t.area_m2", "t.hightech_class in ('H1', 'H2')"},
	"floor_area":            {"t.floor_area_m2", "t.eval_class like 'A%'"},
	"footprint":             {"t.footprint_m2", "t.eval_class like 'A%'"},
	"industrial_floor_area": {"t.floor_area_m2", "t.eval_class = 'A2'"},
	"industrial_footprint":  {"t.footprint_m2", "t.eval_class = 'A2'"},
	"industrial_investment": {"t.investment_wan", "t.eval_class = 'A2'"},
	"industrial_tax":        {"t.tax_wan_per_year", "t.eval_class = 'A2'"},
	"tax":                   {"t.tax_wan_per_year", "t.eval_class like 'A%'"},
	"population":            {"t.population", "t.eval_class like 'A%'"},
}

// zoneEvalConfig reads the zone's evaluation settings (zones.evaluation) as a report's begin
// returned them; malformed settings are ignored, with a note in h.
func zoneEvalConfig(eval []byte, h *inventory.ReportHeader) inventory.EvalConfig {
	var stored inventory.EvalConfig
	if len(eval) > 0 {
		if err := json.Unmarshal(eval, &stored); err != nil {
			h.Notes = append(h.Notes, "zone evaluation settings are malformed and were ignored: "+err.Error())
			return inventory.EvalConfig{}
		}
	}
	return stored
}

// Intensity computes the land-use intensity report.
func (db *DB) Intensity(ctx context.Context, p inventory.ReportParams) (*inventory.IntensityReport, error) {
	q, h, eval, err := db.begin(ctx, p, "开发区土地集约利用评价 Land-use intensity evaluation")
	if err != nil {
		return nil, err
	}
	sees := h.Confidential
	cfg, notes := zoneEvalConfig(eval, &h).Merge()
	h.Notes = append(h.Notes, notes...)

	// Every total is summed, the confidential ones for the public too: EvaluateIntensity shows
	// them to the public only under the disclosure rule, from the contributions counted here.
	grp := "'zone'"
	switch p.Group {
	case inventory.GroupDistrict:
		grp = "coalesce(t.district, 'none')"
	case inventory.GroupCluster:
		grp = "coalesce(t.cluster, 'none')"
	}
	labels, err := db.groupLabels(ctx, q, p.Group)
	if err != nil {
		return nil, err
	}
	rep := &inventory.IntensityReport{ReportHeader: h, Group: p.Group, Config: cfg, NationalScore: inventory.NationalScore}
	evaluate := func(s inventory.ClassSums) inventory.IntensityGroup {
		g := inventory.EvaluateIntensity(s, cfg, sees)
		l := labels[s.Key]
		g.Label, g.LabelEN = l.Label, l.LabelEN
		return g
	}
	total, groups, err := db.intensitySums(ctx, q, grp, p.IncludePlots)
	if err != nil {
		return nil, err
	}
	haveTotal := total != nil
	if haveTotal {
		rep.Total = evaluate(*total)
	}
	if p.Group != inventory.GroupZone {
		for _, s := range groups {
			rep.Groups = append(rep.Groups, evaluate(s))
		}
	}
	if !haveTotal {
		rep.Total = evaluate(inventory.ClassSums{Key: "total"})
	}
	rep.Finish()
	return rep, nil
}

// intensitySums sums the class totals of the report's plots, for the whole selection (total;
// nil when the selection is empty) and per group (grp, an SQL expression over alias t giving
// the group's key), with each group's contributions (the disclosure rule's input) filled in.
// The intensity and the province reports share it.
func (db *DB) intensitySums(ctx context.Context, q *reportQuery, grp string, includePlots bool) (*inventory.ClassSums, []inventory.ClassSums, error) {
	var keys []string
	for _, d := range inventory.IntensityTotals {
		keys = append(keys, d.Key)
	}
	sel := []string{"grouping(g) = 1", "g", "count(*)"}
	for _, k := range keys {
		e := totalSQL[k]
		cond := fmt.Sprintf("%s and %s is not null", e[1], e[0])
		sel = append(sel, fmt.Sprintf("coalesce(sum(%s) filter (where %s), 0)::float8", e[0], cond),
			fmt.Sprintf("count(*) filter (where %s)", cond))
	}
	// The contributions and the plot codes are independent reads of the same plots: they run
	// beside the sums, each on its own connection (as before, each statement is a transaction
	// of its own), so the report takes the longest of them rather than their sum.
	var contrib map[string]map[string]inventory.Contribution
	var codes *plotCodes
	eg, ectx := errgroup.WithContext(ctx)
	eg.Go(func() (err error) {
		contrib, err = db.contributions(ectx, q, grp)
		return err
	})
	if includePlots {
		eg.Go(func() (err error) {
			codes, err = db.intensityCodes(ectx, q, grp, keys)
			return err
		})
	}
	total, groups, err := db.classSums(ctx, q, grp, sel, keys)
	if werr := eg.Wait(); werr != nil {
		return nil, nil, werr
	}
	if err != nil {
		return nil, nil, err
	}
	if total != nil {
		total.Contrib = contrib[total.Key]
	}
	for i := range groups {
		groups[i].Contrib = contrib[groups[i].Key]
	}
	if codes != nil {
		codes.fill(keys, total, groups)
	}
	return total, groups, nil
}

// classSums runs the sums of intensitySums (sel over the plots of q grouped by grp).
func (db *DB) classSums(ctx context.Context, q *reportQuery, grp string, sel, keys []string) (*inventory.ClassSums, []inventory.ClassSums, error) {
	sets := "(), (g)"
	sql := fmt.Sprintf(`select %s from (select t.*, %s as g from plots t where %s) t group by grouping sets (%s) order by 1 desc, 2`,
		strings.Join(sel, ", "), grp, q.plotFilter("t"), sets)
	rows, err := db.Pool.Query(ctx, sql, q.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("intensity report: %w", err)
	}
	defer rows.Close()
	var total *inventory.ClassSums
	var groups []inventory.ClassSums
	for rows.Next() {
		var isTotal bool
		var g *string
		s := inventory.ClassSums{Values: map[string]float64{}, Counts: map[string]int64{}, Codes: map[string][]string{}}
		dest := []any{&isTotal, &g, &s.Plots}
		vals := make([]float64, len(keys))
		counts := make([]int64, len(keys))
		for i := range keys {
			dest = append(dest, &vals[i], &counts[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, fmt.Errorf("intensity report: %w", err)
		}
		for i, k := range keys {
			s.Values[k], s.Counts[k] = vals[i], counts[i]
		}
		if isTotal {
			s.Key = "total"
			total = &s
		} else if g != nil {
			s.Key = *g
			groups = append(groups, s)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("intensity report: %w", err)
	}
	return total, groups, nil
}

// plotCodes are the plots of a report with their group and, per land class, whether they
// count in it, in code order.
type plotCodes struct {
	land  []int // the indexes in keys of the land classes (the totals that sum area_m2)
	group []*string
	code  []string
	flags []uint64 // bit j: the plot counts in the land class keys[land[j]]
}

// intensityCodes reads the plot codes of the land classes for the intensity report: every
// plot of the selection once, sorted once by the database (so in its collation's order, as
// array_agg(code order by code) gave them), with its group and one flag per class. One ordered
// aggregate per class and group used to sort the codes again for each (16 sorts of up to
// 100,000 codes, spilling to disk at the default work_mem).
func (db *DB) intensityCodes(ctx context.Context, q *reportQuery, grp string, keys []string) (*plotCodes, error) {
	pc := &plotCodes{}
	sel := []string{grp, "t.code"}
	for i, k := range keys {
		e := totalSQL[k]
		if e[0] != "t.area_m2" {
			continue
		}
		pc.land = append(pc.land, i)
		sel = append(sel, fmt.Sprintf("coalesce(%s and %s is not null, false)", e[1], e[0]))
	}
	f := q.fresh()
	sql := fmt.Sprintf(`select %s from plots t where %s order by t.code`, strings.Join(sel, ", "), f.plotFilter("t"))
	rows, err := db.Pool.Query(ctx, sql, f.args...)
	if err != nil {
		return nil, fmt.Errorf("intensity report plot codes: %w", err)
	}
	defer rows.Close()
	var g *string
	var code string
	flags := make([]bool, len(pc.land))
	dest := []any{&g, &code}
	for i := range flags {
		dest = append(dest, &flags[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("intensity report plot codes: %w", err)
		}
		var bits uint64
		for j, ok := range flags {
			if ok {
				bits |= 1 << j
			}
		}
		if bits == 0 {
			continue
		}
		pc.group, pc.code, pc.flags = append(pc.group, g), append(pc.code, code), append(pc.flags, bits)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("intensity report plot codes: %w", err)
	}
	return pc, nil
}

// fill sets the codes of every total of the total and the groups: the land classes' plots in
// code order, none for a figure total (which sums the plots of its class that carry the
// figure; its count says how many did).
func (pc *plotCodes) fill(keys []string, total *inventory.ClassSums, groups []inventory.ClassSums) {
	byKey := map[string]*inventory.ClassSums{}
	all := []*inventory.ClassSums{}
	if total != nil {
		all = append(all, total)
	}
	for i := range groups {
		byKey[groups[i].Key] = &groups[i]
		all = append(all, &groups[i])
	}
	for _, s := range all {
		for _, k := range keys {
			s.Codes[k] = []string{}
		}
	}
	for r, code := range pc.code {
		var group *inventory.ClassSums
		if g := pc.group[r]; g != nil {
			group = byKey[*g]
		}
		for j, i := range pc.land {
			if pc.flags[r]&(1<<j) == 0 {
				continue
			}
			k := keys[i]
			if total != nil {
				total.Codes[k] = append(total.Codes[k], code)
			}
			if group != nil {
				group.Codes[k] = append(group.Codes[k], code)
			}
		}
	}
}
