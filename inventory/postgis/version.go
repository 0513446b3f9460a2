package postgis

// Over 450 lines for a reason: it is the one write path, and its steps (checks, the no-op
// comparison, the version SQL) read best side by side.
//
// The one write path. Every new version of a feature (版本) is checked and written here: an
// edit (create, update, archive, restore: write.go), an import (import.go) and the demo load
// (load.go). The steps, each in one place:
//
//	checkVersion   the domain checks, no SQL: inventory.CheckChange (which flattens the
//	               confidential object and names the field it refuses), the code against the
//	               URL's, the geometry's type; derived fields reset when the geometry moves
//	checkState     the change against the feature's live row (create needs a free code; update
//	               and archive a live feature; restore any feature); the next version number
//	checkMatch     If-Match against the live version's ETag (its presence: matchRequired)
//	writeVersions  closes the live rows and inserts their successors: the one INSERT of a
//	               version row, generated from the layer's allow-listed columns (versionSQL)
//
// writeVersion runs the steps for one feature; DB.Import runs them for a whole file, the Go
// checks row by row and the write set-based: one close and one insert for the whole file, which
// the database checks as a set (landinv.bulk_checked, migration 0059: the plots' statement-level
// trigger plots_rules_set does what their row triggers do, over the statement's rows).
// Authorization (inventory.CanWrite) is not a step: the store checks it once, at its entry
// (writeTx, Import). The database's triggers check every other rule (geometry, zone, overlaps,
// plants in plots, lifecycles) on the insert.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

// version is one checked new version of a feature, ready to write.
type version struct {
	op   string
	code string
	// number is the version's number: 1 for a new feature, else the live version's + 1.
	number int
	// prev is the live row the version supersedes (nil for a new feature).
	prev *int64
	// base is the row whose values the version starts from: the live row, or for a restore the
	// restored version (nil for a new feature: columns left out take the table's defaults).
	base         *int64
	restoredFrom *int
	// props are flattened, checked properties that replace the base's.
	props map[string]any
	// The new geometry, at most one of them: GeoJSON, or WKB (imports); none keeps the base's.
	geoJSON json.RawMessage
	wkb     []byte
	// rederived are the derived fields reset to null because the geometry was given
	// (derivedFields); a geometry given unchanged leaves them as they are (unchanged).
	rederived []string
}

// checkVersion runs the domain checks of a write before any SQL: the change note
// (inventory.CheckNote), the properties (inventory.CheckChange, flattening
// properties.confidential), the code, the geometry's type and positions.
// code is the feature's code from the URL (empty on create, where the code property names it).
// wkb, for imports, is a geometry already decoded from a file, checked by the importer.
func checkVersion(l *inventory.Layer, op, code string, c inventory.Change, wkb []byte) (*version, error) {
	v := &version{op: op, code: code, props: map[string]any{}}
	if err := inventory.CheckNote(c.Note); err != nil {
		return nil, err
	}
	if op != inventory.OpCreate && op != inventory.OpUpdate {
		return v, nil // archive and restore copy a version; they take no change
	}
	props, err := inventory.CheckChange(l, c.Properties, op == inventory.OpCreate)
	if err != nil {
		return nil, err
	}
	if given, ok := props["code"]; ok {
		if code != "" && given != code {
			return nil, inventory.Errorf(inventory.EInvalid, "code", "cannot change (%v → %v): a code is immutable; archive this feature and create one with the new code", code, given).
				With(inventory.CodeCodeImmutable, map[string]any{"from": code, "to": given})
		}
		v.code, _ = given.(string)
		delete(props, "code")
	}
	moved := len(c.Geometry) > 0 || wkb != nil
	if l.Geometry == inventory.GeometryNone {
		// A non-spatial layer (enterprises, their figures): its rows keep a null geometry.
		if moved && string(c.Geometry) != "null" {
			return nil, inventory.Errorf(inventory.EInvalid, "geometry", "%s has no geometry; leave it out", l.Name)
		}
		v.props = props
		if op == inventory.OpUpdate && len(props) == 0 {
			return nil, inventory.Errorf(inventory.EInvalid, "properties", "nothing to change: give properties")
		}
		return v, nil
	}
	if wkb == nil && (op == inventory.OpCreate || len(c.Geometry) > 0) {
		if err := inventory.CheckGeometryJSON(l, c.Geometry); err != nil {
			return nil, err
		}
	}
	// An update without properties or geometry changes nothing: unchanged answers it with
	// the live version.
	if op == inventory.OpUpdate && moved {
		for _, d := range derivedFields(l) {
			if _, ok := props[d]; !ok {
				props[d] = nil // derive again from the new geometry
				v.rederived = append(v.rederived, d)
			}
		}
	}
	v.props, v.geoJSON, v.wkb = props, c.Geometry, wkb
	return v, nil
}

