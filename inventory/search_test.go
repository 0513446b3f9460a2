package inventory

import (
	"slices"
	"strings"
	"testing"
)

func TestLikePattern(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"LF-D1", `%LF-D1%`},
		{"50%", `%50\%%`},
		{"a_b", `%a\_b%`},
		{`c:\x`, `%c:\\x%`},
		{"河汾路", "%河汾路%"},
	} {
		if got := LikePattern(tc.in); got != tc.want {
			t.Errorf("LikePattern(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCheckTextQuery(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{{"河汾", true}, {"  ", false}, {"", false}, {strings.Repeat("路", MaxTextQuery), true}, {strings.Repeat("路", MaxTextQuery+1), false}} {
		err := CheckTextQuery("q", tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("CheckTextQuery(%q) = %v, want ok %v", tc.in, err, tc.ok)
		}
		if err != nil && (ErrorKind(err) != EInvalid || err.(*Error).Field != "q") {
			t.Errorf("CheckTextQuery(%q) = %v, want invalid q", tc.in, err)
		}
	}
}

// Every sort and text filter reads known, public fields; sort names are unique per layer.
func TestSortsAndTextFiltersReadKnownFields(t *testing.T) {
	for _, l := range Layers() {
		seen := map[string]bool{}
		for _, s := range l.Sorts {
			if seen[s.Param] {
				t.Errorf("layer %s: sort %s twice", l.Name, s.Param)
			}
			seen[s.Param] = true
			if s.Label == "" || s.LabelEN == "" {
				t.Errorf("layer %s: sort %s has no label", l.Name, s.Param)
			}
			if s.Kind == SortField {
				f, ok := l.Field(s.Field)
				if !ok || f.Confidential {
					t.Errorf("layer %s: sort %s reads unknown or confidential field %s", l.Name, s.Param, s.Field)
				}
			}
		}
		for _, f := range l.Filters {
			if f.Kind != FilterText {
				continue
			}
			for _, name := range f.Fields {
				fd, ok := l.Field(name)
				if !ok || fd.Confidential || fd.Type != Text {
					t.Errorf("layer %s: text filter %s reads unknown, confidential or non-text field %s", l.Name, f.Param, name)
				}
			}
		}
	}
}

// Every availability key SiteAvailability can answer has a place in AvailabilityOrder.
func TestAvailabilityOrderCoversEveryKey(t *testing.T) {
	keys := map[string]bool{}
	for _, st := range PlotStatuses {
		keys[SiteAvailability("plots", map[string]any{"status": st}).Key] = true
	}
	for _, st := range PlantStatuses {
		for _, free := range []float64{0, 10} {
			keys[SiteAvailability("plants", map[string]any{"status": st, "free_area_m2": free}).Key] = true
		}
	}
	for k := range keys {
		if !slices.Contains(AvailabilityOrder, k) {
			t.Errorf("availability %q is not in AvailabilityOrder", k)
		}
	}
	for _, st := range InvestorStatuses {
		if k := SiteAvailability("plots", map[string]any{"status": st}).Key; k == "taken" || k == "reserved" {
			t.Errorf("investor status %s is %s", st, k)
		}
	}
}

func TestSortWithAfterIsRefused(t *testing.T) {
	s, _ := PlotLayer.SortNamed("area")
	q := Query{Layer: PlotLayer, Limit: 10, After: "LF-D1-0001", Sort: &s}
	if err := q.Validate(); ErrorKind(err) != EInvalid || err.(*Error).Field != "after" {
		t.Errorf("sort with after: %v, want invalid after", err)
	}
	c, _ := PlotLayer.SortNamed("code")
	q.Sort = &c
	if err := q.Validate(); err != nil {
		t.Errorf("sort=code with after: %v", err)
	}
}
