package web

import (
	"context"
	"sync"
	"time"

	"github.com/landinv/landinv/inventory"
)

// revisionReader reads the inventory's revision for many concurrent requests with few queries,
// without ever answering a request with a revision older than the one committed when it
// arrived.
//
// A request never joins a query already running (it may have started before a write the
// request must see). It joins the next round instead, which starts when the running one ends;
// every request waiting for that round gets its answer. Under load that is one query per
// round trip instead of one per request; alone, a request waits for one query, as before.
type revisionReader struct {
	read func(context.Context) (int64, error)

	mu      sync.Mutex
	running bool
	next    *revisionRound // the round not started yet, which new requests join
}

type revisionRound struct {
	done chan struct{}
	rev  int64
	err  error
}

// revision returns the inventory's revision, read by a query that started after the call.
//
// With read replicas a round reads a replica's revision (a public read); a request that must
// reflect a revision (inventory.MinRevisionFrom) or read the primary reads its own, with its
// context, so that the store picks a database that has it (replica.go).
func (rr *revisionReader) revision(ctx context.Context) (int64, error) {
	if inventory.MinRevisionFrom(ctx) > 0 || inventory.PrimaryFrom(ctx) {
		return rr.read(ctx)
	}
	rr.mu.Lock()
	if rr.next == nil {
		rr.next = &revisionRound{done: make(chan struct{})}
	}
	rd := rr.next
	if !rr.running {
		rr.running = true
		rr.next = nil
		go rr.run(rd)
	}
	rr.mu.Unlock()
	select {
	case <-rd.done:
		return rd.rev, rd.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// run reads rounds one after another until no request waits.
func (rr *revisionReader) run(rd *revisionRound) {
	for rd != nil {
		ctx, cancel := context.WithTimeout(inventory.WithQueryKind(context.Background(), inventory.KindRead), 10*time.Second)
		rd.rev, rd.err = rr.read(ctx)
		cancel()
		close(rd.done)
		rr.mu.Lock()
		rd, rr.next = rr.next, nil
		if rd == nil {
			rr.running = false
		}
		rr.mu.Unlock()
	}
}