// checkState checks v against the feature's live row cur (nil when there is none) and sets the
// version's number and the rows it supersedes and starts from.
func checkState(l *inventory.Layer, v *version, cur *liveRow) error {
	if v.op == inventory.OpCreate {
		if cur != nil && cur.archived {
			return inventory.Errorf(inventory.EConflict, "code", "%s %s was archived (version %d); restore it (POST .../%s/restore?version=N) or choose another code", l.Name, v.code, cur.version, v.code).
				With(inventory.CodeArchivedExists, map[string]any{"code": v.code, "version": cur.version})
		}
		if cur != nil {
			return inventory.Errorf(inventory.EConflict, "code", "%s %s already exists; change it with PATCH", l.Name, v.code).
				With(inventory.CodeExists, map[string]any{"code": v.code})
		}
		v.number = 1
		return nil
	}
	if cur == nil {
		return inventory.Errorf(inventory.ENotFound, "code", "no %s with code %q", l.Name, v.code).With(inventory.CodeNotFound, map[string]any{"code": v.code})
	}
	if cur.archived && v.op != inventory.OpRestore {
		return inventory.Errorf(inventory.ENotFound, "code", "%s %s is archived (version %d); restore it first", l.Name, v.code, cur.version).
			With(inventory.CodeArchived, map[string]any{"code": v.code, "version": cur.version})
	}
	id := cur.id
	v.number, v.prev, v.base = cur.version+1, &id, &id
	return nil
}

// derivedFields are the properties the database derives from the geometry when they are
// null: when a write moves the geometry and does not give them, they are derived anew.
func derivedFields(l *inventory.Layer) []string {
	var out []string
	for _, f := range l.Fields {
		if f.Derived {
			out = append(out, f.Name)
		}
	}
	return out
}

// matchRequired says whether op needs an If-Match header: update and archive do; create has no
// version to match, and a restore may name one (it undoes, it does not overwrite unseen).
// "*" (any version) is no specific version: on update, archive and restore it is refused like
// a missing header, since it would skip the lost-update protection.
func matchRequired(op, ifMatch string) error {
	if (op == inventory.OpUpdate || op == inventory.OpArchive) && strings.TrimSpace(ifMatch) == "" {
		return inventory.Errorf(inventory.EPreconditionRequired, "If-Match",
			"is required: send the ETag of the version you edited (from GET), so that nobody's change is overwritten unseen").With(inventory.CodePreconditionReq, nil)
	}
	if op == inventory.OpUpdate || op == inventory.OpArchive || op == inventory.OpRestore {
		for _, t := range strings.Split(ifMatch, ",") {
			if strings.TrimSpace(t) == "*" {
				return inventory.Errorf(inventory.EPreconditionRequired, "If-Match",
					"* matches any version and would overwrite changes unseen: send the ETag of the version you edited (from GET)").With(inventory.CodePreconditionReq, nil)
			}
		}
	}
	return nil
}

// checkMatch compares an If-Match header with the current version's ETag. Weak tags compare
// by their opaque part; a list matches when any member does ("*" never gets here:
// matchRequired refuses it);
// an empty header matches (matchRequired says when it may be empty). The public's tag of the
// current version ("…-vN-public", web/api.go) names the same version, so it matches too: a
// client that read the feature before signing in (a GIS client) edits that version, and a
// later version still refuses it.
func checkMatch(ifMatch, current string) error {
	ifMatch = strings.TrimSpace(ifMatch)
	if ifMatch == "" {
		return nil
	}
	public := strings.TrimSuffix(current, `"`) + `-public"`
	for _, t := range strings.Split(ifMatch, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == current || t == public {
			return nil
		}
	}
	return &inventory.Error{Kind: inventory.EPrecondition, Field: "If-Match",
		Reason: fmt.Sprintf("%s is not the current version %s: someone changed the feature since you read it; reload, check their change, and edit again", ifMatch, current),
		Detail: map[string]any{"current_etag": current},
		Code:   inventory.CodeStaleETag, Params: map[string]any{"current_etag": current}}
}

