package postgis

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

var _ inventory.Editor = (*DB)(nil)

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

// liveRow is the current row of a feature (valid_to = 'infinity'), which may be archived.
type liveRow struct {
	id       int64
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
	var r liveRow
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

func zoneIDOf(ctx context.Context, tx pgx.Tx, zone string) (int, error) {
	var id int
	err := tx.QueryRow(ctx, "select id from zones where code = $1", zone).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, inventory.Errorf(inventory.ENotFound, "zone", "no zone %q", zone)
	}
	if err != nil {
		return 0, fmt.Errorf("zone %s: %w", zone, err)
	}
	return id, nil
}

// etag is the ETag of a version, as inventory.Feature.ETag writes it.
func etag(l *inventory.Layer, code string, version int) string {
	f := inventory.Feature{Layer: l.Name, Code: code, Version: version}
	return f.ETag()
}

// checkMatch compares an If-Match header with the current version's ETag. Weak tags compare
// by their opaque part; "*" matches any current version; a list matches when any member does.
func checkMatch(ifMatch, current string, required bool) error {
	ifMatch = strings.TrimSpace(ifMatch)
	if ifMatch == "" {
		if required {
			return inventory.Errorf(inventory.EPreconditionRequired, "If-Match",
				"is required: send the ETag of the version you edited (from GET), so that nobody's change is overwritten unseen")
		}
		return nil
	}
	for _, t := range strings.Split(ifMatch, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == current {
			return nil
		}
	}
	return &inventory.Error{Kind: inventory.EPrecondition, Field: "If-Match",
		Reason: fmt.Sprintf("%s is not the current version %s: someone changed the feature since you read it; reload, check their change, and edit again", ifMatch, current),
		Detail: map[string]any{"current_etag": current}}
}

// newVersion is one version to insert.
type newVersion struct {
	zoneID       int
	code         string
	version      int
	archived     bool
	actor, note  string
	op           string
	restoredFrom *int
	// base is the id of the row whose values the version starts from (nil: none).
	base *int64
	// props are flattened, checked properties that replace the base's.
	props map[string]any
	// geometry is GeoJSON in EPSG:4326; empty keeps the base's.
	geometry json.RawMessage
	at       time.Time
}

// insertFrom inserts one version: the base row's writable values overlaid with props, and the
// new geometry or the base's. The triggers check every rule.
func insertFrom(ctx context.Context, tx pgx.Tx, l *inventory.Layer, v newVersion) error {
	cols := WritableColumns(l)
	if v.base == nil {
		// A new feature: columns left out take the table's defaults.
		var given []string
		for _, c := range cols {
			if _, ok := v.props[c]; ok {
				given = append(given, c)
			}
		}
		cols = given
	}
	ids := make([]string, len(cols))
	sel := make([]string, len(cols))
	for i, c := range cols {
		ids[i] = pgx.Identifier{c}.Sanitize()
		sel[i] = "r." + ids[i]
	}
	table := pgx.Identifier{l.Table}.Sanitize()
	newGeom := "ST_GeomFromGeoJSON($10)"
	if l.Geometry != "any" {
		newGeom = "ST_Multi(ST_GeomFromGeoJSON($10))"
	}
	list, sels := "", ""
	if len(cols) > 0 {
		list, sels = strings.Join(ids, ", ")+", ", strings.Join(sel, ", ")+", "
	}
	sql := fmt.Sprintf(`insert into %[1]s (zone_id, code, version, archived, changed_by, change_note, op, restored_from, valid_from, %[2]sgeom)
		select $1, $2, $3, $4, $5, $6, $7, $8, $9, %[3]scoalesce(%[4]s, r.geom)
		from jsonb_populate_record(coalesce((select o from %[1]s o where o.id = $11), null::%[1]s), $12::jsonb) r`,
		table, list, sels, newGeom)
	body, err := json.Marshal(v.props)
	if err != nil {
		return fmt.Errorf("encode properties: %w", err)
	}
	var geom, note *string
	if len(v.geometry) > 0 {
		s := string(v.geometry)
		geom = &s
	}
	if v.note != "" {
		note = &v.note
	}
	if _, err := tx.Exec(ctx, sql, v.zoneID, v.code, v.version, v.archived, v.actor, note, v.op, v.restoredFrom, v.at,
		geom, v.base, string(body)); err != nil {
		return asError(err)
	}
	return nil
}

// closeRow ends a current row's validity at t.
func closeRow(ctx context.Context, tx pgx.Tx, l *inventory.Layer, id int64, t time.Time) error {
	_, err := tx.Exec(ctx, fmt.Sprintf("update %s set valid_to = $2 where id = $1", pgx.Identifier{l.Table}.Sanitize()), id, t)
	return asError(err)
}

