package importer

import "testing"

// FuzzGPKG: ReadGeoPackage never panics on a hostile file, and every geometry it returns is
// WKB that go-geom reads back. The seed corpus under testdata/fuzz/FuzzGPKG holds a small
// GeoPackage that ogr2ogr (GDAL 3.6) wrote (page size made 512 bytes and the tables a reader
// does not need dropped, to keep it small) and truncated copies of it. `make test` runs the
// target for 15 s.
func FuzzGPKG(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		src, err := ReadGeoPackage(b)
		if err != nil {
			return
		}
		for _, r := range src.Records {
			if r.WKB == nil {
				continue
			}
			if _, err := gpkgGeometry(append([]byte{'G', 'P', 0, 1, 0, 0, 0, 0}, r.WKB...)); err != nil {
				t.Errorf("record %d: WKB %x: %v", r.Index, r.WKB, err)
			}
		}
	})
}