// etag is the ETag of a version, as inventory.Feature.ETag writes it.
func etag(l *inventory.Layer, code string, version int) string {
	f := inventory.Feature{Layer: l.Name, Code: code, Version: version}
	return f.ETag()
}

// liveRow is the current row of a feature (valid_to = 'infinity'), which may be archived.
type liveRow struct {
	id       int64
	zoneID   int // with id, the row's primary key (zone_id, id)
	version  int
	archived bool
}

// lockCurrent locks and returns the current row of code, or nil when there is none.
//
// Writers of one feature queue on an advisory lock first, so that the select that follows
// (a new statement, with a new snapshot) sees the version the writer before committed.
func lockCurrent(ctx context.Context, tx pgx.Tx, l *inventory.Layer, zoneID int, code string) (*liveRow, error) {
	if _, err := tx.Exec(ctx, "select pg_advisory_xact_lock(hashtext($1), $2)", l.Table+":"+code, zoneID); err != nil {
		return nil, fmt.Errorf("lock %s %s: %w", l.Name, code, err)
	}
	r := liveRow{zoneID: zoneID}
	err := tx.QueryRow(ctx, fmt.Sprintf(`select id, version, archived from %s
		where zone_id = $1 and code = $2 and valid_to = 'infinity' for update`, pgx.Identifier{l.Table}.Sanitize()),
		zoneID, code).Scan(&r.id, &r.version, &r.archived)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s %s: %w", l.Name, code, err)
	}
	return &r, nil
}

// versionTime is the time a new version starts: the database's clock, taken after the
// feature is locked, and never before the version it follows.
func versionTime(ctx context.Context, tx pgx.Tx, l *inventory.Layer, prev *liveRow) (time.Time, error) {
	var t time.Time
	if prev == nil {
		err := tx.QueryRow(ctx, "select clock_timestamp()").Scan(&t)
		return t, err
	}
	err := tx.QueryRow(ctx, fmt.Sprintf("select greatest(clock_timestamp(), valid_from) from %s where zone_id = $2 and id = $1",
		pgx.Identifier{l.Table}.Sanitize()), prev.id, prev.zoneID).Scan(&t)
	return t, err
}

// writer is who writes, where.
type writer struct {
	zoneID int
	actor  string
}

// writeRequest is a write of one feature.
type writeRequest struct {
	op string
	// code is the feature's code (empty on create: the code property names it).
	code    string
	ifMatch string
	change  inventory.Change
	// restore is the version a restore copies.
	restore int
	// internal marks a write the store makes on its own account inside its transaction (the
	// demo load's profile, a figure corrected by an objection): no client sent an ETag, so
	// there is no If-Match to require or compare. Client writes never set it.
	internal bool
}

