package postgis

import (
	"context"
	"fmt"

	"github.com/landinv/landinv/inventory"
)

// ZonePage returns one page of the zones in code order (zones_code_key serves both the order
// and the cursor), and how many zones match in all.
func (db *DB) ZonePage(ctx context.Context, q inventory.ZoneQuery) ([]inventory.Zone, int64, error) {
	args := []any{q.Province, q.After, q.Limit, q.Offset}
	const where = `($1 = '' or province = $1)`
	rows, err := db.Pool.Query(ctx, "select "+zoneColumns+" from zones where "+where+
		" and ($2 = '' or code > $2) order by code limit $3 offset $4", args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list zones: %w", err)
	}
	defer rows.Close()
	out := []inventory.Zone{}
	for rows.Next() {
		z, err := scanZone(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list zones: %w", err)
		}
		out = append(out, *z)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list zones: %w", err)
	}
	if q.After == "" && len(out) < q.Limit && (len(out) > 0 || q.Offset == 0) {
		return out, int64(q.Offset + len(out)), nil
	}
	var matched int64
	if err := db.Pool.QueryRow(ctx, "select count(*) from zones where "+where, q.Province).Scan(&matched); err != nil {
		return nil, 0, fmt.Errorf("count zones: %w", err)
	}
	return out, matched, nil
}
