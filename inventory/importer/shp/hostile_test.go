package shp

import (
	"encoding/binary"
	"math"
	"runtime"
	"strings"
	"testing"
)

// shpFile wraps one record's content in a .shp header.
func shpFile(content []byte) []byte {
	b := make([]byte, 100, 108+len(content))
	binary.BigEndian.PutUint32(b[0:], 9994)
	binary.BigEndian.PutUint32(b[24:], uint32(108+len(content))/2)
	binary.LittleEndian.PutUint32(b[32:], Polygon)
	b = binary.BigEndian.AppendUint32(b, 1)
	b = binary.BigEndian.AppendUint32(b, uint32(len(content)/2))
	return append(b, content...)
}

// polygonRecord is a Polygon record's content with the given counts and part starts, and
// points (x, y) that follow.
func polygonRecord(nParts, nPoints int32, starts []int32, pts ...float64) []byte {
	c := binary.LittleEndian.AppendUint32(nil, Polygon)
	c = append(c, make([]byte, 32)...) // bbox
	c = binary.LittleEndian.AppendUint32(c, uint32(nParts))
	c = binary.LittleEndian.AppendUint32(c, uint32(nPoints))
	for _, s := range starts {
		c = binary.LittleEndian.AppendUint32(c, uint32(s))
	}
	for _, p := range pts {
		c = binary.LittleEndian.AppendUint64(c, math.Float64bits(p))
	}
	return c
}

// TestHostileFiles: files whose counts claim more than they hold, or whose numbers are not
// finite, get an error (or a geometry), quickly and without a large allocation.
func TestHostileFiles(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		shp  []byte
		dbf  []byte
		want string // error text; "" means read without error
	}{
		{"2^31-1 parts", shpFile(polygonRecord(math.MaxInt32, 4, nil)), nil, "do not fit"},
		{"2^31-1 points", shpFile(polygonRecord(1, math.MaxInt32, []int32{0})), nil, "do not fit"},
		{"negative counts", shpFile(polygonRecord(-1, -5, nil)), nil, "do not fit"},
		{"part starts backwards", shpFile(polygonRecord(2, 2, []int32{1, 0}, 0, 0, 1, 1)), nil, "bad bounds"},
		{"record length past the end", append(shpFile(polygonRecord(1, 1, []int32{0}, 0, 0))[:104], 0x7f, 0xff, 0xff, 0xff), nil, "runs past"},
		{"NaN coordinates", shpFile(polygonRecord(2, 8, []int32{0, 4}, 0, 0, 0, nan, nan, 1, 0, 0, nan, nan, 1, 1, 1, 0, nan, nan)), nil, ""},
		{"empty parts", shpFile(polygonRecord(3, 0, []int32{0, 0, 0})), nil, ""},
		{"dbf claims 2^32-1 records", nil, dbfHeader(math.MaxUint32, 33+1, 1), "runs past"},
		{"dbf record length 0", nil, dbfHeader(1, 33, 0), "bad header"},
		{"dbf header longer than the file", nil, dbfHeader(1, 4000, 1), "bad header"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			var err error
			if tc.shp != nil {
				_, err = Read(tc.shp)
			} else {
				_, err = ReadDBF(tc.dbf, "")
			}
			runtime.ReadMemStats(&after)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
				t.Errorf("allocated %d KiB for a %d-byte file", grew>>10, len(tc.shp)+len(tc.dbf))
			}
		})
	}
}

// dbfHeader is a .dbf header with no fields, n records, a header of hlen bytes and records
// of rlen bytes.
func dbfHeader(n uint32, hlen, rlen uint16) []byte {
	b := make([]byte, 34)
	b[0] = 3
	binary.LittleEndian.PutUint32(b[4:], n)
	binary.LittleEndian.PutUint16(b[8:], hlen)
	binary.LittleEndian.PutUint16(b[10:], rlen)
	b[32] = 0x0D
	return b
}