// writeVersion writes the next version of one feature in tx, through every step of the write
// path: create, update, archive, restore and the demo load all come here. It returns the
// version written and the feature's code.
func (db *DB) writeVersion(ctx context.Context, tx pgx.Tx, l *inventory.Layer, w writer, req writeRequest) (*inventory.Version, string, error) {
	if !req.internal {
		if err := matchRequired(req.op, req.ifMatch); err != nil {
			return nil, "", err
		}
	}
	v, err := checkVersion(l, req.op, req.code, req.change, nil)
	if err != nil {
		return nil, "", err
	}
	cur, err := lockCurrent(ctx, tx, l, w.zoneID, v.code)
	if err != nil {
		return nil, "", err
	}
	if err := checkState(l, v, cur); err != nil {
		return nil, "", err
	}
	if cur != nil {
		if err := checkMatch(req.ifMatch, etag(l, v.code, cur.version)); err != nil && !req.internal {
			return nil, "", err
		}
	}
	note := req.change.Note
	if req.op == inventory.OpRestore {
		src, err := restoreSource(ctx, tx, l, w.zoneID, v.code, req.restore, cur.version)
		if err != nil {
			return nil, "", err
		}
		n := req.restore
		v.base, v.restoredFrom, note = &src, &n, fmt.Sprintf("restored version %d", n)
	}
	if same, err := unchanged(ctx, tx, l, v, cur); err != nil || same {
		if same {
			return &inventory.Version{Version: cur.version, Op: v.op, Unchanged: true}, v.code, nil
		}
		return nil, "", err
	}
	if req.op == inventory.OpRestore {
		// The lifecycle rules do not bind a restore (undoing a mistake must be possible).
		if _, err := tx.Exec(ctx, "set local landinv.restore = on"); err != nil {
			return nil, "", err
		}
	}
	at, err := versionTime(ctx, tx, l, cur)
	if err != nil {
		return nil, "", err
	}
	var geoJSON *string
	if len(v.geoJSON) > 0 {
		s := string(v.geoJSON)
		geoJSON = &s
	}
	body, err := json.Marshal(v.props)
	if err != nil {
		return nil, "", fmt.Errorf("encode properties: %w", err)
	}
	var notePtr *string
	if note != "" {
		notePtr = &note
	}
	archived := req.op == inventory.OpArchive
	if err := db.writeVersions(ctx, tx, l, 4326, oneVersion,
		0, w.zoneID, w.actor, notePtr, at, 4326, v.code, v.number, v.op, archived, v.restoredFrom, v.prev, v.base,
		string(body), v.wkb, geoJSON); err != nil {
		return nil, "", err
	}
	if req.op == inventory.OpRestore {
		if _, err := tx.Exec(ctx, "set local landinv.restore = off"); err != nil {
			return nil, "", err
		}
	}
	return &inventory.Version{Version: v.number, Op: v.op, ValidFrom: at, ChangedBy: w.actor, Note: note,
		Archived: archived, RestoredFrom: v.restoredFrom}, v.code, nil
}

// unchanged reports whether the version v would write is the live row cur again: an update or
// a restore (No-op writes: they write no version; the caller answers with the live version,
// saying so). It compares every writable column of the row the insert would build (the base
// overlaid with the properties, as versionSQL builds it) with the live row's, and the geometry:
// equal as the API writes it (GeoJSON with 7 decimals, about 1 cm: what a client read and sent
// back unchanged) or spatially equal (ST_Equals, for valid geometries). A derived field reset
// only because a geometry was given is left out when that geometry is unchanged. An archived
// live row always changes (a restore brings it back). Both rows are read by their primary key,
// (zone_id, id): by id alone the key's index is read whole (BenchmarkManyZones/write).
func unchanged(ctx context.Context, tx pgx.Tx, l *inventory.Layer, v *version, cur *liveRow) (bool, error) {
	if cur == nil || cur.archived || v.base == nil || v.wkb != nil ||
		(v.op != inventory.OpUpdate && v.op != inventory.OpRestore) {
		return false, nil
	}
	props := make(map[string]any, len(v.props))
	for k, x := range v.props {
		props[k] = x
	}
	for _, d := range v.rederived {
		delete(props, d)
	}
	body, err := json.Marshal(props)
	if err != nil {
		return false, fmt.Errorf("encode properties: %w", err)
	}
	table := pgx.Identifier{l.Table}.Sanitize()
	conds := []string{"ST_AsGeoJSON(n.g, 7) = ST_AsGeoJSON(c.geom, 7) or (ST_IsValid(n.g) and ST_IsValid(c.geom) and ST_Equals(n.g, c.geom))"}
	for _, col := range WritableColumns(l) {
		id := pgx.Identifier{col}.Sanitize()
		conds = append(conds, fmt.Sprintf("r.%s is not distinct from c.%s", id, id))
	}
	geom := "ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON($4::text), 4326))"
	if l.Geometry != "any" {
		geom = "ST_Multi(" + geom + ")"
	}
	var gj *string
	if len(v.geoJSON) > 0 {
		x := string(v.geoJSON)
		gj = &x
	}
	var same bool
	err = tx.QueryRow(ctx, fmt.Sprintf(`select (%[1]s)
		from %[2]s c
		join %[2]s b on b.zone_id = $5 and b.id = $2
		cross join lateral jsonb_populate_record(null::%[2]s, to_jsonb(b) || $3::jsonb) r
		cross join lateral (select case when $4::text is null then b.geom else %[3]s end as g) n
		where c.zone_id = $5 and c.id = $1`, "("+strings.Join(conds, ") and (")+")", table, geom),
		cur.id, *v.base, string(body), gj, cur.zoneID).Scan(&same)
	if err != nil {
		return false, asError(err)
	}
	return same, nil
}

