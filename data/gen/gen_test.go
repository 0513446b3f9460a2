package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/landinv/landinv/geo"
)

type testFeature struct {
	Geometry struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type testCollection struct {
	Type         string        `json:"type"`
	Illustrative bool          `json:"illustrative"`
	Note         string        `json:"note"`
	Features     []testFeature `json:"features"`
}

func (f testFeature) geom(t *testing.T) orb.Geometry {
	t.Helper()
	var g orb.Geometry
	var err error
	switch f.Geometry.Type {
	case "Polygon":
		var p orb.Polygon
		err = json.Unmarshal(f.Geometry.Coordinates, &p)
		g = p
	case "MultiPolygon":
		var p orb.MultiPolygon
		err = json.Unmarshal(f.Geometry.Coordinates, &p)
		g = p
	case "LineString":
		var l orb.LineString
		err = json.Unmarshal(f.Geometry.Coordinates, &l)
		g = l
	case "MultiLineString":
		var l orb.MultiLineString
		err = json.Unmarshal(f.Geometry.Coordinates, &l)
		g = l
	default:
		t.Fatalf("unexpected geometry type %q", f.Geometry.Type)
	}
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func (f testFeature) str(k string) string { s, _ := f.Properties[k].(string); return s }

var (
	genOnce  sync.Once
	genFiles map[string][]byte
	genErr   error
)

func generated(t *testing.T) map[string]testCollection {
	t.Helper()
	genOnce.Do(func() { genFiles, genErr = Generate() })
	if genErr != nil {
		t.Fatal(genErr)
	}
	out := map[string]testCollection{}
	for _, n := range FileNames {
		var c testCollection
		if err := json.Unmarshal(genFiles[n], &c); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		out[n] = c
	}
	return out
}

func TestDeterministicAndCommitted(t *testing.T) {
	a, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range FileNames {
		if !bytes.Equal(a[n], b[n]) {
			t.Errorf("%s differs between two runs", n)
		}
		committed, err := os.ReadFile(filepath.Join("..", "demo", n))
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if !bytes.Equal(a[n], committed) {
			t.Errorf("data/demo/%s is stale: run `go run ./data/gen -out data/demo`", n)
		}
	}
}

func TestLabelledIllustrative(t *testing.T) {
	for n, c := range generated(t) {
		if c.Type != "FeatureCollection" || !c.Illustrative || c.Note != Note {
			t.Errorf("%s: type %q, illustrative %v, note %q", n, c.Type, c.Illustrative, c.Note)
		}
		for i, f := range c.Features {
			if f.Properties["illustrative"] != true {
				t.Errorf("%s feature %d lacks illustrative: true", n, i)
			}
		}
	}
}

func TestCounts(t *testing.T) {
	cs := generated(t)
	count := func(file, key, val string) int {
		n := 0
		for _, f := range cs[file].Features {
			if key == "" || f.str(key) == val {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name     string
		got      int
		min, max int
	}{
		{"zone features", count("zone.geojson", "", ""), 1, 1},
		{"districts", count("layout.geojson", "kind", "district"), 3, 3},
		{"corridors", count("layout.geojson", "kind", "corridor"), 2, 2},
		{"axes", count("layout.geojson", "kind", "axis"), 3, 3},
		{"plots", count("plots.geojson", "", ""), 300, 2000},
		{"idle plots", count("plots.geojson", "status", "idle"), 15, 25},
		{"plants", count("plants.geojson", "", ""), 40, 500},
		{"idle sites", count("idle_sites.geojson", "", ""), 15, 100},
		{"roads", count("roads.geojson", "", ""), 10, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got < tc.min || tc.got > tc.max {
				t.Errorf("%d, want %d..%d", tc.got, tc.min, tc.max)
			}
		})
	}
}

func TestZone(t *testing.T) {
	z := generated(t)["zone.geojson"].Features[0]
	mp, ok := z.geom(t).(orb.MultiPolygon)
	if !ok || len(mp) != 2 {
		t.Fatalf("zone is %T with %d parts, want a MultiPolygon of 2", z.geom(t), len(mp))
	}
	km2 := geo.EllipsoidArea(mp) / 1e6
	if math.Abs(km2-131.76) > 0.05 {
		t.Errorf("zone area %.4f km², want 131.76 ± 0.05", km2)
	}
	for i, p := range mp {
		if n := len(p[0]) - 1; n < 12 || n > 30 {
			t.Errorf("part %d has %d vertices, want 12–30", i, n)
		}
	}
	want := map[string]any{"code": "linfen-edz", "name": "临汾经济开发区", "name_en": "Linfen Economic Development Zone",
		"province": "山西省", "province_en": "Shanxi Province", "city": "临汾市", "city_en": "Linfen",
		"level": "provincial", "planned_area_km2": 131.76}
	for k, v := range want {
		if z.Properties[k] != v {
			t.Errorf("zone %s = %v, want %v", k, z.Properties[k], v)
		}
	}
	// The districts cover the zone: their areas add up to the zone's.
	sum := 0.0
	for _, f := range generated(t)["layout.geojson"].Features {
		if f.str("kind") == "district" {
			sum += geo.EllipsoidArea(f.geom(t))
		}
	}
	if math.Abs(sum/1e6-km2) > 1e-6 {
		t.Errorf("districts add up to %.6f km², zone is %.6f km²", sum/1e6, km2)
	}
}

func TestNamedRoads(t *testing.T) {
	tests := []struct {
		name, segment, status string
	}{
		{"常兴中街", "北段", "remediation"},
		{"河汾路", "", "remediation"},
		{"河汾一路", "", "remediation"},
		{"河汾二路", "东段", "under_construction"},
		{"滨河东路辅道", "", "under_construction"},
		{"中大街", "北延", "under_construction"},
		{"南外环", "东延", "under_construction"},
		{"第六大道", "", "under_construction"},
		{"南大街", "", "under_construction"},
		{"第九大道", "", "preliminary"},
	}
	roads := generated(t)["roads.geojson"].Features
	for _, tc := range tests {
		t.Run(tc.name+tc.segment, func(t *testing.T) {
			found := 0
			for _, f := range roads {
				if f.str("name") != tc.name || f.str("segment") != tc.segment {
					continue
				}
				found++
				if f.str("status") != tc.status {
					t.Errorf("status %q, want %q", f.str("status"), tc.status)
				}
				if f.Properties["planned_year"] != 2020.0 {
					t.Errorf("planned_year %v, want 2020", f.Properties["planned_year"])
				}
				if tc.segment == "" && f.Properties["segment"] != nil {
					t.Errorf("segment %v, want null", f.Properties["segment"])
				}
			}
			if found != 1 {
				t.Errorf("found %d roads, want 1", found)
			}
		})
	}
}

func TestPlots(t *testing.T) {
	cs := generated(t)
	enum := func(vals ...string) map[string]bool {
		m := map[string]bool{}
		for _, v := range vals {
			m[v] = true
		}
		return m
	}
	landUse := enum("0701", "08", "0901", "0902", "100101", "100102", "100103", "1101", "13", "14", "16")
	status := enum("planned", "ready", "reserved", "supplied", "under_construction", "in_production", "idle")
	cluster := enum("intelligent_manufacturing", "energy_saving_environmental", "new_energy", "new_materials", "modern_services")
	codes := map[string]bool{}
	for _, f := range cs["plots.geojson"].Features {
		c := f.str("code")
		if codes[c] || c == "" {
			t.Errorf("plot code %q empty or repeated", c)
		}
		codes[c] = true
		mu := geo.MuFromSquareMetres(geo.EllipsoidArea(f.geom(t)))
		if mu < 5 || mu > 500 {
			t.Errorf("%s: %.2f 亩, want 5–500", c, mu)
		}
		if !landUse[f.str("land_use")] || !status[f.str("status")] {
			t.Errorf("%s: land_use %q status %q", c, f.str("land_use"), f.str("status"))
		}
		if cl, ok := f.Properties["cluster"].(string); ok && !cluster[cl] {
			t.Errorf("%s: cluster %q", c, cl)
		}
		for _, k := range []string{"area_m2", "area_mu", "area_ha"} {
			if _, ok := f.Properties[k]; ok {
				t.Errorf("%s carries %s; areas are computed by the database", c, k)
			}
		}
		if f.Properties["standard_land"] == true && f.Properties["min_investment_wan_per_mu"].(float64) < 200 {
			t.Errorf("%s: investment floor below 200 万元/亩", c)
		}
	}
	// Codes are unique across the other files too.
	for _, n := range []string{"plants.geojson", "idle_sites.geojson", "roads.geojson", "layout.geojson"} {
		seen := map[string]bool{}
		for _, f := range cs[n].Features {
			if seen[f.str("code")] {
				t.Errorf("%s: code %q repeated", n, f.str("code"))
			}
			seen[f.str("code")] = true
		}
	}
}

func TestPlantsAndIdleSitesSitOnPlots(t *testing.T) {
	cs := generated(t)
	plots := map[string]testFeature{}
	for _, f := range cs["plots.geojson"].Features {
		plots[f.str("code")] = f
	}
	for _, f := range cs["plants.geojson"].Features {
		p, ok := plots[f.str("plot_code")]
		if !ok {
			t.Errorf("%s: no plot %q", f.str("code"), f.str("plot_code"))
			continue
		}
		ring := p.geom(t).(orb.Polygon)[0]
		for _, v := range f.geom(t).(orb.Polygon)[0] {
			if !planar.RingContains(ring, v) {
				t.Errorf("%s: vertex %v outside plot %s", f.str("code"), v, p.str("code"))
			}
		}
		if f.Properties["leased_area_m2"].(float64) > f.Properties["leasable_area_m2"].(float64) {
			t.Errorf("%s: leased more than leasable", f.str("code"))
		}
	}
	// An idle site lies on an idle plot, except a re-let one (stage reactivated), whose plot is
	// in production again, re-let on the day it was supplied to the firm there now.
	for _, f := range cs["idle_sites.geojson"].Features {
		p, ok := plots[f.str("plot_code")]
		want := "idle"
		if f.str("stage") == "reactivated" {
			want = "in_production"
			if f.str("relet_on") != p.str("supplied_on") || f.str("idle_since") >= f.str("relet_on") {
				t.Errorf("%s: idle since %s, re-let %s, plot supplied %s", f.str("code"), f.str("idle_since"), f.str("relet_on"), p.str("supplied_on"))
			}
		}
		if !ok || p.str("status") != want {
			t.Errorf("%s (%s): plot %q missing or not %s", f.str("code"), f.str("stage"), f.str("plot_code"), want)
			continue
		}
		if !bytes.Equal(f.Geometry.Coordinates, p.Geometry.Coordinates) {
			t.Errorf("%s: geometry differs from plot %s", f.str("code"), p.str("code"))
		}
	}
}

// TestRoadsHaveEnglishNames: investors read the map in English, and the road names label it.
func TestRoadsHaveEnglishNames(t *testing.T) {
	cases := map[string]string{"河汾二路": "Hefen 2nd Road", "经十二路": "Jing 12 Road", "纬七路": "Wei 7 Road", "第九大道": "Ninth Avenue"}
	for zh, en := range cases {
		if got := roadNameEN(zh); got != en {
			t.Errorf("roadNameEN(%s) = %q, want %q", zh, got, en)
		}
	}
	for _, f := range generated(t)["roads.geojson"].Features {
		if f.str("name_en") == "" {
			t.Errorf("road %s (%s) has no English name", f.str("code"), f.str("name"))
		}
	}
}

// TestSitesHaveEnglishNames: every plot, building and idle site has an English name, with no
// Chinese character in it, and the idle sites' English names are neutral (no "zombie", no
// "idle"): investors read them on the public map.
func TestSitesHaveEnglishNames(t *testing.T) {
	for _, file := range []string{"plots.geojson", "plants.geojson", "idle_sites.geojson"} {
		for _, f := range generated(t)[file].Features {
			en := f.str("name_en")
			if en == "" {
				t.Errorf("%s %s (%s) has no English name", file, f.str("code"), f.str("name"))
			}
			for _, r := range en {
				if r >= 0x2e80 {
					t.Errorf("%s %s: English name %q has a CJK character", file, f.str("code"), en)
					break
				}
			}
			if file == "idle_sites.geojson" && (strings.Contains(strings.ToLower(en), "zombie") || strings.Contains(strings.ToLower(en), "idle")) {
				t.Errorf("idle site %s: English name %q is not neutral", f.str("code"), en)
			}
		}
	}
	if got := generated(t)["plots.geojson"].Features[0].str("name_en"); got != "Old Area Plot 1" {
		t.Errorf("first plot's English name %q, want Old Area Plot 1", got)
	}
}
