package postgis_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

func codesOf(t *testing.T, db *postgis.DB, q inventory.Query) []string {
	t.Helper()
	p, err := db.List(context.Background(), q)
	if err != nil {
		t.Fatalf("list %+v: %v", q, err)
	}
	var out []string
	for _, f := range p.Features {
		out = append(out, f.Code)
	}
	return out
}

func textQuery(l *inventory.Layer, text string) inventory.Query {
	return inventory.Query{Layer: l, Limit: inventory.MaxLimit, Conditions: []inventory.Condition{{Kind: inventory.FilterText, Values: []string{"code", "name", "name_en"}, Value: text}}}
}

// A hand-made zone: plots named with wildcard characters, two roads, one district. The text
// matches code, name, name_en, the district's name and the nearest road's name, and % and _ match
// only themselves.
func TestTextSearchHandMade(t *testing.T) {
	ctx := context.Background()
	db := mapZone(t)
	for _, s := range []string{
		`insert into plots (zone_id, code, name, name_en, land_use, status, geom) values
			(1, 'P-50PCT', '百分之50%地块', 'Fifty percent', '100101', 'ready', ST_Multi(ST_MakeEnvelope(111.55, 36.05, 111.56, 36.06, 4326))),
			(1, 'P-UNDER', '下划线a_b', null, '100101', 'planned', ST_Multi(ST_MakeEnvelope(111.58, 36.08, 111.59, 36.09, 4326)))`,
		// 河汾路 runs beside PLOT-ALPHA (111.51–111.52 E); 纬一路 beside P-50PCT and P-UNDER.
		`insert into roads (zone_id, code, name, name_en, status, geom) values
			(1, 'R1', '河汾路', 'Hefen Road', 'existing', ST_Multi(ST_MakeLine(ST_Point(111.505, 36.00, 4326), ST_Point(111.505, 36.03, 4326)))),
			(1, 'R2', '纬一路', 'Wei 1 Road', 'planned', ST_Multi(ST_MakeLine(ST_Point(111.54, 36.07, 4326), ST_Point(111.60, 36.07, 4326))))`,
	} {
		if _, err := db.Pool.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"alpha", []string{"PLOT-ALPHA"}},
		{"plot-al", []string{"PLOT-ALPHA"}},
		{"fifty", []string{"P-50PCT"}},
		{"50%", []string{"P-50PCT"}},
		{"%", []string{"P-50PCT"}},
		{"a_b", []string{"P-UNDER"}},
		{"_", []string{"P-UNDER"}},
		{"河汾", []string{"PLOT-ALPHA"}},
		{"hefen road", []string{"PLOT-ALPHA"}},
		{"wei 1", []string{"P-50PCT", "P-UNDER"}},
		{"west", []string{"P-50PCT", "P-UNDER", "PLOT-ALPHA"}},
		{"nowhere", nil},
		{`\`, nil},
	} {
		got := codesOf(t, db, textQuery(inventory.PlotLayer, tc.text))
		sort.Strings(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("q=%q: got %v, want %v", tc.text, got, tc.want)
		}
	}
}

// On the demo, a search by a road's name finds exactly the plots whose nearest road (as
// NearestRoads answers, one plot at a time) has that name, plus those whose own names or
// district names hold it.
func TestTextSearchByRoadMatchesNearestRoads(t *testing.T) {
	ctx := context.Background()
	db := postgistest.NewWithDemo(t)
	all, err := db.List(ctx, inventory.Query{Layer: inventory.PlotLayer, Limit: inventory.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, road := range []string{"河汾路", "Jing 3 Road", "第六大道"} {
		var want []string
		for _, f := range all.Features {
			near, _, err := db.NearestRoads(ctx, "", f.Code)
			if err != nil {
				t.Fatal(err)
			}
			in := func(s string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(road)) }
			name, _ := f.Properties["name"].(string)
			nameEN, _ := f.Properties["name_en"].(string)
			if (near != nil && (in(near.Name) || in(near.NameEN))) || in(f.Code) || in(name) || in(nameEN) {
				want = append(want, f.Code)
			}
		}
		got := codesOf(t, db, textQuery(inventory.PlotLayer, road))
		if len(want) == 0 {
			t.Errorf("road %s: no plot has it as nearest road; pick another", road)
		}
		if !slices.Equal(got, want) {
			t.Errorf("q=%s: got %d plots %v, want %d %v", road, len(got), got, len(want), want)
		}
	}
}

// Each sort orders the list as an independent computation says, and pages read with offset
// under it add up to the whole list, each feature once.
func TestSortsOrderAndPageCompletely(t *testing.T) {
	ctx := context.Background()
	db := postgistest.NewWithDemo(t)
	for _, l := range []*inventory.Layer{inventory.PlotLayer, inventory.PlantLayer} {
		full, err := db.List(ctx, inventory.Query{Layer: l, Limit: inventory.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		byCode := map[string]inventory.Feature{}
		for _, f := range full.Features {
			byCode[f.Code] = f
		}
		// The distance of each feature to the nearest built road, by brute force.
		dist := map[string]float64{}
		rows, err := db.Pool.Query(ctx, fmt.Sprintf(`select t.code, min(ST_Distance(r.geom::geography, t.geom::geography))
			from %s t join roads r on r.zone_id = t.zone_id and r.valid_to = 'infinity' and not r.archived
			  and r.status = any($1) where t.valid_to = 'infinity' and not t.archived group by t.code`, l.Table), inventory.ExistingRoadStatuses)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c string
			var d float64
			if err := rows.Scan(&c, &d); err != nil {
				t.Fatal(err)
			}
			dist[c] = d
		}
		rank := func(f inventory.Feature) int {
			return slices.Index(inventory.AvailabilityOrder, inventory.SiteAvailability(l.Name, f.Properties).Key)
		}
		// num is a numeric property, ok false when it is null (sorted last either way).
		num := func(f inventory.Feature, name string) (float64, bool) {
			switch x := f.Properties[name].(type) {
			case nil:
				return 0, false
			case float64:
				return x, true
			case int64:
				return float64(x), true
			case int:
				return float64(x), true
			case interface{ Float64() (float64, error) }:
				v, err := x.Float64()
				return v, err == nil
			default:
				t.Fatalf("%s %s: %s = %T %v, not a number", l.Name, f.Code, name, x, x)
				return 0, false
			}
		}
		checkedFields := map[string]int{}
		for _, s := range l.Sorts {
			q := inventory.Query{Layer: l, Limit: inventory.MaxLimit, Sort: &s}
			got := codesOf(t, db, q)
			if len(got) != len(full.Features) {
				t.Fatalf("%s sort=%s: %d features, want %d", l.Name, s.Param, len(got), len(full.Features))
			}
			for i := 1; i < len(got); i++ {
				a, b := byCode[got[i-1]], byCode[got[i]]
				var cmp float64 // < 0: a before b as it should be; 0: tie, code decides
				switch s.Kind {
				case inventory.SortCode:
				case inventory.SortField:
					va, oka := num(a, s.Field)
					vb, okb := num(b, s.Field)
					switch {
					case oka && okb:
						cmp = va - vb
						if s.Desc {
							cmp = -cmp
						}
						checkedFields[s.Param]++
					case oka != okb: // nulls last, ascending or descending
						cmp = 1
						if oka {
							cmp = -1
						}
					}
				case inventory.SortBuiltRoad:
					cmp = dist[a.Code] - dist[b.Code]
					if math.Abs(cmp) < 1e-6 {
						cmp = 0
					}
				case inventory.SortAvailability:
					cmp = float64(rank(a) - rank(b))
				}
				if cmp > 0 || (cmp == 0 && a.Code > b.Code) {
					t.Fatalf("%s sort=%s: %s before %s", l.Name, s.Param, a.Code, b.Code)
				}
			}
			if s.Kind == inventory.SortField && checkedFields[s.Param] == 0 {
				t.Errorf("%s sort=%s: no pair of neighbours with both values was compared", l.Name, s.Param)
			}
			// Paging with offset under the sort: every feature once, in the same order.
			var paged []string
			for off := 0; off < len(got)+37; off += 37 {
				q := inventory.Query{Layer: l, Limit: 37, Offset: off, Sort: &s}
				paged = append(paged, codesOf(t, db, q)...)
			}
			if !slices.Equal(paged, got) {
				t.Errorf("%s sort=%s: pages of 37 give %d features, not the %d of one page in the same order", l.Name, s.Param, len(paged), len(got))
			}
		}
	}
}

// TestPlantAvailabilitySortEveryStatus: sort=availability on buildings ranks one hand-made
// plant for every status, with free floor space and fully let, as
// inventory.SiteAvailability does (the SQL binds its table, AvailabilityTable).
func TestPlantAvailabilitySortEveryStatus(t *testing.T) {
	db := postgistest.New(t)
	exec(t, db, `insert into zones (code, name, geom) values ('hand', 'Hand-made zone', ST_Multi(ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326)))`)
	exec(t, db, `insert into plots (zone_id, code, land_use, status, geom) values
		(1, 'H1', '100101', 'ready', ST_Multi(ST_MakeEnvelope(111.505, 36.005, 111.535, 36.015, 4326)))`)
	areas := []struct {
		suffix           string
		leasable, leased float64
	}{{"F", 1000.0, 400.0}, {"L", 1000.0, 1000.0}}
	n := 0
	for _, st := range inventory.PlantStatuses {
		for _, a := range areas {
			x := 111.51 + float64(n)*0.002
			n++
			exec(t, db, `insert into plants (zone_id, code, status, floors, leasable_area_m2, leased_area_m2, geom)
				values (1, $1, $2, 1, $3, $4, ST_Multi(ST_MakeEnvelope($5::float8, 36.01, $5::float8 + 0.001, 36.011, 4326)))`,
				fmt.Sprintf("%s-%s", st, a.suffix), st, a.leasable, a.leased, x)
		}
	}
	var sort inventory.Sort
	for _, s := range inventory.PlantLayer.Sorts {
		if s.Kind == inventory.SortAvailability {
			sort = s
		}
	}
	all, err := db.List(context.Background(), inventory.Query{Layer: inventory.PlantLayer, Limit: inventory.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	rank := map[string]int{}
	var want []string
	for _, f := range all.Features {
		rank[f.Code] = slices.Index(inventory.AvailabilityOrder, inventory.SiteAvailability(inventory.PlantLayer.Name, f.Properties).Key)
		want = append(want, f.Code)
	}
	if len(want) != n {
		t.Fatalf("%d plants listed, want %d", len(want), n)
	}
	slices.SortFunc(want, func(a, b string) int {
		if rank[a] != rank[b] {
			return rank[a] - rank[b]
		}
		return strings.Compare(a, b)
	})
	got := codesOf(t, db, inventory.Query{Layer: inventory.PlantLayer, Limit: inventory.MaxLimit, Sort: &sort})
	if !slices.Equal(got, want) {
		t.Errorf("sort=availability gives\n%v\nwant (SiteAvailability)\n%v", got, want)
	}
}
