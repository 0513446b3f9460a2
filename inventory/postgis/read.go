package postgis

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

var _ inventory.Service = (*DB)(nil)

func jsonUnmarshal(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

// DefaultZone returns the configured default zone, or the first zone by code.
func (db *DB) DefaultZone(ctx context.Context) (string, error) {
	if db.defaultZone != "" {
		return db.defaultZone, nil
	}
	var code string
	err := db.Pool.QueryRow(ctx, "select code from zones order by code limit 1").Scan(&code)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", inventory.Errorf(inventory.ENotFound, "zone", "the inventory holds no zone yet; load one (landinv demo)")
	}
	if err != nil {
		return "", fmt.Errorf("default zone: %w", err)
	}
	return code, nil
}

func (db *DB) zoneCode(ctx context.Context, code string) (string, error) {
	if code != "" {
		return code, nil
	}
	return db.DefaultZone(ctx)
}

// ResolveZone returns code when such a zone exists (ENotFound naming zone otherwise), or the
// default zone when code is empty. One round trip: the default zone, when none is configured, is
// found by the same statement.
func (db *DB) ResolveZone(ctx context.Context, code string) (string, error) {
	want := code
	if want == "" {
		want = db.defaultZone
	}
	var found string
	err := db.Pool.QueryRow(ctx, `select code from zones
		where code = coalesce(nullif($1, ''), (select code from zones order by code limit 1))`, want).Scan(&found)
	switch {
	case errors.Is(err, pgx.ErrNoRows) && want == "":
		return "", inventory.Errorf(inventory.ENotFound, "zone", "the inventory holds no zone yet; load one (landinv demo)")
	case errors.Is(err, pgx.ErrNoRows):
		return "", inventory.Errorf(inventory.ENotFound, "zone", "no zone %q", want)
	case err != nil:
		return "", fmt.Errorf("resolve zone: %w", err)
	}
	return found, nil
}

var zoneColumns = `code, name, coalesce(name_en, ''), coalesce(province, ''), level, planned_area_km2,
	` + km2SQL("area_m2") + `, ` + muSQL("area_m2") + `, illustrative,
	ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom), ST_AsGeoJSON(geom, 7),
	coalesce(contact, ''), coalesce(contact_en, ''),
	coalesce(province_en, ''), coalesce(city, ''), coalesce(city_en, '')`

func scanZone(row pgx.Row) (*inventory.Zone, error) {
	var z inventory.Zone
	var geom string
	err := row.Scan(&z.Code, &z.Name, &z.NameEN, &z.Province, &z.Level, &z.PlannedAreaKm2,
		&z.AreaKm2, &z.AreaMu, &z.Illustrative, &z.BBox[0], &z.BBox[1], &z.BBox[2], &z.BBox[3], &geom,
		&z.Contact, &z.ContactEN, &z.ProvinceEN, &z.City, &z.CityEN)
	if err != nil {
		return nil, err
	}
	z.Geometry = json.RawMessage(geom)
	return &z, nil
}

// Zones lists the zones by code.
func (db *DB) Zones(ctx context.Context) ([]inventory.Zone, error) {
	rows, err := db.Pool.Query(ctx, "select "+zoneColumns+" from zones order by code")
	if err != nil {
		return nil, fmt.Errorf("list zones: %w", err)
	}
	defer rows.Close()
	var out []inventory.Zone
	for rows.Next() {
		z, err := scanZone(rows)
		if err != nil {
			return nil, fmt.Errorf("list zones: %w", err)
		}
		out = append(out, *z)
	}
	return out, rows.Err()
}

// Zone returns one zone; an empty code means the default zone.
func (db *DB) Zone(ctx context.Context, code string) (*inventory.Zone, error) {
	code, err := db.zoneCode(ctx, code)
	if err != nil {
		return nil, err
	}
	z, err := scanZone(db.Pool.QueryRow(ctx, "select "+zoneColumns+" from zones where code = $1", code))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, inventory.Errorf(inventory.ENotFound, "zone", "no zone %q", code)
	}
	if err != nil {
		return nil, fmt.Errorf("get zone %s: %w", code, err)
	}
	return z, nil
}

// selectList is the SQL select list of a layer's stored properties for the viewer: every
// field that is a column, computed areas in 亩 and ha, and nothing confidential unless the
// viewer may see it. Names come from the layer's allow-list only.
func selectList(l *inventory.Layer, v inventory.Viewer) string { return selectListOf(l, v, nil) }

