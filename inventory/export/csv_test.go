package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
)

func TestCSVCellsAreNotFormulas(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+1+cmd", "'+1+cmd"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"-12.5", "-12.5"},
		{"+3", "+3"},
		{"-", "'-"},
		{"甘亭起步区一号地块", "甘亭起步区一号地块"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := csvSafe(tt.in); got != tt.want {
			t.Errorf("csvSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	var buf bytes.Buffer
	tab := inventory.Table{Columns: []inventory.Column{{Key: "name"}}, Rows: [][]any{{"=1+1"}}}
	if err := WriteCSV(&buf, tab); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "'=1+1") {
		t.Errorf("CSV %q keeps a formula", buf.String())
	}
}
