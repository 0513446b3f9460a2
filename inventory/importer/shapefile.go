package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"io"
	"iter"
	"path"
	"strings"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer/shp"
)

// Limits on a zipped Shapefile: entries in the zip, and bytes read from it in all.
const (
	maxZipEntries = 64
	maxZipBytes   = 1 << 30
)

// ReadShapefileZip reads a zip holding one Shapefile: .shp and .dbf (required), .prj and .cpg
// (honoured when present). Folders inside the zip are fine. Its features are in Records.
func ReadShapefileZip(b []byte) (*Source, error) {
	src, err := readShapefileZip(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	return src, src.materialize()
}

// maxSmallPart bounds what is read of a .prj or .cpg.
const maxSmallPart = 64 << 10

// readShapefileZip reads a zipped Shapefile of size bytes from r (a file on disk, for imports)
// as a stream: a first pass reads the .shp and .dbf in step, record by record, and checks
// every shape and value (the .dbf's encoding included) keeping none; All reads them again the
// same way. Memory holds a record, not the file. r must stay readable until the Source has
// been loaded.
func readShapefileZip(r io.ReaderAt, size int64) (*Source, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "is not a readable zip: %v", err)
	}
	// Pick the one Shapefile first, from the names alone, and read only its four parts: a zip
	// bomb of other or extra entries is never inflated. What is read is capped in all (the zip
	// reader fails an entry that inflates to more than its declared size).
	if len(zr.File) > maxZipEntries {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "the zip holds %d entries; a Shapefile zip needs at most a few", len(zr.File))
	}
	stems := map[string]bool{}
	for _, f := range zr.File {
		if strings.ToLower(path.Ext(f.Name)) == ".shp" && !strings.HasPrefix(path.Base(f.Name), "._") { // ._: macOS resource forks
			stems[strings.ToLower(strings.TrimSuffix(f.Name, path.Ext(f.Name)))] = true
		}
	}
	if len(stems) != 1 {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "the zip holds %d .shp files; import one layer (one .shp with its .dbf, .prj, .cpg) at a time", len(stems))
	}
	var stem string
	for s := range stems {
		stem = s
	}
	parts := map[string]*zip.File{}
	total := uint64(0)
	for _, f := range zr.File {
		ext := strings.ToLower(path.Ext(f.Name))
		key := strings.ToLower(strings.TrimSuffix(f.Name, path.Ext(f.Name))) + ext
		if key != stem+ext || (ext != ".shp" && ext != ".dbf" && ext != ".prj" && ext != ".cpg") {
			continue
		}
		total += f.UncompressedSize64
		if total > maxZipBytes || f.UncompressedSize64 > maxZipBytes {
			return nil, inventory.Errorf(inventory.ETooLarge, "file", "%s unpacks to %d bytes; at most %d bytes are read from a zip", f.Name, f.UncompressedSize64, maxZipBytes)
		}
		parts[ext] = f
	}
	if parts[".dbf"] == nil {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "the zip has %s.shp but no .dbf beside it", stem)
	}
	small := func(ext string) (string, error) {
		f := parts[ext]
		if f == nil {
			return "", nil
		}
		rc, err := f.Open()
		if err != nil {
			return "", inventory.Errorf(inventory.EInvalid, "file", "%s in the zip: %v", f.Name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxSmallPart+1))
		if err != nil {
			return "", inventory.Errorf(inventory.EInvalid, "file", "%s in the zip: %v", f.Name, err)
		}
		if len(b) > maxSmallPart {
			return "", inventory.Errorf(inventory.ETooLarge, "file", "%s is over %d bytes", f.Name, maxSmallPart)
		}
		return string(b), nil
	}
	cpg, err := small(".cpg")
	if err != nil {
		return nil, err
	}
	ss := &shapeStream{stem: stem, shp: parts[".shp"], dbf: parts[".dbf"], cpg: cpg}
	src := &Source{Format: "shapefile", stream: ss}
	if prj, err := small(".prj"); err != nil {
		return nil, err
	} else if parts[".prj"] != nil {
		n, err := SRIDFromPRJ(prj)
		if err != nil {
			return nil, err
		}
		src.SRID, src.CRSFrom = n, ".prj"
	}
	// The first pass: every record checked, none kept.
	for _, err := range ss.walk() {
		if err != nil {
			return nil, err
		}
		ss.n++
	}
	src.Encoding, src.BBox = ss.encoding, &ss.bbox
	return src, nil
}

