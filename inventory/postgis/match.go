package postgis

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
)

var _ inventory.SiteMatcher = (*DB)(nil)

// MatchSites ranks the candidate sites of need under the zone's stored ranking (its weights,
// else inventory.DefaultMatchWeights): see MatchSitesRanked.
func (db *DB) MatchSites(ctx context.Context, need inventory.SiteNeed, limit int) (*inventory.SiteMatches, error) {
	return db.MatchSitesRanked(ctx, need, inventory.MatchRanking{}, limit)
}

// MatchSitesRanked ranks every candidate site of need (选址匹配) under rank's weights over the
// zone's stored ranking (PutMatchRanking; the defaults where neither sets a weight) and returns
// the first limit (inventory.MatchLimit), each with every condition of its layer and its
// outcome (inventory.PlotMatchConditions, PlantMatchConditions; the rule of each and the
// ranking rule are documented there and on inventory.MatchRanking).
//
// One statement, set-based: the conditions and scores of all candidates, the ranking and the
// limit are computed in PostGIS. Whether a plot is within MaxRoadDistanceM of a built road is
// decided by builtRoadWithinSQL, for the candidates where it can change the answer (see
// matchPlotsSQL: the others cannot reach the limit whatever their road); the distance itself is
// measured only for the candidates returned, by nearestRoadSQL (the one rule of "nearest road"
// that near_road_m and the site sheets use).
func (db *DB) MatchSitesRanked(ctx context.Context, need inventory.SiteNeed, rank inventory.MatchRanking, limit int) (*inventory.SiteMatches, error) {
	if err := inventory.CheckSiteNeed(need); err != nil {
		return nil, err
	}
	if err := rank.Check(); err != nil {
		return nil, err
	}
	zone, err := db.ResolveZone(ctx, need.Zone)
	if err != nil {
		return nil, err
	}
	stored, err := rankingAt(ctx, db.Pool, zone, nil)
	if err != nil {
		return nil, err
	}
	asked := slices.ContainsFunc(inventory.MatchConditionsOf(need.Layer), func(c string) bool { _, ok := rank.Weights[c]; return ok })
	rank = rank.Over(inventory.MatchRanking{Weights: stored.Stored})
	// A call's own weights of its layer's conditions may not leave every one of them at 0. A zone's stored
	// rule that does (written before PutMatchRanking refused it) still ranks, every site at
	// 100, rather than refuse every call that names no weight.
	if asked {
		if err := rank.CheckScored(need.Layer); err != nil {
			return nil, err
		}
	}
	limit = inventory.MatchLimit(limit)
	if need.Layer == inventory.MatchPlants {
		return db.matchPlants(ctx, zone, need, rank, limit)
	}
	return db.matchPlots(ctx, zone, need, rank, limit)
}

// builtRoadWithinSQL says whether a built road ($11 statuses) lies within $10 metres of the
// candidate c, on the ellipsoid (null when $10 is null). The road index answers a planar
// ST_DWithin on a bound in degrees that can only be wider (a metre is at most 1/110 000° of
// latitude, and 1/(110 000·cos φ)° of longitude); a planar distance under $10/111 700° is
// within $10 metres for sure (no degree is longer than 111.7 km), and ST_DWithin on geography
// decides the rest.
const builtRoadWithinSQL = `case when $10::float8 is not null then exists (select 1 from roads rd
      where rd.zone_id = c.zone_id and rd.valid_to = 'infinity' and not rd.archived and rd.status = any($11::text[])
        and ST_DWithin(rd.geom, c.geom, $10 / (110000 * cos(radians(least(89.0,
              greatest(abs(ST_YMin(c.geom)), abs(ST_YMax(c.geom))) + 0.01 + $10 / 110000.0)))))
        and (ST_DWithin(rd.geom, c.geom, $10 / 111700.0) or ST_DWithin(rd.geom::geography, c.geom::geography, $10))) end`

