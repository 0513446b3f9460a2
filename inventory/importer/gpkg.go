package importer

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite" // pure-Go SQLite for GeoPackages

	"github.com/landinv/landinv/inventory"
)

// ReadGeoPackage reads the one feature table of a GeoPackage (OGC 12-128r18): its attributes
// (except the integer primary key, which is the package's own row id) and its geometries
// (GeoPackage blobs, whose header is stripped to leave standard WKB). The CRS is the table's
// srs_id when the package maps it to an EPSG code.
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

// gpkgTimeout bounds the reading of one GeoPackage.
const gpkgTimeout = 2 * time.Minute

// ReadGeoPackageFile reads a GeoPackage on disk (see ReadGeoPackage). The file is untrusted:
// it is opened read-only with trusted_schema off, only real tables are read (a view could run
// any query the file defines), and the whole read is bounded by gpkgTimeout.
func ReadGeoPackageFile(name string) (*Source, error) {
	ctx, cancel := context.WithTimeout(context.Background(), gpkgTimeout)
	defer cancel()
	db, err := sql.Open("sqlite", "file:"+name+"?mode=ro&_pragma=trusted_schema(0)")
	if err != nil {
		return nil, fmt.Errorf("read geopackage: %w", err)
	}
	defer db.Close()
	bad := func(format string, args ...any) error {
		return inventory.Errorf(inventory.EInvalid, "file", "GeoPackage: "+format, args...)
	}
	isTable := func(t string) bool {
		var typ string
		err := db.QueryRowContext(ctx, "select type from sqlite_master where name = ?", t).Scan(&typ)
		return err == nil && typ == "table"
	}
	for _, t := range []string{"gpkg_geometry_columns", "gpkg_spatial_ref_sys"} {
		if !isTable(t) {
			return nil, bad("%s is missing or is not a table", t)
		}
	}
	rows, err := db.QueryContext(ctx, "select table_name, column_name, srs_id from gpkg_geometry_columns")
	if err != nil {
		return nil, bad("has no gpkg_geometry_columns table: %v", err)
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
			return nil, bad("%v", err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	if len(cols) != 1 {
		var names []string
		for _, c := range cols {
			names = append(names, c.table)
		}
		return nil, bad("holds %d feature tables (%s); import one layer at a time", len(cols), strings.Join(names, ", "))
	}
	gc := cols[0]
	if !isTable(gc.table) {
		return nil, bad("feature table %q is missing or is not a table (views are not read)", gc.table)
	}
	src := &Source{Format: "geopackage"}
	var org string
	var orgID int
	if err := db.QueryRowContext(ctx, "select organization, organization_coordsys_id from gpkg_spatial_ref_sys where srs_id = ?", gc.srs).Scan(&org, &orgID); err == nil && strings.EqualFold(org, "EPSG") {
		src.SRID, src.CRSFrom = orgID, "GeoPackage srs_id"
	}
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	pk := ""
	info, err := db.QueryContext(ctx, "select name, pk from pragma_table_info(?)", gc.table)
	if err != nil {
		return nil, bad("%v", err)
	}
	for info.Next() {
		var n string
		var isPK int
		if err := info.Scan(&n, &isPK); err == nil && isPK == 1 {
			pk = n
		}
	}
	info.Close()
	data, err := db.QueryContext(ctx, "select * from "+quote(gc.table))
	if err != nil {
		return nil, bad("read %s: %v", gc.table, err)
	}
	defer data.Close()
	names, err := data.Columns()
	if err != nil {
		return nil, bad("%v", err)
	}
	for i := 0; data.Next(); i++ {
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for j := range vals {
			ptrs[j] = &vals[j]
		}
		if err := data.Scan(ptrs...); err != nil {
			return nil, bad("row %d: %v", i+1, err)
		}
		r := Record{Index: i, Props: map[string]any{}}
		for j, n := range names {
			switch {
			case n == gc.column:
				blob, _ := vals[j].([]byte)
				if blob != nil {
					w, err := gpkgWKB(blob)
					if err != nil {
						return nil, bad("row %d: %v", i+1, err)
					}
					r.WKB = w
				}
			case n == pk:
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
		src.Records = append(src.Records, r)
	}
	return src, data.Err()
}

// gpkgWKB strips a GeoPackage geometry blob's header: "GP", version, flags, srs_id and an
// envelope whose size the flags give.
func gpkgWKB(b []byte) ([]byte, error) {
	if len(b) < 8 || b[0] != 'G' || b[1] != 'P' {
		return nil, fmt.Errorf("geometry is not a GeoPackage blob")
	}
	flags := b[3]
	if flags&0x10 != 0 { // empty geometry
		return nil, nil
	}
	env := map[byte]int{0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags>>1)&0x07]
	if 8+env > len(b) {
		return nil, fmt.Errorf("geometry blob is truncated")
	}
	return b[8+env:], nil
}
