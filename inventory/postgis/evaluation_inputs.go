package postgis

// What the per-mu evaluation reads of each firm: its land, computed by PostGIS from the plots'
// geometry and its tenancies in standard plants, and its figures of the year.

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
)

// inputsSQL reads every live enterprise of zone $1 with its land and its figures of year $2:
// held_m2 the area of its live plots (computed by PostGIS on the ellipsoid), leased_land_m2 its
// share of each plant's plot by leased floor area (see inventory/evaluation.go), its district
// that of its largest plot, else of its first plant.
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
		from enterprises where zone_id = $1 and valid_to = 'infinity' and not archived
	), held as (
		select e.code, sum(p.area_m2) as m2, jsonb_agg(p.code order by p.code) as plots,
		       (array_agg(p.district order by p.area_m2 desc, p.code))[1] as district
		from e cross join lateral jsonb_array_elements_text(e.plots) pc(code)
		join plots p on p.zone_id = $1 and p.code = pc.code and p.valid_to = 'infinity' and not p.archived
		group by e.code
	), plant_land as (
		select s.code, s.district,
		       p.area_m2 / nullif(sum(coalesce(s.total_floor_area_m2, s.leasable_area_m2)) over (partition by s.plot_code), 0) as land_per_floor
		from plants s join plots p on p.zone_id = s.zone_id and p.code = s.plot_code and p.valid_to = 'infinity' and not p.archived
		where s.zone_id = $1 and s.valid_to = 'infinity' and not s.archived
	), leased as (
		select e.code, sum((t->>'leased_m2')::float8 * pl.land_per_floor) as m2, sum((t->>'leased_m2')::float8) as floor_m2,
		       (array_agg(pl.district order by pl.code))[1] as district
		from e cross join lateral jsonb_array_elements(e.tenancies) t
		join plant_land pl on pl.code = t->>'plant_code'
		group by e.code
	), f as (
		select * from enterprise_figures where zone_id = $1 and year = $2 and valid_to = 'infinity' and not archived
	)
	select e.code, e.name, coalesce(e.cluster, ''), coalesce(h.district, l.district, ''), coalesce(e.size_class, ''),
	       coalesce(e.exemption, ''), e.founded_on, coalesce(h.plots, '[]'), coalesce(h.m2, 0), coalesce(l.m2, 0),
	       coalesce(l.floor_m2, 0)` + figs + `
	from e left join held h on h.code = e.code left join leased l on l.code = e.code
	left join f on f.credit_code = e.code
	order by e.code`
}()

// evaluationInputs reads what the evaluation needs of every live enterprise of the zone.
func evaluationInputs(ctx context.Context, tx pgx.Tx, zoneID, year int) ([]inventory.EvaluationInput, error) {
	rows, err := tx.Query(ctx, inputsSQL, zoneID, year)
	if err != nil {
		return nil, fmt.Errorf("evaluation inputs: %w", err)
	}
	defer rows.Close()
	var out []inventory.EvaluationInput
	nf, nfl := len(inventory.Figures), len(inventory.FigureFlags)
	for rows.Next() {
		var e inventory.EvaluationInput
		var plots []byte
		var heldM2, leasedM2 float64
		figs := make([]*float64, nf)
		flags := make([]bool, nfl)
		dest := []any{&e.CreditCode, &e.Name, &e.Cluster, &e.District, &e.SizeClass, &e.Exemption, &e.FoundedOn,
			&plots, &heldM2, &leasedM2, &e.LeasedM2}
		for i := range figs {
			dest = append(dest, &figs[i])
		}
		for i := range flags {
			dest = append(dest, &flags[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("evaluation inputs: %w", err)
		}
		if err := json.Unmarshal(plots, &e.Plots); err != nil {
			return nil, fmt.Errorf("evaluation inputs: %w", err)
		}
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
