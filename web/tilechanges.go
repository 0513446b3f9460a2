package web

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/landinv/landinv/inventory"
)

// tileChanges is the server's copy of the store's change log (inventory.TileChangeLog,
// migration 0078): for the newest revisions, where each one changed what tiles draw. With it a
// cached tile of revision C, asked for at revision R, is known current when no change of a
// revision in (C, R] touches the tile's box (TileChange.Touches): it is served under R's ETag
// with no statement of its own. Without it (or when it does not cover (C, R]) the tile's own
// statement compares the tile's content key, as before.
//
// Why it is never stale: a revision and its log rows are written by one transaction and become
// visible together; the copy holds a revision only when the statement that read the log read
// that revision's log row, in the same snapshot as a current revision at least as new; and it
// answers only for a range (C, R] of which it holds every revision (a revision the log lost,
// or a database restored under the server with an empty log, leaves a gap: the ordinary way).
// R itself is read by a statement that began after the request arrived (the shared rounds).
//
// Loading: a request that needs revisions the copy does not hold waits for a load, one at a
// time for all such requests (one statement, the cost of one tile's); the copy keeps the newest
// keep revisions.
type tileChanges struct {
	log  inventory.TileChangeLog
	keep int64

	mu      sync.Mutex
	epoch   uint32 // the database the copy is of (inventory.TileChanges.Epoch)
	after   int64  // the copy holds every revision of (after, to]
	to      int64
	changes []inventory.TileChange // of (after, to], by revision
	loading chan struct{}          // closed when the running load ends; nil: none running
}

func newTileChanges(log inventory.TileChangeLog) *tileChanges {
	if log == nil {
		return nil
	}
	return &tileChanges{log: log, keep: inventory.TileChangeLogKeeps}
}

// untouched reports whether a tile of table, of revision from, whose box is box, drawn from the
// database epoch, is current at revision to: the copy is of that database, holds every revision
// of (from, to], and none of their changes touches the box. When the copy does not reach to,
// the caller waits for a load (one for all the requests waiting; a load started after the
// caller read to reads at least to; at most three, and never past ctx). false means "not
// known": the caller asks the database.
func (c *tileChanges) untouched(ctx context.Context, table string, box [4]float64, epoch uint32, from, to int64) bool {
	if c == nil || box == [4]float64{} || epoch == 0 || from >= to {
		return false
	}
	for range 3 {
		c.mu.Lock()
		if c.epoch == epoch && from < c.after {
			c.mu.Unlock()
			return false // older than the copy keeps
		}
		if c.epoch != 0 && c.epoch != epoch && to <= c.to {
			c.mu.Unlock()
			return false // the tile is of another database than the current one
		}
		if c.epoch == epoch && to <= c.to {
			ok := c.noneTouchLocked(table, box, from, to)
			c.mu.Unlock()
			return ok
		}
		done := c.loadLocked(to)
		c.mu.Unlock()
		select {
		case <-done:
		case <-ctx.Done():
			return false
		}
	}
	return false
}

// noneTouchLocked reports whether no change of the revisions (from, to], which the copy holds,
// touches box on table.
func (c *tileChanges) noneTouchLocked(table string, box [4]float64, from, to int64) bool {
	i := sort.Search(len(c.changes), func(i int) bool { return c.changes[i].Revision > from })
	for ; i < len(c.changes) && c.changes[i].Revision <= to; i++ {
		if c.changes[i].Touches(table, box[0], box[1], box[2], box[3]) {
			return false
		}
	}
	return true
}

// loadLocked returns a channel closed when a load of the revisions the copy lacks ends: the
// running one, or a new one reaching at least want.
func (c *tileChanges) loadLocked(want int64) chan struct{} {
	if c.loading != nil {
		return c.loading
	}
	after := c.to
	if after == 0 || want-after > c.keep {
		after = max(0, want-c.keep) // first load, or too far behind: the newest only
	}
	done := make(chan struct{})
	c.loading = done
	go func() {
		ctx, cancel := context.WithTimeout(inventory.WithQueryKind(context.Background(), inventory.KindRead), 5*time.Second)
		defer cancel()
		got, err := c.log.TileChanges(ctx, after)
		c.mu.Lock()
		defer c.mu.Unlock()
		defer close(done) // before the unlock: a waiter wakes to the merged copy
		c.loading = nil
		if err != nil {
			slog.Warn("tile change log not read; tiles are checked one by one", "err", err)
			return
		}
		c.merge(got)
	}()
	return done
}

// merge adds a load to the copy. A load of another database (another epoch) replaces the copy:
// revisions of the two do not compare. The load holds every revision of (base, got.To], base being
// the highest revision of (got.After, got.To] it lacks (got.After when it lacks none). It joins
// the copy when it starts where the copy ends and lacks nothing; otherwise the copy starts again
// from (base, got.To]. A load no newer than the copy (a lagging replica's) is dropped. The copy
// keeps the newest keep revisions.
func (c *tileChanges) merge(got inventory.TileChanges) {
	if got.Epoch != c.epoch {
		// Another database (restored under the server): nothing of the copy holds for it.
		c.epoch, c.after, c.to, c.changes = got.Epoch, 0, 0, nil
	}
	if got.To <= c.to {
		return
	}
	base := got.To
	for i := len(got.Revisions) - 1; i >= 0 && got.Revisions[i] == base; i-- {
		base--
	}
	base = max(base, got.After)
	if base != got.After || got.After != c.to {
		c.after, c.changes = base, nil
	}
	for _, ch := range got.Changes {
		if ch.Revision > base {
			c.changes = append(c.changes, ch)
		}
	}
	c.to = got.To
	if floor := c.to - c.keep; c.after < floor {
		i := sort.Search(len(c.changes), func(i int) bool { return c.changes[i].Revision > floor })
		c.changes, c.after = append([]inventory.TileChange(nil), c.changes[i:]...), floor
	}
}
