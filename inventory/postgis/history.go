package postgis

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

// versionColumns are a layer row's bookkeeping columns, not properties.
var versionColumns = []string{"id", "zone_id", "code", "version", "valid_from", "valid_to", "archived",
	"changed_by", "change_note", "op", "restored_from", "geom"}

// History lists every version of a feature, oldest first, with what changed against the
// version before. Confidential properties appear only for planners and admins.
func (db *DB) History(ctx context.Context, l *inventory.Layer, zone, code string) ([]inventory.Version, error) {
	zone, err := db.ResolveZone(ctx, zone)
	if err != nil {
		return nil, err
	}
	viewer := inventory.ViewerFrom(ctx)
	sql := fmt.Sprintf(`select version, op, valid_from, nullif(valid_to, 'infinity'), changed_by,
		       coalesce(change_note, ''), archived, restored_from,
		       geom is distinct from lag(geom) over w,
		       to_jsonb(t) - $3::text[]
		from %s t
		where zone_id = (select id from zones where code = $1) and code = $2
		window w as (order by version)
		order by version`, pgx.Identifier{l.Table}.Sanitize())
	rows, err := db.Pool.Query(ctx, sql, zone, code, versionColumns)
	if err != nil {
		return nil, fmt.Errorf("history of %s %s: %w", l.Name, code, err)
	}
	defer rows.Close()
	var out []inventory.Version
	var prev map[string]any
	for rows.Next() {
		var v inventory.Version
		var validTo *time.Time
		var props []byte
		if err := rows.Scan(&v.Version, &v.Op, &v.ValidFrom, &validTo, &v.ChangedBy, &v.Note, &v.Archived,
			&v.RestoredFrom, &v.GeometryChanged, &props); err != nil {
			return nil, fmt.Errorf("history of %s %s: %w", l.Name, code, err)
		}
		v.ValidTo = validTo
		var cur map[string]any
		if err := jsonUnmarshal(props, &cur); err != nil {
			return nil, fmt.Errorf("history of %s %s: %w", l.Name, code, err)
		}
		v.Changes = diff(l, prev, cur, viewer)
		if !viewer.SeesConfidential() {
			// A change note may speak of confidential figures, and who edited is staff
			// business: the public sees when and what (public fields) only.
			v.Note, v.ChangedBy = "", ""
		}
		out = append(out, v)
		prev = cur
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history of %s %s: %w", l.Name, code, err)
	}
	if len(out) == 0 {
		return nil, inventory.Errorf(inventory.ENotFound, "code", "no %s with code %q, now or ever", l.Name, code)
	}
	return out, nil
}

// diff lists the layer's properties whose values differ between two versions' rows, in field
// order. Confidential fields are left out unless the viewer may see them.
func diff(l *inventory.Layer, before, after map[string]any, v inventory.Viewer) []inventory.PropertyChange {
	out := []inventory.PropertyChange{}
	for _, f := range l.Fields {
		if f.HiddenFrom(v) {
			continue
		}
		if f.Name == "code" || f.Name == "version" || f.Name == "valid_from" || f.Name == "changed_by" {
			continue
		}
		var b, a any
		var bok, aok bool
		if before != nil {
			b, bok = before[f.Name]
		}
		a, aok = after[f.Name]
		if !bok && !aok {
			continue
		}
		if before == nil && a == nil {
			continue
		}
		if sameJSON(b, a) {
			continue
		}
		out = append(out, inventory.PropertyChange{Field: f.Name, Before: b, After: a, Secret: f.Confidential})
	}
	return out
}

func sameJSON(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}
