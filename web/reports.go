package web

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/export"
)

// ReportRoutes mounts the reports:
//
//	GET /reports                        the report page (charts; prints to A4)
//	GET /api/v1/reports                 the reports, their parameters, the indicators and defaults
//	GET /api/v1/reports/{kind}          intensity | compliance | idle | supply | roads
//	                                    ?format=json|csv|xlsx&district=&cluster=&as_of=&zone=
//	                                    intensity: &group=zone|district|cluster&include=plots
//	                                    roads: &tolerance_m=5&frontage_m=50&loop_cover_pct=95
//	                                    csv: &table=NAME (default: the report's first table)
//
// Confidential figures reach only planners and admins (the viewer in the request's context).
func ReportRoutes(rep inventory.Reports) func(r chi.Router) {
	return func(r chi.Router) {
		r.Get("/reports", reportPage)
		r.Get("/api/v1/reports", reportIndex)
		r.Get("/api/v1/reports/{kind}", reportHandler(rep))
	}
}

// reportPage serves the report page (web/ui/src/report.*, built into ui/dist with the map).
func reportPage(w http.ResponseWriter, r *http.Request) {
	b, err := fs.ReadFile(ui, "ui/dist/report.html")
	if err != nil {
		writeProblem(w, http.StatusServiceUnavailable, "page not built", "the report page is not built into this binary; run `make build`", "", nil)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Security-Policy", pageCSP)
	w.Write(b) //nolint:errcheck
}

func reportIndex(w http.ResponseWriter, r *http.Request) {
	type rep struct {
		Name   string   `json:"name"`
		Href   string   `json:"href"`
		Params []string `json:"params"`
	}
	var reps []rep
	for _, k := range inventory.ReportKinds {
		reps = append(reps, rep{k, "/api/v1/reports/" + k, inventory.ReportParamNames(k)})
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

func reportHandler(reps inventory.Reports) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		kind := chi.URLParam(r, "kind")
		known := false
		for _, k := range inventory.ReportKinds {
			known = known || k == kind
		}
		if !known {
			Problem(w, r, inventory.Errorf(inventory.ENotFound, "report", "no report %q; known: intensity, compliance, idle, supply, roads", kind))
			return
		}
		p, err := inventory.ParseReportParams(kind, r.URL.Query())
		if err != nil {
			Problem(w, r, err)
			return
		}
		out, err := inventory.RunReport(r.Context(), reps, p)
		if err != nil {
			Problem(w, r, err)
			return
		}
		w.Header().Set("Vary", "Authorization, Cookie")
		w.Header().Set("Cache-Control", "private, no-store")
		h := out.(inventory.Headed).Header()
		stamp := h.GeneratedAt.Format("20060102")
		if h.AsOf != nil {
			stamp = "asof" + h.AsOf.UTC().Format("20060102")
		}
		base := fmt.Sprintf("landinv-%s-%s-%s", h.Zone, kind, stamp)
		switch p.Format {
		case "csv":
			t, err := export.PickTable(out.Tables(), p.Table)
			if err != nil {
				Problem(w, r, err)
				return
			}
			var buf bytes.Buffer
			if err := export.WriteCSV(&buf, t); err != nil {
				Problem(w, r, err)
				return
			}
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, base, t.Name))
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
