package web

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/landinv/landinv/inventory"
)

// listCommonParams are taken by every list besides the layer's filters.
var listCommonParams = []string{"limit", "offset", "after", "zone", "as_of", MinRevisionParam}

// listParamNames lists the parameters the layer's list takes: its filters and the common ones.
func listParamNames(l *inventory.Layer) []string {
	out := slices.Clone(listCommonParams)
	for _, f := range l.Filters {
		out = append(out, f.Param)
	}
	if len(l.Sorts) > 0 {
		out = append(out, "sort")
	}
	sort.Strings(out)
	return out
}

// ParseQuery reads a list request's query string against the layer's filters
// (inventory.Layer.Filters) into a checked inventory.Query. An unknown or repeated parameter,
// a malformed value or an unknown value of an enumerated filter is an EInvalid error naming the
// parameter. zone is taken as written; the route resolves it (resolveZone).
func ParseQuery(l *inventory.Layer, v url.Values) (inventory.Query, error) {
	q := inventory.Query{Layer: l, Limit: inventory.DefaultLimit}
	if err := checkParams(v, listParamNames(l)); err != nil {
		return q, err
	}
	byParam := make(map[string]inventory.Filter, len(l.Filters))
	for _, f := range l.Filters {
		byParam[f.Param] = f
	}
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		raw := strings.TrimSpace(v[name][0])
		var err error
		switch name {
		case commonParam:
		case "limit":
			q.Limit, err = strconv.Atoi(raw)
			if err != nil {
				return q, inventory.Errorf(inventory.EInvalid, name, "must be a whole number from 1 to %d", inventory.MaxLimit)
			}
		case "offset":
			q.Offset, err = strconv.Atoi(raw)
			if err != nil {
				return q, inventory.Errorf(inventory.EInvalid, name, "must be a whole number ≥ 0")
			}
		case "after":
			q.After = raw
			if !inventory.ValidCode(raw) {
				err = inventory.Errorf(inventory.EInvalid, name, "must be the code of the last feature of the previous page (the next link carries it)")
			}
		case "zone":
			q.Zone, err = zoneParam(v)
		case "as_of":
			q.AsOf, err = asOfParam(v)
		case MinRevisionParam: // routing only (replica.go): the store is told through the context
			_, err = parseMinRevision(raw)
		case "sort":
			srt, ok := l.SortNamed(raw)
			if !ok {
				return q, inventory.Errorf(inventory.EInvalid, name, "has unknown value %q; known: %s", raw, strings.Join(l.SortParams(), ", "))
			}
			q.Sort = &srt
		default:
			if raw == "" {
				return q, inventory.Errorf(inventory.EInvalid, name, "is empty")
			}
			err = addFilter(&q, byParam[name], raw)
		}
		if err != nil {
			return q, err
		}
	}
	return q, q.Validate()
}

