package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
)

// Under every sort of plots and plants, following the next links reads every matching feature
// once, in the order of one big page; under a sort other than code the links page by offset.
func TestSortedPagingIsComplete(t *testing.T) {
	srv := demo(t)
	for _, l := range []*inventory.Layer{inventory.PlotLayer, inventory.PlantLayer} {
		for _, s := range l.Sorts {
			for _, filter := range []string{"", "&q=" + url.QueryEscape("路")} {
				base := "/api/v1/" + l.Name + "?sort=" + s.Param + filter
				var whole fc
				getJSON(t, srv, base+"&limit=10000", 200, &whole)
				if len(whole.Features) < 20 {
					t.Fatalf("%s: only %d features", base, len(whole.Features))
				}
				var seen []string
				// Pages of an odd size, about eight of them.
				next := base + "&limit=" + strconv.Itoa(len(whole.Features)/8|1)
				for pages := 0; next != ""; pages++ {
					if pages > 100 {
						t.Fatalf("%s: too many pages", base)
					}
					var p fc
					getJSON(t, srv, next, 200, &p)
					if p.NumberMatched != len(whole.Features) {
						t.Fatalf("%s: number_matched %d, want %d", next, p.NumberMatched, len(whole.Features))
					}
					if s.Kind != inventory.SortCode && strings.Contains(p.Next, "after=") {
						t.Fatalf("%s: next link %s uses the code cursor", next, p.Next)
					}
					seen = append(seen, codes(p.Features)...)
					next = p.Next
				}
				if !slices.Equal(seen, codes(whole.Features)) {
					t.Errorf("%s: paging gave %d features, want the %d of one page in its order", base, len(seen), len(whole.Features))
				}
			}
		}
	}
}

// sort=area puts the largest plot first (areas checked from the features themselves); the
// default list is in code order.
func TestSortByArea(t *testing.T) {
	srv := demo(t)
	var p fc
	getJSON(t, srv, "/api/v1/plots?sort=area&limit=10000", 200, &p)
	prev := 1e18
	for _, f := range p.Features {
		a := muOf(t, f)
		if a > prev+1e-9 {
			t.Fatalf("%s (%.3f 亩) after a smaller plot (%.3f 亩)", f.ID, a, prev)
		}
		prev = a
	}
}

func TestSearchParametersAreChecked(t *testing.T) {
	srv := demo(t)
	for _, tc := range []struct{ path, param string }{
		{"/api/v1/plots?sort=price", "sort"},
		{"/api/v1/plots?q=", "q"},
		{"/api/v1/plots?q=" + url.QueryEscape("   "), "q"},
		{"/api/v1/plots?q=" + strings.Repeat("x", inventory.MaxTextQuery+1), "q"},
		{"/api/v1/plots?sort=area&after=LF-D1-0001", "after"},
		{"/api/v1/plants?sort=area", "sort"},
		{"/api/v1/roads?sort=road", "sort"},
		{"/api/v1/idle-sites?q=x", "q"},
	} {
		resp, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		var p map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if resp.StatusCode != 400 || p["field"] != tc.param {
			t.Errorf("%s: %d %v, want 400 naming %s", tc.path, resp.StatusCode, p, tc.param)
		}
	}
	// Wildcards are text: "%" matches no demo plot name, code or road.
	var p fc
	getJSON(t, srv, "/api/v1/plots?q=%25", 200, &p)
	if p.NumberMatched != 0 {
		t.Errorf("q=%%: %d plots, want none", p.NumberMatched)
	}
	// A plot's code finds that plot.
	getJSON(t, srv, "/api/v1/plots?q=lf-d1-0001", 200, &p)
	if got := codes(p.Features); !slices.Contains(got, "LF-D1-0001") {
		t.Errorf("q=lf-d1-0001: %v", got)
	}
}
