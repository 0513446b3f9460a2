package web_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/web"
)

func TestParseQueryRefusesBadParameters(t *testing.T) {
	tests := []struct {
		query string
		param string // the parameter the error must name
	}{
		{"bbox=1,2,3", "bbox"},
		{"bbox=a,2,3,4", "bbox"},
		{"bbox=111.6,36,111.5,36.1", "bbox"},
		{"bbox=111,36,200,37", "bbox"},
		{"status=sold", "status"},
		{"status=ready,,planned", "status"},
		{"cluster=steel", "cluster"},
		{"land_use=10a", "land_use"},
		{"standard_land=yes", "standard_land"},
		{"min_area_mu=-5", "min_area_mu"},
		{"min_area_mu=NaN", "min_area_mu"},
		{"max_area_mu=many", "max_area_mu"},
		{"near_road_m=1e9", "near_road_m"},
		{"road_status=existing", "road_status"},
		{"near_road_m=200&road_status=paved", "road_status"},
		{"limit=0", "limit"},
		{"limit=10001", "limit"},
		{"offset=-1", "offset"},
		{"as_of=yesterday", "as_of"},
		{"district=D1'%3Bdrop%20table%20plots", "district"},
		{"colour=red", "colour"},
		{"status=ready&status=planned", "status"},
		{"district=", "district"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			_, err = web.ParseQuery(inventory.PlotLayer, v)
			if err == nil {
				t.Fatalf("ParseQuery(%q) accepted it", tt.query)
			}
			e, ok := err.(*inventory.Error)
			if !ok || e.Kind != inventory.EInvalid {
				t.Fatalf("ParseQuery(%q) = %v, want an EInvalid *Error", tt.query, err)
			}
			if e.Field != tt.param {
				t.Errorf("error names %q, want %q (%v)", e.Field, tt.param, e)
			}
		})
	}
}

func TestParseQueryAcceptsPlannerQuestion(t *testing.T) {
	// "standard land ready for supply, ≥ 50 亩, in district D2, new-materials cluster, within
	// 200 m of a built road"
	v, _ := url.ParseQuery("status=ready&standard_land=true&min_area_mu=50&district=D2&cluster=new_materials&near_road_m=200&road_status=existing&limit=20&offset=40")
	q, err := web.ParseQuery(inventory.PlotLayer, v)
	if err != nil {
		t.Fatal(err)
	}
	if q.Limit != 20 || q.Offset != 40 {
		t.Errorf("limit, offset = %d, %d", q.Limit, q.Offset)
	}
	if q.NearRoadM == nil || *q.NearRoadM != 200 || len(q.RoadStatus) != 1 || q.RoadStatus[0] != "existing" {
		t.Errorf("near road = %v %v", q.NearRoadM, q.RoadStatus)
	}
	var minArea *inventory.Condition
	for i := range q.Conditions {
		if q.Conditions[i].Kind == inventory.FilterMin {
			minArea = &q.Conditions[i]
		}
	}
	if minArea == nil || minArea.Field != "area_m2" {
		t.Fatalf("no area condition in %+v", q.Conditions)
	}
	// 50 亩 = 50 × 10000/15 m² = 33 333.33 m²
	if got := minArea.Value.(float64); got < 33333.33 || got > 33333.34 {
		t.Errorf("50 亩 = %v m², want 33333.33", got)
	}
}

