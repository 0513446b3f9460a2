package inventory

// Reports (报表): the land-use intensity evaluation (土地集约利用评价, DOMAIN.md §6), standard-land
// compliance (标准地承诺履约), idle and zombie land (闲置土地/僵尸企业用地, 腾笼换鸟), supply
// (地等项目、厂房等项目) and road analyses (断头路, 区域道路闭环, 新路带动地块).
//
// Every report is computed by the store (inventory/postgis) from the versioned layers, live now
// or as of a time, for one zone, optionally narrowed to districts and a cluster. Each report is a
// JSON document and also a set of Tables (for CSV and XLSX). Figures that rest on confidential
// data (DOMAIN.md §7: investment, tax, output, population) are computed only for planners and
// admins; the public gets the rest, and the report says what was withheld.

import (
	"context"
	"math"
	"strings"
	"time"
)

// Report kinds, as they appear in URLs and on the command line.
const (
	ReportIntensity  = "intensity"
	ReportCompliance = "compliance"
	ReportIdle       = "idle"
	ReportSupply     = "supply"
	ReportRoads      = "roads"
)

// ReportKinds lists the reports.
var ReportKinds = []string{ReportIntensity, ReportCompliance, ReportIdle, ReportSupply, ReportRoads, ReportPerMu, ReportReclamation, ReportProvince, ReportPipeline}

// Report groupings of the intensity report.
const (
	GroupZone     = "zone"
	GroupDistrict = "district"
	GroupCluster  = "cluster"
)

// Road-analysis defaults.
const (
	DefaultToleranceM   = 5.0  // an end closer than this to another road is connected
	DefaultFrontageM    = 50.0 // a plot within this of a road has frontage on it
	DefaultLoopCoverPct = 95.0 // share of a district that the network's faces must cover
	MaxToleranceM       = 1000.0
	MaxFrontageM        = 5000.0
)

// ReportParams are a report request's parameters, parsed and checked.
type ReportParams struct {
	Kind string
	// Zone is the zone's code; empty means the default zone.
	Zone string
	// Province names the province of the province report (zones.province); empty means the
	// province of Zone.
	Province string
	// Districts and Cluster narrow the report; empty means all.
	Districts []string
	Cluster   string
	// AsOf, when set, computes the report on the inventory as it stood then; the legal idle
	// test and the report date use it too.
	AsOf *time.Time
	// Group is zone, district or cluster (intensity only).
	Group string
	// IncludePlots adds the plot codes behind every class total (intensity: include=plots).
	IncludePlots bool
	// ToleranceM, FrontageM and LoopCoverPct tune the road analyses.
	ToleranceM   float64
	FrontageM    float64
	LoopCoverPct float64
	// Year is the evaluation year of the per-mu and reclamation reports (0: the latest year
	// evaluated).
	Year int
	// Format is json, csv or xlsx; Table picks the table written as CSV (default: the first).
	Format string
	Table  string
	// Raw writes CSV figures in full precision (raw=true) instead of rounded to their column's
	// precision (Column.Places).
	Raw bool
}

// Date is the report date: as_of, or now.
func (p ReportParams) Date() time.Time {
	if p.AsOf != nil {
		return *p.AsOf
	}
	return time.Now()
}

// DefaultReportParams returns the parameters of a report of the given kind that names nothing
// but its kind: the default zone, the live inventory, grouped by zone, the road defaults, JSON.
func DefaultReportParams(kind string) ReportParams {
	return ReportParams{Kind: kind, Group: GroupZone, ToleranceM: DefaultToleranceM, FrontageM: DefaultFrontageM,
		LoopCoverPct: DefaultLoopCoverPct, Format: "json"}
}

// Validate checks the rules a report request obeys whatever its transport: a known kind,
// well-formed zone and district codes, a known cluster and grouping, and the road analyses'
// distances within their bounds. Errors are EInvalid and name the parameter.
func (p ReportParams) Validate() error {
	if !contains(ReportKinds, p.Kind) {
		return Errorf(EInvalid, "report", "unknown report %q; known: %s", p.Kind, strings.Join(ReportKinds, ", "))
	}
	if p.Zone != "" && !validCode(p.Zone) {
		return Errorf(EInvalid, "zone", "is not a zone code")
	}
	if p.Province != "" {
		if err := ValidProvince(p.Province); err != nil {
			return err
		}
	}
	if p.Kind == ReportProvince && len(p.Districts) > 0 {
		return Errorf(EInvalid, "district", "does not apply to the province report: districts belong to one zone")
	}
	for _, d := range p.Districts {
		if !validCode(d) {
			return Errorf(EInvalid, "district", "has malformed district code %q", d)
		}
	}
	if p.Cluster != "" && !contains(Clusters, p.Cluster) {
		return Errorf(EInvalid, "cluster", "has unknown value %q; known: %s", p.Cluster, strings.Join(Clusters, ", "))
	}
	if p.Group != GroupZone && p.Group != GroupDistrict && p.Group != GroupCluster {
		return Errorf(EInvalid, "group", "must be zone, district or cluster")
	}
	if math.IsNaN(p.ToleranceM) || p.ToleranceM < 0 || p.ToleranceM > MaxToleranceM {
		return Errorf(EInvalid, "tolerance_m", "must be from 0 to %g metres", MaxToleranceM)
	}
	if math.IsNaN(p.FrontageM) || p.FrontageM <= 0 || p.FrontageM > MaxFrontageM {
		return Errorf(EInvalid, "frontage_m", "must be more than 0 and at most %g metres", MaxFrontageM)
	}
	if math.IsNaN(p.LoopCoverPct) || p.LoopCoverPct <= 0 || p.LoopCoverPct > 100 {
		return Errorf(EInvalid, "loop_cover_pct", "must be more than 0 and at most 100")
	}
	return nil
}

