package postgis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer"
)

const importChunk = 5000

// Import upserts the features of src into a layer by code: a new code is created (version 1),
// a live code gets a new version (its lifecycle rules apply, and properties the file does not
// carry keep their values). Every feature passes the same checks as the write API: the Go-side
// property checks, then the database's rules. The file's geometry is transformed to EPSG:4326
// by PostGIS (ST_Transform) from the CRS the file declares or opt.SRID.
//
// All or nothing: a real run commits only when no feature is rejected. A dry run changes
// nothing. Either way the report lists every rejected feature with its index and the reason.
//
// Speed: the features are copied (COPY) into a temporary staging table and inserted with
// set-based SQL in chunks; the database's per-row rules still run for each feature. Only when
// that fails is the import run again feature by feature, each in a savepoint, to name every
// rejected feature.
func (db *DB) Import(ctx context.Context, src *importer.Source, opt importer.Options) (*importer.Report, error) {
	start := time.Now()
	l := opt.Layer
	v := inventory.ViewerFrom(ctx)
	if err := inventory.CanWrite(v); err != nil {
		return nil, err
	}
	rep := &importer.Report{Layer: l.Name, Format: src.Format, Total: len(src.Records), DryRun: opt.DryRun,
		Encoding: src.Encoding, Rejected: []importer.Rejection{}}
	rep.SRID, rep.CRSFrom = src.SRID, src.CRSFrom
	if opt.SRID != 0 {
		rep.SRID, rep.CRSFrom = opt.SRID, "given"
	}
	if rep.SRID == 0 {
		if b := src.BBox; b != nil && b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90 {
			rep.SRID, rep.CRSFrom = 4326, "guessed from longitude/latitude coordinates (no .prj)"
		} else {
			return nil, inventory.Errorf(inventory.EInvalid, "crs", "the file declares no CRS; give one, e.g. --crs EPSG:4546 (CGCS2000 3-degree Gauss-Krüger, CM 111°E) or crs=EPSG:4546")
		}
	}
	var known bool
	if err := db.Pool.QueryRow(ctx, "select exists (select 1 from spatial_ref_sys where srid = $1)", rep.SRID).Scan(&known); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	if !known {
		return nil, inventory.Errorf(inventory.EInvalid, "crs", "EPSG:%d is not known to this PostGIS (spatial_ref_sys)", rep.SRID)
	}
	zone, err := db.zoneCode(ctx, opt.Zone)
	if err != nil {
		return nil, err
	}
	table := pgx.Identifier{l.Table}.Sanitize()

	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck
	zoneID, err := zoneIDOf(ctx, tx, zone)
	if err != nil {
		return nil, err
	}
	// Imports into one layer of one zone run one at a time.
	if _, err := tx.Exec(ctx, "select pg_advisory_xact_lock(hashtext('landinv.import.' || $1), $2)", l.Table, zoneID); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	type cur struct {
		id       int64
		archived bool
		version  int
	}
	live := map[string]cur{}
	rows, err := tx.Query(ctx, "select code, id, archived, version from "+table+" where zone_id = $1 and valid_to = 'infinity' for update", zoneID)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	for rows.Next() {
		var c string
		var r cur
		if err := rows.Scan(&c, &r.id, &r.archived, &r.version); err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		live[c] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}

	// The Go-side checks, feature by feature.
	reject := func(i int, code string, err error) {
		var e *inventory.Error
		r := importer.Rejection{Index: i, Code: code, Kind: inventory.EInvalid, Reason: err.Error()}
		if errors.As(err, &e) {
			r.Kind, r.Field, r.Reason, r.Detail = e.Kind, e.Field, e.Reason, e.Detail
		}
		rep.Rejected = append(rep.Rejected, r)
	}
	type staged struct {
		idx    int
		code   string
		prev   *int64
		props  []byte
		wkb    []byte
		gj     *string
		create bool
	}
	var good []staged
	seen := map[string]int{}
	derived := derivedFields(l)
	for _, rec := range src.Records {
		code, _ := rec.Props["code"].(string)
		prev, exists := live[code]
		props, err := inventory.CheckChange(l, rec.Props, !exists)
		if err != nil {
			reject(rec.Index, code, err)
			continue
		}
		if first, dup := seen[code]; dup {
			reject(rec.Index, code, inventory.Errorf(inventory.EInvalid, "code", "%s is also feature %d of the file", code, first))
			continue
		}
		seen[code] = rec.Index
		if exists && prev.archived {
			reject(rec.Index, code, inventory.Errorf(inventory.EConflict, "code", "%s %s is archived; restore it first or use another code", l.Name, code))
			continue
		}
		if rec.WKB == nil && len(rec.GeoJSON) == 0 {
			reject(rec.Index, code, inventory.Errorf(inventory.EInvalid, "geometry", "is missing"))
			continue
		}
		if len(rec.GeoJSON) > 0 {
			if err := inventory.CheckGeometryJSON(l, rec.GeoJSON); err != nil {
				reject(rec.Index, code, err)
				continue
			}
		}
		delete(props, "code")
		s := staged{idx: rec.Index, code: code, wkb: rec.WKB, create: !exists}
		if exists {
			id := prev.id
			s.prev = &id
			for _, d := range derived {
				if _, ok := props[d]; !ok {
					props[d] = nil // derive again from the new geometry
				}
			}
		}
		if len(rec.GeoJSON) > 0 {
			g := string(rec.GeoJSON)
			s.gj = &g
		}
		if s.props, err = json.Marshal(props); err != nil {
			return nil, fmt.Errorf("import: feature %d: %w", rec.Index, err)
		}
		good = append(good, s)
		if exists {
			rep.Updated++
		} else {
			rep.Created++
		}
	}

	// Stage.
	if _, err := tx.Exec(ctx, `create temp table li_staging (idx integer primary key, code text not null, prev_id bigint,
		props jsonb not null, wkb bytea, gj text) on commit drop`); err != nil {
		return nil, fmt.Errorf("import: staging: %w", err)
	}
	n := 0
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"li_staging"}, []string{"idx", "code", "prev_id", "props", "wkb", "gj"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if n >= len(good) {
				return nil, nil
			}
			s := good[n]
			n++
			if opt.Progress != nil && n%importChunk == 0 {
				opt.Progress("load", n, len(good))
			}
			return []any{s.idx, s.code, s.prev, string(s.props), s.wkb, s.gj}, nil
		}))
	if err != nil {
		return nil, fmt.Errorf("import: copy: %w", err)
	}
	if opt.Progress != nil {
		opt.Progress("load", len(good), len(good))
	}
	var note *string
	if opt.Note != "" {
		note = &opt.Note
	}
	if _, err := tx.Exec(ctx, `create temp table li_meta on commit drop as
		select $1::integer as zone_id, $2::text as actor, $3::text as note, clock_timestamp() as at, $4::integer as srid`,
		zoneID, v.Name, note, rep.SRID); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	if _, err := tx.Exec(ctx, importFunctions); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	closeSQL, insertSQL, err := importSQL(ctx, tx, l)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	idxs := make([]int, len(good))
	for i, s := range good {
		idxs[i] = s.idx
	}
	codeOf := map[int]string{}
	for _, s := range good {
		codeOf[s.idx] = s.code
	}

	// Fast path: set-based, in chunks.
	fast := func() error {
		if _, err := tx.Exec(ctx, "savepoint li_fast"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "update "+table+" o set valid_to = (select at from li_meta) from li_staging s where o.id = s.prev_id"); err != nil {
			return err
		}
		for i := 0; i < len(idxs); i += importChunk {
			j := min(i+importChunk, len(idxs)) - 1
			if _, err := tx.Exec(ctx, insertSQL, idxs[i], idxs[j]); err != nil {
				return err
			}
			if opt.Progress != nil {
				opt.Progress("check", j+1, len(idxs))
			}
		}
		_, err := tx.Exec(ctx, "set constraints all immediate")
		return err
	}
	if len(good) > 0 {
		if ferr := fast(); ferr != nil {
			if _, err := tx.Exec(ctx, "rollback to savepoint li_fast"); err != nil {
				return nil, fmt.Errorf("import: %w (after %v)", err, ferr)
			}
			// Slow path: feature by feature, each in its own subtransaction, to name them all.
			before := len(rep.Rejected)
			for i := 0; i < len(idxs); i += importChunk {
				j := min(i+importChunk, len(idxs)) - 1
				rows, err := tx.Query(ctx, "select idx, state, msg, detail, cons, col from pg_temp.li_try($1, $2, $3, $4)", closeSQL, insertSQL, idxs[i], idxs[j])
				if err != nil {
					return nil, fmt.Errorf("import: %w", err)
				}
				for rows.Next() {
					var idx int
					var state, msg, detail, cons, col string
					if err := rows.Scan(&idx, &state, &msg, &detail, &cons, &col); err != nil {
						rows.Close()
						return nil, fmt.Errorf("import: %w", err)
					}
					reject(idx, codeOf[idx], asError(&pgconn.PgError{Code: state, Message: msg, Detail: detail, ConstraintName: cons, ColumnName: col}))
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return nil, fmt.Errorf("import: %w", err)
				}
				if opt.Progress != nil {
					opt.Progress("find rejected", j+1, len(idxs))
				}
			}
			if len(rep.Rejected) == before {
				// Each feature passes alone but not all together.
				reject(-1, "", asError(ferr))
			}
		}
	}
	sortRejections(rep.Rejected)
	for _, r := range rep.Rejected {
		if r.Index < 0 {
			continue
		}
		if _, ok := live[codeOf[r.Index]]; ok && codeOf[r.Index] != "" {
			rep.Updated--
		} else if codeOf[r.Index] != "" {
			rep.Created--
		}
	}
	if !opt.DryRun && len(rep.Rejected) == 0 {
		if err := tx.Commit(ctx); err != nil {
			return nil, fmt.Errorf("import: commit: %w", asError(err))
		}
		rep.Committed = true
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

func sortRejections(rs []importer.Rejection) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j].Index < rs[j-1].Index; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