// matchPlotsSQL: $1 zone, $2 m² per 亩, $3/$4 area range (亩), $5 land-use prefix, $6 cluster,
// $7/$8/$9 committed investment, tax, output per 亩, $10 maximum road distance (m), $11 built
// road statuses, $12–$18 the weights of PlotMatchConditions in order, $19 limit, $20 the
// project's total investment (万元). p_* says whether a condition passes, k_* is its credit
// (null when it does not apply). inv is the investment per 亩 compared with the plot's
// minimum: the committed figure, else the total investment ÷ this plot's area
// (inventory.SiteNeed.InvestmentPerMu states the rule).
//
// The road test is the one per-candidate index probe (EXPLAIN on 100 000 plots: the probes
// dominate), so it runs only where it can change the answer. c scores every candidate without
// it, which bounds its final score between lb (the road fails) and ub (it passes). b tests the
// road of the candidates passing every other condition (base_pass): those passing it too
// (all_pass) rank first. When fewer than limit do, th is the score that the remaining places
// must reach: the (limit − all_pass)-th best of the exact scores of b's road failures and the
// lb of the others. A candidate failing another condition whose ub is below th is outranked by
// at least limit candidates whatever its road, so o tests the road only of the others; when
// limit candidates pass everything, o tests none.
const matchPlotsSQL = `with c as materialized (
  select x.*,
    coalesce(100 * num / nullif(den + wr, 0), 100) as lb,
    coalesce(100 * (num + wr) / nullif(den + wr, 0), 100) as ub
  from (
    select k.*,
      p_area and p_use and p_cluster and p_inv and p_tax and p_out as base_pass,
      $12::float8 * coalesce(k_area, 0) + $13::float8 * coalesce(k_use, 0) + $14::float8 * coalesce(k_cluster, 0)
        + $15::float8 * coalesce(k_inv, 0) + $16::float8 * coalesce(k_tax, 0) + $17::float8 * coalesce(k_out, 0) as num,
      $12 * (k_area is not null)::int + $13 * (k_use is not null)::int + $14 * (k_cluster is not null)::int
        + $15 * (k_inv is not null)::int + $16 * (k_tax is not null)::int + $17 * (k_out is not null)::int as den,
      case when $10::float8 is null then 0 else $18::float8 end as wr
    from (
      select p.code, p.zone_id, p.geom, a.area_mu, p.land_use, p.cluster, p.standard_land,
        p.min_investment_wan_per_mu::float8 as min_inv, p.min_tax_wan_per_mu_year::float8 as min_tax,
        p.min_output_wan_per_mu::float8 as min_out, v.inv,
        case when $3::float8 is null and $4::float8 is null then null
             when a.area_mu < $3 then a.area_mu / $3 when a.area_mu > $4 then $4 / a.area_mu else 1 end as k_area,
        case when $5::text = '' then null when starts_with(p.land_use, $5) then 1 else 0 end as k_use,
        case when $6::text = '' then null when p.cluster is null or p.cluster = $6 then 1 else 0 end as k_cluster,
        case when not p.standard_land or p.min_investment_wan_per_mu is null then null when v.inv is null then 0
             when v.inv >= p.min_investment_wan_per_mu then 1 else v.inv / p.min_investment_wan_per_mu::float8 end as k_inv,
        case when not p.standard_land or p.min_tax_wan_per_mu_year is null then null when $8::float8 is null then 0
             when $8 >= p.min_tax_wan_per_mu_year then 1 else $8 / p.min_tax_wan_per_mu_year::float8 end as k_tax,
        case when not p.standard_land or p.min_output_wan_per_mu is null then null when $9::float8 is null then 0
             when $9 >= p.min_output_wan_per_mu then 1 else $9 / p.min_output_wan_per_mu::float8 end as k_out,
        coalesce(($3::float8 is null or a.area_mu >= $3) and ($4::float8 is null or a.area_mu <= $4), false) as p_area,
        coalesce($5::text = '' or starts_with(p.land_use, $5), false) as p_use,
        coalesce($6::text = '' or p.cluster is null or p.cluster = $6, false) as p_cluster,
        coalesce(not p.standard_land or p.min_investment_wan_per_mu is null or v.inv >= p.min_investment_wan_per_mu, false) as p_inv,
        coalesce(not p.standard_land or p.min_tax_wan_per_mu_year is null or $8 >= p.min_tax_wan_per_mu_year, false) as p_tax,
        coalesce(not p.standard_land or p.min_output_wan_per_mu is null or $9 >= p.min_output_wan_per_mu, false) as p_out
      from plots p, lateral (select p.area_m2 / $2::float8 as area_mu) a,
        lateral (select coalesce($7::float8, $20::float8 / nullif(a.area_mu, 0)) as inv) v
      where p.zone_id = (select id from zones where code = $1) and p.status = 'ready'
        and p.valid_to = 'infinity' and not p.archived) k) x
), b as materialized (
  select c.*, %[1]s as road_ok from c where c.base_pass
), nth as (
  select greatest($19 - count(*) filter (where $10::float8 is null or road_ok), 0) as n from b
), th as (
  select case when (select n from nth) = 0 then 'infinity'::float8
    else coalesce((select v from (
      select case when road_ok then ub else lb end as v from b where not coalesce($10::float8 is null or road_ok, false)
      union all select lb from c where not c.base_pass) u
      order by v desc limit 1 offset (select n from nth) - 1), '-infinity') end as t
), o as materialized (
  select c.*, %[1]s as road_ok from c where not c.base_pass and c.ub >= (select t from th)
), r as (
  select * from b union all select * from o
), s as (
  select r.*, coalesce($10::float8 is null or road_ok, false) as p_road,
    base_pass and coalesce($10::float8 is null or road_ok, false) as all_pass,
    case when road_ok then ub else lb end as score,
    abs(area_mu - coalesce(($3 + $4) / 2, $3, $4)) as fit
  from r
), top as (
  select * from s order by all_pass desc, score desc, fit nulls last, code limit $19
)
select t.code, t.score, t.area_mu, t.land_use, t.cluster, t.min_inv, t.min_tax, t.min_out, t.inv, round(n.d::numeric, 1)::float8,
       t.p_area, t.p_use, t.p_cluster, t.p_inv, t.p_tax, t.p_out, t.p_road, t.standard_land, cnt.candidates, cnt.passing
from (select (select count(*) from c) as candidates,
             (select count(*) filter (where $10::float8 is null or road_ok) from b) as passing) cnt
  left join (top t left join lateral (` +
	`%[2]s) n on true) on true
order by t.all_pass desc, t.score desc, t.fit nulls last, t.code`

