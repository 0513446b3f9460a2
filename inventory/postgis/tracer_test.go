package postgis_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

type observed struct {
	kind     inventory.QueryKind
	took     time.Duration
	timedOut bool
}

func TestQueryTracerObservesKindDurationAndTimeouts(t *testing.T) {
	db := postgistest.New(t)
	var (
		mu  sync.Mutex
		got []observed
	)
	db.ObserveQueries(func(k inventory.QueryKind, took time.Duration, timedOut bool) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, observed{k, took, timedOut})
	})
	last := func() observed {
		mu.Lock()
		defer mu.Unlock()
		if len(got) == 0 {
			t.Fatal("no statement observed")
		}
		return got[len(got)-1]
	}
	ctx := context.Background()
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()

	for _, tc := range []struct {
		name     string
		ctx      func() (context.Context, context.CancelFunc)
		sql      string
		wantErr  bool
		kind     inventory.QueryKind
		timedOut bool
		atLeast  time.Duration
	}{
		{"no kind is read", func() (context.Context, context.CancelFunc) { return context.WithCancel(ctx) },
			"select pg_sleep(0.05)", false, inventory.KindRead, false, 50 * time.Millisecond},
		{"the context's kind", func() (context.Context, context.CancelFunc) {
			return context.WithCancel(inventory.WithQueryKind(ctx, inventory.KindTile))
		}, "select 1", false, inventory.KindTile, false, 0},
		{"statement timeout", func() (context.Context, context.CancelFunc) {
			return context.WithCancel(inventory.WithQueryKind(ctx, inventory.KindReport))
		}, "set local statement_timeout = 100; select pg_sleep(5)", true, inventory.KindReport, true, 100 * time.Millisecond},
		{"a client that gives up is no timeout", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(inventory.WithQueryKind(ctx, inventory.KindCostly), 100*time.Millisecond)
		}, "select pg_sleep(5)", true, inventory.KindCostly, false, 100 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, cancel := tc.ctx()
			defer cancel()
			// Exec on the simple protocol runs the two statements of the timeout case as one
			// implicit transaction, so set local applies to the sleep only.
			_, err := conn.Exec(c, tc.sql)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			o := last()
			if o.kind != tc.kind || o.timedOut != tc.timedOut || o.took < tc.atLeast || o.took > 4*time.Second {
				t.Errorf("observed %+v, want kind %s, timed out %v, took ≥ %v (err %v)", o, tc.kind, tc.timedOut, tc.atLeast, err)
			}
		})
	}
}