// importFunctions are the session's helpers: li_geom turns a staged geometry (WKB or GeoJSON
// in the file's CRS) into 2-D EPSG:4326; li_try runs the import feature by feature, each in a
// subtransaction, and returns the errors.
const importFunctions = `
create or replace function pg_temp.li_geom(wkb bytea, gj text, srid integer, multi boolean) returns geometry
language plpgsql immutable as $$
declare
  g geometry;
begin
  if wkb is not null then
    g := ST_GeomFromWKB(wkb);
  elsif gj is not null then
    g := ST_GeomFromGeoJSON(gj);
  else
    return null;
  end if;
  g := ST_Force2D(ST_SetSRID(g, srid));
  if srid <> 4326 then
    g := ST_Transform(g, 4326);
  end if;
  if multi then
    g := ST_Multi(g);
  end if;
  return g;
end $$;

create or replace function pg_temp.li_try(close_sql text, insert_sql text, lo integer, hi integer)
returns table (idx integer, state text, msg text, detail text, cons text, col text)
language plpgsql as $$
declare
  i integer;
begin
  for i in select s.idx from li_staging s where s.idx between lo and hi order by s.idx loop
    begin
      execute close_sql using i;
      execute insert_sql using i, i;
      set constraints all immediate;
      set constraints all deferred;
    exception when others then
      get stacked diagnostics state = returned_sqlstate, msg = message_text, detail = pg_exception_detail,
        cons = constraint_name, col = column_name;
      idx := i;
      return next;
    end;
  end loop;
end $$;`

