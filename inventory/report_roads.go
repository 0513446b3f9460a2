package inventory

import (
	"fmt"
	"strings"
)

// The road analyses (断头路, 区域道路闭环, 新路带动地块).

// RoadLength is the length of road of one status.
type RoadLength struct {
	Status string  `json:"status"`
	Roads  int64   `json:"roads"`
	Km     float64 `json:"km"`
}

// DeadEnd is an end of a road that is not within tolerance_m of any other road nor of another
// part of the same road (断头路).
type DeadEnd struct {
	Road   string     `json:"road"`
	Name   string     `json:"name"`
	NameEn string     `json:"name_en"` // the road's English name; "" when it has none
	Status string     `json:"status"`
	End    string     `json:"end"` // start | end (of the line part)
	Point  [2]float64 `json:"point"`
}

// DistrictLoop says whether the road network closes a ring around a district (区域道路闭环).
type DistrictLoop struct {
	District string `json:"district"`
	Name     string `json:"name"`
	// CoverPct is the share of the district's area enclosed by the faces of the network of
	// existing roads (existing, remediation); Closed when it reaches loop_cover_pct.
	CoverPct float64 `json:"cover_pct"`
	Closed   bool    `json:"closed"`
	// With every new road (under_construction, planned, preliminary) added: the cover, whether
	// that closes the ring, and a minimal set of new roads that does (WouldClose).
	CoverPctWithNew float64  `json:"cover_pct_with_new"`
	ClosedWithNew   bool     `json:"closed_with_new"`
	WouldClose      []string `json:"would_close"`
}

// OpensUp lists the plots a new road gives frontage to: within frontage_m of it and not within
// frontage_m of any existing road.
type OpensUp struct {
	Road   string   `json:"road"`
	Name   string   `json:"name"`
	NameEn string   `json:"name_en"` // the road's English name; "" when it has none
	Status string   `json:"status"`
	Plots  []string `json:"plots"`
	Count  int      `json:"count"`
	AreaMu float64  `json:"area_mu"`
}

// Road status groups of the road analyses.
var (
	ExistingRoadStatuses = []string{"existing", "remediation"}
	NewRoadStatuses      = []string{"under_construction", "planned", "preliminary"}
)

// RoadsReport holds the road analyses.
type RoadsReport struct {
	ReportHeader
	ToleranceM   float64        `json:"tolerance_m"`
	FrontageM    float64        `json:"frontage_m"`
	LoopCoverPct float64        `json:"loop_cover_pct"`
	Lengths      []RoadLength   `json:"lengths"`
	TotalKm      float64        `json:"total_km"`
	DeadEnds     []DeadEnd      `json:"dead_ends"`
	Loops        []DistrictLoop `json:"loop"`
	OpensUp      []OpensUp      `json:"opens_up"`
}

// Tables: lengths, dead ends, loops, opens up.
func (r *RoadsReport) Tables() []Table {
	ln := Table{Name: "lengths", Title: "道路里程 Road length by status", Columns: []Column{
		colStatus, {Key: "roads", Label: "条数", LabelEN: "Roads"},
		{Key: "km", Label: "长度", LabelEN: "Length", Unit: "km"}}}
	for _, l := range r.Lengths {
		ln.Rows = append(ln.Rows, []any{l.Status, l.Roads, l.Km})
	}
	ln.Rows = append(ln.Rows, []any{"total", nil, r.TotalKm})
	de := Table{Name: "dead_ends", Title: fmt.Sprintf("断头路 Dead ends (tolerance %g m)", r.ToleranceM), Columns: []Column{
		colRoad, colName, colStatus, {Key: "end", Label: "端点", LabelEN: "End"},
		{Key: "lon", Label: "经度", LabelEN: "Longitude", Unit: "°"}, {Key: "lat", Label: "纬度", LabelEN: "Latitude", Unit: "°"}}}
	for _, d := range r.DeadEnds {
		de.Rows = append(de.Rows, []any{d.Road, d.Name, d.Status, d.End, d.Point[0], d.Point[1]})
	}
	lp := Table{Name: "loop", Title: "区域道路闭环 District road loops", Columns: []Column{
		colDistrict, colName,
		{Key: "cover_pct", Label: "现状路网围合", LabelEN: "Enclosed by existing roads", Unit: "%"},
		{Key: "closed", Label: "已闭环", LabelEN: "Closed"},
		{Key: "cover_pct_with_new", Label: "含新建规划路围合", LabelEN: "Enclosed with new roads", Unit: "%"},
		{Key: "closed_with_new", Label: "建成后闭环", LabelEN: "Closed with new roads"},
		{Key: "would_close", Label: "闭环所需新路", LabelEN: "New roads that close it"}}}
	for _, l := range r.Loops {
		lp.Rows = append(lp.Rows, []any{l.District, l.Name, l.CoverPct, l.Closed, l.CoverPctWithNew, l.ClosedWithNew, strings.Join(l.WouldClose, ", ")})
	}
	op := Table{Name: "opens_up", Title: fmt.Sprintf("新路带动地块 Plots opened up by new roads (within %g m)", r.FrontageM), Columns: []Column{
		colRoad, colName, colStatus, {Key: "count", Label: "地块数", LabelEN: "Plots"},
		colAreaMu, {Key: "plots", Label: "地块编号", LabelEN: "Plot codes"}}}
	for _, o := range r.OpensUp {
		op.Rows = append(op.Rows, []any{o.Road, o.Name, o.Status, o.Count, o.AreaMu, strings.Join(o.Plots, ", ")})
	}
	return []Table{ln, de, lp, op}
}