// addFilter reads one filter's value into q.
func addFilter(q *inventory.Query, f inventory.Filter, raw string) error {
	switch f.Kind {
	case inventory.FilterBBox:
		b, err := parseBBox(raw)
		if err != nil {
			return inventory.Errorf(inventory.EInvalid, f.Param, "%s", err)
		}
		q.BBox = &b
	case inventory.FilterIn, inventory.FilterRoadStat:
		vals := strings.Split(raw, ",")
		for i, s := range vals {
			s = strings.TrimSpace(s)
			vals[i] = s
			if s == "" {
				return inventory.Errorf(inventory.EInvalid, f.Param, "has an empty item")
			}
			if len(f.Enum) > 0 && !slices.Contains(f.Enum, s) {
				return inventory.Errorf(inventory.EInvalid, f.Param, "has unknown value %q; known: %s", s, strings.Join(f.Enum, ", "))
			}
			if len(f.Enum) == 0 && !inventory.ValidCode(s) {
				return inventory.Errorf(inventory.EInvalid, f.Param, "has malformed code %q", s)
			}
		}
		if f.Kind == inventory.FilterRoadStat {
			q.RoadStatus = vals
			return nil
		}
		q.Conditions = append(q.Conditions, inventory.Condition{Kind: inventory.FilterIn, Field: f.Field, Values: vals})
	case inventory.FilterEquals:
		if len(raw) > 200 {
			return inventory.Errorf(inventory.EInvalid, f.Param, "is too long")
		}
		q.Conditions = append(q.Conditions, inventory.Condition{Kind: inventory.FilterEquals, Field: f.Field, Value: raw})
	case inventory.FilterText:
		if err := inventory.CheckTextQuery(f.Param, raw); err != nil {
			return err
		}
		q.Conditions = append(q.Conditions, inventory.Condition{Kind: inventory.FilterText, Values: f.Fields, Value: raw})
	case inventory.FilterPrefix:
		if !isDigits(raw) || len(raw) > 8 {
			return inventory.Errorf(inventory.EInvalid, f.Param, "must be a land-use code or code prefix of digits, e.g. 1001")
		}
		q.Conditions = append(q.Conditions, inventory.Condition{Kind: inventory.FilterPrefix, Field: f.Field, Value: raw})
	case inventory.FilterBool:
		if raw != "true" && raw != "false" {
			return inventory.Errorf(inventory.EInvalid, f.Param, "must be true or false")
		}
		q.Conditions = append(q.Conditions, inventory.Condition{Kind: inventory.FilterBool, Field: f.Field, Value: raw == "true"})
	case inventory.FilterMin, inventory.FilterMax, inventory.FilterNearRoad:
		x, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return inventory.Errorf(inventory.EInvalid, f.Param, "must be a number")
		}
		if x < 0 {
			return inventory.Errorf(inventory.EInvalid, f.Param, "must not be negative")
		}
		if f.Max > 0 && x > f.Max {
			return inventory.Errorf(inventory.EInvalid, f.Param, "must be at most %g", f.Max)
		}
		if f.Kind == inventory.FilterNearRoad {
			q.NearRoadM = &x
			return nil
		}
		scale := f.Scale
		if scale == 0 {
			scale = 1
		}
		q.Conditions = append(q.Conditions, inventory.Condition{Kind: f.Kind, Field: f.Field, Value: x * scale})
	default:
		return inventory.Errorf(inventory.EInternal, f.Param, "unknown filter kind %q", f.Kind)
	}
	return nil
}

// parseBBox reads "minLon,minLat,maxLon,maxLat" in degrees.
func parseBBox(s string) ([4]float64, error) {
	var b [4]float64
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return b, fmt.Errorf("must be minLon,minLat,maxLon,maxLat")
	}
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return b, fmt.Errorf("item %d (%q) is not a number", i+1, p)
		}
		b[i] = x
	}
	if b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 {
		return b, fmt.Errorf("must lie within longitude -180..180 and latitude -90..90")
	}
	if b[0] > b[2] || b[1] > b[3] {
		return b, fmt.Errorf("minimum is greater than maximum")
	}
	return b, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// reportOwnParams lists the parameters each report takes beside reportCommonParams.
var reportOwnParams = map[string][]string{
	inventory.ReportIntensity:   {"group", "include"},
	inventory.ReportCompliance:  {},
	inventory.ReportIdle:        {},
	inventory.ReportSupply:      {},
	inventory.ReportRoads:       {"tolerance_m", "frontage_m", "loop_cover_pct"},
	inventory.ReportPerMu:       {"year"},
	inventory.ReportReclamation: {"year"},
	inventory.ReportProvince:    {"province"},
	inventory.ReportPipeline:    {},
}

// reportNotParams lists the common parameters a report does not take: districts belong to one
// zone, and the province report covers many; projects (the pipeline report) have no district.
var reportNotParams = map[string][]string{
	inventory.ReportProvince: {"district"},
	inventory.ReportPipeline: {"district"}, // projects have no district
}

