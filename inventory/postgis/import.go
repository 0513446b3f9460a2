package postgis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer"
)

var _ importer.Loader = (*DB)(nil)

const importChunk = 5000

// Import upserts the features of src into a layer by code: a new code is created (version 1),
// a live code gets a new version (its lifecycle rules apply, and properties the file does not
// carry keep their values). Every feature takes the write path of every other writer
// (version.go): the same Go-side checks as the write API, then the database's rules. The
// file's geometry is transformed to EPSG:4326 by PostGIS (ST_Transform) from the CRS the file
// declares or opt.SRID.
//
// All or nothing: a real run commits only when no feature is rejected. A dry run changes
// nothing. Either way the report lists every rejected feature with its index and the reason.
//
// It runs in named stages, in one transaction: crs (which CRS the file is in), lock (the
// layer's live rows in the zone), check and stage (each feature through the write path's
// checks, and whether it creates or updates its code, then COPY into a temporary table: the
// features stream from the file through the checks into the COPY, one at a time, and only an
// index, code and operation per feature stay in memory), write (all the versions in one
// statement of the write path, which the database checks set-based: writeAll; only when that
// fails, feature by feature, each in a savepoint, through the database's per-row rules, to
// name every rejected feature) and report.
func (db *DB) Import(ctx context.Context, src *importer.Source, opt importer.Options) (*importer.Report, error) {
	start := time.Now()
	// An import is an import whoever calls it: its statements get the import's timeout and
	// admission budget (inventory.KindImport), not a read's.
	ctx = inventory.WithQueryKind(ctx, inventory.KindImport)
	v := inventory.ViewerFrom(ctx)
	if err := inventory.CanWrite(v); err != nil {
		return nil, err
	}
	if err := inventory.CheckNote(opt.Note); err != nil {
		return nil, err
	}
	rep := &importer.Report{Layer: opt.Layer.Name, Format: src.Format, Total: src.Len(), DryRun: opt.DryRun,
		Encoding: src.Encoding, Rejected: []importer.Rejection{}}
	if err := db.importCRS(ctx, rep, src, opt); err != nil {
		return nil, err
	}
	zone, err := db.zoneCode(ctx, opt.Zone)
	if err != nil {
		return nil, err
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck
	zoneID, err := zoneIDOf(ctx, tx, zone)
	if err != nil {
		return nil, err
	}
	run := &importRun{db: db, tx: tx, l: opt.Layer, rep: rep, progress: opt.Progress}
	if err := run.lock(ctx, zoneID); err != nil {
		return nil, fmt.Errorf("import: lock: %w", err)
	}
	kept, err := run.stage(ctx, src, zoneID, v.Name, opt.Note)
	if err != nil {
		return nil, fmt.Errorf("import: stage: %w", err)
	}
	if err := run.write(ctx, kept); err != nil {
		return nil, fmt.Errorf("import: write: %w", err)
	}
	run.report(kept)
	if !opt.DryRun && len(rep.Rejected) == 0 {
		if err := tx.Commit(ctx); err != nil {
			return nil, fmt.Errorf("import: commit: %w", asError(err))
		}
		rep.Committed = true
		rep.Created, rep.Updated = rep.WouldCreate, rep.WouldUpdate
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

// importCRS decides the file's CRS: opt.SRID, else the one the file declares, else EPSG:4326
// when every coordinate is a longitude and latitude. PostGIS must know it.
func (db *DB) importCRS(ctx context.Context, rep *importer.Report, src *importer.Source, opt importer.Options) error {
	if opt.Layer.Geometry == inventory.GeometryNone {
		rep.SRID, rep.CRSFrom = 4326, "none: a table of records without geometry"
		return nil
	}
	rep.SRID, rep.CRSFrom = src.SRID, src.CRSFrom
	if opt.SRID != 0 {
		rep.SRID, rep.CRSFrom = opt.SRID, "given"
	}
	if rep.SRID == 0 {
		b := src.BBox
		if b == nil || b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 {
			return inventory.Errorf(inventory.EInvalid, "crs", "the file declares no CRS; give one, e.g. --crs EPSG:4546 (CGCS2000 3-degree Gauss-Krüger, CM 111°E) or crs=EPSG:4546")
		}
		rep.SRID, rep.CRSFrom = 4326, "guessed from longitude/latitude coordinates (no .prj)"
	}
	var known bool
	if err := db.Pool.QueryRow(ctx, "select exists (select 1 from spatial_ref_sys where srid = $1)", rep.SRID).Scan(&known); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if !known {
		return inventory.Errorf(inventory.EInvalid, "crs", "EPSG:%d is not known to this PostGIS (spatial_ref_sys)", rep.SRID)
	}
	return nil
}

// importRun is one import's state in its transaction.
type importRun struct {
	db       *DB
	tx       pgx.Tx
	l        *inventory.Layer
	rep      *importer.Report
	progress func(stage string, done, total int)
	// live holds the current rows (live or archived) of the layer in the zone, by code.
	live map[string]liveRow
	// seen is the index of the feature that took each code so far.
	seen map[string]int
}

// staged is a checked feature on its way into the COPY.
type staged struct {
	idx  int
	v    *version
	body []byte // v.props as JSON
	gj   *string
}

// good is what is kept of a staged feature for the rest of the import.
type good struct {
	idx    int
	code   string
	update bool
}

// lock takes the layer's import lock in the zone (imports into one layer of one zone run one
// at a time), then locks and reads its current rows.
func (r *importRun) lock(ctx context.Context, zoneID int) error {
	if _, err := r.tx.Exec(ctx, "select pg_advisory_xact_lock(hashtext('landinv.import.' || $1), $2)", r.l.Table, zoneID); err != nil {
		return err
	}
	rows, err := r.tx.Query(ctx, "select code, id, archived, version from "+pgx.Identifier{r.l.Table}.Sanitize()+
		" where zone_id = $1 and valid_to = 'infinity' for update", zoneID)
	if err != nil {
		return err
	}
	defer rows.Close()
	r.live = map[string]liveRow{}
	for rows.Next() {
		var c string
		cur := liveRow{zoneID: zoneID}
		if err := rows.Scan(&c, &cur.id, &cur.archived, &cur.version); err != nil {
			return err
		}
		r.live[c] = cur
	}
	return rows.Err()
}

// check runs the write path's checks (checkVersion, checkState) on one record, after
// deciding by the live rows whether it creates its code or updates it (upsert by code). A
// refused record goes to the report (nil); so does a second record with the same code, or one
// without a geometry.
func (r *importRun) check(rec importer.Record) *staged {
	code, _ := rec.Props["code"].(string)
	op := inventory.OpCreate
	var cur *liveRow
	if c, ok := r.live[code]; ok {
		cur = &c
		if !c.archived {
			op = inventory.OpUpdate
		}
	}
	v, err := checkVersion(r.l, op, "", inventory.Change{Properties: rec.Props, Geometry: rec.GeoJSON}, rec.WKB)
	if err != nil {
		r.reject(rec.Index, code, err)
		return nil
	}
	if first, dup := r.seen[v.code]; dup {
		r.reject(rec.Index, code, inventory.Errorf(inventory.EInvalid, "code", "%s is also feature %d of the file", code, first))
		return nil
	}
	r.seen[v.code] = rec.Index
	if err := checkState(r.l, v, cur); err != nil {
		r.reject(rec.Index, code, err)
		return nil
	}
	if rec.WKB == nil && len(rec.GeoJSON) == 0 && r.l.Geometry != inventory.GeometryNone {
		r.reject(rec.Index, code, inventory.Errorf(inventory.EInvalid, "geometry", "is missing"))
		return nil
	}
	s := &staged{idx: rec.Index, v: v}
	if s.body, err = json.Marshal(v.props); err != nil {
		r.reject(rec.Index, code, inventory.Errorf(inventory.EInvalid, "properties", "cannot be encoded: %v", err))
		return nil
	}
	if len(v.geoJSON) > 0 {
		g := string(v.geoJSON)
		s.gj = &g
	}
	return s
}

func (r *importRun) reject(i int, code string, err error) {
	var e *inventory.Error
	rj := importer.Rejection{Index: i, Code: code, Kind: inventory.EInvalid, Reason: err.Error()}
	if errors.As(err, &e) {
		rj.Kind, rj.Field, rj.Reason, rj.Detail = e.Kind, e.Field, e.Reason, e.Detail
	}
	r.rep.Rejected = append(r.rep.Rejected, rj)
}

// stage checks the features of src as they come (check) and copies those that pass into the
// temporary table li_staging (the stagedVersions source of the write path); then the import's
// who, when and CRS into li_meta, and creates li_try. It returns the staged features, in file
// order.
func (r *importRun) stage(ctx context.Context, src *importer.Source, zoneID int, actor, note string) ([]good, error) {
	if _, err := r.tx.Exec(ctx, `create temp table li_staging (idx integer primary key, code text not null,
		version integer not null, op text not null, prev_id bigint, props jsonb not null, wkb bytea, gj text) on commit drop`); err != nil {
		return nil, err
	}
	next, stop := iter.Pull2(src.All())
	defer stop()
	total := src.Len()
	var kept []good
	n := 0
	r.seen = map[string]int{}
	_, err := r.tx.CopyFrom(ctx, pgx.Identifier{"li_staging"}, []string{"idx", "code", "version", "op", "prev_id", "props", "wkb", "gj"},
		pgx.CopyFromFunc(func() ([]any, error) {
			for {
				rec, err, ok := next()
				if !ok {
					return nil, nil
				}
				if err != nil {
					return nil, err
				}
				n++
				if r.progress != nil && n%importChunk == 0 {
					r.progress("load", n, total)
				}
				s := r.check(rec)
				if s == nil {
					continue
				}
				kept = append(kept, good{idx: s.idx, code: s.v.code, update: s.v.op == inventory.OpUpdate})
				return []any{s.idx, s.v.code, s.v.number, s.v.op, s.v.prev, string(s.body), s.v.wkb, s.gj}, nil
			}
		}))
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	r.rep.Total = n
	// The planner knows nothing of a fresh temporary table: without statistics it may join
	// the staged chunk to the layer's table in a nested loop over the whole table (minutes
	// per chunk on large files). ANALYZE samples it in a moment.
	if _, err := r.tx.Exec(ctx, "analyze li_staging"); err != nil {
		return nil, err
	}
	if r.progress != nil {
		r.progress("load", n, total)
	}
	var notePtr *string
	if note != "" {
		notePtr = &note
	}
	if _, err := r.tx.Exec(ctx, `create temp table li_meta on commit drop as
		select $1::integer as zone_id, $2::text as actor, $3::text as note, clock_timestamp() as at, $4::integer as srid`,
		zoneID, actor, notePtr, r.rep.SRID); err != nil {
		return nil, err
	}
	// One row; without statistics the planner takes it for 750, and a write joining it to
	// li_staging for 750 times the staged features.
	if _, err := r.tx.Exec(ctx, "analyze li_meta"); err != nil {
		return nil, err
	}
	_, err = r.tx.Exec(ctx, liTry)
	return kept, err
}

// write writes the staged versions through the write path (writeVersions), set-based, in
// chunks. When that fails, it rolls back and runs them again feature by feature (li_try) to
// report every rejected feature.
func (r *importRun) write(ctx context.Context, good []good) error {
	if len(good) == 0 {
		return nil
	}
	idxs := make([]int, len(good))
	for i, s := range good {
		idxs[i] = s.idx
	}
	if _, err := r.tx.Exec(ctx, "savepoint li_fast"); err != nil {
		return err
	}
	ferr := r.writeAll(ctx, idxs)
	if ferr == nil {
		return nil
	}
	r.db.log.WarnContext(ctx, "import: the set-based write failed; naming the rejected features one by one", "layer", r.l.Name, "features", len(idxs), "err", ferr)
	if _, err := r.tx.Exec(ctx, "rollback to savepoint li_fast"); err != nil {
		return fmt.Errorf("%w (after %v)", err, ferr)
	}
	return r.findRejected(ctx, good, idxs, ferr)
}

// writeAll is the fast path: every staged version in one close and one insert (the write
// path's statements, writeVersions), with landinv.bulk_checked on, so that the database checks
// the plots' rules over the whole set at once (plots_rules_set, migration 0059: one validity
// pass, one containment join, one spatial join for overlaps, lifecycle and version sequence by
// joins) instead of row by row; then the deferred checks. The setting only moves the checks,
// it cannot skip them (see the migration). Districts, which the row trigger would derive, are
// derived here first, set-based (deriveDistricts).
func (r *importRun) writeAll(ctx context.Context, idxs []int) error {
	if err := r.deriveDistricts(ctx); err != nil {
		return err
	}
	if _, err := r.tx.Exec(ctx, "select set_config('landinv.bulk_checked', 'on', true)"); err != nil {
		return err
	}
	if err := r.db.writeVersions(ctx, r.tx, r.l, r.rep.SRID, stagedVersions, idxs[0], idxs[len(idxs)-1]); err != nil {
		return err
	}
	if _, err := r.tx.Exec(ctx, "select set_config('landinv.bulk_checked', 'off', true)"); err != nil {
		return err
	}
	if r.progress != nil {
		r.progress("check", len(idxs), len(idxs))
	}
	_, err := r.tx.Exec(ctx, "set constraints all immediate")
	return err
}

// deriveDistricts sets the district of each staged plot that would be written without one
// (not given, and not kept from the version it follows) to the district it lies in
// (landinv_district_for, as the row trigger plots_rules derives it), when the zone has any.
// Only plots: theirs is the one layer whose row triggers the bulk setting moves.
func (r *importRun) deriveDistricts(ctx context.Context) error {
	if r.l.Table != "plots" {
		return nil
	}
	var has bool
	if err := r.tx.QueryRow(ctx, `select exists (select 1 from layout l, li_meta m where l.zone_id = m.zone_id
		and l.kind = 'district' and l.valid_to = 'infinity' and not l.archived)`).Scan(&has); err != nil || !has {
		return err
	}
	_, err := r.tx.Exec(ctx, fmt.Sprintf(`update li_staging s set props = s.props || jsonb_build_object('district', x.district)
		from (select v.idx, landinv_district_for(v.zone_id, coalesce(%s, b.geom)) as district
		      from (select s2.*, m.zone_id, m.srid from li_staging s2 cross join li_meta m) v
		      left join plots b on b.zone_id = v.zone_id and b.id = v.prev_id
		      where (case when v.props ? 'district' then v.props->>'district' else b.district end) is null) x
		where s.idx = x.idx and x.district is not null`, versionGeom(r.l, "v", r.rep.SRID != 4326)))
	return err
}

// findRejected runs the write path's statements feature by feature, each in a
// subtransaction (li_try), and reports every feature the database refuses.
func (r *importRun) findRejected(ctx context.Context, good []good, idxs []int, ferr error) error {
	stmts, err := r.db.versionSQL(ctx, r.tx, r.l, stagedVersions, r.rep.SRID != 4326)
	if err != nil {
		return err
	}
	codeOf := make(map[int]string, len(good))
	for _, s := range good {
		codeOf[s.idx] = s.code
	}
	before := len(r.rep.Rejected)
	for i := 0; i < len(idxs); i += importChunk {
		j := min(i+importChunk, len(idxs)) - 1
		rows, err := r.tx.Query(ctx, "select idx, state, msg, detail, cons, col from pg_temp.li_try($1, $2, $3, $4)",
			stmts.close, stmts.insert, idxs[i], idxs[j])
		if err != nil {
			return err
		}
		for rows.Next() {
			var idx int
			var state, msg, detail, cons, col string
			if err := rows.Scan(&idx, &state, &msg, &detail, &cons, &col); err != nil {
				rows.Close()
				return err
			}
			r.reject(idx, codeOf[idx], asError(&pgconn.PgError{Code: state, Message: msg, Detail: detail, ConstraintName: cons, ColumnName: col}))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if r.progress != nil {
			r.progress("find rejected", j+1, len(idxs))
		}
	}
	if len(r.rep.Rejected) == before {
		// Each feature passes alone but not all together.
		r.reject(-1, "", asError(ferr))
	}
	return nil
}

// report orders the rejections by feature and counts the features that would be created and
// updated (WouldCreate, WouldUpdate; Import sets Created and Updated only once it commits).
func (r *importRun) report(good []good) {
	sort.SliceStable(r.rep.Rejected, func(i, j int) bool { return r.rep.Rejected[i].Index < r.rep.Rejected[j].Index })
	refused := map[int]bool{}
	for _, rj := range r.rep.Rejected {
		refused[rj.Index] = true
	}
	for _, s := range good {
		switch {
		case refused[s.idx]:
		case s.update:
			r.rep.WouldUpdate++
		default:
			r.rep.WouldCreate++
		}
	}
}

// liTry runs the write path's statements for the staged features with idx from lo to hi,
// feature by feature, each in a subtransaction, and returns the errors.
const liTry = `
create or replace function pg_temp.li_try(close_sql text, insert_sql text, lo integer, hi integer)
returns table (idx integer, state text, msg text, detail text, cons text, col text)
language plpgsql as $$
declare
  i integer;
begin
  for i in select s.idx from li_staging s where s.idx between lo and hi order by s.idx loop
    begin
      execute close_sql using i, i;
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
