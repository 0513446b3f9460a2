package postgis

import (
	"context"
	"fmt"

	"github.com/landinv/landinv/inventory"
)

var _ inventory.TileChangeLog = (*DB)(nil)

// TileChanges reads the change log (inventory_revision_log, inventory_changes; migration 0078)
// of the revisions after after, up to the current one, in one statement: the current revision
// and the log in the same snapshot. With read replicas it runs where the pool sends a read; the
// revision it returns is that server's, and the log is complete up to it. It reads at most the
// newest inventory.TileChangeLogKeeps revisions: a caller further behind is told only of those.
func (db *DB) TileChanges(ctx context.Context, after int64) (inventory.TileChanges, error) {
	out := inventory.TileChanges{After: after}
	rows, err := db.Pool.Query(ctx, `select rv.n, rv.tableoid::int8, l.n, c.tbl, c.min_x, c.min_y, c.max_x, c.max_y
		from inventory_revision rv
		left join inventory_revision_log l on l.n > greatest($1::bigint, rv.n - $2::bigint) and l.n <= rv.n
		left join inventory_changes c on c.xid = l.xid
		order by l.n`, after, int64(inventory.TileChangeLogKeeps))
	if err != nil {
		return out, fmt.Errorf("tile changes after %d: %w", after, asError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var n, epoch int64
		var rev *int64
		var tbl *string
		var minX, minY, maxX, maxY *float64
		if err := rows.Scan(&n, &epoch, &rev, &tbl, &minX, &minY, &maxX, &maxY); err != nil {
			return out, fmt.Errorf("tile changes: %w", err)
		}
		out.To, out.Epoch = n, uint32(epoch)
		if rev == nil {
			continue // no revision after after
		}
		if k := len(out.Revisions); k == 0 || out.Revisions[k-1] != *rev {
			out.Revisions = append(out.Revisions, *rev)
		}
		if tbl == nil {
			continue // a revision that changed no tiled table
		}
		c := inventory.TileChange{Revision: *rev, Table: *tbl}
		if minX == nil || minY == nil || maxX == nil || maxY == nil {
			c.Anywhere = true
		} else {
			c.MinX, c.MinY, c.MaxX, c.MaxY = *minX, *minY, *maxX, *maxY
		}
		out.Changes = append(out.Changes, c)
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("tile changes: %w", asError(err))
	}
	return out, nil
}
