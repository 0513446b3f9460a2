package postgis

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestRevisionGate checks the gate's promise with a clock instead of a database: each caller
// takes a tick before it calls, each read takes a tick when it begins and returns it as the
// revision. A caller must get a tick above its own (the read began after the call), however
// many callers come at once and whatever the reads take; and the callers must share reads.
func TestRevisionGate(t *testing.T) {
	for _, c := range []struct {
		name    string
		callers int
		each    int
		read    time.Duration
	}{
		{"one caller", 1, 50, 0},
		{"many callers, instant reads", 16, 200, 0},
		{"many callers, slow reads", 16, 40, 2 * time.Millisecond},
		{"a crowd", 64, 20, 500 * time.Microsecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			var clock, reads atomic.Int64
			g := &revisionGate{read: func(context.Context) (revisionReading, error) {
				reads.Add(1)
				began := clock.Add(1)
				time.Sleep(c.read)
				return revisionReading{rev: began}, nil
			}}
			var wg sync.WaitGroup
			for range c.callers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range c.each {
						called := clock.Add(1)
						r, err := g.reading(context.Background())
						rev := r.rev
						if err != nil {
							t.Error(err)
							return
						}
						if rev <= called {
							t.Errorf("called at tick %d, got the read that began at tick %d", called, rev)
							return
						}
					}
				}()
			}
			wg.Wait()
			calls := int64(c.callers * c.each)
			if got := reads.Load(); got > calls {
				t.Errorf("%d reads for %d calls", got, calls)
			} else if c.callers > 1 && c.read > 0 && got > calls*3/4 {
				t.Errorf("%d reads for %d concurrent calls: the callers did not share them", got, calls)
			}
			if got := int64(g.rounds.Load()); got != reads.Load() {
				t.Errorf("rounds counted %d, reads %d", got, reads.Load())
			}
			if last := g.lastRead().rev; last < 1 || last > clock.Load() {
				t.Errorf("last revision read %d, clock at %d", last, clock.Load())
			}
		})
	}
}

// TestRevisionGateErrorsAndCancel: a read's error reaches every caller of its round, the next
// round reads again, and a caller whose context ends stops waiting while the round goes on.
func TestRevisionGateErrorsAndCancel(t *testing.T) {
	boom := errors.New("database down")
	release := make(chan struct{})
	var n atomic.Int64
	g := &revisionGate{read: func(context.Context) (revisionReading, error) {
		switch n.Add(1) {
		case 1:
			return revisionReading{}, boom
		case 2:
			<-release
		}
		return revisionReading{rev: 42}, nil
	}}
	if _, err := g.reading(context.Background()); !errors.Is(err, boom) {
		t.Fatalf("first read: %v, want %v", err, boom)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := g.reading(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a read held up: %v, want the caller's deadline", err)
	}
	close(release)
	if r, err := g.reading(context.Background()); err != nil || r.rev != 42 || g.lastRead().rev != 42 {
		t.Fatalf("after the held read: %d, %v (last read %+v)", r.rev, err, g.lastRead())
	}
}
