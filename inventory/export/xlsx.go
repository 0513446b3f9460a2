package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/landinv/landinv/inventory"
)

// WriteXLSX writes the tables as a workbook, one sheet per table, headings (labels and units)
// in bold on the first row and figures rounded to their column's precision (shown with that
// many decimals); then, for analysts, the same tables with the raw figures on sheets named
// "<table>_raw"; then the title and the report's notes on a sheet "about".
func WriteXLSX(w io.Writer, h inventory.ReportHeader, tables []inventory.Table) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	numFmt := map[int]int{}
	places := func(n int) (int, error) {
		if id, ok := numFmt[n]; ok {
			return id, nil
		}
		code := "0"
		if n > 0 {
			code += "." + strings.Repeat("0", n)
		}
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		numFmt[n] = id
		return id, err
	}
	type sheet struct {
		t   inventory.Table
		raw bool
	}
	var sheets []sheet
	for _, t := range tables {
		sheets = append(sheets, sheet{t, false})
	}
	for _, t := range tables {
		sheets = append(sheets, sheet{t, true})
	}
	for i, sh := range sheets {
		t := sh.t
		name := sheetName(t.Name)
		if sh.raw {
			name = sheetName(t.Name + "_raw")
		}
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return fmt.Errorf("write xlsx: %w", err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
		head := make([]any, len(t.Columns))
		for j, c := range t.Columns {
			head[j] = excelize.Cell{StyleID: bold, Value: c.Header()}
			_ = sw.SetColWidth(j+1, j+1, float64(min(60, max(10, len([]rune(c.Header()))+4))))
		}
		if err := sw.SetRow("A1", head); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
		for r, row := range t.Rows {
			cells := make([]any, len(row))
			for j, v := range row {
				cells[j] = xlsxValue(v)
				if x, ok := cells[j].(float64); ok && !sh.raw && j < len(t.Columns) {
					n := t.Columns[j].Places()
					style, err := places(n)
					if err != nil {
						return fmt.Errorf("write xlsx: %w", err)
					}
					cells[j] = excelize.Cell{StyleID: style, Value: inventory.Round(x, n)}
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := sw.SetRow(cell, cells); err != nil {
				return fmt.Errorf("write xlsx: %w", err)
			}
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
	}
	about := "about"
	if _, err := f.NewSheet(about); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	lines := [][2]any{{"report", h.Report}, {"title", h.Title}, {"zone", h.Zone + " " + h.ZoneName},
		{"generated_at", h.GeneratedAt.Format("2006-01-02 15:04:05 MST")}}
	if h.AsOf != nil {
		lines = append(lines, [2]any{"as_of", h.AsOf.Format("2006-01-02 15:04:05 MST")})
	}
	if len(h.Districts) > 0 {
		lines = append(lines, [2]any{"district", strings.Join(h.Districts, ", ")})
	}
	if h.Cluster != "" {
		lines = append(lines, [2]any{"cluster", h.Cluster})
	}
	lines = append(lines, [2]any{"confidential", h.Confidential}, [2]any{"illustrative", h.Illustrative})
	for _, x := range h.Withheld {
		lines = append(lines, [2]any{"withheld", x})
	}
	for _, n := range h.Notes {
		lines = append(lines, [2]any{"note", n})
	}
	for i, l := range lines {
		if err := f.SetSheetRow(about, fmt.Sprintf("A%d", i+1), &[]any{l[0], l[1]}); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

func xlsxValue(v any) any {
	switch x := v.(type) {
	case *float64:
		if x == nil {
			return nil
		}
		return *x
	case *string:
		if x == nil {
			return nil
		}
		return *x
	}
	return v
}

// sheetName makes a valid sheet name (at most 31 characters).
func sheetName(s string) string {
	if len(s) > 31 {
		s = s[:31]
	}
	return s
}
