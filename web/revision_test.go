package web

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestRevisionReaderNeverAnswersFromAnOlderQuery: a request that arrives after a write never
// gets the answer of a query that started before it, even while such a query is running; and
// many concurrent requests share few queries.
func TestRevisionReaderNeverAnswersFromAnOlderQuery(t *testing.T) {
	var committed, queries atomic.Int64
	started := make(chan struct{}, 100)
	rr := &revisionReader{read: func(ctx context.Context) (int64, error) {
		queries.Add(1)
		v := committed.Load() // the snapshot: what is committed when the query starts
		started <- struct{}{}
		time.Sleep(20 * time.Millisecond)
		return v, nil
	}}
	ctx := context.Background()
	first := make(chan int64)
	go func() { r, _ := rr.revision(ctx); first <- r }()
	<-started                  // a query is running, with revision 0
	committed.Store(1)         // a write commits meanwhile
	r, err := rr.revision(ctx) // arrives after the write
	if err != nil || r != 1 {
		t.Fatalf("request after the write got revision %d (%v), want 1", r, err)
	}
	if r0 := <-first; r0 != 0 {
		t.Errorf("first request got %d, want 0", r0)
	}

	queries.Store(0)
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r, err := rr.revision(ctx); err != nil || r != 1 {
				t.Errorf("revision %d %v", r, err)
			}
		}()
	}
	wg.Wait()
	if n := queries.Load(); n > 8 {
		t.Errorf("64 concurrent requests made %d queries", n)
	}
	t.Logf("64 concurrent requests, %d queries", queries.Load())
}