// importSQL builds the statements that close a staged feature's current version and insert
// the staged features with idx in [$1, $2]: the current version's values overlaid with the
// file's, column defaults for new features, the geometry transformed by li_geom. Identifiers
// come from the layer's allow-list and the catalog.
func importSQL(ctx context.Context, tx pgx.Tx, l *inventory.Layer) (closeSQL, insertSQL string, err error) {
	table := pgx.Identifier{l.Table}.Sanitize()
	defaults := map[string]string{}
	rows, err := tx.Query(ctx, `select a.attname, pg_get_expr(d.adbin, d.adrelid)
		from pg_attribute a join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
		where a.attrelid = $1::regclass and a.attgenerated = ''`, l.Table)
	if err != nil {
		return "", "", err
	}
	for rows.Next() {
		var n, e string
		if err := rows.Scan(&n, &e); err != nil {
			rows.Close()
			return "", "", err
		}
		defaults[n] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", "", err
	}
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
	multi := l.Geometry != "any"
	insertSQL = fmt.Sprintf(`insert into %[1]s (zone_id, code, version, archived, changed_by, change_note, op, valid_from, %[2]s, geom)
		select m.zone_id, s.code, coalesce(o.version, 0) + 1, false, m.actor, m.note,
		       case when o.id is null then 'create' else 'update' end, m.at, %[3]s,
		       pg_temp.li_geom(s.wkb, s.gj, m.srid, %[4]t)
		from li_staging s
		cross join li_meta m
		left join %[1]s o on o.id = s.prev_id
		cross join lateral jsonb_populate_record(null::%[1]s, coalesce(to_jsonb(o), '{}'::jsonb) || s.props) r
		where s.idx between $1 and $2
		order by s.idx`, table, strings.Join(ids, ", "), strings.Join(sel, ", "), multi)
	closeSQL = fmt.Sprintf(`update %s set valid_to = (select at from li_meta)
		where id = (select prev_id from li_staging where idx = $1)`, table)
	return closeSQL, insertSQL, nil
}

var _ importer.Loader = (*DB)(nil)