// selectListOf is selectList trimmed to the properties keep (all when nil; code always).
func selectListOf(l *inventory.Layer, v inventory.Viewer, keep []string) string {
	var b strings.Builder
	b.WriteString("t.code")
	for _, f := range l.Fields {
		if f.Name == "code" || f.HiddenFrom(v) || (keep != nil && !slices.Contains(keep, f.Name)) {
			continue
		}
		b.WriteString(", ")
		switch f.Name {
		case "area_mu":
			b.WriteString(muSQL("t.area_m2") + " as area_mu")
		case "area_ha":
			b.WriteString(haSQL("t.area_m2") + " as area_ha")
		default:
			b.WriteString("t." + pgx.Identifier{f.Name}.Sanitize())
		}
	}
	return b.String()
}

// timeClause restricts a layer's rows (alias a) to those live now, or live at asOf.
func timeClause(a string, asOf *time.Time, args *[]any) string {
	if asOf == nil {
		return fmt.Sprintf("%s.valid_to = 'infinity' and not %s.archived", a, a)
	}
	*args = append(*args, *asOf)
	n := len(*args)
	return fmt.Sprintf("%s.valid_from <= $%d and %s.valid_to > $%d and not %s.archived", a, n, a, n, a)
}

// where builds the WHERE clause of a list query. Every value is bound; every identifier is a
// field name from the layer.
//
// An empty zone is the default zone, the first by code, found by the statement itself (as
// ResolveZone finds it).
func where(ctx context.Context, q inventory.Query, zone string, args *[]any) (string, error) {
	*args = append(*args, zone)
	zc := "t.zone_id = (select id from zones where code = $1)"
	if zone == "" {
		zc = "t.zone_id = (select id from zones where code = coalesce(nullif($1, ''), (select code from zones order by code limit 1)))"
	}
	conds := []string{zc, timeClause("t", q.AsOf, args)}
	add := func(v any) string {
		*args = append(*args, v)
		return "$" + strconv.Itoa(len(*args))
	}
	for _, c := range q.Conditions {
		if c.Kind == inventory.FilterText {
			t, err := textSQL(q, c, add, args)
			if err != nil {
				return "", err
			}
			conds = append(conds, t)
			continue
		}
		if _, ok := q.Layer.Field(c.Field); !ok {
			return "", fmt.Errorf("filter on unknown field %q", c.Field)
		}
		col := "t." + pgx.Identifier{c.Field}.Sanitize()
		switch c.Kind {
		case inventory.FilterIn:
			conds = append(conds, col+" = any("+add(c.Values)+"::text[])")
		case inventory.FilterEquals:
			conds = append(conds, col+" = "+add(c.Value))
		case inventory.FilterPrefix:
			conds = append(conds, "starts_with("+col+", "+add(c.Value)+")")
		case inventory.FilterBool:
			conds = append(conds, col+" = "+add(c.Value))
		case inventory.FilterMin:
			conds = append(conds, col+" >= "+add(c.Value))
		case inventory.FilterMax:
			conds = append(conds, col+" <= "+add(c.Value))
		default:
			return "", fmt.Errorf("unknown condition kind %q", c.Kind)
		}
	}
	if q.BBox != nil {
		conds = append(conds, bboxCondition(q, add))
	}
	if q.Filter != nil {
		f, err := filterSQL(q, inventory.ViewerFrom(ctx), args)
		if err != nil {
			return "", err
		}
		conds = append(conds, f)
	}
	if q.NearRoadM != nil {
		rc := "r.zone_id = t.zone_id and " + timeClause("r", q.AsOf, args)
		if len(q.RoadStatus) > 0 {
			rc += " and r.status = any(" + add(q.RoadStatus) + "::text[])"
		}
		conds = append(conds, fmt.Sprintf("exists (select 1 from roads r where %s and ST_DWithin(r.geom::geography, t.geom::geography, %s))", rc, add(*q.NearRoadM)))
	}
	return strings.Join(conds, " and "), nil
}

