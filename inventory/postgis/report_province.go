package postgis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

// Province computes the province-level intensity report: the intensity report's class totals
// summed over the plots of every zone of the province (one group per zone, keyed by the zone's
// id, then named by its code), and over the whole province (the grouping set ()), so that every
// indicator of the total is recomputed from the summed numerators and denominators. The province
// is p.Province, or the province of p.Zone (the default zone when empty).
func (db *DB) Province(ctx context.Context, p inventory.ReportParams) (*inventory.ProvinceReport, error) {
	h := inventory.ReportHeader{Report: p.Kind, Title: "省级开发区土地集约利用评价汇总表 Province-level land-use intensity evaluation",
		AsOf: p.AsOf, GeneratedAt: time.Now().UTC(), Cluster: p.Cluster, Confidential: inventory.ViewerFrom(ctx).SeesConfidential()}
	province := p.Province
	if province == "" {
		zone, err := db.zoneCode(ctx, p.Zone)
		if err != nil {
			return nil, err
		}
		if err := db.Pool.QueryRow(ctx, "select coalesce(province, '') from zones where code = $1", zone).Scan(&province); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return nil, inventory.Errorf(inventory.ENotFound, "zone", "no zone %q", zone)
			}
			return nil, fmt.Errorf("province report: zone: %w", err)
		}
		if province == "" {
			return nil, inventory.Errorf(inventory.EInvalid, "province", "is required: zone %s names no province", zone)
		}
	}
	type zoneRow struct {
		id           int
		code, name   string
		nameEN       string
		illustrative bool
	}
	rows, err := db.Pool.Query(ctx, `select id, code, name, coalesce(name_en, ''), illustrative from zones where province = $1 order by code`, province)
	if err != nil {
		return nil, fmt.Errorf("province report: zones: %w", err)
	}
	zones, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (zoneRow, error) {
		var z zoneRow
		err := r.Scan(&z.id, &z.code, &z.name, &z.nameEN, &z.illustrative)
		return z, err
	})
	if err != nil {
		return nil, fmt.Errorf("province report: zones: %w", err)
	}
	if len(zones) == 0 {
		return nil, inventory.Errorf(inventory.ENotFound, "province", "no zone in province %q", province)
	}
	ids := make([]int, len(zones))
	for i, z := range zones {
		ids[i] = z.id
		h.Illustrative = h.Illustrative || z.illustrative
	}
	h.ZoneName = province
	cfg, notes := inventory.EvalConfig{}.Merge()
	h.Notes = append(h.Notes, notes...)
	h.Notes = append(h.Notes, "every zone is evaluated with the national default ideal values and weights, so that the rows compare; each indicator of the province total is recomputed from the summed class totals")

	q := &reportQuery{p: p, zoneIDs: ids, args: []any{ids}}
	total, groups, err := db.intensitySums(ctx, q, "t.zone_id::text", false)
	if err != nil {
		return nil, fmt.Errorf("province report: %w", err)
	}
	rep := &inventory.ProvinceReport{Province: province, IntensityReport: inventory.IntensityReport{
		ReportHeader: h, Group: inventory.GroupZone, Config: cfg, NationalScore: inventory.NationalScore}}
	if total == nil {
		total = &inventory.ClassSums{Key: "total"}
	}
	rep.Total = inventory.EvaluateIntensity(*total, cfg, h.Confidential)
	rep.Total.Label, rep.Total.LabelEN = province+"合计", "Province total"
	// One row per zone of the province, in code order, those without plots too (all zeros).
	sums := map[string]inventory.ClassSums{}
	for _, s := range groups {
		sums[s.Key] = s
	}
	for _, z := range zones {
		s, ok := sums[strconv.Itoa(z.id)]
		if !ok {
			s = inventory.ClassSums{}
		}
		s.Key = z.code
		g := inventory.EvaluateIntensity(s, cfg, h.Confidential)
		g.Label, g.LabelEN = z.name, z.nameEN
		rep.Groups = append(rep.Groups, g)
	}
	rep.Finish()
	return rep, nil
}
