package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer"
	"github.com/landinv/landinv/inventory/postgis"
)

func runImport(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	layer := fs.String("layer", "", "`LAYER` to import into: plots, plants, idle-sites, roads, or enterprise-figures (XLSX or CSV, with --year)")
	year := fs.Int("year", 0, "the `YEAR` of the figures (enterprise-figures only)")
	crs := fs.String("crs", "", "the file's CRS as `EPSG:N`, overriding its .prj / GeoPackage srs / GeoJSON (e.g. EPSG:4546)")
	mapping := fs.String("map", "", "rename source fields: `SRC=DST,...` (e.g. 地块编号=code,用地性质=land_use; DST - drops a field)")
	dry := fs.Bool("dry-run", false, "check every feature and report, changing nothing")
	zone := fs.String("zone", "", "zone `CODE` (default: the default zone)")
	as := fs.String("as", "", "record the change as user `NAME` (a planner or admin; default $LANDINV_USER, then $USER)")
	note := fs.String("note", "", "change `NOTE` recorded with every version")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	// Accept flags after FILE too.
	var file string
	rest := args
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		rest = fs.Args()
		if len(rest) > 0 {
			if file != "" {
				return errors.New("import: give one FILE")
			}
			file, rest = rest[0], rest[1:]
		}
	}
	var bar *progressbar.ProgressBar
	stage := ""
	p := importer.Params{Layer: *layer, Year: *year, CRS: *crs, Map: *mapping, Zone: *zone, Note: *note, DryRun: *dry,
		Progress: func(s string, done, total int) {
			if s != stage {
				if bar != nil {
					bar.Finish() //nolint:errcheck
				}
				stage = s
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription(fmt.Sprintf("%-13s", s)),
					progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("features"),
					progressbar.OptionThrottle(100_000_000), progressbar.OptionOnCompletion(func() { fmt.Fprintln(e.stderr) }))
			}
			bar.Set(done) //nolint:errcheck
		}}
	if err := p.Check(); err != nil {
		return fmt.Errorf("import: %w", flagError(err))
	}
	if file == "" {
		return errors.New("usage: landinv import --layer plots|plants|idle-sites|roads|enterprise-figures [--year YYYY] [--crs EPSG:N] [--map src=dst,...] [--dry-run] FILE")
	}
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	// The database is opened once the file has been read and prepared. The file is read, not
	// loaded whole: GeoJSON streams from it into the database feature by feature.
	load := importer.LoaderFunc(func(ctx context.Context, src *importer.Source, opt importer.Options) (*importer.Report, error) {
		db, err := e.open(ctx)
		if err != nil {
			return nil, err
		}
		defer db.Close()
		user := *as
		for _, k := range []string{"LANDINV_USER", "USER"} {
			if user == "" {
				user = os.Getenv(k)
			}
		}
		v, err := cliViewer(ctx, db, user)
		if err != nil {
			return nil, err
		}
		return db.Import(inventory.WithViewer(ctx, v), src, opt)
	})
	rep, err := importer.Run(ctx, load, file, p)
	if bar != nil {
		bar.Finish() //nolint:errcheck
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", file, err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(e.stdout, file, rep)
	}
	if len(rep.Rejected) > 0 {
		return fmt.Errorf("import: %d feature(s) rejected; nothing was changed", len(rep.Rejected))
	}
	return nil
}

// cliViewer is the user the CLI acts as: an existing planner or admin.
func cliViewer(ctx context.Context, db *postgis.DB, name string) (inventory.Viewer, error) {
	us, err := db.ListUsers(ctx)
	if err != nil {
		return inventory.Viewer{}, err
	}
	for _, u := range us {
		if u.Name == name && !u.Disabled {
			v := inventory.Viewer{Name: u.Name, Role: u.Role}
			if !v.CanEdit() {
				return v, fmt.Errorf("import: user %s is a %s; imports need a planner or admin (--as NAME)", u.Name, u.Role)
			}
			return v, nil
		}
	}
	return inventory.Viewer{}, fmt.Errorf("import: no enabled user %q; give --as NAME of a planner (landinv user add NAME --role planner)", name)
}

func printReport(w io.Writer, file string, r *importer.Report) {
	verb := "imported"
	switch {
	case r.DryRun:
		verb = "dry run, nothing changed"
	case !r.Committed:
		verb = "refused, nothing changed"
	}
	fmt.Fprintf(w, "%s → %s (%s)\n", file, r.Layer, verb)
	enc := ""
	if r.Encoding != "" {
		enc = ", text " + r.Encoding
	}
	fmt.Fprintf(w, "  format %s, CRS EPSG:%d (%s)%s\n", r.Format, r.SRID, r.CRSFrom, enc)
	would := ""
	if !r.Committed {
		would = "would be "
	}
	fmt.Fprintf(w, "  features %d: %s%d new, %d updated, %d rejected, in %.1f s (%.0f features/s)\n",
		r.Total, would, r.WouldCreate, r.WouldUpdate, len(r.Rejected), r.Seconds, float64(r.Total)/max(r.Seconds, 1e-9))
	for i, rj := range r.Rejected {
		if i == 200 {
			fmt.Fprintf(w, "  … and %d more (use --json for all)\n", len(r.Rejected)-200)
			break
		}
		where := ""
		if rj.Code != "" {
			where = " " + rj.Code
		}
		field := ""
		if rj.Field != "" {
			field = rj.Field + ": "
		}
		fmt.Fprintf(w, "  feature %d%s: %s%s\n", rj.Index, where, field, strings.TrimSpace(rj.Reason))
	}
}

// flagError names a parameter error after its flag: "--layer: …" rather than "layer: …".
func flagError(err error) error {
	var e *inventory.Error
	if errors.As(err, &e) && e.Field != "" && e.Reason != "" {
		return fmt.Errorf("--%s: %s", e.Field, e.Reason)
	}
	return err
}
