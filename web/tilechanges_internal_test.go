package web

import (
	"context"
	"testing"

	"github.com/landinv/landinv/inventory"
)

// TestTileChangesCopy: the copy answers only for revisions it holds whole: a load with a
// revision missing starts the copy after the gap; a load that joins on extends it; an older
// snapshot (a lagging replica) is dropped; a change on the tile's table in its box, or anywhere,
// is a touch; one on another table or elsewhere is not; only the newest keep revisions stay.
func TestTileChangesCopy(t *testing.T) {
	box := [4]float64{0, 0, 10, 10}
	at := func(rev int64, table string, x float64) inventory.TileChange {
		return inventory.TileChange{Revision: rev, Table: table, MinX: x, MinY: 1, MaxX: x + 1, MaxY: 2}
	}
	c := &tileChanges{keep: 100, epoch: 7}
	// (0, 5], revision 3 missing: the copy holds (3, 5] only.
	c.merge(inventory.TileChanges{Epoch: 7, After: 0, To: 5, Revisions: []int64{1, 2, 4, 5}, Changes: []inventory.TileChange{at(2, "plots", 5), at(4, "plots", 50)}})
	for _, q := range []struct {
		name     string
		table    string
		from, to int64
		want     bool
	}{
		{"before the gap", "plots", 2, 5, false},
		{"across the gap", "plots", 1, 4, false},
		{"after the gap, a change far away", "plots", 3, 5, true},
		{"beyond what the copy holds", "plots", 4, 6, false},
		{"nothing newer", "plots", 5, 5, false},
	} {
		if got := c.untouchedNoLoad(q.table, box, q.from, q.to); got != q.want {
			t.Errorf("%s: untouched(%d, %d) = %v, want %v (copy (%d, %d])", q.name, q.from, q.to, got, q.want, c.after, c.to)
		}
	}
	// Joins on: (5, 8] with a change in the box on another table, and one in the box on plots.
	c.merge(inventory.TileChanges{Epoch: 7, After: 5, To: 8, Revisions: []int64{6, 7, 8}, Changes: []inventory.TileChange{at(6, "roads", 5), at(8, "plots", 9.5)}})
	if c.after != 3 || c.to != 8 {
		t.Fatalf("copy (%d, %d], want (3, 8]", c.after, c.to)
	}
	if !c.untouchedNoLoad("plots", box, 5, 7) || c.untouchedNoLoad("plots", box, 5, 8) || c.untouchedNoLoad("roads", box, 5, 7) {
		t.Error("touches: a roads change touched plots, or the plots change at 8 (edge inside) was missed")
	}
	// A lagging replica's older snapshot is dropped.
	c.merge(inventory.TileChanges{Epoch: 7, After: 8, To: 7})
	if c.to != 8 {
		t.Errorf("an older snapshot moved the copy to %d", c.to)
	}
	// A change anywhere touches every tile.
	c.merge(inventory.TileChanges{Epoch: 7, After: 8, To: 9, Revisions: []int64{9}, Changes: []inventory.TileChange{{Revision: 9, Table: "zones", Anywhere: true}}})
	if c.untouchedNoLoad("plots", box, 8, 9) || !c.untouchedNoLoad("plots", box, 3, 4) {
		t.Error("a change anywhere was missed, or a range before it touched")
	}
	// A load that does not start where the copy ends (after a failed load, say) replaces it.
	c.merge(inventory.TileChanges{Epoch: 7, After: 20, To: 22, Revisions: []int64{21, 22}})
	if c.after != 20 || c.to != 22 || len(c.changes) != 0 || c.untouchedNoLoad("plots", box, 9, 22) {
		t.Errorf("copy (%d, %d] with %d changes after a load that does not join on", c.after, c.to, len(c.changes))
	}
	// A load of another database (restored under the server, its revisions repeating numbers)
	// replaces the copy, and tiles of the old one are never answered for.
	c2 := &tileChanges{keep: 100, epoch: 7}
	c2.merge(inventory.TileChanges{Epoch: 7, After: 0, To: 10, Revisions: []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}})
	c2.merge(inventory.TileChanges{Epoch: 8, After: 10, To: 12, Revisions: []int64{11, 12}})
	if c2.epoch != 8 || c2.after != 10 || c2.to != 12 {
		t.Errorf("after a restore: copy of %d, (%d, %d]", c2.epoch, c2.after, c2.to)
	}
	if c2.untouchedNoLoad("plots", box, 10, 12) {
		t.Error("a tile of the old database was answered for the restored one")
	}
	// Only the newest keep revisions stay.
	var revs []int64
	var changes []inventory.TileChange
	for r := int64(23); r <= 250; r++ {
		revs = append(revs, r)
		changes = append(changes, at(r, "plots", 100))
	}
	c.merge(inventory.TileChanges{Epoch: 7, After: 22, To: 250, Revisions: revs, Changes: changes})
	if c.after != 150 || c.to != 250 || len(c.changes) != 100 || c.changes[0].Revision != 151 || !c.untouchedNoLoad("plots", box, 150, 250) || c.untouchedNoLoad("plots", box, 149, 250) {
		t.Errorf("after trimming: copy (%d, %d], %d changes", c.after, c.to, len(c.changes))
	}
}

// untouchedNoLoad is untouched without a load (the test has no store): a load is "running" and
// already over.
func (c *tileChanges) untouchedNoLoad(table string, box [4]float64, from, to int64) bool {
	done := make(chan struct{})
	close(done)
	c.loading = done
	defer func() { c.loading = nil }()
	return c.untouched(context.Background(), table, box, 7, from, to)
}