func TestParseQueryDefaults(t *testing.T) {
	q, err := web.ParseQuery(inventory.PlotLayer, url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	if q.Limit != inventory.DefaultLimit || q.Offset != 0 || q.BBox != nil || q.NearRoadM != nil || len(q.Conditions) != 0 {
		t.Errorf("defaults = %+v", q)
	}
}

func TestParseReportParams(t *testing.T) {
	tests := []struct {
		kind, query, field string // field: the parameter the error must name ("" = accepted)
	}{
		{"intensity", "", ""},
		{"intensity", "group=district&include=plots&district=D1,D2&cluster=new_energy&as_of=2025-01-31", ""},
		{"intensity", "as_of=2025-01-31T12:00:00%2B08:00&format=xlsx", ""},
		{"roads", "tolerance_m=0&frontage_m=5000&loop_cover_pct=100", ""},
		{"supply", "format=csv&table=ready_plots", ""},
		{"intensity", "group=city", "group"},
		{"intensity", "include=roads", "include"},
		{"intensity", "district=D1%3Bdrop", "district"},
		{"intensity", "district=", "district"},
		{"intensity", "cluster=steel", "cluster"},
		{"intensity", "as_of=31/01/2025", "as_of"},
		{"intensity", "format=pdf", "format"},
		{"intensity", "tolerance_m=5", "tolerance_m"},
		{"intensity", "group=zone&group=district", "group"},
		{"roads", "tolerance_m=NaN", "tolerance_m"},
		{"roads", "tolerance_m=1001", "tolerance_m"},
		{"roads", "frontage_m=0", "frontage_m"},
		{"roads", "loop_cover_pct=0", "loop_cover_pct"},
		{"supply", "table=plants", "table"},
		{"compliance", "zone=Bad Zone", "zone"},
		{"taxes", "", "report"},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.query)
		p, err := web.ParseReportParams(tt.kind, v)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s?%s: %v", tt.kind, tt.query, err)
			}
			continue
		}
		e, ok := err.(*inventory.Error)
		if !ok || e.Kind != inventory.EInvalid || e.Field != tt.field {
			t.Errorf("%s?%s: err = %v (%+v), want invalid %s", tt.kind, tt.query, err, p, tt.field)
		}
	}
	p, _ := web.ParseReportParams("roads", url.Values{})
	if p.ToleranceM != 5 || p.FrontageM != 50 || p.LoopCoverPct != 95 || p.Format != "json" {
		t.Errorf("road defaults = %+v", p)
	}
}

func TestParseAsOf(t *testing.T) {
	cst := time.FixedZone("UTC+8", 8*3600)
	for _, tc := range []struct {
		raw  string
		want time.Time // zero: refused
	}{
		{"2026-01-31T12:00:00+08:00", time.Date(2026, 1, 31, 12, 0, 0, 0, cst)},
		{"2026-01-31T04:00:00Z", time.Date(2026, 1, 31, 12, 0, 0, 0, cst)},
		{"2026-01-31T04:00:00.5Z", time.Date(2026, 1, 31, 4, 0, 0, 5e8, time.UTC)},
		// A date is the last microsecond of that day, China time: 15:59:59.999999 UTC.
		{"2026-01-31", time.Date(2026, 1, 31, 15, 59, 59, 999999000, time.UTC)},
		{" 2025-12-31 ", time.Date(2026, 1, 1, 0, 0, 0, 0, cst).Add(-time.Microsecond)},
		{"2024-02-29", time.Date(2024, 3, 1, 0, 0, 0, 0, cst).Add(-time.Microsecond)},
		{"2025-02-29", time.Time{}},
		{"2026-13-01", time.Time{}},
		{"31/01/2026", time.Time{}},
		{"yesterday", time.Time{}},
		{"2026-01-31T12:00:00", time.Time{}}, // no offset: ambiguous
		{"", time.Time{}},
	} {
		got, err := web.ParseAsOf(tc.raw)
		if tc.want.IsZero() {
			e, ok := err.(*inventory.Error)
			if !ok || e.Kind != inventory.EInvalid || e.Field != "as_of" {
				t.Errorf("ParseAsOf(%q) = %v, %v; want invalid as_of", tc.raw, got, err)
			}
			continue
		}
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseAsOf(%q) = %v, %v; want %v", tc.raw, got, err, tc.want)
		}
	}
	// The same grammar on a list and a report.
	q, err := web.ParseQuery(inventory.PlotLayer, url.Values{"as_of": {"2026-01-31"}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := web.ParseReportParams("idle", url.Values{"as_of": {"2026-01-31"}})
	if err != nil {
		t.Fatal(err)
	}
	if q.AsOf == nil || p.AsOf == nil || !q.AsOf.Equal(*p.AsOf) {
		t.Errorf("list as_of %v, report as_of %v", q.AsOf, p.AsOf)
	}
}