func (db *DB) matchPlots(ctx context.Context, zone string, need inventory.SiteNeed, rank inventory.MatchRanking, limit int) (*inventory.SiteMatches, error) {
	q := fmt.Sprintf(matchPlotsSQL, builtRoadWithinSQL, nearestRoadSQL("c.d", "t.geom", "t.zone_id",
		"r.valid_to = 'infinity' and not r.archived", "r.status = any($11::text[])"))
	args := []any{zone, geo.SquareMetresPerMu, need.AreaMuMin, need.AreaMuMax, need.LandUse, need.Cluster,
		need.InvestmentWanPerMu, need.TaxWanPerMuYear, need.OutputWanPerMu, need.MaxRoadDistanceM, inventory.ExistingRoadStatuses}
	for _, c := range inventory.PlotMatchConditions {
		args = append(args, rank.Weight(c))
	}
	args = append(args, limit, need.TotalInvestmentWan)
	rows, err := db.Pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("match plots: %w", err)
	}
	defer rows.Close()
	out := &inventory.SiteMatches{Matches: []inventory.SiteMatch{}}
	for rows.Next() {
		var (
			code                   *string // null: no candidate in the page, the counts alone
			m                      inventory.SiteMatch
			score, area            *float64
			use                    *string
			cluster                *string
			minInv, minTax, minOut *float64
			inv, dist              *float64
			pass                   [7]*bool // PlotMatchConditions in order
			std                    *bool
		)
		if err := rows.Scan(&code, &score, &area, &use, &cluster, &minInv, &minTax, &minOut, &inv, &dist,
			&pass[0], &pass[1], &pass[2], &pass[3], &pass[4], &pass[5], &pass[6], &std, &out.Candidates, &out.Passing); err != nil {
			return nil, fmt.Errorf("match plots: %w", err)
		}
		if code == nil {
			continue
		}
		m.Code, m.Score = *code, round2(*score)
		m.Conditions = []inventory.MatchCondition{
			{Name: "area_mu", Pass: *pass[0], Value: round2(*area), Required: areaRange(need)},
			{Name: "land_use", Pass: *pass[1], Value: *use, Required: optText(need.LandUse)},
			{Name: "cluster", Pass: *pass[2], Value: optPtr(cluster), Required: optText(need.Cluster)},
			investmentCondition(*pass[3], *std, minInv, inv, need),
			presetCondition("min_tax_wan_per_mu_year", *pass[4], *std, minTax, need.TaxWanPerMuYear),
			presetCondition("min_output_wan_per_mu", *pass[5], *std, minOut, need.OutputWanPerMu),
			{Name: "road_distance_m", Pass: *pass[6], Value: optPtr(dist), Required: optPtr(need.MaxRoadDistanceM)},
		}
		out.Matches = append(out.Matches, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("match plots: %w", err)
	}
	return out, nil
}