// restoreSource returns the id of version n of a feature, which a restore copies.
func restoreSource(ctx context.Context, tx pgx.Tx, l *inventory.Layer, zoneID int, code string, n, latest int) (int64, error) {
	var src int64
	var archived bool
	err := tx.QueryRow(ctx, fmt.Sprintf("select id, archived from %s where zone_id = $1 and code = $2 and version = $3",
		pgx.Identifier{l.Table}.Sanitize()), zoneID, code, n).Scan(&src, &archived)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, inventory.Errorf(inventory.EInvalid, "version", "%s %s has no version %d; it has versions 1 to %d", l.Name, code, n, latest).
			With(inventory.CodeNoSuchVersion, map[string]any{"version": n, "latest": latest})
	}
	if err != nil {
		return 0, err
	}
	if archived {
		return 0, inventory.Errorf(inventory.EInvalid, "version", "version %d is an archive; to archive again use DELETE", n).
			With(inventory.CodeRestoreArchive, map[string]any{"version": n})
	}
	return src, nil
}

// Sources of new versions for versionSQL: relations with the columns idx, zone_id, actor, note,
// at, srid, code, version, op, archived, restored_from, prev_id, base_id, props (jsonb), wkb and
// gj (GeoJSON text), one row per new version.
const (
	// oneVersion is one version given as the parameters $1 to $16, in that order.
	oneVersion = `(select $1::integer as idx, $2::integer as zone_id, $3::text as actor, $4::text as note,
		$5::timestamptz as at, $6::integer as srid, $7::text as code, $8::integer as version, $9::text as op,
		$10::boolean as archived, $11::integer as restored_from, $12::bigint as prev_id, $13::bigint as base_id,
		$14::jsonb as props, $15::bytea as wkb, $16::text as gj)`
	// stagedVersions are the import's staged features with idx from $1 to $2 (import.go).
	stagedVersions = `(select s.idx, m.zone_id, m.actor, m.note, m.at, m.srid, s.code, s.version, s.op,
		false as archived, null::integer as restored_from, s.prev_id, s.prev_id as base_id, s.props, s.wkb, s.gj
		from li_staging s cross join li_meta m where s.idx between $1 and $2)`
)

// versionStmts are the two statements that write new versions from one source: close ends the
// validity of the rows they supersede, insert inserts them. Both take the source's parameters.
type versionStmts struct{ close, insert string }

// writeVersions writes the new versions that source (oneVersion or stagedVersions) yields for
// args, their geometries in EPSG:srid: it closes the live rows they supersede, then inserts
// them. The database's triggers check every rule on the insert.
func (db *DB) writeVersions(ctx context.Context, tx pgx.Tx, l *inventory.Layer, srid int, source string, args ...any) error {
	s, err := db.versionSQL(ctx, tx, l, source, srid != 4326)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, s.close, args...); err != nil {
		return asError(err)
	}
	if _, err := tx.Exec(ctx, s.insert, args...); err != nil {
		return asError(err)
	}
	return nil
}