// shapeStream is a zipped Shapefile's .shp and .dbf, read in step one record at a time.
type shapeStream struct {
	stem     string
	shp, dbf *zip.File
	cpg      string
	// Learnt in the first pass: the number of features (deleted records left out), the
	// .dbf's fields and encoding and the .shp's bounding box.
	n        int
	fields   []string
	encoding string
	bbox     [4]float64
}

func (ss *shapeStream) len() int { return ss.n }

// probes is one record with every field of the .dbf (no feature, no field to check).
func (ss *shapeStream) probes() []Record {
	if ss.n == 0 {
		return nil
	}
	r := Record{Index: -1, Props: make(map[string]any, len(ss.fields))}
	for _, f := range ss.fields {
		r.Props[f] = nil
	}
	return []Record{r}
}

func (ss *shapeStream) records() iter.Seq2[Record, error] {
	return ss.walk()
}

// walk reads the .shp and the .dbf in step and yields each feature. Errors name the file and
// the record: the first record whose text does not decode in the .dbf's encoding, a shape
// that does not decode, counts that differ.
func (ss *shapeStream) walk() iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		bad := func(format string, args ...any) {
			yield(Record{}, inventory.Errorf(inventory.EInvalid, "file", format, args...))
		}
		open := func(f *zip.File) (io.ReadCloser, bool) {
			rc, err := f.Open()
			if err != nil {
				bad("%s in the zip: %v", f.Name, err)
				return nil, false
			}
			return rc, true
		}
		shpRC, ok := open(ss.shp)
		if !ok {
			return
		}
		defer shpRC.Close()
		dbfRC, ok := open(ss.dbf)
		if !ok {
			return
		}
		defer dbfRC.Close()
		geo, err := shp.NewReader(bufio.NewReaderSize(shpRC, 1<<16), int64(ss.shp.UncompressedSize64))
		if err != nil {
			bad("%v", err)
			return
		}
		var again io.ReadCloser // the .dbf opened again to detect its encoding, when asked
		defer func() {
			if again != nil {
				again.Close()
			}
		}()
		cpg := ss.cpg
		if ss.encoding != "" {
			cpg = ss.encoding // found by the first pass
		}
		tab, err := shp.NewDBFReader(bufio.NewReaderSize(dbfRC, 1<<16), cpg, func() (io.Reader, error) {
			rc, err := ss.dbf.Open()
			again = rc
			return bufio.NewReaderSize(rc, 1<<16), err
		})
		if err != nil {
			bad("%s.dbf: %v", ss.stem, err)
			return
		}
		if again != nil {
			again.Close()
			again = nil
		}
		ss.encoding, ss.bbox = tab.Encoding, geo.BBox
		ss.fields = ss.fields[:0]
		for _, f := range tab.Fields {
			ss.fields = append(ss.fields, f.Name)
		}
		for i := 0; ; i++ {
			g, gerr := geo.Next()
			if gerr != nil && gerr != io.EOF {
				bad("%v", gerr)
				return
			}
			row, derr := tab.Next()
			if derr != nil && derr != io.EOF && gerr != io.EOF {
				// Names the file and the first bad record and field (an encoding the .cpg gets
				// wrong is refused here, not stored as replacement characters).
				bad("%s.dbf: %v", ss.stem, derr)
				return
			}
			if gerr == io.EOF || derr == io.EOF {
				if gerr != derr {
					bad("the .shp has %d shapes but the .dbf %d records", i+countRest(geo, gerr), tab.Len)
				}
				return
			}
			if row == nil { // deleted in the .dbf
				continue
			}
			props := make(map[string]any, len(tab.Fields))
			for j, f := range tab.Fields {
				props[f.Name] = row[j]
			}
			w, err := encodeWKB(g)
			if err != nil {
				bad("shape %d: %v", i+1, err)
				return
			}
			if !yield(Record{Index: i, Props: props, WKB: w}, nil) {
				return
			}
		}
	}
}

// countRest counts the shapes left in geo after the one whose read ended with err (0 when it
// was the end), for the message about counts that differ.
func countRest(geo *shp.Reader, err error) int {
	if err == io.EOF {
		return 0
	}
	n := 1
	for {
		if _, err := geo.Next(); err != nil {
			return n
		}
		n++
	}
}
