package inventory

import (
	"strings"
	"unicode/utf8"
)

// Free-text search and investor sorts of the lists (找地/找厂房): the q and sort parameters of
// /api/v1/plots and /api/v1/plants.

// FilterText is the kind of the free-text filter q: a feature matches when one of the filter's
// Fields (code, name, name_en), the name or English name of its district (the place), or the
// name or English name of its nearest live road contains the text, ignoring case. The nearest
// road is the one NearestRoads answers: the geodesic nearest of any status.
const FilterText FilterKind = "text"

// MaxTextQuery is the longest free text a search takes, in characters.
const MaxTextQuery = 100

// CheckTextQuery checks a free-text search: the one text rule (CheckText), not blank, at most
// MaxTextQuery characters. Errors are EInvalid naming param.
func CheckTextQuery(param, s string) error {
	if err := CheckText(param, s); err != nil {
		return err
	}
	if strings.TrimSpace(s) == "" {
		return Errorf(EInvalid, param, "is empty").With(CodeRequired, nil)
	}
	if utf8.RuneCountInString(s) > MaxTextQuery {
		return Errorf(EInvalid, param, "is longer than %d characters", MaxTextQuery)
	}
	return nil
}

// LikePattern is s as an ILIKE pattern matching any text that contains it: the wildcards % and
// _ and the escape character \ of s are escaped, so that they match themselves.
func LikePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// DefaultNearRoadM is the distance "built roads only" (road_status) means when no distance is
// given: the page sends near_road_m=DefaultNearRoadM with it and says so beside the box.
const DefaultNearRoadM = 500

// SortKind says how a sort orders a list.
type SortKind string

// Sort kinds.
const (
	SortCode         SortKind = "code"         // by code (the lists' own order)
	SortField        SortKind = "field"        // by Field, descending when Desc
	SortBuiltRoad    SortKind = "built_road"   // by the geodesic distance to the nearest built road (ExistingRoadStatuses), nearest first; features with no built road last
	SortAvailability SortKind = "availability" // by availability (AvailabilityOrder), available first
)

// Sort is one value of a list's sort parameter. The store orders by it, then by code, so that
// every order is total and paging with offset sees every feature once.
type Sort struct {
	Param   string   `json:"param"`
	Kind    SortKind `json:"kind"`
	Field   string   `json:"field,omitempty"`
	Desc    bool     `json:"desc,omitempty"`
	Label   string   `json:"label"`
	LabelEN string   `json:"label_en"`
}

// SortNamed returns the layer's sort whose parameter value is name.
func (l *Layer) SortNamed(name string) (Sort, bool) {
	for _, s := range l.Sorts {
		if s.Param == name {
			return s, true
		}
	}
	return Sort{}, false
}

// SortParams lists the values l's sort parameter takes.
func (l *Layer) SortParams() []string {
	out := make([]string, len(l.Sorts))
	for i, s := range l.Sorts {
		out[i] = s.Param
	}
	return out
}

var sortCode = Sort{Param: "code", Kind: SortCode, Label: "按编号", LabelEN: "By code"}
var sortRoad = Sort{Param: "road", Kind: SortBuiltRoad, Label: "离已建道路最近", LabelEN: "Nearest a built road first"}
var sortAvailability = Sort{Param: "availability", Kind: SortAvailability, Label: "可供优先", LabelEN: "Available first"}

// plotSorts and plantSorts are the sorts of the plots' and plants' lists.
var (
	plotSorts = []Sort{
		sortCode,
		{Param: "area", Kind: SortField, Field: "area_m2", Desc: true, Label: "面积从大到小", LabelEN: "Largest first"},
		{Param: "area_asc", Kind: SortField, Field: "area_m2", Label: "面积从小到大", LabelEN: "Smallest first"},
		sortRoad, sortAvailability,
	}
	plantSorts = []Sort{
		sortCode,
		{Param: "free_area", Kind: SortField, Field: "free_area_m2", Desc: true, Label: "空置面积从大到小", LabelEN: "Most free floor area first"},
		sortRoad, sortAvailability,
	}
)