var reportCommonParams = []string{"zone", "district", "cluster", "as_of", "format", "table", "raw", MinRevisionParam}

// reportParamNames lists the parameters the report of the given kind takes.
func reportParamNames(kind string) []string {
	out := append(slices.Clone(reportCommonParams), reportOwnParams[kind]...)
	out = slices.DeleteFunc(out, func(n string) bool { return slices.Contains(reportNotParams[kind], n) })
	sort.Strings(out)
	return out
}

// ParseReportParams reads a report request's query string into checked
// inventory.ReportParams (the CLI's flags are read through it too). An unknown or repeated
// parameter, an empty or malformed value or an unknown enumerated value is an EInvalid error
// naming the parameter. zone is taken as written; the route resolves it (resolveZone).
func ParseReportParams(kind string, v url.Values) (inventory.ReportParams, error) {
	p := inventory.DefaultReportParams(kind)
	if _, ok := reportOwnParams[kind]; !ok {
		return p, inventory.Errorf(inventory.EInvalid, "report", "unknown report %q; known: %s", kind, strings.Join(inventory.ReportKinds, ", "))
	}
	if err := checkParams(v, reportParamNames(kind)); err != nil {
		return p, err
	}
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		raw := strings.TrimSpace(v[name][0])
		if raw == "" {
			return p, inventory.Errorf(inventory.EInvalid, name, "is empty")
		}
		switch name {
		case "zone":
			z, err := zoneParam(v)
			if err != nil {
				return p, err
			}
			p.Zone = z
		case "district":
			for _, d := range strings.Split(raw, ",") {
				p.Districts = append(p.Districts, strings.TrimSpace(d))
			}
		case "cluster":
			p.Cluster = raw
		case MinRevisionParam: // routing only (replica.go): the store is told through the context
			if _, err := parseMinRevision(raw); err != nil {
				return p, err
			}
		case "province":
			p.Province = raw
		case "as_of":
			t, err := ParseAsOf(raw)
			if err != nil {
				return p, err
			}
			p.AsOf = &t
		case "format":
			if raw != "json" && raw != "csv" && raw != "xlsx" {
				return p, inventory.Errorf(inventory.EInvalid, name, "must be json, csv or xlsx")
			}
			p.Format = raw
		case "table":
			if !inventory.ValidCode(raw) {
				return p, inventory.Errorf(inventory.EInvalid, name, "is not a table name")
			}
			p.Table = raw
		case "raw":
			if raw != "true" && raw != "false" {
				return p, inventory.Errorf(inventory.EInvalid, name, "must be true or false")
			}
			p.Raw = raw == "true"
		case "group":
			p.Group = raw
		case "include":
			if raw != "plots" {
				return p, inventory.Errorf(inventory.EInvalid, name, "must be plots")
			}
			p.IncludePlots = true
		case "year":
			y, err := inventory.ParseYear(raw)
			if err != nil {
				return p, err
			}
			p.Year = y
		case "tolerance_m", "frontage_m", "loop_cover_pct":
			x, err := strconv.ParseFloat(raw, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return p, inventory.Errorf(inventory.EInvalid, name, "must be a number")
			}
			switch name {
			case "tolerance_m":
				p.ToleranceM = x
			case "frontage_m":
				p.FrontageM = x
			case "loop_cover_pct":
				p.LoopCoverPct = x
			}
		}
	}
	if p.Raw && p.Format != "csv" {
		return p, inventory.Errorf(inventory.EInvalid, "raw", "only applies with format=csv (XLSX has the raw figures on its *_raw sheets, JSON always)")
	}
	if p.Table != "" && p.Format != "csv" {
		return p, inventory.Errorf(inventory.EInvalid, "table", "only applies with format=csv (XLSX holds every table, JSON everything)")
	}
	return p, p.Validate()
}