// matchPlantsSQL: $1 zone, $2 free area, $3 floor load, $4 floor height, $5 crane capacity
// needed, $6–$9 the weights of PlantMatchConditions in order, $10 limit. A building with no
// crane (crane_capacity_t null) has 0 t (crane_t): it meets a need of 0 t, and only that.
const matchPlantsSQL = `with c as (
  select b.code, b.free_area_m2 as free, b.floor_load_kn_m2::float8 as load, b.floor_height_m::float8 as height,
         b.crane_capacity_t::float8 as crane, coalesce(b.crane_capacity_t::float8, 0) as crane_t
  from plants b
  where b.zone_id = (select id from zones where code = $1) and b.status = 'completed' and b.free_area_m2 > 0
    and b.valid_to = 'infinity' and not b.archived
), k as (
  select c.*,
    case when $2::float8 is null then null when free >= $2 then 1 else free / $2 end as k_free,
    case when $3::float8 is null then null when load >= $3 then 1 else coalesce(load / $3, 0) end as k_load,
    case when $4::float8 is null then null when height >= $4 then 1 else coalesce(height / $4, 0) end as k_height,
    case when $5::float8 is null then null when crane_t >= $5 then 1 else crane_t / $5 end as k_crane,
    coalesce($2::float8 is null or free >= $2, false) as p_free, coalesce($3::float8 is null or load >= $3, false) as p_load,
    coalesce($4::float8 is null or height >= $4, false) as p_height, ($5::float8 is null or crane_t >= $5) as p_crane
  from c
), s as (
  select k.*, p_free and p_load and p_height and p_crane as all_pass,
    coalesce(100 * ($6::float8 * coalesce(k_free, 0) + $7::float8 * coalesce(k_load, 0) + $8::float8 * coalesce(k_height, 0)
                  + $9::float8 * coalesce(k_crane, 0))
      / nullif($6 * (k_free is not null)::int + $7 * (k_load is not null)::int + $8 * (k_height is not null)::int
             + $9 * (k_crane is not null)::int, 0), 100) as score
  from k
)
select code, score, free, load, height, crane, p_free, p_load, p_height, p_crane,
  count(*) over () as candidates, count(*) filter (where all_pass) over () as passing from s
order by all_pass desc, score desc, free, code limit $10`

