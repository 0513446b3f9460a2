package postgis

import (
	"context"
	"fmt"
	"sort"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
)

// Supply computes the supply report.
func (db *DB) Supply(ctx context.Context, p inventory.ReportParams) (*inventory.SupplyReport, error) {
	q, h, _, err := db.begin(ctx, p, "地等项目与厂房等项目 Land and plants ready for investors")
	if err != nil {
		return nil, err
	}
	rep := &inventory.SupplyReport{ReportHeader: h, ReadyByDistrict: []inventory.SupplyRow{}, ReadyByCluster: []inventory.SupplyRow{},
		ReadyPlots: []inventory.ReadyPlot{}, PlantsByDistrict: []inventory.PlantSpace{}}
	rep.Ready.Key = "total"
	ready := q.plotFilter("t") + " and t.standard_land and t.status = 'ready'"
	rows, err := db.Pool.Query(ctx, fmt.Sprintf(`select t.code, coalesce(t.name, ''), coalesce(t.district, ''), coalesce(t.cluster, ''),
			t.land_use, t.area_m2, t.min_investment_wan_per_mu::float8, t.min_tax_wan_per_mu_year::float8, t.min_far::float8, t.max_far::float8
		from plots t where %s order by t.code`, ready), q.args...)
	if err != nil {
		return nil, fmt.Errorf("supply report: %w", err)
	}
	byD, byC := map[string]*inventory.SupplyRow{}, map[string]*inventory.SupplyRow{}
	var dk, ck []string
	add := func(m map[string]*inventory.SupplyRow, keys *[]string, k string, mu float64) {
		if k == "" {
			k = "none"
		}
		r, ok := m[k]
		if !ok {
			r = &inventory.SupplyRow{Key: k}
			m[k] = r
			*keys = append(*keys, k)
		}
		r.Plots++
		r.AreaMu += mu
	}
	for rows.Next() {
		var r inventory.ReadyPlot
		var area float64
		if err := rows.Scan(&r.Code, &r.Name, &r.District, &r.Cluster, &r.LandUse, &area, &r.MinInvestmentWanPerMu, &r.MinTaxWanPerMuYear, &r.MinFAR, &r.MaxFAR); err != nil {
			rows.Close()
			return nil, fmt.Errorf("supply report: %w", err)
		}
		r.AreaMu = geo.MuFromSquareMetres(area)
		rep.ReadyPlots = append(rep.ReadyPlots, r)
		rep.Ready.Plots++
		rep.Ready.AreaMu += r.AreaMu
		add(byD, &dk, r.District, r.AreaMu)
		add(byC, &ck, r.Cluster, r.AreaMu)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("supply report: %w", err)
	}
	sort.Strings(dk)
	sort.Strings(ck)
	for _, k := range dk {
		rep.ReadyByDistrict = append(rep.ReadyByDistrict, *byD[k])
	}
	for _, k := range ck {
		rep.ReadyByCluster = append(rep.ReadyByCluster, *byC[k])
	}

	q = q.fresh()
	plantWhere := fmt.Sprintf("s.zone_id = $1 and %s and %s and %s", q.time("s"), q.districtFilter("s"), q.hostCluster("s"))
	rows, err = db.Pool.Query(ctx, fmt.Sprintf(`select grouping(d) = 1, d, s.completed, count(*),
			coalesce(sum(s.total_floor_area_m2), 0), sum(s.leasable_area_m2), sum(s.leased_area_m2), sum(s.free_area_m2)
		from (select s.*, coalesce(s.district, 'none') as d, s.status = 'completed' as completed from plants s where %s) s
		group by grouping sets ((completed), (completed, d)) order by 1 desc, 2`, plantWhere), q.args...)
	if err != nil {
		return nil, fmt.Errorf("supply report: plants: %w", err)
	}
	defer rows.Close()
	rep.Plants.Key, rep.Pipeline.Key = "total", "pipeline"
	for rows.Next() {
		var total, completed bool
		var d *string
		var x inventory.PlantSpace
		if err := rows.Scan(&total, &d, &completed, &x.Plants, &x.FloorM2, &x.LeasableM2, &x.LeasedM2, &x.FreeM2); err != nil {
			return nil, fmt.Errorf("supply report: plants: %w", err)
		}
		x.VacancyPct = inventory.Ratio(&x.FreeM2, &x.LeasableM2, 100)
		switch {
		case total && completed:
			x.Key = "total"
			rep.Plants = x
		case total:
			x.Key = "pipeline"
			rep.Pipeline = x
		case completed && d != nil:
			x.Key = *d
			rep.PlantsByDistrict = append(rep.PlantsByDistrict, x)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("supply report: plants: %w", err)
	}
	return rep, nil
}
