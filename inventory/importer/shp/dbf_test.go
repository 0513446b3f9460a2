package shp

import (
	"bytes"
	"reflect"
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
