package postgis

// What the per-mu evaluation reads of each firm: its land at the end of the year, computed by
// PostGIS from the plots' geometry and its tenancies in standard plants, and its figures of
// the year.

import (
	"context"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
)

// yearEndSQL is the rows of a versioned table (cols of it) in their state at the instant $3
// (inventory.YearEnd) in zone $1: each record's version valid then, as as_of reads it, or — for
// a record entered only later, which has none — its live version; archived states are left out
// (see inventory/evaluation.go). Versions of a record follow one another without gaps from
// version 1 to the live one, so a record has a version valid at $3 exactly when it was entered
// by then, and one row per record comes out. cond, when not empty, narrows the records (a
// condition on code, for an index lookup).
func yearEndSQL(table, cols, cond string) string {
	if cond != "" {
		cond = " and " + cond
	}
	return fmt.Sprintf(`(select %[2]s from (
		select %[2]s, archived from %[1]s where zone_id = $1 and valid_from <= $3 and valid_to > $3%[3]s
		union all
		select %[2]s, archived from %[1]s l where zone_id = $1 and valid_to = 'infinity' and valid_from > $3%[3]s
		  and not exists (select 1 from %[1]s o where o.zone_id = $1 and o.code = l.code and o.valid_from <= $3)
	) u where not archived)`, table, cols, cond)
}

// inputsSQL reads every enterprise of zone $1 as it stood at the end of the year (instant $3)
// with its land then and its figures of year $2: the codes, areas (computed by PostGIS on the
// ellipsoid) and districts of its plots, unordered (evaluationInputs orders them), its share
// of each plant's plot by leased floor area (see inventory/evaluation.go) and the district of
// its first plant. Every record is read in its year-end state (yearEndSQL); the figures are
// the live ones.
//
// Set-based for 10,000 firms on 100,000 plots: the plots are joined by hash and grouped by
// hash (no ordered aggregate, so no sort of 100,000 rows); each plant's plot is looked up by
// index (plots_history) rather than joined against every plot.
var inputsSQL = func() string {
	figs := ""
	for _, f := range inventory.Figures {
		figs += ", f." + f.Name
	}
	for _, f := range inventory.FigureFlags {
		figs += ", coalesce(f." + f.Name + ", false)"
	}
	return `with e as (
		select code, name, cluster, size_class, exemption, founded_on,
		       coalesce(plots, '[]') as plots, coalesce(tenancies, '[]') as tenancies
		from ` + yearEndSQL("enterprises", "code, name, cluster, size_class, exemption, founded_on, plots, tenancies", "") + ` t
	), held as (
		select e.code, array_agg(p.code) as plots, array_agg(coalesce(p.area_m2, 0)) as areas, array_agg(p.district) as districts
		from e cross join lateral jsonb_array_elements_text(e.plots) pc(code)
		join ` + yearEndSQL("plots", "code, area_m2, district", "") + ` p on p.code = pc.code
		group by e.code
	), plant_land as (
		select s.code, s.district,
		       p.area_m2 / nullif(sum(coalesce(s.total_floor_area_m2, s.leasable_area_m2)) over (partition by s.plot_code), 0) as land_per_floor
		from ` + yearEndSQL("plants", "code, district, plot_code, total_floor_area_m2, leasable_area_m2", "") + ` s
		cross join lateral ` + yearEndSQL("plots", "area_m2", "code = s.plot_code") + ` p
	), leased as (
		select e.code, sum((t->>'leased_m2')::float8 * pl.land_per_floor) as m2, sum((t->>'leased_m2')::float8) as floor_m2,
		       (array_agg(pl.district order by pl.code))[1] as district
		from e cross join lateral jsonb_array_elements(e.tenancies) t
		join plant_land pl on pl.code = t->>'plant_code'
		group by e.code
	), f as (
		select * from enterprise_figures where zone_id = $1 and year = $2 and valid_to = 'infinity' and not archived
	)
	select e.code, e.name, coalesce(e.cluster, ''), l.district, coalesce(e.size_class, ''),
	       coalesce(e.exemption, ''), e.founded_on, coalesce(h.plots, '{}'), coalesce(h.areas, '{}'), coalesce(h.districts, '{}'),
	       coalesce(l.m2, 0), coalesce(l.floor_m2, 0)` + figs + `
	from e left join held h on h.code = e.code left join leased l on l.code = e.code
	left join f on f.credit_code = e.code
	order by e.code`
}()

// evaluationInputs reads what the evaluation of year needs of every enterprise of the zone, in
// its state at the year's end.
func evaluationInputs(ctx context.Context, tx pgx.Tx, zoneID, year int) ([]inventory.EvaluationInput, error) {
	// The land of 10,000 firms on 100,000 plots is grouped from 100,000 rows: sorted in memory
	// (12 MB), not spilled to disk in 4 MB runs (the default work_mem).
	if _, err := tx.Exec(ctx, "set local work_mem = '32MB'"); err != nil {
		return nil, fmt.Errorf("evaluation inputs: %w", err)
	}
	rows, err := tx.Query(ctx, inputsSQL, zoneID, year, inventory.YearEnd(year))
	if err != nil {
		return nil, fmt.Errorf("evaluation inputs: %w", err)
	}
	defer rows.Close()
	var out []inventory.EvaluationInput
	nf, nfl := len(inventory.Figures), len(inventory.FigureFlags)
	for rows.Next() {
		var e inventory.EvaluationInput
		var plantDistrict *string
		var areas []float64
		var districts []*string
		var leasedM2 float64
		figs := make([]*float64, nf)
		flags := make([]bool, nfl)
		dest := []any{&e.CreditCode, &e.Name, &e.Cluster, &plantDistrict, &e.SizeClass, &e.Exemption, &e.FoundedOn,
			&e.Plots, &areas, &districts, &leasedM2, &e.LeasedM2}
		for i := range figs {
			dest = append(dest, &figs[i])
		}
		for i := range flags {
			dest = append(dest, &flags[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("evaluation inputs: %w", err)
		}
		// The district is its largest plot's (the first code of equal ones), else its first
		// plant's.
		heldM2, largest := 0.0, -1
		for i, a := range areas {
			heldM2 += a
			if largest < 0 || a > areas[largest] || (a == areas[largest] && e.Plots[i] < e.Plots[largest]) {
				largest = i
			}
		}
		switch {
		case largest >= 0 && districts[largest] != nil:
			e.District = *districts[largest]
		case plantDistrict != nil:
			e.District = *plantDistrict
		}
		sort.Strings(e.Plots)
		e.HeldMu, e.LeasedMu = geo.MuFromSquareMetres(heldM2), geo.MuFromSquareMetres(leasedM2)
		e.Figures, e.Flags = map[string]float64{}, map[string]bool{}
		for i, f := range inventory.Figures {
			if figs[i] != nil {
				e.Figures[f.Name] = *figs[i]
			}
		}
		for i, f := range inventory.FigureFlags {
			e.Flags[f.Name] = flags[i]
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
