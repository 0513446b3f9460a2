package importer

import (
	"archive/zip"
	"bytes"
	"io"
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
// (honoured when present). Folders inside the zip are fine.
func ReadShapefileZip(b []byte) (*Source, error) {
	return readShapefileZip(bytes.NewReader(b), int64(len(b)))
}

// readShapefileZip reads a zipped Shapefile of size bytes from r (a file on disk, for imports).
func readShapefileZip(r io.ReaderAt, size int64) (*Source, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "is not a readable zip: %v", err)
	}
	// Pick the one Shapefile first, from the names alone, and read only its four parts: a zip
	// bomb of other or extra entries is never inflated. What is read is capped in all.
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
	parts := map[string][]byte{}
	budget := int64(maxZipBytes)
	for _, f := range zr.File {
		ext := strings.ToLower(path.Ext(f.Name))
		key := strings.ToLower(strings.TrimSuffix(f.Name, path.Ext(f.Name))) + ext
		switch {
		case key != stem+ext:
			continue
		case ext != ".shp" && ext != ".dbf" && ext != ".prj" && ext != ".cpg":
			continue
		case f.UncompressedSize64 > uint64(budget):
			return nil, inventory.Errorf(inventory.ETooLarge, "file", "%s unpacks to %d bytes; at most %d bytes are read from a zip", f.Name, f.UncompressedSize64, maxZipBytes)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, inventory.Errorf(inventory.EInvalid, "file", "%s in the zip: %v", f.Name, err)
		}
		data, err := io.ReadAll(io.LimitReader(rc, budget+1))
		rc.Close()
		if err != nil {
			return nil, inventory.Errorf(inventory.EInvalid, "file", "%s in the zip: %v", f.Name, err)
		}
		if int64(len(data)) > budget {
			return nil, inventory.Errorf(inventory.ETooLarge, "file", "the Shapefile unpacks to more than %d bytes", maxZipBytes)
		}
		budget -= int64(len(data))
		parts[key] = data
	}
	shpB, dbfB := parts[stem+".shp"], parts[stem+".dbf"]
	if dbfB == nil {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "the zip has %s.shp but no .dbf beside it", stem)
	}
	geo, err := shp.Read(shpB)
	if err != nil {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "%v", err)
	}
	tab, err := shp.ReadDBF(dbfB, string(parts[stem+".cpg"]))
	if err != nil {
		// Names the file and the first bad record and field (an encoding the .cpg gets wrong
		// is refused here, not stored as replacement characters).
		return nil, inventory.Errorf(inventory.EInvalid, "file", "%s.dbf: %v", stem, err)
	}
	if len(tab.Records) != len(geo.Geometries) {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "the .shp has %d shapes but the .dbf %d records", len(geo.Geometries), len(tab.Records))
	}
	bbox := geo.BBox
	src := &Source{Format: "shapefile", Encoding: tab.Encoding, BBox: &bbox}
	if prj, ok := parts[stem+".prj"]; ok {
		n, err := SRIDFromPRJ(string(prj))
		if err != nil {
			return nil, err
		}
		src.SRID, src.CRSFrom = n, ".prj"
	}
	for i, g := range geo.Geometries {
		if tab.Records[i] == nil { // deleted in the .dbf
			continue
		}
		props := make(map[string]any, len(tab.Fields))
		for j, f := range tab.Fields {
			props[f.Name] = tab.Records[i][j]
		}
		w, err := encodeWKB(g)
		if err != nil {
			return nil, inventory.Errorf(inventory.EInvalid, "file", "shape %d: %v", i+1, err)
		}
		src.Records = append(src.Records, Record{Index: i, Props: props, WKB: w})
	}
	return src, nil
}
