package postgis

// The disclosure rule's input (inventory.DisclosureRule): for every confidential class total of
// the intensity report, in every group, how many enterprises contribute to it and how large the
// largest contribution is. The rule itself is in inventory; this file only counts.

import (
	"context"
	"fmt"
	"strings"

	"github.com/landinv/landinv/inventory"
)

// contributorSQL is the identity of the enterprise behind a plot's figures (alias a): the
// plot's confidential enterprise name, trimmed and case-folded. Plots without a name count
// together as one contributor (an unknown firm may hold all of them), which errs on the side of
// withholding. This is the one place that says who a contributor is: when enterprises get their
// own table, it becomes that table's id.
func contributorSQL(a string) string {
	return fmt.Sprintf("coalesce(nullif(lower(btrim(%s.enterprise)), ''), '')", a)
}

// contributions counts, per group of the report (key "total" for the whole selection, else the
// group's key as in Intensity) and per confidential total, the distinct contributors with a
// positive figure, the largest contributor's part and the sum of the parts. grp is the group
// expression over alias t, as in Intensity.
func (db *DB) contributions(ctx context.Context, q *reportQuery, grp string) (map[string]map[string]inventory.Contribution, error) {
	var keys []string
	for _, d := range inventory.IntensityTotals {
		if d.Confidential {
			keys = append(keys, d.Key)
		}
	}
	q = q.fresh()
	inner := make([]string, len(keys))
	outer := []string{"grouping(g) = 1", "g"}
	for i, k := range keys {
		e := totalSQL[k]
		inner[i] = fmt.Sprintf("sum(%s) filter (where %s and %s is not null) as s%d", e[0], e[1], e[0], i)
		outer = append(outer, fmt.Sprintf("count(*) filter (where s%d > 0)", i),
			fmt.Sprintf("coalesce(max(s%d) filter (where s%d > 0), 0)::float8", i, i),
			fmt.Sprintf("coalesce(sum(s%d) filter (where s%d > 0), 0)::float8", i, i))
	}
	sql := fmt.Sprintf(`select %s from (
			select g, c, %s from (select t.*, %s as g, %s as c from plots t where %s) t group by g, c
		) x group by grouping sets ((), (g))`,
		strings.Join(outer, ", "), strings.Join(inner, ", "), grp, contributorSQL("t"), q.plotFilter("t"))
	rows, err := db.Pool.Query(ctx, sql, q.args...)
	if err != nil {
		return nil, fmt.Errorf("intensity report: contributions: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]inventory.Contribution{}
	for rows.Next() {
		var isTotal bool
		var g *string
		c := make([]inventory.Contribution, len(keys))
		dest := []any{&isTotal, &g}
		for i := range keys {
			dest = append(dest, &c[i].Enterprises, &c[i].Largest, &c[i].Sum)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("intensity report: contributions: %w", err)
		}
		key := "total"
		if !isTotal {
			if g == nil {
				continue
			}
			key = *g
		}
		m := map[string]inventory.Contribution{}
		for i, k := range keys {
			m[k] = c[i]
		}
		out[key] = m
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("intensity report: contributions: %w", err)
	}
	return out, nil
}

// groupLabels returns the names of the report's groups: districts by their layout names (as of
// the report's time), clusters by their EnumLabels, "none" and the total by fixed words.
func (db *DB) groupLabels(ctx context.Context, q *reportQuery, group string) (map[string]inventory.EnumLabel, error) {
	out := map[string]inventory.EnumLabel{"total": {Label: "全区", LabelEN: "Whole zone"}}
	switch group {
	case inventory.GroupDistrict:
		out["none"] = inventory.EnumLabel{Label: "未划入片区", LabelEN: "No district"}
		q = q.fresh()
		rows, err := db.Pool.Query(ctx, fmt.Sprintf(`select code, name, coalesce(name_en, '') from layout l
			where l.zone_id = $1 and l.kind = 'district' and %s`, q.time("l")), q.args...)
		if err != nil {
			return nil, fmt.Errorf("intensity report: district names: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var code string
			var l inventory.EnumLabel
			if err := rows.Scan(&code, &l.Label, &l.LabelEN); err != nil {
				return nil, fmt.Errorf("intensity report: district names: %w", err)
			}
			if l.LabelEN == "" {
				l.LabelEN = l.Label
			}
			out[code] = l
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("intensity report: district names: %w", err)
		}
	case inventory.GroupCluster:
		out["none"] = inventory.EnumLabel{Label: "未定产业集群", LabelEN: "No cluster"}
		for k, l := range inventory.EnumLabels("plots", "cluster") {
			out[k] = l
		}
	}
	return out, nil
}
