package inventory

import (
	"net/url"
	"testing"
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
			_, err = ParseQuery(PlotLayer, v)
			if err == nil {
				t.Fatalf("ParseQuery(%q) accepted it", tt.query)
			}
			e, ok := err.(*Error)
			if !ok || e.Kind != EInvalid {
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
	q, err := ParseQuery(PlotLayer, v)
	if err != nil {
		t.Fatal(err)
	}
	if q.Limit != 20 || q.Offset != 40 {
		t.Errorf("limit, offset = %d, %d", q.Limit, q.Offset)
	}
	if q.NearRoadM == nil || *q.NearRoadM != 200 || len(q.RoadStatus) != 1 || q.RoadStatus[0] != "existing" {
		t.Errorf("near road = %v %v", q.NearRoadM, q.RoadStatus)
	}
	var minArea *Condition
	for i := range q.Conditions {
		if q.Conditions[i].Kind == FilterMin {
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
	q, err := ParseQuery(PlotLayer, url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	if q.Limit != DefaultLimit || q.Offset != 0 || q.BBox != nil || q.NearRoadM != nil || len(q.Conditions) != 0 {
		t.Errorf("defaults = %+v", q)
	}
}

func TestEveryFilterReadsAKnownField(t *testing.T) {
	for _, l := range Layers() {
		for _, f := range l.Filters {
			if f.Field == "" {
				continue
			}
			if _, ok := l.Field(f.Field); !ok {
				t.Errorf("layer %s: filter %s reads unknown field %s", l.Name, f.Param, f.Field)
			}
		}
	}
}
