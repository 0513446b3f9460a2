package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestPagesCarryTheZone opens the map (plots as vector tiles) and the report page of the second
// zone of a two-zone inventory, with zone= in the page's URL: every request for the zone's data
// (lists, feature details, reports, tiles) carries that zone, the page's URL keeps it, and the
// map names that zone, not the default one.
func TestPagesCarryTheZone(t *testing.T) {
	node := tools(t)
	u, _ := postgistest.Seeded(t, postgistest.SyntheticZonesSQL(0, 2, 40))
	db := openDB(t, u)
	base := serveWith(t, withThreshold(db, 10), nil)
	res := run(t, node, base, "zone", "--zone", postgistest.ZoneCode(1))
	if len(res) != 2 {
		t.Fatalf("%d results: %+v", len(res), res)
	}
	for _, r := range res {
		if !r.OK {
			t.Errorf("%s: %s", r.Check, r.Detail)
		}
	}
	var m struct{ Name, Reports string }
	_ = json.Unmarshal(res[0].Raw, &m)
	if m.Name != "合成开发区1" || !strings.HasSuffix(m.Reports, "/reports?zone=z0001") {
		t.Errorf("map of zone z0001 shows %q, reports link %q", m.Name, m.Reports)
	}
	var r struct{ Title string }
	_ = json.Unmarshal(res[1].Raw, &r)
	if r.Title != "合成开发区1" {
		t.Errorf("report page of zone z0001 titled %q", r.Title)
	}
}
