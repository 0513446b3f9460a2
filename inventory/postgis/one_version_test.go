package postgis_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/landinv/landinv/inventory"
)

// TestOneVersionAtATimeByCodeNotByHash: the exclusion constraint "one valid version of a code at
// a time" (0030; since 0071 through hashtext(code) before the code) refuses two versions of one
// code whose validity overlaps, and accepts two different codes whose hashes are equal: the hash
// only narrows the search, the code decides. The colliding pair is found by the database among
// generated codes, not written in here.
func TestOneVersionAtATimeByCodeNotByHash(t *testing.T) {
	db := handZone(t)
	ctx := context.Background()
	var a, b string
	// 300 000 codes hold about ten pairs with equal 32-bit hashes (the birthday bound).
	if err := db.Pool.QueryRow(ctx, `select min(c), max(c) from (select 'H' || i as c from generate_series(1, 300000) i) x
		group by hashtext(c) having count(*) > 1 order by 1 limit 1`).Scan(&a, &b); err != nil {
		t.Fatalf("no two codes with one hash: %v", err)
	}
	if a == b || count(t, db, "select (hashtext($1) = hashtext($2))::int", a, b) != 1 {
		t.Fatalf("%s and %s: not two codes with one hash", a, b)
	}
	plot := func(code, env string) string {
		return fmt.Sprintf(`insert into plots (zone_id, code, land_use, status, geom) values
			(1, '%s', '100101', 'ready', ST_Multi(ST_MakeEnvelope(%s, 4326)))`, code, env)
	}
	// Both live at once, in one transaction (one valid_from): different codes, no clash.
	if err := inTx(db, plot(a, "111.53, 36.03, 111.54, 36.04"), plot(b, "111.56, 36.03, 111.57, 36.04")); err != nil {
		t.Fatalf("%s and %s (equal hashes) refused: %v", a, b, err)
	}
	if n := count(t, db, "select count(*) from plots where code in ($1, $2) and valid_to = 'infinity'", a, b); n != 2 {
		t.Fatalf("%d of the 2 plots with equal hashes are live", n)
	}
	// A second version of a whose validity reaches back into version 1's: refused by the
	// constraint (its SQLSTATE's words), nothing written.
	err := inTx(db,
		fmt.Sprintf(`update plots set valid_to = now() where code = '%s' and valid_to = 'infinity'`, a),
		fmt.Sprintf(`insert into plots (zone_id, code, version, land_use, status, valid_from, geom)
			select zone_id, code, 2, land_use, status, now() - interval '1 day', geom from plots where code = '%s' and version = 1`, a))
	var e *inventory.Error
	if !errors.As(err, &e) || e.Code != inventory.CodeVersionClash {
		t.Errorf("an overlapping second version of %s: %v, want the version clash", a, err)
	}
	if n := count(t, db, "select count(*) from plots where code = $1", a); n != 1 {
		t.Errorf("%d versions of %s after the refused write, want 1", n, a)
	}
	// The same second version starting when version 1 ends is accepted: the constraint
	// refuses overlap, not a second version.
	if err := inTx(db,
		fmt.Sprintf(`update plots set valid_to = now() where code = '%s' and valid_to = 'infinity'`, a),
		fmt.Sprintf(`insert into plots (zone_id, code, version, land_use, status, valid_from, geom)
			select zone_id, code, 2, land_use, status, now(), geom from plots where code = '%s' and version = 1`, a)); err != nil {
		t.Errorf("a second version of %s from the end of the first: %v", a, err)
	}
}