// List returns one page of q's layer, in code order (or q.Sort's).
func (db *DB) List(ctx context.Context, q inventory.Query) (*inventory.Page, error) {
	page := &inventory.Page{Features: make([]inventory.Feature, 0, min(q.Limit, 1024))}
	matched, _, err := db.StreamList(ctx, q, func(raw []byte) error {
		f, err := decodeFeature(q.Layer, raw)
		if err != nil {
			return err
		}
		page.Features = append(page.Features, *f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	page.NumberMatched = matched
	return page, nil
}

// decodeFeature reads one Feature as featureSQL builds it (the same bytes the API streams).
func decodeFeature(l *inventory.Layer, raw []byte) (*inventory.Feature, error) {
	var in struct {
		ID         string          `json:"id"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties map[string]any  `json:"properties"`
	}
	if err := jsonUnmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("decode feature: %w", err)
	}
	f := &inventory.Feature{Layer: l.Name, Code: in.ID, Geometry: in.Geometry, Properties: in.Properties}
	if n, ok := in.Properties["version"].(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			f.Version = int(i)
		}
	}
	if s, ok := in.Properties["valid_from"].(string); ok {
		f.ValidFrom, _ = time.Parse(time.RFC3339Nano, s)
	}
	if c, ok := in.Properties["confidential"].(map[string]any); ok {
		f.Confidential = c
		delete(in.Properties, "confidential")
	}
	return f, nil
}

// propertyNames are the names of the columns selectListOf(l, v, keep) selects, split into the
// public properties (code first) and the confidential ones the viewer may see.
func propertyNames(l *inventory.Layer, v inventory.Viewer, keep []string) (public, conf []string) {
	public = []string{"code"}
	for _, f := range l.Fields {
		if f.Name == "code" || f.HiddenFrom(v) || (keep != nil && !slices.Contains(keep, f.Name)) {
			continue
		}
		if f.Confidential {
			conf = append(conf, f.Name)
		} else {
			public = append(public, f.Name)
		}
	}
	return public, conf
}

// featureSQL is the SQL expression that builds a whole GeoJSON Feature, as text, from the
// subquery x made by selectListOf plus geojson: the public properties, and the confidential
// ones under "confidential" when the viewer may see them. It needs featureJoins after x.
//
// The feature is text put together around row_to_json of the property columns (the lateral p,
// and c for the confidential ones): on a page of 1,000 plots 9–11 ms of SQL, against 25–29 ms
// for json_build_object over to_jsonb(x), which converted every row to jsonb and parsed each
// geometry back into json only to print it again.
func featureSQL(l *inventory.Layer, v inventory.Viewer, keep []string) string {
	props := "row_to_json(p)::text"
	if _, conf := propertyNames(l, v, keep); len(conf) > 0 {
		// row_to_json(p) is an object with at least code: drop its closing brace and add
		// the confidential object as its last member.
		props = `left(row_to_json(p)::text, -1) || ',"confidential":' || row_to_json(c)::text || '}'`
	}
	return `'{"type":"Feature","id":' || to_json(x.code)::text || ',"geometry":' || coalesce(x.geojson, 'null') || ',"properties":' || ` + props + ` || '}'`
}

// featureJoins are the laterals featureSQL reads: p, the public property columns of x, and c,
// the confidential ones (when the viewer sees any).
func featureJoins(l *inventory.Layer, v inventory.Viewer, keep []string) string {
	cols := func(names []string) string {
		q := make([]string, len(names))
		for i, n := range names {
			q[i] = "x." + pgx.Identifier{n}.Sanitize()
		}
		return strings.Join(q, ", ")
	}
	public, conf := propertyNames(l, v, keep)
	j := " cross join lateral (select " + cols(public) + ") p"
	if len(conf) > 0 {
		j += " cross join lateral (select " + cols(conf) + ") c"
	}
	return j
}

// StreamList writes one page of q's layer feature by feature, as PostGIS builds them.
//
// q.Zone empty is the default zone. When none is configured, the page's own statement finds it
// (no round trip of its own), unless a district condition needs the zone's code first.
func (db *DB) StreamList(ctx context.Context, q inventory.Query, emit func([]byte) error) (int64, int, error) {
	zone := q.Zone
	if zone == "" {
		zone = db.defaultZone
	}
	var err error
	if zone == "" && namesDistricts(q) {
		if zone, err = db.DefaultZone(ctx); err != nil {
			return 0, 0, err
		}
	}
	// The districts and land-use prefixes named are checked first: one of several values may be
	// unknown while the others still find rows, and an unknown value is a 400.
	if err := db.checkConditions(ctx, zone, q); err != nil {
		return 0, 0, err
	}
	v := inventory.ViewerFrom(ctx)
	code, byLiveCode := liveCode(q)
	byLiveCode = byLiveCode && db.codes != nil
	if byLiveCode {
		text, rev, ok, err := db.codes.read(ctx, q, zone, code, v.SeesConfidential())
		if err != nil {
			return 0, 0, fmt.Errorf("read %s %s: %w", q.Layer.Name, code, err)
		}
		if ok {
			if q.Revision != nil {
				*q.Revision = rev
			}
			if err := emit(text); err != nil {
				return 0, 0, fmt.Errorf("read %s %s: %w", q.Layer.Name, code, err)
			}
			return 1, 1, nil
		}
	}
	var args []any
	w, err := where(ctx, q, zone, &args)
	if err != nil {
		if inventory.ErrorKind(err) != inventory.EInternal {
			return 0, 0, err
		}
		return 0, 0, fmt.Errorf("list %s: %w", q.Layer.Name, err)
	}
	table := pgx.Identifier{q.Layer.Table}.Sanitize()
	countArgs := len(args)
	var order string
	if q.Sort != nil && len(q.SortBy) == 0 {
		order, err = sortSQL(q, &args) // binds its values after the count's
	} else {
		order, err = orderSQL(q, v)
	}
	if err != nil {
		return 0, 0, err
	}
	rw := w // the page's rows: after the cursor, when there is one
	if q.After != "" && len(q.SortBy) > 0 {
		return 0, 0, inventory.Errorf(inventory.EInvalid, "after", "is a cursor in code order and cannot be combined with sortby; page with offset")
	}
	if q.After != "" {
		args = append(args, q.After)
		rw += fmt.Sprintf(" and t.code > $%d", len(args))
	}
	args = append(args, q.Limit, q.Offset)
	// A page with a bbox (and no cursor) counts its matches in its own statement: the database
	// reads every match to sort them anyway (no index gives both the box and the order), so
	// count(*) over () costs almost nothing, where a second statement would run the spatial
	// filter again (a third of a 100-feature page's database time). The features' JSON is still
	// built for the page's rows only (PostgreSQL evaluates it above the sort and limit). Without
	// a bbox the rows may come in order from an index and stop at the limit, which a window over
	// every match would prevent, so those pages count in a second statement when they must.
	counted := q.BBox != nil && q.After == ""
	if db.cachesFeatures(q) {
		n, matched, rev, err := db.streamCached(ctx, q, v, table, rw, order, counted, args, emit)
		if err != nil {
			return 0, n, err
		}
		return db.finishList(atRevision(ctx, n, rev), q, zone, table, w, args[:countArgs], n, matched)
	}
	win, matchedCol := "", ", null::text"
	if counted {
		win, matchedCol = ", count(*) over () as matched_", ", x.matched_::text"
	}
	// The revision the rows are read at (q.Revision), in the same snapshot: one InitPlan.
	sql := fmt.Sprintf(`select %s%s, (select n from inventory_revision)::text
		from (select %s, %s as geojson%s from %s t where %s order by %s limit $%d offset $%d) x%s`,
		featureSQL(q.Layer, v, q.Properties), matchedCol, selectListOf(q.Layer, v, q.Properties), geoJSONSQL(q.CRS), win, table, rw, order, len(args)-1, len(args),
		featureJoins(q.Layer, v, q.Properties))
	sctx := ctx
	if byCode(q) {
		sctx = withGenericPlan(ctx) // the code's index, whatever the code
	}
	rows, err := db.Pool.Query(sctx, sql, args...)
	if err != nil {
		return 0, 0, fmt.Errorf("list %s: %w", q.Layer.Name, asError(err))
	}
	n := 0
	var matched, rev int64 = -1, 0
	for rows.Next() {
		raw := rows.RawValues()
		if n == 0 {
			if counted {
				if matched, err = strconv.ParseInt(string(raw[1]), 10, 64); err != nil {
					rows.Close()
					return 0, 0, fmt.Errorf("list %s: read the count: %w", q.Layer.Name, err)
				}
			}
			if rev, err = strconv.ParseInt(string(raw[2]), 10, 64); err != nil {
				rows.Close()
				return 0, 0, fmt.Errorf("list %s: read the revision: %w", q.Layer.Name, err)
			}
			if q.Revision != nil {
				*q.Revision = rev
			}
		}
		if err := emit(raw[0]); err != nil {
			rows.Close()
			return 0, n, fmt.Errorf("list %s: %w", q.Layer.Name, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, n, fmt.Errorf("list %s: %w", q.Layer.Name, asError(err))
	}
	if byLiveCode && n > 0 {
		db.codes.found(q, zone) // the zone exists: its index of codes may load
	}
	return db.finishList(atRevision(ctx, n, rev), q, zone, table, w, args[:countArgs], n, matched)
}

// atRevision is ctx for what follows a page read at revision rev (when it had rows): the count
// and the zone check are read at least at that revision, so that a read replica behind it
// cannot pair the page (and the ETag naming rev) with an older count.
func atRevision(ctx context.Context, n int, rev int64) context.Context {
	if n == 0 {
		return ctx
	}
	return inventory.WithMinRevision(ctx, rev)
}

// finishList returns a page's number_matched, given its n rows and what its statement counted
// (matched, -1 when it did not): the rows' count when it tells (a short first page, a page by
// code), or else a count statement over w. An empty page checks the zone first, so an unknown
// zone is a 404 rather than an empty page.
func (db *DB) finishList(ctx context.Context, q inventory.Query, zone, table, w string, countArgs []any, n int, matched int64) (int64, int, error) {
	if matched >= 0 {
		return matched, n, nil
	}
	// The zone is checked after the rows, and only when there are none: a page with rows shows
	// the zone exists, and most requests had it resolved by ResolveZone already.
	if n == 0 {
		if _, err := db.ResolveZone(ctx, zone); err != nil { // "": the default zone, none at all is a 404
			return 0, 0, err
		}
	}
	if n < q.Limit && (n > 0 || q.Offset == 0) && q.After == "" || byCode(q) && q.Offset == 0 && q.After == "" {
		return int64(q.Offset + n), n, nil
	}
	count := fmt.Sprintf("select count(*) from %s t where %s", table, w)
	if err := db.Pool.QueryRow(ctx, count, countArgs...).Scan(&matched); err != nil {
		return 0, n, fmt.Errorf("count %s: %w", q.Layer.Name, err)
	}
	return matched, n, nil
}

// namesDistricts reports whether q filters by district, which checkConditions checks against
// the zone's districts by the zone's code.
func namesDistricts(q inventory.Query) bool {
	for _, c := range q.Conditions {
		if c.Field == "district" {
			return true
		}
	}
	return false
}

// byCode reports whether q names one code (code = value): it matches one feature at most
// (codes are unique among the live features and among those live at any time), so a page that
// holds it needs no count.
func byCode(q inventory.Query) bool {
	for _, c := range q.Conditions {
		if c.Field == "code" && c.Kind == inventory.FilterEquals {
			return true
		}
	}
	return false
}

// Revision is the inventory's change counter (inventory_revision), which every writing statement
// on a layer, the zones or the land-use codes bumps inside its own transaction: readers see it
// change exactly when they can see the change. A read replica answers with the revision it has
// replayed (replica.go).
func (db *DB) Revision(ctx context.Context) (int64, error) {
	r, err := db.revision(ctx)
	return r.rev, err
}

// RevisionEpoch is Revision with the oid of the revision's table (revisionReading), read by the
// same statement; 0 when the shared rounds do not read it (with read replicas, or a read that
// must see a given revision).
func (db *DB) RevisionEpoch(ctx context.Context) (int64, uint32, error) {
	r, err := db.revision(ctx)
	return r.rev, r.epoch, err
}

// revision reads the revision in the shared rounds (revisiongate.go) when they read the
// database ctx's statement would (sharesRevision), with the table's oid; otherwise with ctx, on
// its own, without it.
func (db *DB) revision(ctx context.Context) (revisionReading, error) {
	var r revisionReading
	var err error
	if db.sharesRevision(ctx) {
		r, err = db.revisions.reading(ctx)
	} else {
		r.rev, err = db.Pool.revision(ctx)
	}
	if err != nil {
		return revisionReading{}, fmt.Errorf("inventory revision: %w", err)
	}
	return r, nil
}

// sharesRevision reports whether the shared rounds read the revision ctx's statements would:
// always without read replicas (every statement goes to the primary); with them, for a public
// read that needs no given revision (the rounds read a replica, replica.go).
func (db *DB) sharesRevision(ctx context.Context) bool {
	return db.Pool.replicas == nil || inventory.ReadsFromReplica(ctx) && inventory.MinRevisionFrom(ctx) == 0
}

// checkConditions checks what only the database knows of a list's conditions: every district
// named is one of the zone's live districts, and a land-use prefix starts some known code. An
// unknown value is a 400, not an empty answer.
func (db *DB) checkConditions(ctx context.Context, zone string, q inventory.Query) error {
	for _, c := range q.Conditions {
		switch {
		case c.Field == "district" && c.Kind == inventory.FilterIn:
			var known []string
			err := db.Pool.QueryRow(ctx, `select coalesce(array_agg(code order by code), '{}') from layout
				where zone_id = (select id from zones where code = $1) and kind = 'district'
				  and valid_to = 'infinity' and not archived`, zone).Scan(&known)
			if err != nil {
				return fmt.Errorf("check districts: %w", err)
			}
			if len(known) == 0 { // no districts: perhaps no such zone, which is a 404 naming zone
				if _, err := db.ResolveZone(ctx, zone); err != nil {
					return err
				}
			}
			for _, v := range c.Values {
				if !slices.Contains(known, v) {
					return inventory.Errorf(inventory.EInvalid, "district", "has unknown district %q; the zone's districts: %s", v, strings.Join(known, ", "))
				}
			}
		case c.Field == "land_use" && c.Kind == inventory.FilterPrefix:
			var ok bool
			if err := db.Pool.QueryRow(ctx, "select exists (select 1 from land_use_codes where starts_with(code, $1))", c.Value).Scan(&ok); err != nil {
				return fmt.Errorf("check land use: %w", err)
			}
			if !ok {
				return inventory.Errorf(inventory.EInvalid, "land_use", "%q is no land-use code nor the start of one (see /api/v1/land-uses)", c.Value)
			}
		}
	}
	return nil
}

// Get returns the live feature with the given code.
func (db *DB) Get(ctx context.Context, l *inventory.Layer, zone, code string) (*inventory.Feature, error) {
	return db.get(ctx, l, zone, code, nil)
}

// GetAsOf returns the feature as it stood at asOf (live now when asOf is nil).
func (db *DB) GetAsOf(ctx context.Context, l *inventory.Layer, zone, code string, asOf *time.Time) (*inventory.Feature, error) {
	return db.get(ctx, l, zone, code, asOf)
}

func (db *DB) get(ctx context.Context, l *inventory.Layer, zone, code string, asOf *time.Time) (*inventory.Feature, error) {
	zone, err := db.zoneCode(ctx, zone)
	if err != nil {
		return nil, err
	}
	v := inventory.ViewerFrom(ctx)
	args := []any{zone, code}
	tc := timeClause("t", asOf, &args)
	sql := fmt.Sprintf(`select x.geojson, to_jsonb(x) - 'geojson'
		from (select %s, ST_AsGeoJSON(t.geom, 7) as geojson from %s t
		      where t.zone_id = (select id from zones where code = $1) and t.code = $2 and %s) x`,
		selectList(l, v), pgx.Identifier{l.Table}.Sanitize(), tc)
	var geom, props []byte
	err = db.Pool.QueryRow(ctx, sql, args...).Scan(&geom, &props)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, inventory.Errorf(inventory.ENotFound, "code", "no %s with code %q", strings.TrimSuffix(l.Name, "s"), code)
	}
	if err != nil {
		return nil, fmt.Errorf("get %s %s: %w", l.Name, code, err)
	}
	return toFeature(l, geom, props, v)
}

// toFeature splits a row's properties into public and confidential ones.
func toFeature(l *inventory.Layer, geom, props []byte, v inventory.Viewer) (*inventory.Feature, error) {
	var m map[string]any
	if err := jsonUnmarshal(props, &m); err != nil {
		return nil, fmt.Errorf("decode properties: %w", err)
	}
	f := &inventory.Feature{Layer: l.Name, Geometry: json.RawMessage(geom), Properties: m}
	f.Code, _ = m["code"].(string)
	if n, ok := m["version"].(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			f.Version = int(i)
		}
	}
	if s, ok := m["valid_from"].(string); ok {
		f.ValidFrom, _ = time.Parse(time.RFC3339Nano, s)
	}
	if v.SeesConfidential() {
		f.Confidential = map[string]any{}
		for _, fd := range l.Fields {
			if fd.Confidential {
				f.Confidential[fd.Name] = m[fd.Name]
				delete(m, fd.Name)
			}
		}
	}
	return f, nil
}
