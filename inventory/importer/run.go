package importer

import (
	"context"
	"fmt"
	"os"

	"github.com/landinv/landinv/inventory"
)

// Params are one import's parameters as people give them: the flags of `landinv import` and
// the query parameters of POST /api/v1/import.
type Params struct {
	// Layer is plots, plants, idle-sites or roads, or enterprise-figures (a table: XLSX or CSV).
	Layer string
	// Year is the year of the figures (enterprise-figures only, required there).
	Year int
	// CRS, when set, overrides the CRS the file declares: "EPSG:4546", "4546", an OGC URN
	// (see ParseCRS).
	CRS string
	// Map renames source fields: "src=dst,src2=dst2"; dst "-" drops a field (see ParseMapping).
	Map string
	// Zone is the zone's code; empty means the default zone.
	Zone string
	// Note is the change note recorded with every version.
	Note string
	// DryRun checks everything and changes nothing.
	DryRun bool
	// Progress, when set, is told how far the load has come (see Options.Progress).
	Progress func(stage string, done, total int)
}

// Check checks the parameters without a file: the layer, the CRS and the mapping's syntax.
// Errors are inventory errors naming "layer", "crs" or "map". Run makes the same checks; a
// caller checks first to refuse bad parameters before reading a large file.
func (p Params) Check() error {
	_, _, err := p.options()
	return err
}

func (p Params) options() (Options, map[string]string, error) {
	l, ok := inventory.LayerNamed(p.Layer)
	if p.Layer == inventory.FigureLayer.Name {
		l, ok = inventory.FigureLayer, true
		if p.Year == 0 {
			return Options{}, nil, inventory.Errorf(inventory.EInvalid, "year", "is required for enterprise-figures: the year the figures are about")
		}
		if p.Year < inventory.MinYear || p.Year > inventory.MaxYear {
			return Options{}, nil, inventory.Errorf(inventory.EInvalid, "year", "must be a year from %d to %d", inventory.MinYear, inventory.MaxYear)
		}
		if p.CRS != "" {
			return Options{}, nil, inventory.Errorf(inventory.EInvalid, "crs", "enterprise-figures have no geometry")
		}
	} else if p.Year != 0 {
		return Options{}, nil, inventory.Errorf(inventory.EInvalid, "year", "only applies to enterprise-figures")
	}
	if !ok || l == inventory.LayoutLayer {
		return Options{}, nil, inventory.Errorf(inventory.EInvalid, "layer", "must be plots, plants, idle-sites, roads or enterprise-figures, not %q", p.Layer)
	}
	opt := Options{Layer: l, Zone: p.Zone, Note: p.Note, DryRun: p.DryRun, Progress: p.Progress}
	if p.CRS != "" {
		n, err := ParseCRS(p.CRS)
		if err != nil {
			return Options{}, nil, inventory.Errorf(inventory.EInvalid, "crs", "%v", err)
		}
		opt.SRID = n
	}
	m, err := ParseMapping(p.Map)
	if err != nil {
		return Options{}, nil, err
	}
	return opt, m, nil
}

// Run is the import pipeline that `landinv import` and POST /api/v1/import both run: check the
// parameters, decode the file (its format and CRS found from its content: ReadFrom), rename
// and convert its fields for the layer (Prepare), then have the loader import it — or, with
// DryRun, check every feature and change nothing. The viewer in ctx is the one who imports.
//
// file is the path of the file on disk (the HTTP API spools the request body to a temporary
// file first). It is read, not loaded whole: a GeoJSON FeatureCollection, a zipped Shapefile
// and a GeoPackage stream from it feature by feature into the loader, so memory does not grow
// with the file's size.
//
// Errors before the loader are inventory errors: those of the parameters name the parameter ("layer",
// "crs", "map"), the file's name "file", "crs" or "map". The report lists rejected features;
// nothing is changed when there are any.
func Run(ctx context.Context, load Loader, file string, p Params) (*Report, error) {
	opt, mapping, err := p.options()
	if err != nil {
		return nil, err
	}
	if opt.Layer == inventory.FigureLayer {
		// Annual figures come as a spreadsheet of one row per firm: small, read whole.
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		src, err := ReadTable(b)
		if err != nil {
			return nil, err
		}
		if err := PrepareFigures(src, mapping, p.Year, p.Note); err != nil {
			return nil, err
		}
		return load.Import(ctx, src, opt)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	src, err := ReadFrom(f, st.Size(), file)
	if err != nil {
		return nil, err
	}
	if err := Prepare(opt.Layer, src, mapping); err != nil {
		return nil, err
	}
	return load.Import(ctx, src, opt)
}

// LoaderFunc is a function that is a Loader; the CLI uses one to open the database only once
// the file has been read and prepared.
type LoaderFunc func(ctx context.Context, src *Source, opt Options) (*Report, error)

// Import calls f.
func (f LoaderFunc) Import(ctx context.Context, src *Source, opt Options) (*Report, error) {
	return f(ctx, src, opt)
}
