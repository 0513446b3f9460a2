package web

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/export"
)

// reportPage serves the report page (web/ui/src/report.*, built into ui/dist with the map).
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	if _, err := fs.Stat(ui, "ui/dist/report.html"); err != nil {
		writeProblem(w, http.StatusServiceUnavailable, "page not built", "the report page is not built into this binary; run `make build`", "", nil)
		return
	}
	w.Header().Set("Content-Security-Policy", pageCSP)
	s.serveFile(w, r, "ui/dist/report.html", "no-cache")
}

// unknownReport answers GET /api/v1/reports/{kind} for a kind that is no report: 404.
func unknownReport(w http.ResponseWriter, r *http.Request) {
	Problem(w, r, inventory.Errorf(inventory.ENotFound, "report", "no report %q; known: %s", chi.URLParam(r, "kind"), strings.Join(inventory.ReportKinds, ", ")))
}

// reportIndex answers GET /api/v1/reports: the reports, their parameters, the indicators and
// the defaults.
func reportIndex(w http.ResponseWriter, r *http.Request) {
	type rep struct {
		Name   string   `json:"name"`
		Href   string   `json:"href"`
		Params []string `json:"params"`
	}
	var reps []rep
	for _, k := range inventory.ReportKinds {
		reps = append(reps, rep{k, "/api/v1/reports/" + k, reportParamNames(k)})
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeJSON(w, http.StatusOK, map[string]any{
		"reports":             reps,
		"indicators":          inventory.Indicators,
		"indicator_groups":    inventory.IndicatorGroups,
		"totals":              inventory.IntensityTotals,
		"defaults":            inventory.DefaultEvalConfig(),
		"national_score":      inventory.NationalScore,
		"compliance_measures": inventory.ComplianceMeasures,
		"road_defaults": map[string]float64{"tolerance_m": inventory.DefaultToleranceM, "frontage_m": inventory.DefaultFrontageM,
			"loop_cover_pct": inventory.DefaultLoopCoverPct},
	})
}

// report answers GET /api/v1/reports/{kind} for one kind of report: JSON, or with format=csv
// one table as CSV (figures rounded to their column's precision; raw=true: full precision),
// with format=xlsx every table as an XLSX workbook (rounded sheets, then *_raw sheets). Confidential figures reach
// only planners and admins (the viewer in the request's context).
func report(reps inventory.Reports, kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := ParseReportParams(kind, r.URL.Query())
		if err != nil {
			Problem(w, r, err)
			return
		}
		p.Zone = zoneOf(r)
		out, err := inventory.RunReport(r.Context(), reps, p)
		if err != nil {
			Problem(w, r, err)
			return
		}
		w.Header().Add("Vary", "Authorization, Cookie")
		w.Header().Set("Cache-Control", "private, no-store")
		h := out.(inventory.Headed).Header()
		// The file's date is the report's day in China time, as the report prints it (a report
		// made at 01:00 in Linfen is that day's, not the day before by UTC).
		stamp := strings.ReplaceAll(inventory.DayOf(h.GeneratedAt), "-", "")
		if h.AsOf != nil {
			stamp = "asof" + strings.ReplaceAll(inventory.DayOf(*h.AsOf), "-", "")
		}
		base := fmt.Sprintf("landinv-%s-%s-%s", h.Zone, kind, stamp)
		if h.Zone == "" { // a report over many zones (province): its name is not ASCII
			base = fmt.Sprintf("landinv-%s-%s", kind, stamp)
		}
		switch p.Format {
		case "csv":
			t, err := export.PickTable(out.Tables(), p.Table)
			if err != nil {
				Problem(w, r, err)
				return
			}
			var buf bytes.Buffer
			write := export.WriteCSV
			if p.Raw {
				write = export.WriteRawCSV
			}
			if err := write(&buf, t); err != nil {
				Problem(w, r, err)
				return
			}
			name := base + "-" + t.Name
			if p.Raw {
				name += "-raw" // full precision: not to be mistaken for the rounded file
			}
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, name))
			w.Write(buf.Bytes()) //nolint:errcheck
		case "xlsx":
			var buf bytes.Buffer
			if err := export.WriteXLSX(&buf, *h, out.Tables()); err != nil {
				Problem(w, r, err)
				return
			}
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"`, base))
			w.Write(buf.Bytes()) //nolint:errcheck
		default:
			writeJSON(w, http.StatusOK, out)
		}
	}
}