// supersede closes the live row cur and returns the time its successor starts: every edit,
// archive and restore goes through it, then inserts version cur.version+1 valid from that time.
func supersede(ctx context.Context, tx pgx.Tx, l *inventory.Layer, cur *liveRow) (time.Time, error) {
	at, err := versionTime(ctx, tx, l, cur)
	if err != nil {
		return at, err
	}
	return at, closeRow(ctx, tx, l, cur.id, at)
}

// versionTime is the time a new version starts: the database's clock, taken after the
// feature is locked, and never before the version it follows.
func versionTime(ctx context.Context, tx pgx.Tx, l *inventory.Layer, prev *liveRow) (time.Time, error) {
	var t time.Time
	if prev == nil {
		err := tx.QueryRow(ctx, "select clock_timestamp()").Scan(&t)
		return t, err
	}
	err := tx.QueryRow(ctx, fmt.Sprintf("select greatest(clock_timestamp(), valid_from) from %s where id = $1",
		pgx.Identifier{l.Table}.Sanitize()), prev.id).Scan(&t)
	return t, err
}

// writeTx runs fn in one transaction for an editing viewer, turning database rule
// violations into *inventory.Error (deferred checks included, at commit).
func (db *DB) writeTx(ctx context.Context, zone string, fn func(tx pgx.Tx, zoneID int, actor string) error) error {
	v := inventory.ViewerFrom(ctx)
	if err := inventory.CanWrite(v); err != nil {
		return err
	}
	zone, err := db.zoneCode(ctx, zone)
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		zoneID, err := zoneIDOf(ctx, tx, zone)
		if err != nil {
			return err
		}
		if err := fn(tx, zoneID, v.Name); err != nil {
			return err
		}
		// Run the deferred checks (plants left outside plots) now, so that they answer as
		// rule violations rather than as a failed commit.
		_, err = tx.Exec(ctx, "set constraints all immediate")
		return asError(err)
	})
	return asError(err)
}

// Create adds a new feature as version 1.
func (db *DB) Create(ctx context.Context, l *inventory.Layer, zone string, c inventory.Change) (*inventory.Feature, error) {
	props, err := inventory.CheckChange(l, c.Properties, true)
	if err != nil {
		return nil, err
	}
	if err := inventory.CheckGeometryJSON(l, c.Geometry); err != nil {
		return nil, err
	}
	code := props["code"].(string)
	delete(props, "code")
	err = db.writeTx(ctx, zone, func(tx pgx.Tx, zoneID int, actor string) error {
		cur, err := lockCurrent(ctx, tx, l, zoneID, code)
		if err != nil {
			return err
		}
		if cur != nil && cur.archived {
			return inventory.Errorf(inventory.EConflict, "code", "%s %s was archived (version %d); restore it (POST .../%s/restore?version=N) or choose another code", l.Name, code, cur.version, code)
		}
		if cur != nil {
			return inventory.Errorf(inventory.EConflict, "code", "%s %s already exists; change it with PATCH", l.Name, code)
		}
		at, err := versionTime(ctx, tx, l, nil)
		if err != nil {
			return err
		}
		return insertFrom(ctx, tx, l, newVersion{zoneID: zoneID, code: code, version: 1, actor: actor, note: c.Note,
			op: inventory.OpCreate, props: props, geometry: c.Geometry, at: at})
	})
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", l.Name, err)
	}
	return db.Get(ctx, l, zone, code)
}

// Update writes the next version of a live feature.
func (db *DB) Update(ctx context.Context, l *inventory.Layer, zone, code, ifMatch string, c inventory.Change) (*inventory.Feature, error) {
	props, err := inventory.CheckChange(l, c.Properties, false)
	if err != nil {
		return nil, err
	}
	if given, ok := props["code"]; ok {
		if given != code {
			return nil, inventory.Errorf(inventory.EInvalid, "code", "cannot change (%v → %v): a code is immutable; archive this feature and create one with the new code", code, given)
		}
		delete(props, "code")
	}
	if len(c.Geometry) > 0 {
		if err := inventory.CheckGeometryJSON(l, c.Geometry); err != nil {
			return nil, err
		}
		for _, d := range derivedFields(l) {
			if _, ok := props[d]; !ok {
				props[d] = nil
			}
		}
	}
	if len(props) == 0 && len(c.Geometry) == 0 {
		return nil, inventory.Errorf(inventory.EInvalid, "properties", "nothing to change: give properties, a geometry, or both")
	}
	err = db.writeTx(ctx, zone, func(tx pgx.Tx, zoneID int, actor string) error {
		cur, err := db.currentLive(ctx, tx, l, zoneID, code)
		if err != nil {
			return err
		}
		if err := checkMatch(ifMatch, etag(l, code, cur.version), true); err != nil {
			return err
		}
		at, err := supersede(ctx, tx, l, cur)
		if err != nil {
			return err
		}
		return insertFrom(ctx, tx, l, newVersion{zoneID: zoneID, code: code, version: cur.version + 1, actor: actor,
			note: c.Note, op: inventory.OpUpdate, base: &cur.id, props: props, geometry: c.Geometry, at: at})
	})
	if err != nil {
		return nil, fmt.Errorf("update %s %s: %w", l.Name, code, err)
	}
	return db.Get(ctx, l, zone, code)
}

