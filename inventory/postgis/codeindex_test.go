package postgis_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestReadByCodeIsNeverStale reads plots by code through a store that answers them from memory
// (the index of live codes and the feature cache) while a second store on the same database,
// without a cache, writes: as another server or any other writer would. Every read must be the
// second store's own reading, byte for byte, right after each write: an edit, an archiving, a
// new plot. Then readers race a writer, and no read may show a version older than one whose
// write had returned before the read began. The reads must have come from memory (counted), so
// that the comparisons test it.
func TestReadByCodeIsNeverStale(t *testing.T) {
	cached, plain, public, planner := cacheStores(t)
	l := inventory.PlotLayer
	read := func(db *postgis.DB, ctx context.Context, code string) string {
		t.Helper()
		var b strings.Builder
		_, _, err := db.StreamList(ctx, inventory.Query{Layer: l, Limit: 1,
			Conditions: []inventory.Condition{{Kind: inventory.FilterEquals, Field: "code", Value: code}}}, func(f []byte) error {
			b.Write(f)
			return nil
		})
		if err != nil {
			t.Fatalf("read %s: %v", code, err)
		}
		return b.String()
	}
	byCode := func() uint64 { return cached.FeatureCacheStats().ByCode }
	// warm reads code until the cached store answers it from memory (the index loads in the
	// background after the first read).
	warm := func(code string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			before := byCode()
			read(cached, public, code)
			if byCode() > before {
				return
			}
		}
		t.Fatalf("%s: never read from memory", code)
	}
	same := func(step, code string) string {
		t.Helper()
		var got string
		for _, v := range []struct {
			name string
			ctx  context.Context
		}{{"public", public}, {"planner", planner}} {
			got = read(cached, v.ctx, code)
			if want := read(plain, v.ctx, code); got != want {
				t.Fatalf("%s, %s, %s: the cached store's reading differs from the database's\ncached: %.400s\nplain:  %.400s", step, v.name, code, got, want)
			}
			if v.name == "public" && strings.Contains(got, "confidential") {
				t.Fatalf("%s: %s as the public shows confidential properties: %.400s", step, code, got)
			}
		}
		return got // the planner's
	}
	codes := []string{"LF-D1-0001", "LF-D1-0002", "LF-D1-0003"}
	for _, c := range codes {
		warm(c)
	}
	before := byCode()
	for _, c := range codes {
		same("start", c)
	}
	if byCode() <= before {
		t.Fatal("no read came from memory at the start")
	}
	etag := func(code string) string { return liveETag(t, plain, code) }

	// An edit of a public and a confidential property by the other store, read at once.
	if _, err := plain.Update(planner, l, "", "LF-D1-0001", etag("LF-D1-0001"), inventory.Change{Properties: map[string]any{
		"name": "按编号读取测试", "confidential": map[string]any{"enterprise": "另一家企业 (fictional)"}}}); err != nil {
		t.Fatal(err)
	}
	if got := same("after an edit", "LF-D1-0001"); !strings.Contains(got, "按编号读取测试") || !strings.Contains(got, "另一家企业") {
		t.Fatalf("LF-D1-0001 after the edit: %.400s", got)
	}
	// An archiving: gone at once.
	if _, err := plain.Archive(planner, l, "", "LF-D1-0002", etag("LF-D1-0002"), "code index test"); err != nil {
		t.Fatal(err)
	}
	if got := same("after an archiving", "LF-D1-0002"); got != "" {
		t.Fatalf("LF-D1-0002 after its archiving: %.400s", got)
	}
	// A new plot, in a free spot of the zone: there at once.
	square := freeSquare(t, plain)
	if _, err := plain.Create(planner, l, "", inventory.Change{Properties: map[string]any{
		"code": "LF-CODE-1", "land_use": "100101", "status": "planned"}, Geometry: []byte(square)}); err != nil {
		t.Fatal(err)
	}
	if got := same("after a new plot", "LF-CODE-1"); !strings.Contains(got, `"LF-CODE-1"`) {
		t.Fatalf("LF-CODE-1 after its creation: %.400s", got)
	}

	// Readers race a writer. The writer edits LF-D1-0003 now and then (the index loads again
	// in between, so reads come from memory too) and publishes each version once its write
	// has returned; a reader takes the version published before it reads, and must read that
	// version or a newer one.
	warm("LF-D1-0003")
	var published atomic.Int64
	var v0 struct {
		Properties struct{ Version int64 } `json:"properties"`
	}
	if err := json.Unmarshal([]byte(read(plain, public, "LF-D1-0003")), &v0); err != nil {
		t.Fatal(err)
	}
	published.Store(v0.Properties.Version)
	done := make(chan struct{})
	var wg sync.WaitGroup
	var stale, reads atomic.Int64
	before = byCode()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				want := published.Load()
				var f struct {
					Properties struct{ Version int64 } `json:"properties"`
				}
				if err := json.Unmarshal([]byte(read(cached, public, "LF-D1-0003")), &f); err != nil {
					t.Error(err)
					return
				}
				reads.Add(1)
				if f.Properties.Version < want {
					stale.Add(1)
					t.Errorf("read version %d after version %d was written", f.Properties.Version, want)
				}
			}
		}()
	}
	for i := range 12 {
		time.Sleep(150 * time.Millisecond)
		f, err := plain.Update(planner, l, "", "LF-D1-0003", etag("LF-D1-0003"), inventory.Change{Properties: map[string]any{
			"name": fmt.Sprintf("并发写入 %d", i)}})
		if err != nil {
			t.Error(err)
			break
		}
		published.Store(int64(f.Version))
	}
	time.Sleep(1200 * time.Millisecond) // the index catches up, and reads come from it again
	close(done)
	wg.Wait()
	if n := byCode() - before; n == 0 || stale.Load() > 0 {
		t.Fatalf("%d reads, %d from memory, %d stale", reads.Load(), n, stale.Load())
	} else {
		t.Logf("%d reads during the writes, %d from memory, none stale", reads.Load(), n)
	}
}

