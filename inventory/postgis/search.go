package postgis

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

// The investor search of the lists: free text (inventory.FilterText, the q parameter) and the
// sorts (inventory.Sort, the sort parameter), compiled into StreamList's one SQL. Every value is
// bound; every identifier is a field name from the layer's allow-list.

// nearestRoadSQL is a subquery answering the road nearest to the geometry g (an SQL expression)
// among the live roads of zone zoneID (an SQL expression) that satisfy cond (an SQL condition on
// r, "true" for any road), with the columns cols of its row c (c.code, c.name, c.name_en,
// c.status, c.geom) and d, the geodesic distance in metres. A handful of candidates are picked
// with the planar KNN index operator and ranked on the ellipsoid (ST_Distance on geography), so
// the answer is the geodesic nearest: the one rule of "nearest road" (NearestRoads, the q search,
// sort=road). live is the time clause of r.
func nearestRoadSQL(cols, g, zoneID, live, cond string) string {
	return fmt.Sprintf(`select %s from (
		  select c.*, ST_Distance(c.geom::geography, (%[2]s)::geography) as d from (
		    select r.code, r.name, coalesce(r.name_en, '') as name_en, r.status, r.geom from roads r
		    where r.zone_id = %[3]s and %[4]s and %[5]s
		    order by r.geom <-> (%[2]s) limit 16) c
		  order by d, c.code limit 1) c`, cols, g, zoneID, live, cond)
}

// textSQL is the condition of a free-text filter over the layer's row t: one of the fields
// c.Values, the name of t's district, or the name of t's nearest road contains c.Value (ILIKE,
// the text's wildcards escaped).
func textSQL(q inventory.Query, c inventory.Condition, add func(any) string, args *[]any) (string, error) {
	text, _ := c.Value.(string)
	p := add(inventory.LikePattern(strings.TrimSpace(text)))
	var ors []string
	for _, name := range c.Values {
		if _, ok := q.Layer.Field(name); !ok {
			return "", fmt.Errorf("text filter on unknown field %q", name)
		}
		ors = append(ors, "t."+pgx.Identifier{name}.Sanitize()+" ilike "+p)
	}
	if _, ok := q.Layer.Field("district"); ok {
		ors = append(ors, fmt.Sprintf(`exists (select 1 from layout l where l.zone_id = t.zone_id and l.kind = 'district'
			and l.code = t.district and %s and (l.name ilike %s or l.name_en ilike %s))`, timeClause("l", q.AsOf, args), p, p))
	}
	ors = append(ors, "exists ("+nearestRoadSQL("1", "t.geom", "t.zone_id", timeClause("r", q.AsOf, args), "true")+
		" where c.name ilike "+p+" or c.name_en ilike "+p+")")
	return "(" + strings.Join(ors, " or ") + ")", nil
}

// sortSQL is the ORDER BY of q.Sort, code breaking ties, with its values bound after args.
func sortSQL(q inventory.Query, args *[]any) (string, error) {
	add := func(v any) string {
		*args = append(*args, v)
		return fmt.Sprintf("$%d", len(*args))
	}
	s := q.Sort
	switch s.Kind {
	case inventory.SortCode:
		return "t.code", nil
	case inventory.SortField:
		if _, ok := q.Layer.Field(s.Field); !ok {
			return "", fmt.Errorf("sort on unknown field %q", s.Field)
		}
		dir := "asc nulls last"
		if s.Desc {
			dir = "desc nulls last"
		}
		return "t." + pgx.Identifier{s.Field}.Sanitize() + " " + dir + ", t.code", nil
	case inventory.SortBuiltRoad:
		live := timeClause("r", q.AsOf, args)
		return "(" + nearestRoadSQL("c.d", "t.geom", "t.zone_id", live, "r.status = any("+add(inventory.ExistingRoadStatuses)+"::text[])") +
			") asc nulls last, t.code", nil
	case inventory.SortAvailability:
		order := add(inventory.AvailabilityOrder)
		switch q.Layer.Name {
		case inventory.PlotLayer.Name:
			keys, _ := json.Marshal(inventory.PlotAvailabilityKeys())
			return fmt.Sprintf("array_position(%s::text[], coalesce(%s::jsonb ->> t.status, 'taken')), t.code", order, add(string(keys))), nil
		case inventory.PlantLayer.Name:
			// inventory.SiteAvailability's rule for buildings, bound as its table: the key of
			// "status|free" (free_area_m2 > 0) or "status|full" (AvailabilityTable).
			keys := map[string]string{}
			for k, a := range inventory.AvailabilityTable()[inventory.PlantLayer.Name] {
				keys[k] = a.Key
			}
			table, _ := json.Marshal(keys)
			return fmt.Sprintf(`array_position(%s::text[], coalesce(%s::jsonb ->> (t.status ||
				case when coalesce(t.free_area_m2, 0) > 0 then '|free' else '|full' end), 'taken')), t.code`, order, add(string(table))), nil
		}
	}
	return "", fmt.Errorf("layer %s cannot be sorted by %s", q.Layer.Name, s.Param)
}
