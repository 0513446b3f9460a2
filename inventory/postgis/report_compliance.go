package postgis

import (
	"context"
	"fmt"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
)

// Compliance computes the standard-land compliance report.
func (db *DB) Compliance(ctx context.Context, p inventory.ReportParams) (*inventory.ComplianceReport, error) {
	q, h, _, err := db.begin(ctx, p, "标准地承诺履约 Standard-land compliance")
	if err != nil {
		return nil, err
	}
	sees := h.Confidential
	rep := &inventory.ComplianceReport{ReportHeader: h}
	for _, m := range inventory.ComplianceMeasures {
		if m.Confidential && !sees {
			rep.Withheld = append(rep.Withheld, m.Key)
			continue
		}
		rep.Measures = append(rep.Measures, m)
	}
	conf := "null::text, null::float8, null::float8, null::float8, null::float8, null::float8, null::float8"
	if sees {
		conf = `t.enterprise, t.min_investment_wan_per_mu::float8, t.investment_wan::float8,
			t.min_tax_wan_per_mu_year::float8, t.tax_wan_per_year::float8, t.min_output_wan_per_mu::float8, t.output_wan_per_year::float8`
	}
	sql := fmt.Sprintf(`select `+reportPlotSQL+`,
			t.min_far::float8, t.max_far::float8, t.floor_area_m2, %s
		from plots t
		where %s and t.standard_land and t.status in ('supplied', 'under_construction', 'in_production', 'idle')
		order by t.code`, conf, q.plotFilter("t"))
	rows, err := db.Pool.Query(ctx, sql, q.args...)
	if err != nil {
		return nil, fmt.Errorf("compliance report: %w", err)
	}
	defer rows.Close()
	perMu := func(v *float64, areaMu float64) *float64 {
		if v == nil || areaMu <= 0 {
			return nil
		}
		x := *v / areaMu
		return &x
	}
	for rows.Next() {
		var pl inventory.CompliancePlot
		var area float64
		var minFAR, maxFAR, floor *float64
		var ent *string
		var minInv, inv, minTax, tax, minOut, out *float64
		if err := rows.Scan(append(reportPlotDest(&pl.ReportPlot, &area), &minFAR, &maxFAR, &floor,
			&ent, &minInv, &inv, &minTax, &tax, &minOut, &out)...); err != nil {
			return nil, fmt.Errorf("compliance report: %w", err)
		}
		pl.AreaMu = geo.MuFromSquareMetres(area)
		if ent != nil {
			pl.Enterprise = *ent
		}
		for _, m := range rep.Measures {
			c := inventory.ComplianceCheck{Measure: m.Key}
			switch m.Key {
			case "investment_intensity":
				c.Committed, c.Actual = minInv, perMu(inv, pl.AreaMu)
			case "tax_per_mu":
				c.Committed, c.Actual = minTax, perMu(tax, pl.AreaMu)
			case "output_per_mu":
				c.Committed, c.Actual = minOut, perMu(out, pl.AreaMu)
			case "far":
				c.Committed, c.CommittedMax = minFAR, maxFAR
				if floor != nil && area > 0 {
					x := *floor / area
					c.Actual = &x
				}
			}
			pl.Checks = append(pl.Checks, c)
		}
		rep.Plots = append(rep.Plots, pl)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("compliance report: %w", err)
	}
	if rep.Plots == nil {
		rep.Plots = []inventory.CompliancePlot{}
	}
	rep.Finish()
	return rep, nil
}