// TestReadByCodeUnknownZones: reads naming zones that do not exist (anyone may send them) keep
// nothing in memory and are answered the ordinary way (a 404 naming the zone); the one zone
// that exists gets its index.
func TestReadByCodeUnknownZones(t *testing.T) {
	ctx := context.Background()
	db, err := postgis.OpenWith(ctx, postgistest.URL(t, true), nil, postgis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	read := func(zone string) error {
		_, _, err := db.StreamList(ctx, inventory.Query{Layer: inventory.PlotLayer, Zone: zone, Limit: 1,
			Conditions: []inventory.Condition{{Kind: inventory.FilterEquals, Field: "code", Value: "LF-D1-0001"}}}, func([]byte) error { return nil })
		return err
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		for i := range 50 {
			if err := read(fmt.Sprintf("nowhere-%d", i)); inventory.ErrorKind(err) != inventory.ENotFound {
				t.Fatalf("zone nowhere-%d: %v, want not found", i, err)
			}
		}
		if err := read("linfen-edz"); err != nil {
			t.Fatal(err)
		}
		if n, _, codes := db.CodeIndexState(); n == 1 && codes > 0 {
			break
		}
		if time.Now().After(deadline) {
			n, times, codes := db.CodeIndexState()
			t.Fatalf("after reads in 50 unknown zones and one known: %d indexes, %d times, %d codes", n, times, codes)
		}
	}
	db.Close() // waits for the load running, if any
	if n, times, _ := db.CodeIndexState(); n != 1 || times != 1 {
		t.Errorf("after reads in 50 unknown zones: %d indexes, %d load times kept; want 1 and 1 (the known zone's)", n, times)
	}
}

// TestReadByCodeOutOfDate: an index older than a revision some round has read is passed over
// at once, without a round of its own; and a database restored under the server (the revision's
// table made again, its counter where it was, the data not: here a plot changed with the
// triggers off, so that the counter does not move) is told from the one the index was read
// from by the table's oid, not served from the index.
func TestReadByCodeOutOfDate(t *testing.T) {
	ctx := context.Background()
	cached, plain, public, planner := cacheStores(t)
	read := func(code string) string { t.Helper(); return readByCode(t, cached, public, code) }
	warm := func(code string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			before := cached.FeatureCacheStats().ByCode
			read(code)
			if cached.FeatureCacheStats().ByCode > before {
				return
			}
		}
		t.Fatalf("%s: never read from memory", code)
	}
	warm("LF-D1-0004")
	if _, err := plain.Update(planner, inventory.PlotLayer, "", "LF-D1-0005", liveETag(t, plain, "LF-D1-0005"),
		inventory.Change{Properties: map[string]any{"name": "别处的修改"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cached.Revision(ctx); err != nil { // a round reads the new revision
		t.Fatal(err)
	}
	before := cached.FeatureCacheStats()
	read("LF-D1-0004")
	if after := cached.FeatureCacheStats(); after.RevisionReads != before.RevisionReads || after.ByCode != before.ByCode {
		t.Errorf("a read on an index known to be out of date: %d revision reads, %d from memory (want none)",
			after.RevisionReads-before.RevisionReads, after.ByCode-before.ByCode)
	}

	// The restore: same counter, new table; LF-D1-0004 renamed without a trigger.
	warm("LF-D1-0004")
	postgistest.RestoreUnder(t, plain.Pool.Pool, `update plots set name = '恢复后的名称' where code = 'LF-D1-0004' and valid_to = 'infinity'`)
	if got := read("LF-D1-0004"); !strings.Contains(got, "恢复后的名称") {
		t.Errorf("after the restore, LF-D1-0004 reads %.300s", got)
	}
}

// TestReadByCodeWarmsTheCache: once a zone's index of codes has loaded, the public text of every
// live plot of the zone is held, so that reads by code of plots no page has read are answered
// from memory, with the text the database builds (a store without caches, compared byte for
// byte); planners' texts, not warmed, are still theirs. A cache of half the zone's size holds
// part of them, pushes out none for them, and reads stay right.
func TestReadByCodeWarmsTheCache(t *testing.T) {
	ctx := context.Background()
	cached, plain, public, planner := cacheStores(t)
	read := func(db *postgis.DB, as context.Context, code string) string {
		t.Helper()
		return readByCode(t, db, as, code)
	}
	codes := texts(t, plain, `select code from plots p where valid_to = 'infinity' and not archived
		and zone_id = (select id from zones where code = 'linfen-edz') order by code`)
	if len(codes) < 100 {
		t.Fatalf("%d live plots in the demo zone", len(codes))
	}
	load := func(db *postgis.DB) {
		t.Helper()
		read(db, public, codes[0]) // the ordinary way: the zone's index loads, and the texts are built
		db.WaitCodeIndexLoads()
		if n, _, held := db.CodeIndexState(); n != 1 || held != len(codes) {
			t.Fatalf("after the first read: %d indexes, %d codes; want 1 and %d", n, held, len(codes))
		}
	}
	load(cached)
	whole := cached.FeatureCacheStats().Bytes
	small, err := postgis.OpenWith(ctx, cached.Pool.Config().ConnString(), nil, postgis.Options{FeatureCacheBytes: int64(whole / 2)})
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	load(small)
	if st := small.FeatureCacheStats(); st.Bytes < whole/4 || st.Bytes > whole/2 || st.Evictions != 0 {
		t.Errorf("a cache of %d bytes, half the zone's texts (%d): %d held, %d pushed out; want a part, none pushed out",
			whole/2, whole, st.Bytes, st.Evictions)
	}
	before, smallBefore := cached.FeatureCacheStats(), small.FeatureCacheStats()
	for _, c := range codes[1:] {
		if got, want := read(cached, public, c), read(plain, public, c); got != want {
			t.Fatalf("%s from memory:\n%.300s\nwant\n%.300s", c, got, want)
		}
		if got, want := read(small, public, c), read(plain, public, c); got != want {
			t.Fatalf("%s through the small cache:\n%.300s\nwant\n%.300s", c, got, want)
		}
	}
	after := cached.FeatureCacheStats()
	if reads := uint64(len(codes) - 1); after.ByCode-before.ByCode != reads || after.Hits-before.Hits != reads || after.Misses != before.Misses {
		t.Errorf("%d reads by code: %d from the index, %d texts held, %d not; want every one held",
			reads, after.ByCode-before.ByCode, after.Hits-before.Hits, after.Misses-before.Misses)
	}
	if st := small.FeatureCacheStats(); st.Hits == smallBefore.Hits || st.Misses == smallBefore.Misses {
		t.Errorf("through the small cache: %d texts held, %d not; want some of each", st.Hits-smallBefore.Hits, st.Misses-smallBefore.Misses)
	}
	for _, c := range codes[:20] {
		got, want := read(cached, planner, c), read(plain, planner, c)
		if got != want {
			t.Fatalf("%s as a planner:\n%.300s\nwant\n%.300s", c, got, want)
		}
		if got == read(plain, public, c) {
			t.Fatalf("%s: a planner reads the public text", c)
		}
	}
}
