package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// zonesServer serves a database of n synthetic zones of 4 plots each (postgistest's grid, in
// postgistest.SyntheticProvinces provinces, 省01 …).
func zonesServer(t *testing.T, n int) (*postgis.DB, *httptest.Server) {
	t.Helper()
	u, _ := postgistest.Seeded(t, postgistest.SyntheticZonesSQL(0, n, 4))
	db := openURL(t, u)
	srv := httptest.NewServer(newServer(t, storeDeps(db)))
	t.Cleanup(srv.Close)
	return db, srv
}

// TestZonesPage: GET /api/v1/zones pages like the layer lists: limit, a next link with the
// after cursor until the zones run out, number_matched counting them all, offset, province.
func TestZonesPage(t *testing.T) {
	const n = 7
	_, srv := zonesServer(t, n)
	var got []string
	path, pages := "/api/v1/zones?limit=3", 0
	for path != "" && pages < 10 {
		var p fc
		getJSON(t, srv, path, 200, &p)
		pages++
		if p.NumberMatched != n || p.NumberReturned != len(p.Features) {
			t.Fatalf("%s: number_matched %d, number_returned %d, %d features", path, p.NumberMatched, p.NumberReturned, len(p.Features))
		}
		got = append(got, codes(p.Features)...)
		path = p.Next
	}
	var want []string
	for k := range n {
		want = append(want, postgistest.ZoneCode(k))
	}
	if strings.Join(got, ",") != strings.Join(want, ",") || pages != 3 {
		t.Errorf("paged through %d pages: %v, want %v", pages, got, want)
	}
	var p fc
	getJSON(t, srv, "/api/v1/zones?limit=2&offset=5", 200, &p)
	if c := codes(p.Features); strings.Join(c, ",") != "z0005,z0006" || p.Next != "" {
		t.Errorf("offset 5: %v next %q", c, p.Next)
	}
	// Province 省02 holds zones 1 (and 1 + 31 …): one here.
	getJSON(t, srv, "/api/v1/zones?province="+"%E7%9C%8102", 200, &p)
	if c := codes(p.Features); strings.Join(c, ",") != "z0001" || p.NumberMatched != 1 {
		t.Errorf("province 省02: %v, matched %d", c, p.NumberMatched)
	}
	for _, c := range []struct{ q, field string }{
		{"limit=0", "limit"}, {"limit=x", "limit"}, {fmt.Sprintf("offset=%d", 1<<30), "offset"}, {"after=a%20b", "after"},
		{"after=z0001&offset=2", "after"}, {"bogus=1", "bogus"}, {"zone=z0001", "zone"},
	} {
		var prob struct{ Field string }
		getJSON(t, srv, "/api/v1/zones?"+c.q, 400, &prob)
		if prob.Field != c.field {
			t.Errorf("%s: field %q, want %q", c.q, prob.Field, c.field)
		}
	}
}

// openURL opens a store on the database at u, closed when the test ends.
func openURL(t testing.TB, u string) *postgis.DB {
	t.Helper()
	db, err := postgis.Open(context.Background(), u, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}
