package postgis_test

import (
	"context"
	"errors"
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/landinv/landinv/inventory"
)

// TestMatchRankingStoredPerZone: a zone's stored ranking decides MatchSites' order, a per-call
// weight overrides it, and bad weights, a stale If-Match or a viewer change nothing.
//
// By hand, on matchZone under plotNeed with the area weighing 10 instead of 3 (the other
// weights the defaults: land use 3, cluster 1, investment 2, tax 2, output 1, road 2; all 7
// conditions apply to standard land, weight 21; area, land use, cluster and road to the rest,
// weight 16):
//
//	PA, PC  every condition passes                           100
//	PT      21 − 2 + 2·25/30 = 20.667 of 21                  98.41
//	PR      16 − 2 (the road) = 14 of 16                     87.50
//	PU      16 − 3 − 1 = 12 of 16                            75.00
//	PS      21 − 10 + 10·80/240.04 = 14.333 of 21            68.25
//
// so PS (85.70 under the defaults, ahead of PR's 77.78) falls behind PR and PU.
func TestMatchRankingStoredPerZone(t *testing.T) {
	db := matchZone(t)
	alice := inventory.WithViewer(context.Background(), inventory.Viewer{Name: "alice", Role: inventory.RolePlanner})
	defaultOrder := []string{"PA", "PC", "PT", "PS", "PR", "PU"}
	defaultScores := []float64{100, 100, 97.62, 85.70, 77.78, 55.56}

	rv, err := db.MatchRanking(alice, "hand", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rv.Version != 0 || len(rv.Stored) != 0 || !maps.Equal(rv.Weights, inventory.DefaultMatchWeights) || rv.ETag() != `"ranking-0"` {
		t.Fatalf("fresh zone: %+v, want version 0 with the default weights", rv)
	}
	ms, err := matchList(db.MatchSites(alice, plotNeed, 0))
	if err != nil {
		t.Fatal(err)
	}
	checkOrder(t, ms, defaultOrder, defaultScores)

	before := time.Now()
	rv, err = db.PutMatchRanking(alice, "hand", `"ranking-0"`, inventory.MatchRanking{Weights: map[string]float64{"area_mu": 10}})
	if err != nil {
		t.Fatal(err)
	}
	if rv.Version != 1 || rv.ChangedBy != "alice" || rv.Weights["area_mu"] != 10 || rv.Weights["land_use"] != 3 {
		t.Fatalf("after the change: %+v", rv)
	}
	heavyArea := func(when string) {
		t.Helper()
		ms, err := matchList(db.MatchSites(context.Background(), plotNeed, 0))
		if err != nil {
			t.Fatal(err)
		}
		t.Log(when)
		checkOrder(t, ms, []string{"PA", "PC", "PT", "PR", "PU", "PS"}, []float64{100, 100, 98.41, 87.50, 75.00, 68.25})
	}
	heavyArea("the stored ranking")

	// A per-call weight wins over the stored one: area 3 again is the default order.
	ms, err = matchList(db.MatchSitesRanked(alice, plotNeed, inventory.MatchRanking{Weights: map[string]float64{"area_mu": 3}}, 0))
	if err != nil {
		t.Fatal(err)
	}
	checkOrder(t, ms, defaultOrder, defaultScores)

	// Refused, and nothing changes: unknown condition, negative, NaN, infinite, huge; a stale
	// If-Match; a viewer; the public.
	bob := inventory.WithViewer(context.Background(), inventory.Viewer{Name: "bob", Role: inventory.RoleViewer})
	for _, c := range []struct {
		ctx     context.Context
		ifMatch string
		weights map[string]float64
		kind    string
	}{
		{alice, "", map[string]float64{"area": 1}, inventory.EInvalid},
		{alice, "", map[string]float64{"cluster": -1}, inventory.EInvalid},
		{alice, "", map[string]float64{"cluster": math.NaN()}, inventory.EInvalid},
		{alice, "", map[string]float64{"cluster": math.Inf(1)}, inventory.EInvalid},
		{alice, "", map[string]float64{"cluster": inventory.MaxMatchWeight + 0.5}, inventory.EInvalid},
		{alice, `"ranking-0"`, map[string]float64{"cluster": 5}, inventory.EPrecondition},
		{bob, "", map[string]float64{"cluster": 5}, inventory.EForbidden},
		{context.Background(), "", map[string]float64{"cluster": 5}, inventory.EUnauthorized},
	} {
		_, err := db.PutMatchRanking(c.ctx, "hand", c.ifMatch, inventory.MatchRanking{Weights: c.weights})
		if inventory.ErrorKind(err) != c.kind {
			t.Errorf("put %v (If-Match %s): %v, want %s", c.weights, c.ifMatch, err, c.kind)
		}
		if c.kind == inventory.EInvalid {
			var e *inventory.Error
			if !errors.As(err, &e) || e.Field != "weights" {
				t.Errorf("put %v: %v, want a problem naming weights", c.weights, err)
			}
		}
	}
	if n := count(t, db, "select count(*) from match_rankings"); n != 1 {
		t.Errorf("%d versions after refused changes, want 1", n)
	}
	heavyArea("after refused changes")
	if _, err := db.MatchRanking(context.Background(), "hand", nil); inventory.ErrorKind(err) != inventory.EUnauthorized {
		t.Errorf("the public reads the ranking: %v", err)
	}
	if _, err := db.MatchRanking(alice, "nowhere", nil); inventory.ErrorKind(err) != inventory.ENotFound {
		t.Errorf("an unknown zone's ranking: %v", err)
	}

	// A second version; the first stays readable as of its time, and version 0 before it.
	rv, err = db.PutMatchRanking(alice, "hand", `"ranking-1"`, inventory.MatchRanking{Weights: map[string]float64{}})
	if err != nil || rv.Version != 2 || !maps.Equal(rv.Weights, inventory.DefaultMatchWeights) {
		t.Fatalf("back to the defaults: %+v %v", rv, err)
	}
	ms, err = matchList(db.MatchSites(alice, plotNeed, 0))
	if err != nil {
		t.Fatal(err)
	}
	checkOrder(t, ms, defaultOrder, defaultScores)
	if old, err := db.MatchRanking(alice, "hand", &before); err != nil || old.Version != 0 {
		t.Errorf("as of before the first change: %+v %v", old, err)
	}
	var v1From time.Time
	if err := db.Pool.QueryRow(context.Background(), "select valid_from from match_rankings where version = 1").Scan(&v1From); err != nil {
		t.Fatal(err)
	}
	if old, err := db.MatchRanking(alice, "hand", &v1From); err != nil || old.Version != 1 || old.Weights["area_mu"] != 10 || old.ChangedBy != "alice" {
		t.Errorf("as of version 1: %+v %v", old, err)
	}
}

// TestMatchRankingChecksAgreeWithGo: the table's CHECKs (0063) take the conditions and the
// range inventory.MatchRanking.Check takes, and refuse what it refuses (their words are
// checkRules', TestEveryCheckConstraintIsMappedToWords).
func TestMatchRankingChecksAgreeWithGo(t *testing.T) {
	db := matchZone(t)
	ctx := context.Background()
	insert := func(weights string) error {
		_, err := db.Pool.Exec(ctx, `insert into match_rankings (zone_id, version, weights, changed_by) values (1, 1, $1::jsonb, 'test')`, weights)
		if err == nil {
			exec(t, db, "delete from match_rankings")
		}
		return err
	}
	names := slices.Concat(inventory.PlotMatchConditions, inventory.PlantMatchConditions)
	for _, n := range names {
		for _, w := range []float64{0, inventory.MaxMatchWeight} {
			if err := (inventory.MatchRanking{Weights: map[string]float64{n: w}}).Check(); err != nil {
				t.Errorf("Go refuses %s = %g: %v", n, w, err)
			}
		}
		if err := insert(`{"` + n + `": 0}`); err != nil {
			t.Errorf("the table refuses %s = 0: %v", n, err)
		}
		if err := insert(`{"` + n + `": 1000}`); err != nil {
			t.Errorf("the table refuses %s = 1000: %v", n, err)
		}
	}
	for _, bad := range []string{`{"area": 1}`, `{"area_mu": -1}`, `{"area_mu": 1000.5}`, `{"area_mu": "3"}`, `[1]`, `{"Area_mu": 1}`} {
		var pg *pgconn.PgError
		if err := insert(bad); !errors.As(err, &pg) || pg.Code != "23514" {
			t.Errorf("the table takes %s: %v", bad, err)
		}
	}
	if err := (inventory.MatchRanking{Weights: map[string]float64{"Area_mu": 1}}).Check(); err == nil {
		t.Error("Go takes Area_mu")
	}
}
