package export

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/landinv/landinv/inventory"
)

// roundTable has one figure per rounding rule: an area (2 decimals), people (0), a column with
// its own precision (3), a pointer figure, a count (as it is) and an empty cell.
func roundTable() inventory.Table {
	v := 66.835
	return inventory.Table{Name: "t", Columns: []inventory.Column{
		{Key: "area", Label: "面积", LabelEN: "Area", Unit: "公顷"},
		{Key: "pop", Label: "人口", LabelEN: "Population", Unit: "人"},
		{Key: "weight", Label: "权重", LabelEN: "Weight", Digits: 3},
		{Key: "share", Label: "比例", LabelEN: "Share", Unit: "%"},
		{Key: "plots", Label: "地块数", LabelEN: "Plots"},
		{Key: "none", Label: "空", LabelEN: "Empty"},
	}, Rows: [][]any{{81.74212916502309, 5000.4, 0.1234, &v, int64(7), (*float64)(nil)}}}
}

func TestCSVRounding(t *testing.T) {
	var rounded, raw bytes.Buffer
	if err := WriteCSV(&rounded, roundTable()); err != nil {
		t.Fatal(err)
	}
	if err := WriteRawCSV(&raw, roundTable()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(rounded.String()), "\n")
	if lines[0] != "\ufeff面积 Area (公顷),人口 Population (人),权重 Weight,比例 Share (%),地块数 Plots,空 Empty" {
		t.Errorf("header = %q", lines[0])
	}
	if want := "81.74,5000,0.123,66.84,7,"; lines[1] != want {
		t.Errorf("rounded row = %q, want %q", lines[1], want)
	}
	if want := "81.74212916502309,5000.4,0.1234,66.835,7,"; !strings.Contains(raw.String(), want) {
		t.Errorf("raw CSV = %q, want %q", raw.String(), want)
	}
}

func TestXLSXRoundedAndRawSheets(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, inventory.ReportHeader{Report: "x"}, []inventory.Table{roundTable()}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "t,t_raw,about" {
		t.Errorf("sheets = %s, want t,t_raw,about", got)
	}
	for _, c := range []struct{ sheet, cell, want string }{
		{"t", "A2", "81.74"}, {"t", "B2", "5000"}, {"t", "C2", "0.123"}, {"t", "D2", "66.84"}, {"t", "E2", "7"},
		{"t_raw", "A2", "81.74212916502309"}, {"t_raw", "B2", "5000.4"}, {"t_raw", "D2", "66.835"},
	} {
		raw, err := f.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true})
		// A workbook holds 15 significant digits, as Excel does.
		got, _ := strconv.ParseFloat(raw, 64)
		want, _ := strconv.ParseFloat(c.want, 64)
		if err != nil || math.Abs(got-want) > 1e-13*math.Abs(want) {
			t.Errorf("%s!%s = %q (%v), want %q", c.sheet, c.cell, raw, err, c.want)
		}
	}
	if shown, _ := f.GetCellValue("t", "B2"); shown != "5000" {
		t.Errorf("t!B2 shows %q", shown)
	}
}
