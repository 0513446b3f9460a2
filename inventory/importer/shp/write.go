package shp

// The writers make test fixtures without GDAL: polygons as a .shp with its .shx, and a .dbf in a
// given text encoding. The readers are tested against GDAL's files too (gdal_test.go).

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/encoding"
)

// WritePolygons writes polygons (each a list of rings: the first outer, the rest holes) as a
// .shp and its .shx index. Rings are written as given; callers pass outer rings clockwise.
func WritePolygons(shpW, shxW io.Writer, polygons [][][][2]float64) error {
	var recs [][]byte
	bbox := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, poly := range polygons {
		var c bytes.Buffer
		le := func(v any) { binary.Write(&c, binary.LittleEndian, v) } //nolint:errcheck // bytes.Buffer
		var pts [][2]float64
		var starts []int32
		pb := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, ring := range poly {
			starts = append(starts, int32(len(pts)))
			for _, p := range ring {
				pts = append(pts, p)
				pb = [4]float64{math.Min(pb[0], p[0]), math.Min(pb[1], p[1]), math.Max(pb[2], p[0]), math.Max(pb[3], p[1])}
			}
		}
		bbox = [4]float64{math.Min(bbox[0], pb[0]), math.Min(bbox[1], pb[1]), math.Max(bbox[2], pb[2]), math.Max(bbox[3], pb[3])}
		le(int32(Polygon))
		le(pb)
		le(int32(len(starts)))
		le(int32(len(pts)))
		le(starts)
		le(pts)
		recs = append(recs, c.Bytes())
	}
	total := 100
	for _, r := range recs {
		total += 8 + len(r)
	}
	header := func(w io.Writer, words int) error {
		var h [100]byte
		binary.BigEndian.PutUint32(h[0:], 9994)
		binary.BigEndian.PutUint32(h[24:], uint32(words))
		binary.LittleEndian.PutUint32(h[28:], 1000)
		binary.LittleEndian.PutUint32(h[32:], Polygon)
		for i, v := range bbox {
			binary.LittleEndian.PutUint64(h[36+8*i:], math.Float64bits(v))
		}
		_, err := w.Write(h[:])
		return err
	}
	if err := header(shpW, total/2); err != nil {
		return err
	}
	if err := header(shxW, (100+8*len(recs))/2); err != nil {
		return err
	}
	off := 100
	for i, r := range recs {
		var rh [8]byte
		binary.BigEndian.PutUint32(rh[0:], uint32(i+1))
		binary.BigEndian.PutUint32(rh[4:], uint32(len(r)/2))
		if _, err := shpW.Write(rh[:]); err != nil {
			return err
		}
		if _, err := shpW.Write(r); err != nil {
			return err
		}
		var ix [8]byte
		binary.BigEndian.PutUint32(ix[0:], uint32(off/2))
		binary.BigEndian.PutUint32(ix[4:], uint32(len(r)/2))
		if _, err := shxW.Write(ix[:]); err != nil {
			return err
		}
		off += 8 + len(r)
	}
	return nil
}

// WriteDBF writes a .dbf table with text encoded by enc (e.g. simplifiedchinese.GBK). Values
// are written by the field's type: C text, N numbers (Decimals places), L bool, D "YYYY-MM-DD".
func WriteDBF(w io.Writer, fields []Field, records [][]any, enc encoding.Encoding) error {
	e := enc.NewEncoder()
	hlen := 32 + 32*len(fields) + 1
	rlen := 1
	for _, f := range fields {
		rlen += f.Length
	}
	var h bytes.Buffer
	h.WriteByte(0x03)
	h.Write([]byte{126, 1, 1})
	binary.Write(&h, binary.LittleEndian, uint32(len(records))) //nolint:errcheck
	binary.Write(&h, binary.LittleEndian, uint16(hlen))         //nolint:errcheck
	binary.Write(&h, binary.LittleEndian, uint16(rlen))         //nolint:errcheck
	h.Write(make([]byte, 20))
	for _, f := range fields {
		name, err := e.Bytes([]byte(f.Name))
		if err != nil || len(name) > 10 {
			return fmt.Errorf("dbf: field name %q does not fit in 10 bytes", f.Name)
		}
		var d [32]byte
		copy(d[:], name)
		d[11] = f.Type
		d[16] = byte(f.Length)
		d[17] = byte(f.Decimals)
		h.Write(d[:])
	}
	h.WriteByte(0x0D)
	if _, err := w.Write(h.Bytes()); err != nil {
		return err
	}
	for i, rec := range records {
		row := []byte{' '}
		for j, f := range fields {
			var s string
			v := rec[j]
			switch f.Type {
			case 'N', 'F':
				switch x := v.(type) {
				case nil:
				case int:
					s = strconv.Itoa(x)
				case int64:
					s = strconv.FormatInt(x, 10)
				case float64:
					s = strconv.FormatFloat(x, 'f', f.Decimals, 64)
				}
				s = strings.Repeat(" ", max(0, f.Length-len(s))) + s
			case 'L':
				s = "?"
				if b, ok := v.(bool); ok {
					s = map[bool]string{true: "T", false: "F"}[b]
				}
			case 'D':
				if d, ok := v.(string); ok {
					s = strings.ReplaceAll(d, "-", "")
				}
			default:
				if v != nil {
					b, err := e.Bytes([]byte(fmt.Sprint(v)))
					if err != nil {
						return fmt.Errorf("dbf: record %d: %w", i+1, err)
					}
					s = string(b)
				}
			}
			if len(s) > f.Length {
				return fmt.Errorf("dbf: record %d, field %s: %q is longer than %d bytes", i+1, f.Name, v, f.Length)
			}
			row = append(row, []byte(s+strings.Repeat(" ", f.Length-len(s)))...)
		}
		if _, err := w.Write(row); err != nil {
			return err
		}
	}
	_, err := w.Write([]byte{0x1A})
	return err
}
