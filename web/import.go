package web

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer"
)

// importFile answers POST /api/v1/import?layer=plots|plants|idle-sites|roads[&crs=EPSG:N]
// [&map=src=dst,...][&dry_run=true][&zone=CODE][&note=TEXT], the file (GeoJSON, zipped
// Shapefile or GeoPackage) as the body, at most MaxImportBytes. Planners and admins only (the
// route says so). It answers 200 with the report when the import committed or the dry run
// found nothing wrong, and 422 with the same report (every rejected feature, its index and
// reason) otherwise; nothing is changed then. The pipeline is importer.Run, as for the CLI.
func importFile(db importer.Loader, m *Metrics) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		p := importer.Params{Layer: q.Get("layer"), CRS: q.Get("crs"), Map: q.Get("map"), Zone: zoneOf(r), Note: q.Get("note")}
		if y := q.Get("year"); y != "" {
			year, err := inventory.ParseYear(y)
			if err != nil {
				Problem(w, r, err)
				return
			}
			p.Year = year
		}
		if err := p.Check(); err != nil {
			Problem(w, r, err)
			return
		}
		switch q.Get("dry_run") {
		case "", "false":
		case "true":
			p.DryRun = true
		default:
			Problem(w, r, inventory.Errorf(inventory.EInvalid, "dry_run", "must be true or false"))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxImportBytes))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				ProblemBody(w, r, inventory.Errorf(inventory.ETooLarge, "body", "is larger than %d MiB; split the file or use the CLI (landinv import)", MaxImportBytes>>20))
				return
			}
			ProblemBody(w, r, inventory.Errorf(inventory.EInvalid, "body", "could not be read: %v", err))
			return
		}
		start := time.Now()
		rep, err := importer.Run(r.Context(), db, body, p)
		if err != nil {
			m.observeImport(p.Layer, "failed", 0, time.Since(start))
			ProblemBody(w, r, err)
			return
		}
		m.observeImport(p.Layer, importOutcome(rep), importedFeatures(rep), time.Since(start))
		status := http.StatusOK
		if len(rep.Rejected) > 0 {
			status = http.StatusUnprocessableEntity
		}
		writeJSON(w, status, rep)
	}
}

// importOutcome labels an import's duration in the metrics: committed, dry_run or rejected.
func importOutcome(rep *importer.Report) string {
	switch {
	case rep.Committed:
		return "committed"
	case rep.DryRun && len(rep.Rejected) == 0:
		return "dry_run"
	}
	return "rejected"
}

// importedFeatures is how many features an import wrote: none unless it committed.
func importedFeatures(rep *importer.Report) int {
	if !rep.Committed {
		return 0
	}
	return rep.Created + rep.Updated
}