// ReportHeader is what every report starts with.
type ReportHeader struct {
	Report string `json:"report"`
	Title  string `json:"title"`
	// Zone is the zone's code and name.
	Zone     string `json:"zone"`
	ZoneName string `json:"zone_name"`
	// ZoneNameEN is the zone's English name (empty when it has none).
	ZoneNameEN string `json:"zone_name_en,omitempty"`
	// Issuer and IssuerEN are the issuing unit (编制单位) set in the zone's evaluation settings
	// (EvalConfig.Issuer); empty when the zone sets none.
	Issuer   string `json:"issuer,omitempty"`
	IssuerEN string `json:"issuer_en,omitempty"`
	// AsOf is the time the inventory was read at (null: live); Date is the report date used by
	// date rules (as_of, or the time the report was made).
	AsOf *time.Time `json:"as_of"`
	// HistoryFrom is set when AsOf is before the zone's history begins (the first version of any
	// of its plots, plants, idle sites, roads or layout): that time. The inventory as of AsOf is
	// then empty, and the report says why rather than showing zeros as if the zone had no land
	// (历史记录起始时间).
	HistoryFrom *time.Time `json:"history_from,omitempty"`
	GeneratedAt time.Time  `json:"generated_at"`
	Districts   []string   `json:"district,omitempty"`
	Cluster     string     `json:"cluster,omitempty"`
	// Confidential says whether confidential figures were used; Withheld lists what the viewer
	// was not shown.
	Confidential bool     `json:"confidential"`
	Withheld     []string `json:"withheld,omitempty"`
	Notes        []string `json:"notes,omitempty"`
	Illustrative bool     `json:"illustrative"`
}

// Column is one column of a table: its key, bilingual label and unit.
type Column struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
	Unit    string `json:"unit,omitempty"`
	// Digits, when set, is the number of decimals the column's figures are rounded to in CSV
	// and XLSX; else the unit decides (Decimals).
	Digits int `json:"-"`
}

// Header is the column's heading in CSV and XLSX: labels and unit, e.g. "面积 Area (亩)".
func (c Column) Header() string {
	h := c.Label
	if c.LabelEN != "" {
		h += " " + c.LabelEN
	}
	if c.Unit != "" {
		h += " (" + c.Unit + ")"
	}
	return h
}

// Table is one table of a report, as written to CSV or an XLSX sheet. Cells are strings,
// numbers (float64, int, int64), booleans, nil, or *float64.
type Table struct {
	Name    string   `json:"name"`
	Title   string   `json:"title"`
	Columns []Column `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// ReportPlot is how a report names a plot: its code, name, district, cluster, status and area
// in 亩. Report rows about one plot embed it (CompliancePlot, IdleCandidate).
type ReportPlot struct {
	Code     string  `json:"code"`
	Name     string  `json:"name,omitempty"`
	District string  `json:"district,omitempty"`
	Cluster  string  `json:"cluster,omitempty"`
	Status   string  `json:"status"`
	AreaMu   float64 `json:"area_mu"`
}

// Tabular is a report that can be written as tables.
type Tabular interface {
	Tables() []Table
}

// Header returns the report's header (every report embeds one).
func (h *ReportHeader) Header() *ReportHeader { return h }

// Headed is a report with a header and tables.
type Headed interface {
	Tabular
	Header() *ReportHeader
}

// Reports computes the reports. The viewer comes from the context (ViewerFrom).
type Reports interface {
	Intensity(ctx context.Context, p ReportParams) (*IntensityReport, error)
	Compliance(ctx context.Context, p ReportParams) (*ComplianceReport, error)
	Idle(ctx context.Context, p ReportParams) (*IdleReport, error)
	Supply(ctx context.Context, p ReportParams) (*SupplyReport, error)
	Roads(ctx context.Context, p ReportParams) (*RoadsReport, error)
	PerMu(ctx context.Context, p ReportParams) (*PerMuReport, error)
	Reclamation(ctx context.Context, p ReportParams) (*ReclamationReport, error)
	// Province is the intensity evaluation of every zone of a province, and of the province.
	Province(ctx context.Context, p ReportParams) (*ProvinceReport, error)
	// Pipeline is the investment projects' pipeline (report_pipeline.go); confidential.
	Pipeline(ctx context.Context, p ReportParams) (*PipelineReport, error)
}

// RunReport computes the report p.Kind asks for.
func RunReport(ctx context.Context, r Reports, p ReportParams) (Tabular, error) {
	switch p.Kind {
	case ReportIntensity:
		return r.Intensity(ctx, p)
	case ReportCompliance:
		return r.Compliance(ctx, p)
	case ReportIdle:
		return r.Idle(ctx, p)
	case ReportSupply:
		return r.Supply(ctx, p)
	case ReportRoads:
		return r.Roads(ctx, p)
	case ReportPerMu:
		return r.PerMu(ctx, p)
	case ReportReclamation:
		return r.Reclamation(ctx, p)
	case ReportProvince:
		return r.Province(ctx, p)
	case ReportPipeline:
		return r.Pipeline(ctx, p)
	}
	return nil, Errorf(EInvalid, "report", "unknown report %q; known: %s", p.Kind, strings.Join(ReportKinds, ", "))
}

// Ratio returns num/den × scale, or nil when den is zero (or either is unknown).
func Ratio(num, den *float64, scale float64) *float64 {
	if num == nil || den == nil || *den == 0 {
		return nil
	}
	v := *num / *den * scale
	return &v
}

func f64(x float64) *float64 { return &x }
