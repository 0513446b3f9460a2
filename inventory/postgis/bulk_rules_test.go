package postgis_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
)

// TestBulkSettingMovesTheRulesNeverSkipsThem: a writer that sets landinv.bulk_checked (as the
// import does) and inserts plots with plain SQL is refused by the set-based statement trigger
// (migration 0059) for each rule the row triggers check, with the row trigger's field and
// words; without the setting, the row triggers refuse the same inserts the same way. A
// multi-row insert whose rows overlap each other is refused in bulk mode too, naming the
// earlier plot. A good bulk insert commits, bumps the revision and takes the zone's lock.
func TestBulkSettingMovesTheRulesNeverSkipsThem(t *testing.T) {
	db := handZone(t)
	const bulk = "select set_config('landinv.bulk_checked', 'on', true)"
	ins := func(code, status, district, env string) string {
		d := "null"
		if district != "" {
			d = "'" + district + "'"
		}
		return `insert into plots (zone_id, code, land_use, status, district, geom) values
			(1, '` + code + `', '100101', '` + status + `', ` + d + `, ST_Multi(ST_MakeEnvelope(` + env + `, 4326)))`
	}
	cases := []struct {
		name   string
		stmts  []string
		field  string
		reason string
	}{
		{"overlaps a live plot", []string{ins("Q1", "ready", "W", "111.515, 36.015, 111.525, 36.025")}, "geometry", "P1"},
		{"outside the zone", []string{ins("Q2", "ready", "E", "111.59, 36.09, 111.61, 36.11")}, "geometry", "outside the zone"},
		{"swapped axes", []string{ins("Q3", "ready", "", "36.01, 111.51, 36.02, 111.52")}, "geometry", "latitudes outside"},
		{"unknown district", []string{ins("Q4", "ready", "X", "111.53, 36.03, 111.54, 36.04")}, "district", "unknown district"},
		{"code taken", []string{ins("P1", "ready", "W", "111.53, 36.03, 111.54, 36.04")}, "code", "already exists"},
		{"lifecycle", []string{`update plots set valid_to = now() where code = 'P1' and valid_to = 'infinity'`,
			`insert into plots (zone_id, code, version, land_use, status, district, geom)
			 select zone_id, code, 2, land_use, 'in_production', district, geom from plots where code = 'P1' and version = 1`}, "status", "cannot go from ready to in_production"},
		{"overlapping rows of one statement", []string{`insert into plots (zone_id, code, land_use, status, district, geom) values
			(1, 'Q5', '100101', 'ready', 'E', ST_Multi(ST_MakeEnvelope(111.56, 36.06, 111.57, 36.07, 4326))),
			(1, 'Q6', '100101', 'ready', 'E', ST_Multi(ST_MakeEnvelope(111.565, 36.065, 111.575, 36.075, 4326)))`}, "geometry", "Q5"},
	}
	for _, c := range cases {
		for _, mode := range []string{"row", "bulk"} {
			stmts := c.stmts
			if mode == "bulk" {
				stmts = append([]string{bulk}, stmts...)
			}
			err := inTx(db, stmts...)
			var e *inventory.Error
			if !errors.As(err, &e) || e.Field != c.field || !strings.Contains(e.Reason, c.reason) {
				t.Errorf("%s, %s: %v, want %s ~%q", c.name, mode, err, c.field, c.reason)
			}
		}
	}
	if n := count(t, db, "select count(*) from plots"); n != 1 {
		t.Fatalf("%d plots after refused writes, want 1", n)
	}

	// A good bulk insert of several plots (no district given where one is known is refused:
	// a bulk writer derives it; given, it passes).
	if err := inTx(db, bulk, ins("Q7", "ready", "", "111.53, 36.03, 111.54, 36.04")); err == nil {
		t.Error("a bulk insert without the district it lies in was accepted")
	}
	rev := count(t, db, "select n from inventory_revision")
	locks := count(t, db, "select coalesce(sum(writes), 0) from zone_locks")
	if err := inTx(db, bulk, `insert into plots (zone_id, code, land_use, status, district, geom) values
		(1, 'Q8', '100101', 'ready', 'W', ST_Multi(ST_MakeEnvelope(111.53, 36.03, 111.54, 36.04, 4326))),
		(1, 'Q9', '100101', 'ready', 'E', ST_Multi(ST_MakeEnvelope(111.56, 36.03, 111.57, 36.04, 4326)))`); err != nil {
		t.Fatalf("good bulk insert: %v", err)
	}
	if n := count(t, db, "select count(*) from plots where code in ('Q8', 'Q9') and valid_to = 'infinity'"); n != 2 {
		t.Errorf("%d of 2 plots written", n)
	}
	if n := count(t, db, "select n from inventory_revision"); n != rev+1 {
		t.Errorf("revision %d after a bulk insert, want %d", n, rev+1)
	}
	if n := count(t, db, "select coalesce(sum(writes), 0) from zone_locks"); n != locks+1 {
		t.Errorf("zone lock taken %d times by one bulk insert, want once", n-locks)
	}
}
