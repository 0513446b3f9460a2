package postgis

import (
	"context"
	"fmt"
	"sort"

	"github.com/landinv/landinv/geo"
	"github.com/landinv/landinv/inventory"
)

// Roads computes the road analyses: length by status, dead ends, district loops and the plots
// new roads open up. Distances are geodesic (geography); the loop analysis works in the UTM
// zone of the zone's centroid, in metres.
func (db *DB) Roads(ctx context.Context, p inventory.ReportParams) (*inventory.RoadsReport, error) {
	q, h, _, err := db.begin(ctx, p, "道路分析 Road analyses")
	if err != nil {
		return nil, err
	}
	rep := &inventory.RoadsReport{ReportHeader: h, ToleranceM: p.ToleranceM, FrontageM: p.FrontageM, LoopCoverPct: p.LoopCoverPct,
		Lengths: []inventory.RoadLength{}, DeadEnds: []inventory.DeadEnd{}, Loops: []inventory.DistrictLoop{}, OpensUp: []inventory.OpensUp{}}
	if p.Cluster != "" {
		rep.Notes = append(rep.Notes, "cluster narrows only opens_up (the plots); roads belong to no cluster")
	}
	// area: the chosen districts (null: the whole zone).
	area := func(q *reportQuery) string {
		if len(p.Districts) == 0 {
			return "(select null::geometry)"
		}
		return fmt.Sprintf("(select ST_Union(l.geom) from layout l where l.zone_id = $1 and l.kind = 'district' and l.code = any(%s::text[]) and %s)",
			q.arg(p.Districts), q.time("l"))
	}
	q0 := q
	q = q0.fresh()

	// Length by status (clipped to the districts when given).
	rows, err := db.Pool.Query(ctx, fmt.Sprintf(`with a as (select %s as g)
		select r.status, count(*), sum(case when a.g is null then r.length_m else ST_Length(ST_Intersection(r.geom, a.g)::geography) end) / 1000
		from roads r, a where r.zone_id = $1 and %s and (a.g is null or ST_Intersects(r.geom, a.g))
		group by r.status`, area(q), q.time("r")), q.args...)
	if err != nil {
		return nil, fmt.Errorf("roads report: lengths: %w", err)
	}
	byStatus := map[string]inventory.RoadLength{}
	for rows.Next() {
		var l inventory.RoadLength
		if err := rows.Scan(&l.Status, &l.Roads, &l.Km); err != nil {
			rows.Close()
			return nil, fmt.Errorf("roads report: lengths: %w", err)
		}
		byStatus[l.Status] = l
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("roads report: lengths: %w", err)
	}
	for _, s := range inventory.RoadStatuses {
		l, ok := byStatus[s]
		if !ok {
			l = inventory.RoadLength{Status: s}
		}
		rep.Lengths = append(rep.Lengths, l)
		rep.TotalKm += l.Km
	}

	// Dead ends: an end of a line part, not closed on itself, farther than tolerance_m from every
	// other road and from the road's other parts.
	q = q0.fresh()
	tol := q.arg(p.ToleranceM)
	rows, err = db.Pool.Query(ctx, fmt.Sprintf(`with a as (select %[1]s as g),
		r as (select r.code, r.name, coalesce(r.name_en, '') as name_en, r.status, r.geom from roads r where r.zone_id = $1 and %[2]s),
		parts as (select r.code, r.name, r.name_en, r.status, d.path[1] as part, d.geom from r, ST_Dump(r.geom) d),
		ends as (select code, name, name_en, status, part, 'start' as which, ST_StartPoint(geom) as pt, geom from parts where not ST_IsClosed(geom)
		         union all
		         select code, name, name_en, status, part, 'end', ST_EndPoint(geom), geom from parts where not ST_IsClosed(geom))
		select e.code, e.name, e.name_en, e.status, e.which, ST_X(e.pt), ST_Y(e.pt)
		from ends e, a
		where (a.g is null or ST_Intersects(e.pt, a.g))
		  and not exists (select 1 from parts o where (o.code <> e.code or o.part <> e.part)
		                  and o.geom && ST_Expand(e.pt, %[3]s) and ST_DWithin(o.geom::geography, e.pt::geography, %[4]s))
		order by e.code, e.part, e.which desc`, area(q), q.time("r"), expandDeg("e.pt", tol), tol), q.args...)
	if err != nil {
		return nil, fmt.Errorf("roads report: dead ends: %w", err)
	}
	for rows.Next() {
		var d inventory.DeadEnd
		if err := rows.Scan(&d.Road, &d.Name, &d.NameEn, &d.Status, &d.End, &d.Point[0], &d.Point[1]); err != nil {
			rows.Close()
			return nil, fmt.Errorf("roads report: dead ends: %w", err)
		}
		rep.DeadEnds = append(rep.DeadEnds, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("roads report: dead ends: %w", err)
	}

	// Loops.
	if err := db.roadLoops(ctx, q, rep); err != nil {
		return nil, err
	}

	// Opens up: plots within frontage_m of a new road and of no existing road.
	q = q0.fresh()
	fr := q.arg(p.FrontageM)
	rows, err = db.Pool.Query(ctx, fmt.Sprintf(`select r.code, r.name, coalesce(r.name_en, ''), r.status, coalesce(array_agg(t.code order by t.code) filter (where t.code is not null), '{}'),
			count(t.code), coalesce(sum(t.area_m2), 0)
		from roads r
		left join plots t on %[1]s and t.geom && ST_Expand(r.geom, %[2]s) and ST_DWithin(t.geom::geography, r.geom::geography, %[3]s)
		  and not exists (select 1 from roads e where e.zone_id = $1 and %[4]s and e.status in ('existing', 'remediation')
		                  and e.geom && ST_Expand(t.geom, %[5]s) and ST_DWithin(e.geom::geography, t.geom::geography, %[3]s))
		where r.zone_id = $1 and %[6]s and r.status in ('under_construction', 'planned', 'preliminary')
		group by r.code, r.name, r.name_en, r.status order by r.code`,
		q.plotFilter("t"), expandDeg("r.geom", fr), fr, q.time("e"), expandDeg("t.geom", fr), q.time("r")), q.args...)
	if err != nil {
		return nil, fmt.Errorf("roads report: opens up: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o inventory.OpensUp
		var n int64
		var m2 float64
		if err := rows.Scan(&o.Road, &o.Name, &o.NameEn, &o.Status, &o.Plots, &n, &m2); err != nil {
			return nil, fmt.Errorf("roads report: opens up: %w", err)
		}
		o.Count, o.AreaMu = int(n), geo.MuFromSquareMetres(m2)
		rep.OpensUp = append(rep.OpensUp, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("roads report: opens up: %w", err)
	}
	return rep, nil
}

// roadLoops fills rep.Loops. A district's ring is closed when the faces of the road network
// (the polygons its lines enclose, after ends within tolerance_m of another road are joined to
// it by the shortest connector) cover at least loop_cover_pct of the district's area. Existing
// roads are those existing or under remediation; new roads are under construction, planned or
// preliminary. When the existing network does not close the ring but existing + all new roads
// do, WouldClose is a minimal set of new roads that still closes it: starting from all of them,
// each new road (in code order) is dropped when the ring stays closed without it.
func (db *DB) roadLoops(ctx context.Context, q *reportQuery, rep *inventory.RoadsReport) error {
	type road struct{ code, status string }
	var roads []road
	args := []any{q.zoneID}
	rows, err := db.Pool.Query(ctx, "select r.code, r.status from roads r where r.zone_id = $1 and "+timeClause("r", q.p.AsOf, &args)+" order by r.code", args...)
	if err != nil {
		return fmt.Errorf("roads report: loops: %w", err)
	}
	var existing, fresh []string
	for rows.Next() {
		var r road
		if err := rows.Scan(&r.code, &r.status); err != nil {
			rows.Close()
			return fmt.Errorf("roads report: loops: %w", err)
		}
		roads = append(roads, r)
		if r.status == "existing" || r.status == "remediation" {
			existing = append(existing, r.code)
		} else {
			fresh = append(fresh, r.code)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("roads report: loops: %w", err)
	}
	dargs := []any{q.zoneID}
	dsql := "select l.code, l.name from layout l where l.zone_id = $1 and l.kind = 'district' and " + timeClause("l", q.p.AsOf, &dargs)
	if len(q.p.Districts) > 0 {
		dargs = append(dargs, q.p.Districts)
		dsql += fmt.Sprintf(" and l.code = any($%d::text[])", len(dargs))
	}
	rows, err = db.Pool.Query(ctx, dsql+" order by l.code", dargs...)
	if err != nil {
		return fmt.Errorf("roads report: loops: %w", err)
	}
	var loops []inventory.DistrictLoop
	for rows.Next() {
		var l inventory.DistrictLoop
		if err := rows.Scan(&l.District, &l.Name); err != nil {
			rows.Close()
			return fmt.Errorf("roads report: loops: %w", err)
		}
		l.WouldClose = []string{}
		loops = append(loops, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("roads report: loops: %w", err)
	}
	if len(loops) == 0 {
		return nil
	}
	cover := func(codes []string, district string) (map[string]float64, error) {
		return db.loopCovers(ctx, q, codes, district)
	}
	all := append(append([]string{}, existing...), fresh...)
	withExisting, err := cover(existing, "")
	if err != nil {
		return err
	}
	withAll, err := cover(all, "")
	if err != nil {
		return err
	}
	for _, l := range loops {
		l.CoverPct = withExisting[l.District]
		l.Closed = l.CoverPct >= q.p.LoopCoverPct
		l.CoverPctWithNew = withAll[l.District]
		l.ClosedWithNew = l.CoverPctWithNew >= q.p.LoopCoverPct
		if !l.Closed && l.ClosedWithNew {
			keep := append([]string{}, fresh...)
			sort.Strings(keep)
			for i := 0; i < len(keep); {
				try := append(append([]string{}, keep[:i]...), keep[i+1:]...)
				c, err := cover(append(append([]string{}, existing...), try...), l.District)
				if err != nil {
					return err
				}
				if c[l.District] >= q.p.LoopCoverPct {
					keep = try
				} else {
					i++
				}
			}
			l.WouldClose = keep
		}
		rep.Loops = append(rep.Loops, l)
	}
	return nil
}

// loopCovers returns, for each district (or only the one named), the percentage of its area
// enclosed by the network of the given roads. The faces of the network are disjoint, so the
// enclosed area is the sum of each face's intersection with the district. The faces are
// computed once (materialized), not once per district.
func (db *DB) loopCovers(ctx context.Context, q *reportQuery, codes []string, district string) (map[string]float64, error) {
	out := map[string]float64{}
	if len(codes) == 0 {
		return out, nil
	}
	args := []any{q.zoneID, codes, q.p.ToleranceM}
	tr := timeClause("r", q.p.AsOf, &args)
	tl := timeClause("l", q.p.AsOf, &args)
	dc := "true"
	if district != "" {
		args = append(args, district)
		dc = fmt.Sprintf("l.code = $%d", len(args))
	} else if len(q.p.Districts) > 0 {
		args = append(args, q.p.Districts)
		dc = fmt.Sprintf("l.code = any($%d::text[])", len(args))
	}
	sql := fmt.Sprintf(`with z as (
			select id, (case when ST_Y(ST_Centroid(geom)) >= 0 then 32600 else 32700 end
			            + least(60, floor((ST_X(ST_Centroid(geom)) + 180) / 6)::int + 1)) as srid
			from zones where id = $1),
		lines as (select ST_Transform(r.geom, z.srid) as g from roads r, z where r.zone_id = $1 and r.code = any($2::text[]) and %s),
		parts as (select d.geom as g from lines, ST_Dump(lines.g) d),
		ends as (select ST_StartPoint(g) as pt from parts union all select ST_EndPoint(g) from parts),
		conn as (select ST_ShortestLine(e.pt, l.g) as g from ends e join lines l on ST_DWithin(l.g, e.pt, $3) and not ST_Intersects(l.g, e.pt)),
		net as (select ST_Union(g) as g from (select g from lines union all select g from conn) x),
		faces as materialized (select (ST_Dump(ST_Polygonize(d.geom))).geom as g from net, ST_Dump(net.g) d),
		dist as (select l.code, ST_Transform(l.geom, z.srid) as g from layout l, z where l.zone_id = $1 and l.kind = 'district' and %s and %s)
		select dist.code, coalesce((select sum(ST_Area(ST_Intersection(dist.g, f.g))) from faces f where f.g && dist.g), 0) / nullif(ST_Area(dist.g), 0) * 100
		from dist`, tr, tl, dc)
	rows, err := db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("roads report: loops: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var c *float64
		if err := rows.Scan(&code, &c); err != nil {
			return nil, fmt.Errorf("roads report: loops: %w", err)
		}
		if c != nil {
			out[code] = *c
		}
	}
	return out, rows.Err()
}