// currentLive locks the live (not archived) row of code: ENotFound when there is none.
func (db *DB) currentLive(ctx context.Context, tx pgx.Tx, l *inventory.Layer, zoneID int, code string) (*liveRow, error) {
	cur, err := lockCurrent(ctx, tx, l, zoneID, code)
	if err != nil {
		return nil, err
	}
	if cur == nil {
		return nil, inventory.Errorf(inventory.ENotFound, "code", "no %s with code %q", l.Name, code)
	}
	if cur.archived {
		return nil, inventory.Errorf(inventory.ENotFound, "code", "%s %s is archived (version %d); restore it first", l.Name, code, cur.version)
	}
	return cur, nil
}

// Archive writes an archived version of a live feature.
func (db *DB) Archive(ctx context.Context, l *inventory.Layer, zone, code, ifMatch, note string) (*inventory.Version, error) {
	var out *inventory.Version
	err := db.writeTx(ctx, zone, func(tx pgx.Tx, zoneID int, actor string) error {
		cur, err := db.currentLive(ctx, tx, l, zoneID, code)
		if err != nil {
			return err
		}
		if err := checkMatch(ifMatch, etag(l, code, cur.version), true); err != nil {
			return err
		}
		at, err := supersede(ctx, tx, l, cur)
		if err != nil {
			return err
		}
		if err := insertFrom(ctx, tx, l, newVersion{zoneID: zoneID, code: code, version: cur.version + 1, archived: true,
			actor: actor, note: note, op: inventory.OpArchive, base: &cur.id, props: map[string]any{}, at: at}); err != nil {
			return err
		}
		out = &inventory.Version{Version: cur.version + 1, Op: inventory.OpArchive, ValidFrom: at, ChangedBy: actor, Note: note, Archived: true}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("archive %s %s: %w", l.Name, code, err)
	}
	return out, nil
}

// Restore writes a new version that copies version n. The lifecycle rules are bypassed for
// this one insert (set local landinv.restore); every other rule holds.
func (db *DB) Restore(ctx context.Context, l *inventory.Layer, zone, code string, n int, ifMatch string) (*inventory.Feature, error) {
	err := db.writeTx(ctx, zone, func(tx pgx.Tx, zoneID int, actor string) error {
		cur, err := lockCurrent(ctx, tx, l, zoneID, code)
		if err != nil {
			return err
		}
		if cur == nil {
			return inventory.Errorf(inventory.ENotFound, "code", "no %s with code %q", l.Name, code)
		}
		if err := checkMatch(ifMatch, etag(l, code, cur.version), false); err != nil {
			return err
		}
		var src int64
		var srcArchived bool
		err = tx.QueryRow(ctx, fmt.Sprintf("select id, archived from %s where zone_id = $1 and code = $2 and version = $3",
			pgx.Identifier{l.Table}.Sanitize()), zoneID, code, n).Scan(&src, &srcArchived)
		if errors.Is(err, pgx.ErrNoRows) {
			return inventory.Errorf(inventory.EInvalid, "version", "%s %s has no version %d; it has versions 1 to %d", l.Name, code, n, cur.version)
		}
		if err != nil {
			return err
		}
		if srcArchived {
			return inventory.Errorf(inventory.EInvalid, "version", "version %d is an archive; to archive again use DELETE", n)
		}
		at, err := supersede(ctx, tx, l, cur)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "set local landinv.restore = on"); err != nil {
			return err
		}
		if err := insertFrom(ctx, tx, l, newVersion{zoneID: zoneID, code: code, version: cur.version + 1, actor: actor,
			note: fmt.Sprintf("restored version %d", n), op: inventory.OpRestore, restoredFrom: &n, base: &src,
			props: map[string]any{}, at: at}); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "set local landinv.restore = off")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("restore %s %s version %d: %w", l.Name, code, n, err)
	}
	return db.Get(ctx, l, zone, code)
}