func (db *DB) matchPlants(ctx context.Context, zone string, need inventory.SiteNeed, rank inventory.MatchRanking, limit int) (*inventory.SiteMatches, error) {
	args := []any{zone, need.PlantAreaM2, need.FloorLoadKNm2, need.ClearHeightM, need.CraneCapacityT}
	for _, c := range inventory.PlantMatchConditions {
		args = append(args, rank.Weight(c))
	}
	args = append(args, limit)
	rows, err := db.Pool.Query(ctx, matchPlantsSQL, args...)
	if err != nil {
		return nil, fmt.Errorf("match plants: %w", err)
	}
	out := &inventory.SiteMatches{}
	out.Matches, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (inventory.SiteMatch, error) {
		var (
			m                   inventory.SiteMatch
			free                float64
			load, height, crane *float64
			pass                [4]bool // PlantMatchConditions in order
		)
		if err := row.Scan(&m.Code, &m.Score, &free, &load, &height, &crane, &pass[0], &pass[1], &pass[2], &pass[3],
			&out.Candidates, &out.Passing); err != nil {
			return m, err
		}
		m.Score = round2(m.Score)
		m.Conditions = []inventory.MatchCondition{
			{Name: "free_area_m2", Pass: pass[0], Value: free, Required: optPtr(need.PlantAreaM2)},
			{Name: "floor_load_kn_m2", Pass: pass[1], Value: optPtr(load), Required: optPtr(need.FloorLoadKNm2)},
			{Name: "floor_height_m", Pass: pass[2], Value: optPtr(height), Required: optPtr(need.ClearHeightM)},
			{Name: "crane_capacity_t", Pass: pass[3], Value: optPtr(crane), Required: optPtr(need.CraneCapacityT)},
		}
		return m, nil
	})
	if err != nil {
		return nil, fmt.Errorf("match plants: %w", err)
	}
	return out, nil
}

// presetCondition is a standard-land indicator: the project's committed figure (Value, Basis
// "committed") at least the plot's preset minimum (Required). Nothing is required of a plot
// that is not standard land or presets no minimum. A project that committed no figure has no
// Value; against a preset minimum the condition fails with Reason "not_committed" (承诺制: the
// figure is the project's commitment, and none was made).
func presetCondition(name string, pass, standard bool, min, committed *float64) inventory.MatchCondition {
	c := inventory.MatchCondition{Name: name, Pass: pass, Value: optPtr(committed)}
	if committed != nil {
		c.Basis = inventory.BasisCommitted
	}
	if standard && min != nil {
		c.Required = *min
		if committed == nil {
			c.Reason = inventory.ReasonNotCommitted
		}
	}
	return c
}

// investmentCondition is the investment-intensity condition: as presetCondition, with the value
// the statement compared (inv: the committed figure, else the total investment ÷ the plot's
// area, Basis "derived", rounded to 0.01 万元/亩).
func investmentCondition(pass, standard bool, min, inv *float64, need inventory.SiteNeed) inventory.MatchCondition {
	if need.InvestmentWanPerMu != nil || inv == nil {
		return presetCondition("min_investment_wan_per_mu", pass, standard, min, need.InvestmentWanPerMu)
	}
	c := presetCondition("min_investment_wan_per_mu", pass, standard, min, inv)
	c.Value, c.Basis = round2(*inv), inventory.BasisDerived
	return c
}

// areaRange is the area condition's requirement: {"min", "max"} with the bounds given, nil
// when none.
func areaRange(n inventory.SiteNeed) any {
	if n.AreaMuMin == nil && n.AreaMuMax == nil {
		return nil
	}
	r := map[string]float64{}
	if n.AreaMuMin != nil {
		r["min"] = *n.AreaMuMin
	}
	if n.AreaMuMax != nil {
		r["max"] = *n.AreaMuMax
	}
	return r
}

// optPtr is *p, or an untyped nil (JSON null) when p is nil.
func optPtr[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func optText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
