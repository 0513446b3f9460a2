package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer"
)

// DefaultMaxImports is how many imports one process runs at once when Deps.MaxImports is 0.
const DefaultMaxImports = 2

// importRetryAfter is the Retry-After (seconds) of a 503 when every import slot is taken.
const importRetryAfter = 30

// importFile answers POST /api/v1/import?layer=plots|plants|idle-sites|roads[&crs=EPSG:N]
// [&map=src=dst,...][&dry_run=true][&zone=CODE][&note=TEXT], the file (GeoJSON, zipped
// Shapefile or GeoPackage) as the body, at most MaxImportBytes. Planners and admins only (the
// route says so). It answers 200 with the report when the import committed or the dry run
// found nothing wrong, and 422 with the same report (every rejected feature, its index and
// reason) otherwise; nothing is changed then. The pipeline is importer.Run, as for the CLI.
//
// Memory is bounded (README, "Limits and operations"): a body whose Content-Length is over
// the limit is refused with 413 before any of it is read (a chunked body is cut at the limit);
// at most slots imports run at once, a further one gets 503 with Retry-After before its body
// is read; the body is spooled to a temporary file (removed afterwards, also on error) that
// importer.Run reads from, so no import holds its file in memory.
func importFile(db importer.Loader, slots chan struct{}, m *Metrics) http.HandlerFunc {
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
		if r.ContentLength > MaxImportBytes {
			ProblemBody(w, r, tooLargeImport())
			return
		}
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		default:
			w.Header().Set("Retry-After", strconv.Itoa(importRetryAfter))
			writeProblem(w, http.StatusServiceUnavailable, "too many imports",
				fmt.Sprintf("%d imports are running, the most this server runs at once; try again later", cap(slots)), "", nil)
			return
		}
		file, err := spool(w, r)
		if file != "" {
			defer os.Remove(file)
		}
		if err != nil {
			ProblemBody(w, r, err)
			return
		}
		start := time.Now()
		rep, err := importer.Run(r.Context(), db, file, p)
		// One forced collection per import hands the memory the import used back to the
		// operating system now rather than over minutes (the runtime's scavenger is slow),
		// so that a server idle after an import is small again. It costs one GC cycle.
		debug.FreeOSMemory()
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

// tooLargeImport is the problem of a body over MaxImportBytes.
func tooLargeImport() error {
	return inventory.Errorf(inventory.ETooLarge, "body", "is larger than %d MiB; split the file or use the CLI (landinv import)", MaxImportBytes>>20)
}

// spool copies the request body, at most MaxImportBytes, to a temporary file (in $TMPDIR) and
// returns its name; the caller removes it. The name is returned, for removal, with any error.
func spool(w http.ResponseWriter, r *http.Request) (string, error) {
	f, err := os.CreateTemp("", "landinv-import-*")
	if err != nil {
		return "", fmt.Errorf("import: spool body: %w", err)
	}
	body := &readErr{r: http.MaxBytesReader(w, r.Body, MaxImportBytes)}
	_, err = io.Copy(f, body)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(body.err, &mbe):
		return f.Name(), tooLargeImport()
	case body.err != nil:
		return f.Name(), inventory.Errorf(inventory.EInvalid, "body", "could not be read: %v", body.err)
	case err != nil: // the disk, not the client
		return f.Name(), fmt.Errorf("import: spool body: %w", err)
	}
	return f.Name(), nil
}

// readErr remembers the error of reading the body, to tell it from an error writing the file.
type readErr struct {
	r   io.Reader
	err error
}

func (e *readErr) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}
