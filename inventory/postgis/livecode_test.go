package postgis

import (
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
)

// TestLiveCode: only a read of one live feature by code, in the default shape, is answered
// from the index of codes; anything else the ordinary statement reads.
func TestLiveCode(t *testing.T) {
	byCode := []inventory.Condition{{Kind: inventory.FilterEquals, Field: "code", Value: "LF-D1-0001"}}
	now, box, near := time.Now(), [4]float64{111, 36, 112, 37}, 100.0
	base := func() inventory.Query {
		return inventory.Query{Layer: inventory.PlotLayer, Limit: 1, Conditions: byCode}
	}
	for _, c := range []struct {
		name string
		edit func(*inventory.Query)
		want bool
	}{
		{"one feature by code", func(*inventory.Query) {}, true},
		{"in a named zone", func(q *inventory.Query) { q.Zone = "linfen-edz" }, true},
		{"as of a time", func(q *inventory.Query) { q.AsOf = &now }, false},
		{"in another CRS", func(q *inventory.Query) { q.CRS = inventory.CRS{SRID: 4547} }, false},
		{"axes swapped", func(q *inventory.Query) { q.CRS = inventory.CRS{SRID: 4326, SwapXY: true} }, false},
		{"chosen properties", func(q *inventory.Query) { q.Properties = []string{"name"} }, false},
		{"a bbox too", func(q *inventory.Query) { q.BBox = &box }, false},
		{"near roads", func(q *inventory.Query) { q.NearRoadM = &near }, false},
		{"a second condition", func(q *inventory.Query) {
			q.Conditions = append(byCode[:1:1], inventory.Condition{Kind: inventory.FilterEquals, Field: "status", Value: "available"})
		}, false},
		{"a code prefix", func(q *inventory.Query) {
			q.Conditions = []inventory.Condition{{Kind: inventory.FilterPrefix, Field: "code", Value: "LF"}}
		}, false},
		{"another field", func(q *inventory.Query) {
			q.Conditions = []inventory.Condition{{Kind: inventory.FilterEquals, Field: "name", Value: "LF-D1-0001"}}
		}, false},
		{"an offset", func(q *inventory.Query) { q.Offset = 1 }, false},
		{"after a cursor", func(q *inventory.Query) { q.After = "LF" }, false},
		{"sorted", func(q *inventory.Query) { q.SortBy = []inventory.SortKey{{Property: "name"}} }, false},
		{"no limit", func(q *inventory.Query) { q.Limit = 0 }, false},
	} {
		q := base()
		c.edit(&q)
		if code, got := liveCode(q); got != c.want || got && code != "LF-D1-0001" {
			t.Errorf("%s: liveCode = %q, %v; want %v", c.name, code, got, c.want)
		}
	}
}
