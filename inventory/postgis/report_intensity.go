package postgis

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

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

// Intensity computes the land-use intensity report.
func (db *DB) Intensity(ctx context.Context, p inventory.ReportParams) (*inventory.IntensityReport, error) {
	q, h, eval, err := db.begin(ctx, p, "开发区土地集约利用评价 Land-use intensity evaluation")
	if err != nil {
		return nil, err
	}
	sees := h.Confidential
	var stored inventory.EvalConfig
	if len(eval) > 0 {
		if err := json.Unmarshal(eval, &stored); err != nil {
			h.Notes = append(h.Notes, "zone evaluation settings are malformed and were ignored: "+err.Error())
			stored = inventory.EvalConfig{}
		}
	}
	cfg, notes := stored.Merge()
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
	contrib, err := db.contributions(ctx, q, grp)
	if err != nil {
		return nil, nil, err
	}
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
			s.Contrib = contrib[s.Key]
			total = &s
		} else if g != nil {
			s.Key = *g
			s.Contrib = contrib[s.Key]
			groups = append(groups, s)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("intensity report: %w", err)
	}
	if includePlots {
		if err := db.intensityCodes(ctx, q, grp, keys, total, groups); err != nil {
			return nil, nil, err
		}
	}
	return total, groups, nil
}

// intensityCodes fills in the plot codes of the land classes (the totals that sum area_m2),
// in code order, for the total and each group; a figure total (which sums the plots of its
// class that carry the figure) lists none, as its count says how many did.
//
// The plots are read once, sorted once by the database (so in its collation's order, as
// array_agg(code order by code) gave them), each with its group and one flag per class; the
// lists are built here. One ordered aggregate per class and group used to sort the codes again
// for each (16 sorts of up to 100,000 codes, spilling to disk at the default work_mem).
func (db *DB) intensityCodes(ctx context.Context, q *reportQuery, grp string, keys []string, total *inventory.ClassSums, groups []inventory.ClassSums) error {
	var land []int // the indexes in keys of the land classes
	sel := []string{grp, "t.code"}
	for i, k := range keys {
		e := totalSQL[k]
		if e[0] != "t.area_m2" {
			continue
		}
		land = append(land, i)
		sel = append(sel, fmt.Sprintf("coalesce(%s and %s is not null, false)", e[1], e[0]))
	}
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
	f := q.fresh()
	sql := fmt.Sprintf(`select %s from plots t where %s order by t.code`, strings.Join(sel, ", "), f.plotFilter("t"))
	rows, err := db.Pool.Query(ctx, sql, f.args...)
	if err != nil {
		return fmt.Errorf("intensity report plot codes: %w", err)
	}
	defer rows.Close()
	var g *string
	var code string
	flags := make([]bool, len(land))
	dest := []any{&g, &code}
	for i := range flags {
		dest = append(dest, &flags[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("intensity report plot codes: %w", err)
		}
		var group *inventory.ClassSums
		if g != nil {
			group = byKey[*g]
		}
		for j, i := range land {
			if !flags[j] {
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
	if err := rows.Err(); err != nil {
		return fmt.Errorf("intensity report plot codes: %w", err)
	}
	return nil
}
