package postgis_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
)

// TestListAsOf reads a hand-made history: P1 created on day 1, made reserved on day 3 and
// archived on day 5; P2 created on day 2.
func TestListAsOf(t *testing.T) {
	db := handZone(t)
	ctx := context.Background()
	// Start from no plots: history is append-only, so only a maintenance session may delete.
	exec(t, db, "begin; set local landinv.maintenance = on; delete from plants; delete from plots; commit")
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	geom := "ST_Multi(ST_MakeEnvelope(111.51, 36.01, 111.52, 36.02, 4326))"
	exec(t, db, `insert into plots (zone_id, code, version, valid_from, valid_to, land_use, status, geom) values
		(1, 'P1', 1, $1, $2, '100101', 'ready', `+geom+`),
		(1, 'P1', 2, $2, $3, '100101', 'reserved', `+geom+`)`, day(1), day(3), day(5))
	exec(t, db, `insert into plots (zone_id, code, version, valid_from, archived, land_use, status, geom) values
		(1, 'P1', 3, $1, true, '100101', 'reserved', `+geom+`)`, day(5))
	exec(t, db, `insert into plots (zone_id, code, version, valid_from, land_use, status, geom) values
		(1, 'P2', 1, $1, '100101', 'planned', ST_Multi(ST_MakeEnvelope(111.53, 36.01, 111.54, 36.02, 4326)))`, day(2))

	tests := []struct {
		at   *time.Time
		want string // code:status, in code order
	}{
		{ptr(day(1).Add(-time.Hour)), ""},
		{ptr(day(1)), "P1:ready"},
		{ptr(day(2).Add(time.Hour)), "P1:ready,P2:planned"},
		{ptr(day(3)), "P1:reserved,P2:planned"},
		{ptr(day(4)), "P1:reserved,P2:planned"},
		{ptr(day(5)), "P2:planned"},
		{nil, "P2:planned"},
	}
	for _, tt := range tests {
		name := "now"
		if tt.at != nil {
			name = tt.at.Format(time.RFC3339)
		}
		t.Run(name, func(t *testing.T) {
			page, err := db.List(ctx, inventory.Query{Layer: inventory.PlotLayer, Zone: "hand", AsOf: tt.at, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range page.Features {
				got = append(got, f.Code+":"+f.Properties["status"].(string))
			}
			if g := strings.Join(got, ","); g != tt.want || page.NumberMatched != int64(len(got)) {
				t.Errorf("as of %s: %q (matched %d), want %q", name, g, page.NumberMatched, tt.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
