package postgis

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/landinv/landinv/inventory"
)

// revisionGate reads the inventory's revision for many concurrent callers with one statement
// at a time, the way a group commit writes for many: a caller gets a revision read by a
// statement that began after it called, so every write committed before its call is counted
// (the answer is never older than the caller), while the callers that arrive during one read
// share the next.
//
// Rounds: a caller joins the round that has not begun; when no round is running, it begins at
// once. A round begins only when the one before has ended, so a caller never gets the answer of
// a statement that was already running when it called (that statement's snapshot might be from
// before a write the caller has seen committed). One round at a time reads the fewest
// statements: measured on 2 cores with 8 clients reading plots by code, one round at a time took
// 0.46–0.51 statements per read, two at a time 0.70 and three 0.87, for the same throughput.
type revisionGate struct {
	// read reads the revision (one statement); it gets a context of the gate's own, not a
	// caller's, since a round serves many callers.
	read func(context.Context) (int64, error)

	mu      sync.Mutex
	running bool       // a round's statement is running
	next    *gateRound // the round callers join now: it begins when the running one ends

	rounds atomic.Uint64 // the statements read
}

// newRevisionGate reads p's revision in rounds: on the primary, when there are no read
// replicas, in one statement rather than the pool's transaction of four (BEGIN, the settings,
// the statement, COMMIT), since a row of one column needs no timeout of its own; with replicas
// on one the pool picks (replica.go), as any public read.
func newRevisionGate(p *Pool) *revisionGate {
	return &revisionGate{read: func(ctx context.Context) (int64, error) {
		ctx, cancel := context.WithTimeout(inventory.WithQueryKind(ctx, inventory.KindRead), p.timeouts.Of(inventory.KindRead))
		defer cancel()
		if p.replicas == nil {
			var rev int64
			if err := p.Pool.QueryRow(ctx, "select n from inventory_revision").Scan(&rev); err != nil {
				return 0, p.classify(ctx, err, nil)
			}
			return rev, nil
		}
		return p.revision(ctx)
	}}
}

// gateRound is one read of the revision and the callers waiting for it.
type gateRound struct {
	done chan struct{} // closed when rev and err are set
	rev  int64
	err  error
}

// after returns a revision read by a statement that began after the call, or ctx's error when
// ctx ends first (the round goes on for the others).
func (g *revisionGate) after(ctx context.Context) (int64, error) {
	g.mu.Lock()
	r := g.next
	if r == nil {
		r = &gateRound{done: make(chan struct{})}
		g.next = r
	}
	if !g.running {
		g.running, g.next = true, nil
		go g.run(r)
	}
	g.mu.Unlock()
	select {
	case <-r.done:
		return r.rev, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// run reads r, then each round that gathered callers meanwhile, until none did.
func (g *revisionGate) run(r *gateRound) {
	for r != nil {
		g.rounds.Add(1)
		r.rev, r.err = g.read(context.Background())
		close(r.done)
		g.mu.Lock()
		r, g.next = g.next, nil
		g.running = r != nil
		g.mu.Unlock()
	}
}
