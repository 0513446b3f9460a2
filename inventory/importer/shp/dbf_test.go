package shp

import (
	"bytes"
	"reflect"
	"runtime"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func TestDBFEncodings(t *testing.T) {
	fields := []Field{{Name: "编号", Type: 'C', Length: 12}, {Name: "面积", Type: 'N', Length: 12, Decimals: 2},
		{Name: "N", Type: 'N', Length: 6}, {Name: "OK", Type: 'L', Length: 1}, {Name: "D", Type: 'D', Length: 8}}
	recs := [][]any{{"甘亭-01", 1234.5, int64(42), true, "2024-03-01"}, {nil, nil, nil, nil, nil}}
	for _, tc := range []struct {
		name, cpg, want string
		gbk             bool
	}{
		{"GBK with .cpg", "GBK", "GBK", true},
		{"GBK with cp936 .cpg", "936", "GBK", true},
		{"GBK, no .cpg: detected", "", "GBK", true},
		{"UTF-8 with .cpg", "UTF-8", "UTF-8", false},
		{"UTF-8, no .cpg: detected", "", "UTF-8", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			enc := unicode.UTF8
			if tc.gbk {
				enc = simplifiedchinese.GBK
			}
			if err := WriteDBF(&b, fields, recs, enc); err != nil {
				t.Fatal(err)
			}
			tab, err := ReadDBF(b.Bytes(), tc.cpg)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Encoding != tc.want || tab.Fields[0].Name != "编号" || tab.Fields[1].Name != "面积" {
				t.Fatalf("encoding %s fields %+v", tab.Encoding, tab.Fields)
			}
			want := [][]any{{"甘亭-01", 1234.5, int64(42), true, "2024-03-01"}, {nil, nil, nil, nil, nil}}
			if !reflect.DeepEqual(tab.Records, want) {
				t.Fatalf("records %#v, want %#v", tab.Records, want)
			}
		})
	}
}

func TestTrimPartialUTF8(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"地块编\xe5", "地块编"},
		{"地块编\xe5\x8f", "地块编"},
		{"地块编号", "地块编号"},
		{"CODE", "CODE"},
		{"\xe5", ""},
		{"", ""},
		{"A\xf0\x9f\x98", "A"},
	} {
		if got := string(trimPartialUTF8([]byte(tc.in))); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
		}
	}
}

// countingReader is an endless .dbf: its header, then records of "x", counting what is read.
type countingReader struct {
	head []byte
	read int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		if c.read+int64(i) < int64(len(c.head)) {
			p[i] = c.head[c.read+int64(i)]
		} else {
			p[i] = ' '
		}
	}
	c.read += int64(len(p))
	return len(p), nil
}

// TestDBFReaderReadsRecordByRecord: a .dbf that declares four billion records is read as far
// as its records are asked for, not loaded whole: after 1,000 records, 1,000 records' bytes
// have been read from it, and little memory allocated.
func TestDBFReaderReadsRecordByRecord(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDBF(&b, []Field{{Name: "NAME", Type: 'C', Length: 200}}, nil, unicode.UTF8); err != nil {
		t.Fatal(err)
	}
	head := b.Bytes()[:32+32+1]
	head[4], head[5], head[6], head[7] = 0xff, 0xff, 0xff, 0xff
	r := &countingReader{head: head}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	d, err := NewDBFReader(r, "UTF-8", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		if _, err := d.Next(); err != nil {
			t.Fatalf("record %d: %v", i+1, err)
		}
	}
	runtime.ReadMemStats(&after)
	if want := int64(len(head) + 1000*201); r.read != want || d.Len != 1<<32-1 {
		t.Errorf("read %d bytes for 1,000 records of %d declared; want %d", r.read, d.Len, want)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 2<<20 {
		t.Errorf("allocated %d KiB for 1,000 records", grew>>10)
	}
}
