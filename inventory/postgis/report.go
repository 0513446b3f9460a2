package postgis

// The reports' SQL, one file per report (report_intensity.go, report_compliance.go,
// report_idle.go, report_supply.go, report_roads.go); this file holds what they share. Every
// report reads the versioned layers through timeClause (live, or as of a time), for one zone,
// narrowed by district codes and a cluster; every value is a bound parameter and the only SQL
// fragments built in Go are the constants in these files.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

var _ inventory.Reports = (*DB)(nil)

// reportQuery carries a report's bound arguments; $1 is always the zone's id, or, for a report
// over several zones (the province report), the array of their ids (zoneIDs).
type reportQuery struct {
	p       inventory.ReportParams
	zoneID  int
	zoneIDs []int
	args    []any
}

func (q *reportQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// fresh returns the query with only the zone bound, for the report's next statement.
func (q *reportQuery) fresh() *reportQuery {
	if q.zoneIDs != nil {
		return &reportQuery{p: q.p, zoneIDs: q.zoneIDs, args: []any{q.zoneIDs}}
	}
	return &reportQuery{p: q.p, zoneID: q.zoneID, args: []any{q.zoneID}}
}

// time restricts alias a's rows to the report's time.
func (q *reportQuery) time(a string) string { return timeClause(a, q.p.AsOf, &q.args) }

// plotFilter is the condition on plots (alias a) of the report: zone, time, districts, cluster.
func (q *reportQuery) plotFilter(a string) string {
	zc := "%s.zone_id = $1 and %s"
	if q.zoneIDs != nil {
		zc = "%s.zone_id = any($1::int[]) and %s"
	}
	c := fmt.Sprintf(zc, a, q.time(a))
	if len(q.p.Districts) > 0 {
		c += fmt.Sprintf(" and %s.district = any(%s::text[])", a, q.arg(q.p.Districts))
	}
	if q.p.Cluster != "" {
		c += fmt.Sprintf(" and %s.cluster = %s", a, q.arg(q.p.Cluster))
	}
	return c
}

// hostCluster restricts a feature (alias a, with plot_code) to those on a plot of the cluster.
func (q *reportQuery) hostCluster(a string) string {
	if q.p.Cluster == "" {
		return "true"
	}
	return fmt.Sprintf("exists (select 1 from plots hp where hp.zone_id = $1 and hp.code = %s.plot_code and %s and hp.cluster = %s)",
		a, q.time("hp"), q.arg(q.p.Cluster))
}

// districtFilter restricts a feature with a district column (alias a).
func (q *reportQuery) districtFilter(a string) string {
	if len(q.p.Districts) == 0 {
		return "true"
	}
	return fmt.Sprintf("%s.district = any(%s::text[])", a, q.arg(q.p.Districts))
}

// reportPlotSQL selects a plot's ReportPlot fields (alias t), its area in m² last; scan them
// with reportPlotDest.
const reportPlotSQL = "t.code, coalesce(t.name, ''), coalesce(t.district, ''), coalesce(t.cluster, ''), t.status, t.area_m2"

// reportPlotDest returns the scan destinations of reportPlotSQL: p's fields and area (m²); set
// p.AreaMu from area after the scan.
func reportPlotDest(p *inventory.ReportPlot, area *float64) []any {
	return []any{&p.Code, &p.Name, &p.District, &p.Cluster, &p.Status, area}
}

// expandDeg is an SQL expression for a bounding-box margin in degrees that is at least m
// metres around geometry g, for the index pre-filter of a geodesic ST_DWithin.
func expandDeg(g, m string) string {
	return fmt.Sprintf("(%s / 110000.0 / cos(radians(least(89.0, greatest(abs(ST_YMin(%s)), abs(ST_YMax(%s))) + 1.0))))", m, g, g)
}

// begin resolves the zone, checks the districts, and fills the report header.
func (db *DB) begin(ctx context.Context, p inventory.ReportParams, title string) (*reportQuery, inventory.ReportHeader, []byte, error) {
	h := inventory.ReportHeader{Report: p.Kind, Title: title, AsOf: p.AsOf, GeneratedAt: time.Now().UTC(),
		Districts: p.Districts, Cluster: p.Cluster, Confidential: inventory.ViewerFrom(ctx).SeesConfidential()}
	zone, err := db.zoneCode(ctx, p.Zone)
	if err != nil {
		return nil, h, nil, err
	}
	q := &reportQuery{p: p}
	var eval []byte
	err = db.Pool.QueryRow(ctx, "select id, code, name, coalesce(name_en, ''), illustrative, evaluation from zones where code = $1", zone).
		Scan(&q.zoneID, &h.Zone, &h.ZoneName, &h.ZoneNameEN, &h.Illustrative, &eval)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, h, nil, inventory.Errorf(inventory.ENotFound, "zone", "no zone %q", zone)
	}
	if err != nil {
		return nil, h, nil, fmt.Errorf("%s report: zone: %w", p.Kind, err)
	}
	q.args = []any{q.zoneID}
	var settings inventory.EvalConfig
	if json.Unmarshal(eval, &settings) == nil {
		h.Issuer, h.IssuerEN = settings.Issuer, settings.IssuerEN
	}
	if p.AsOf != nil {
		from, err := db.historyFrom(ctx, q.zoneID, *p.AsOf)
		if err != nil {
			return nil, h, nil, fmt.Errorf("%s report: history: %w", p.Kind, err)
		}
		h.HistoryFrom = from
	}
	if len(p.Districts) > 0 {
		var missing []string
		err := db.Pool.QueryRow(ctx, `select coalesce(array_agg(d order by d), '{}') from unnest($2::text[]) d
			where not exists (select 1 from layout l where l.zone_id = $1 and l.kind = 'district' and l.code = d)`,
			q.zoneID, p.Districts).Scan(&missing)
		if err != nil {
			return nil, h, nil, fmt.Errorf("%s report: check districts: %w", p.Kind, err)
		}
		if len(missing) > 0 {
			return nil, h, nil, inventory.Errorf(inventory.EInvalid, "district", "unknown district %s in zone %s", strings.Join(missing, ", "), h.Zone)
		}
	}
	return q, h, eval, nil
}

// historyLayers are the versioned tables a zone's reports read; the zone's history begins
// with the first version in any of them (archived ones count: they were the inventory once).
var historyLayers = []string{"plots", "plants", "idle_sites", "roads", "layout"}

// historyFrom returns when the zone's history begins if asOf is before it (the report then
// reads an empty inventory), else nil. It asks first whether any version of the zone began by
// asOf, which an index on (zone_id, …) answers at its first entry in the usual case; only a
// report of a time before the history reads every version of the zone for the minimum.
func (db *DB) historyFrom(ctx context.Context, zoneID int, asOf time.Time) (*time.Time, error) {
	exists := make([]string, len(historyLayers))
	least := make([]string, len(historyLayers))
	for i, t := range historyLayers {
		exists[i] = fmt.Sprintf("exists (select 1 from %s where zone_id = $1 and valid_from <= $2)", t)
		least[i] = fmt.Sprintf("(select min(valid_from) from %s where zone_id = $1)", t)
	}
	var from *time.Time
	err := db.Pool.QueryRow(ctx, fmt.Sprintf("select case when %s then null else least(%s) end",
		strings.Join(exists, " or "), strings.Join(least, ", ")), zoneID, asOf).Scan(&from)
	return from, err
}
