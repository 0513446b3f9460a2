package importer

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"iter"
	"os"
	"strings"
	"time"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"
	_ "modernc.org/sqlite" // pure-Go SQLite for GeoPackages

	"github.com/landinv/landinv/inventory"
)

// ReadGeoPackage reads the one feature table of a GeoPackage (OGC 12-128r18) held in memory:
// its attributes (except the integer primary key, which is the package's own row id) and its
// geometries (GeoPackage blobs, decoded with go-geom and handed on as WKB). The CRS is the
// table's srs_id when the package maps it to an EPSG code. Its features are in Records.
func ReadGeoPackage(b []byte) (*Source, error) {
	f, err := os.CreateTemp("", "landinv-import-*.gpkg")
	if err != nil {
		return nil, fmt.Errorf("read geopackage: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return nil, fmt.Errorf("read geopackage: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("read geopackage: %w", err)
	}
	return ReadGeoPackageFile(f.Name())
}

// ReadGeoPackageFile reads a GeoPackage on disk (see ReadGeoPackage); its features are in
// Records.
func ReadGeoPackageFile(name string) (*Source, error) {
	src, err := readGeoPackageFile(name)
	if err != nil {
		return nil, err
	}
	return src, src.materialize()
}

// gpkgTimeout bounds the first reading of one GeoPackage, which checks every row.
const gpkgTimeout = 2 * time.Minute

// readGeoPackageFile reads a GeoPackage on disk as a stream: a first pass reads every row by
// cursor and checks it, keeping none; All reads the rows again the same way. Memory holds a
// row and SQLite's page cache, not the file. The file must stay on disk until the Source has
// been loaded.
//
// The file is untrusted: it is opened read-only with trusted_schema off, only real tables
// are read (a view could run any query the file defines), and the first pass is bounded by
// gpkgTimeout.
func readGeoPackageFile(name string) (*Source, error) {
	ctx, cancel := context.WithTimeout(context.Background(), gpkgTimeout)
	defer cancel()
	gs := &gpkgStream{dsn: gpkgDSN(name)}
	db, err := sql.Open("sqlite", gs.dsn)
	if err != nil {
		return nil, fmt.Errorf("read geopackage: %w", err)
	}
	defer db.Close()
	isTable := func(t string) bool {
		var typ string
		err := db.QueryRowContext(ctx, "select type from sqlite_master where name = ?", t).Scan(&typ)
		return err == nil && typ == "table"
	}
	for _, t := range []string{"gpkg_geometry_columns", "gpkg_spatial_ref_sys"} {
		if !isTable(t) {
			return nil, badGPKG("%s is missing or is not a table", t)
		}
	}
	rows, err := db.QueryContext(ctx, "select table_name, column_name, srs_id from gpkg_geometry_columns")
	if err != nil {
		return nil, badGPKG("has no gpkg_geometry_columns table: %v", err)
	}
	type gcol struct {
		table, column string
		srs           int
	}
	var cols []gcol
	for rows.Next() {
		var c gcol
		if err := rows.Scan(&c.table, &c.column, &c.srs); err != nil {
			rows.Close()
			return nil, badGPKG("%v", err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	if len(cols) != 1 {
		var names []string
		for _, c := range cols {
			names = append(names, c.table)
		}
		return nil, badGPKG("holds %d feature tables (%s); import one layer at a time", len(cols), strings.Join(names, ", "))
	}
	gc := cols[0]
	if !isTable(gc.table) {
		return nil, badGPKG("feature table %q is missing or is not a table (views are not read)", gc.table)
	}
	gs.table, gs.column = gc.table, gc.column
	src := &Source{Format: "geopackage", stream: gs}
	var org string
	var orgID int
	if err := db.QueryRowContext(ctx, "select organization, organization_coordsys_id from gpkg_spatial_ref_sys where srs_id = ?", gc.srs).Scan(&org, &orgID); err == nil && strings.EqualFold(org, "EPSG") {
		src.SRID, src.CRSFrom = orgID, "GeoPackage srs_id"
	}
	info, err := db.QueryContext(ctx, "select name, pk from pragma_table_info(?)", gc.table)
	if err != nil {
		return nil, badGPKG("%v", err)
	}
	for info.Next() {
		var n string
		var isPK int
		if err := info.Scan(&n, &isPK); err == nil && isPK == 1 {
			gs.pk = n
		}
	}
	info.Close()
	db.Close()
	for _, err := range gs.walk(ctx) {
		if err != nil {
			return nil, err
		}
		gs.n++
	}
	return src, nil
}

// gpkgDSN is the SQLite URI that opens the file name read-only, without trusting its schema;
// the characters a URI gives a meaning are escaped.
func gpkgDSN(name string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(name)
	return "file:" + esc + "?mode=ro&_pragma=trusted_schema(0)"
}

func badGPKG(format string, args ...any) error {
	return inventory.Errorf(inventory.EInvalid, "file", "GeoPackage: "+format, args...)
}

// gpkgStream is a GeoPackage's feature table, read by cursor one row at a time.
type gpkgStream struct {
	dsn               string
	table, column, pk string
	n                 int      // rows, counted by the first pass
	fields            []string // the attribute columns
}

func (gs *gpkgStream) len() int { return gs.n }

// probes is one record with every attribute column (none for a table without rows).
func (gs *gpkgStream) probes() []Record {
	if gs.n == 0 {
		return nil
	}
	r := Record{Index: -1, Props: make(map[string]any, len(gs.fields))}
	for _, f := range gs.fields {
		r.Props[f] = nil
	}
	return []Record{r}
}

func (gs *gpkgStream) records() iter.Seq2[Record, error] {
	// The first pass checked every row within gpkgTimeout; reading them again is paced by the
	// loader, whose own context bounds the import.
	return gs.walk(context.Background())
}

// walk reads the feature table's rows in order, each decoded into a Record.
func (gs *gpkgStream) walk(ctx context.Context) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		db, err := sql.Open("sqlite", gs.dsn)
		if err != nil {
			yield(Record{}, fmt.Errorf("read geopackage: %w", err))
			return
		}
		defer db.Close()
		quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
		data, err := db.QueryContext(ctx, "select * from "+quote(gs.table))
		if err != nil {
			yield(Record{}, badGPKG("read %s: %v", gs.table, err))
			return
		}
		defer data.Close()
		names, err := data.Columns()
		if err != nil {
			yield(Record{}, badGPKG("%v", err))
			return
		}
		gs.fields = gs.fields[:0]
		for _, n := range names {
			if n != gs.column && n != gs.pk {
				gs.fields = append(gs.fields, n)
			}
		}
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for j := range vals {
			ptrs[j] = &vals[j]
		}
		for i := 0; data.Next(); i++ {
			clear(vals)
			if err := data.Scan(ptrs...); err != nil {
				yield(Record{}, badGPKG("row %d: %v", i+1, err))
				return
			}
			r := Record{Index: i, Props: make(map[string]any, len(names))}
			for j, n := range names {
				switch {
				case n == gs.column:
					blob, _ := vals[j].([]byte)
					if blob != nil {
						g, err := gpkgGeometry(blob)
						if err == nil {
							r.WKB, err = encodeWKB(g)
						}
						if err != nil {
							yield(Record{}, badGPKG("row %d: %v", i+1, err))
							return
						}
					}
				case n == gs.pk:
				default:
					v := vals[j]
					switch x := v.(type) {
					case []byte:
						v = string(x)
					case time.Time:
						v = x.Format("2006-01-02")
					}
					r.Props[n] = v
				}
			}
			if !yield(r, nil) {
				return
			}
		}
		if err := data.Err(); err != nil {
			yield(Record{}, badGPKG("read %s: %v", gs.table, err))
		}
	}
}

// gpkgGeometry decodes a GeoPackage geometry blob (OGC 12-128r18, 2.1.3): "GP", version,
// flags, srs_id and an envelope whose size the flags give, then standard WKB, which go-geom
// decodes once checkWKB has found that its counts fit in the blob. An empty geometry is nil.
func gpkgGeometry(b []byte) (geom.T, error) {
	if len(b) < 8 || b[0] != 'G' || b[1] != 'P' {
		return nil, fmt.Errorf("geometry is not a GeoPackage blob")
	}
	flags := b[3]
	if flags&0x20 != 0 {
		return nil, fmt.Errorf("geometry is an extended GeoPackage geometry, which is not supported")
	}
	if flags&0x10 != 0 { // empty geometry
		return nil, nil
	}
	env, ok := map[byte]int{0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags>>1)&0x07]
	if !ok {
		return nil, fmt.Errorf("geometry blob has an unknown envelope kind %d", (flags>>1)&0x07)
	}
	if 8+env > len(b) {
		return nil, fmt.Errorf("geometry blob is truncated")
	}
	w := b[8+env:]
	if err := checkWKB(w); err != nil {
		return nil, fmt.Errorf("geometry: %w", err)
	}
	g, err := wkb.Unmarshal(w)
	if err != nil {
		return nil, fmt.Errorf("geometry: %w", err)
	}
	return g, nil
}

// checkWKB walks a WKB geometry without decoding it and fails when a count (points, rings,
// parts) needs more bytes than are left, or collections nest deeper than 16: go-geom allocates
// what a count says before reading, and a hostile blob must not make it allocate gigabytes.
func checkWKB(b []byte) error {
	var walk func(off, depth int) (int, error)
	walk = func(off, depth int) (int, error) {
		if depth > 16 {
			return 0, fmt.Errorf("WKB collections nest deeper than 16")
		}
		if off+5 > len(b) {
			return 0, fmt.Errorf("WKB is truncated")
		}
		var order binary.ByteOrder = binary.LittleEndian
		switch b[off] {
		case 0:
			order = binary.BigEndian
		case 1:
		default:
			return 0, fmt.Errorf("WKB byte order %d", b[off])
		}
		typ := order.Uint32(b[off+1:])
		off += 5
		dims := 2 + map[uint32]int{0: 0, 1: 1, 2: 1, 3: 2}[typ/1000]
		count := func(size int) (int, error) {
			if off+4 > len(b) {
				return 0, fmt.Errorf("WKB is truncated")
			}
			n := int(order.Uint32(b[off:]))
			off += 4
			if size > 0 && n > (len(b)-off)/size {
				return 0, fmt.Errorf("WKB count %d does not fit in the %d bytes left", n, len(b)-off)
			}
			return n, nil
		}
		points := func() error {
			n, err := count(8 * dims)
			off += 8 * dims * n
			return err
		}
		switch typ % 1000 {
		case 1: // point
			if off+8*dims > len(b) {
				return 0, fmt.Errorf("WKB is truncated")
			}
			return off + 8*dims, nil
		case 2: // line string
			err := points()
			return off, err
		case 3: // polygon
			n, err := count(4)
			for i := 0; i < n && err == nil; i++ {
				err = points()
			}
			return off, err
		case 4, 5, 6, 7: // multi-point, -line string, -polygon, collection
			n, err := count(5)
			for i := 0; i < n && err == nil; i++ {
				off, err = walk(off, depth+1)
			}
			return off, err
		}
		return 0, fmt.Errorf("WKB geometry type %d is not supported", typ)
	}
	_, err := walk(0, 0)
	return err
}