// versionSQL builds (once per layer and source, then from the DB's cache) the statements that
// write versions from source. The version's values are its base row's overlaid with its
// properties; a value that ends up null takes the column's default (new features; every
// column with a default is not null); the geometry is the new one, made 2-D and transformed
// from its srid to EPSG:4326, or the base's. Identifiers come from the layer's allow-list and
// the catalog. transform says whether geometries may come in another CRS than EPSG:4326.
//
// The base row is looked up in a lateral subquery that runs only for a version that has a base
// (offset 0 keeps it apart, so "s.base_id is not null" gates it as a one-time filter), whatever
// plan the statistics suggest. A plain left join let the planner, when it misjudged the size of
// the source or of the table, probe the table once per new row with a scan (sequential, or the
// exclusion constraint's GiST index by zone alone) that also walks every row the same INSERT
// had written so far: quadratic, 100 000 new plots ran for more than 10 minutes. A new code
// (no base) now costs no look-up at all, and a new version one primary-key probe.
//
// The rows are written in the order of their geometries (ORDER BY the geometry column, the
// last one: PostGIS orders geometries along a Hilbert curve), then of the source's idx for
// equal ones. Neighbours on the ground then go into the table's GiST indexes one after the
// other, which touches fewer index pages per row: 0.6 s of the 6.5 s INSERT of 100 000 plots
// (issue 11, README "Where an import's INSERT goes"). So an import's ids follow the ground,
// not the file; nothing reads an order from the ids but "the earlier version" of one code,
// which one statement never writes twice.
func (db *DB) versionSQL(ctx context.Context, tx pgx.Tx, l *inventory.Layer, source string, transform bool) (versionStmts, error) {
	key := fmt.Sprintf("%s\x00%s\x00%t", l.Table, source, transform)
	if s, ok := db.stmts.Load(key); ok {
		return s.(versionStmts), nil
	}
	defaults, err := columnDefaults(ctx, tx, l.Table)
	if err != nil {
		return versionStmts{}, fmt.Errorf("%s: column defaults: %w", l.Table, err)
	}
	table := pgx.Identifier{l.Table}.Sanitize()
	cols := WritableColumns(l)
	ids := make([]string, len(cols))
	sel := make([]string, len(cols))
	for i, c := range cols {
		ids[i] = pgx.Identifier{c}.Sanitize()
		sel[i] = "r." + ids[i]
		if d, ok := defaults[c]; ok {
			sel[i] = fmt.Sprintf("coalesce(r.%s, %s)", ids[i], d)
		}
	}
	geom := versionGeom(l, "s", transform)
	// geomAt is the geometry's position in the select list below: nine columns before the
	// layer's own (ids), the geometry last. TestImportWritesRowsInGroundOrder fails if it moves.
	geomAt := 9 + len(ids) + 1
	s := versionStmts{
		close: fmt.Sprintf(`update %s o set valid_to = s.at from %s s where o.zone_id = s.zone_id and o.id = s.prev_id`, table, source),
		insert: fmt.Sprintf(`insert into %[1]s (zone_id, code, version, archived, changed_by, change_note, op, restored_from, valid_from, %[2]s, geom)
		select s.zone_id, s.code, s.version, s.archived, s.actor, s.note, s.op, s.restored_from, s.at, %[3]s, coalesce(%[4]s, b.geom)
		from %[5]s s
		left join lateral (select b.* from %[1]s b where s.base_id is not null and b.zone_id = s.zone_id and b.id = s.base_id offset 0) b on true
		cross join lateral jsonb_populate_record(null::%[1]s, coalesce(to_jsonb(b), '{}'::jsonb) || s.props) r
		order by %[6]d, s.idx`, table, strings.Join(ids, ", "), strings.Join(sel, ", "), geom, source, geomAt),
	}
	db.stmts.Store(key, s)
	return s, nil
}

// versionGeom is the new geometry of the source row alias (its columns wkb, gj and srid), made
// 2-D, transformed to EPSG:4326 when transform, and a MultiPolygon or MultiLineString when the
// layer's geometry is; null when the version keeps its base's geometry.
func versionGeom(l *inventory.Layer, alias string, transform bool) string {
	geom := fmt.Sprintf("ST_Force2D(ST_SetSRID(coalesce(ST_GeomFromWKB(%[1]s.wkb), ST_GeomFromGeoJSON(%[1]s.gj)), %[1]s.srid))", alias)
	if transform {
		// Not written for EPSG:4326 input: ST_Transform costs even when it has nothing to do.
		geom = "ST_Transform(" + geom + ", 4326)"
	}
	if l.Geometry == inventory.GeometryNone {
		return "null::geometry" // a non-spatial layer keeps a null geometry
	} else if l.Geometry != "any" {
		geom = "ST_Multi(" + geom + ")"
	}
	return geom
}

// columnDefaults returns the default expressions of a table's columns, by column name.
func columnDefaults(ctx context.Context, tx pgx.Tx, table string) (map[string]string, error) {
	rows, err := tx.Query(ctx, `select a.attname, pg_get_expr(d.adbin, d.adrelid)
		from pg_attribute a join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
		where a.attrelid = $1::regclass and a.attgenerated = ''`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, e string
		if err := rows.Scan(&n, &e); err != nil {
			return nil, err
		}
		out[n] = e
	}
	return out, rows.Err()
}

// WritableColumns lists the layer's columns a client may write: every field that is neither
// computed nor the code.
func WritableColumns(l *inventory.Layer) []string {
	var cols []string
	for _, f := range l.Fields {
		if f.Computed || f.Name == "code" {
			continue
		}
		cols = append(cols, f.Name)
	}
	return cols
}
