package inventory

// The province-level intensity report (省级开发区土地集约利用评价汇总表): the table a provincial land
// department fills in each year, one row per development zone of the province and the province
// total.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ReportProvince is the province-level report's kind.
const ReportProvince = "province"

// MaxProvinceLen bounds the province parameter (a province's name, e.g. 山西省).
const MaxProvinceLen = 64

// ProvinceReport is the intensity evaluation over the zones of one province (zones.province):
// Groups holds one group per zone (Key the zone's code, Label its name), in code order, and
// Total the province as a whole. Every indicator of a row, and of the total, is recomputed from
// the summed class totals of its plots (numerators and denominators summed, then divided), never
// averaged from the zones' ratios. Every row is evaluated with the national default ideal values
// and weights (DefaultEvalConfig), so that the rows compare; a zone's own settings apply to its
// own intensity report. Confidential figures follow the intensity report's rule: planners and
// admins get them, the public only where the disclosure rule allows, per row and for the total.
type ProvinceReport struct {
	IntensityReport
	Province string `json:"province"`
}

// ValidProvince checks a province parameter: the one text rule (CheckText), then 1 to
// MaxProvinceLen characters, printable.
func ValidProvince(s string) error {
	if err := CheckText("province", s); err != nil {
		return err
	}
	if s == "" || utf8.RuneCountInString(s) > MaxProvinceLen || !utf8.ValidString(s) || strings.TrimSpace(s) != s {
		return Errorf(EInvalid, "province", "must be a province's name of 1 to %d characters", MaxProvinceLen)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return Errorf(EInvalid, "province", "must be a province's name of 1 to %d characters", MaxProvinceLen)
		}
	}
	return nil
}

// Tables: the province table (one row per zone, then the province total: every indicator's
// value and the score), then the intensity report's summary, indicators and totals with one
// group per zone.
func (r *ProvinceReport) Tables() []Table {
	t := Table{Name: "province", Title: "省级开发区土地集约利用评价汇总表 Intensity by zone, province total", Columns: []Column{
		{Key: "zone", Label: "开发区代码", LabelEN: "Zone"},
		{Key: "zone_name", Label: "开发区名称", LabelEN: "Zone name"},
		colPlots,
	}}
	for _, d := range Indicators {
		t.Columns = append(t.Columns, Column{Key: d.Key, Label: d.Label, LabelEN: d.LabelEN, Unit: d.Unit})
	}
	t.Columns = append(t.Columns,
		Column{Key: "zone_type", Label: "开发区类型", LabelEN: "Zone type"},
		Column{Key: "score", Label: "集约利用综合得分", LabelEN: "Intensity score", Unit: "0–100"})
	row := func(key, name string, g IntensityGroup) []any {
		vals := map[string]*float64{}
		for _, i := range g.Indicators {
			vals[i.Key] = i.Value
		}
		out := []any{key, name, g.Plots}
		for _, d := range Indicators {
			v, ok := vals[d.Key]
			if !ok {
				out = append(out, nil) // withheld, or not computed
				continue
			}
			out = append(out, v)
		}
		var zt any
		if g.ZoneType != nil {
			zt = g.ZoneType.Label + " " + g.ZoneType.LabelEN
		}
		return append(out, zt, g.Score)
	}
	for _, g := range r.Groups {
		t.Rows = append(t.Rows, row(g.Key, g.Label, g))
	}
	t.Rows = append(t.Rows, row("total", r.Total.Label, r.Total))
	return append([]Table{t}, r.IntensityReport.Tables()...)
}
