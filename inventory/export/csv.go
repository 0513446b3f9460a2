package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/landinv/landinv/inventory"
)

// CellText renders a cell for CSV: numbers in full precision, nil as empty.
func CellText(v any) string { return cellText(v, -1) }

// cellText renders a cell; places < 0 keeps full precision.
func cellText(v any, places int) string {
	if places >= 0 {
		switch x := v.(type) {
		case *float64:
			if x != nil {
				return strconv.FormatFloat(inventory.Round(*x, places), 'f', places, 64)
			}
		case float64:
			return strconv.FormatFloat(inventory.Round(x, places), 'f', places, 64)
		}
	}
	switch x := v.(type) {
	case nil:
		return ""
	case *float64:
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case *string:
		if x == nil {
			return ""
		}
		return *x
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	default:
		return fmt.Sprint(x)
	}
}

// WriteCSV writes one table as UTF-8 CSV with a byte-order mark (so that spreadsheet programs
// read the Chinese headings right); headings carry labels and units, figures are rounded to
// their column's precision (inventory.Column.Places).
func WriteCSV(w io.Writer, t inventory.Table) error { return writeCSV(w, t, false) }

// WriteRawCSV writes the table like WriteCSV, with every figure in full precision (raw=true).
func WriteRawCSV(w io.Writer, t inventory.Table) error { return writeCSV(w, t, true) }

func writeCSV(w io.Writer, t inventory.Table, raw bool) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Header()
	}
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i := range rec {
			rec[i] = ""
			if i < len(row) {
				places := -1
				if !raw {
					places = t.Columns[i].Places()
				}
				rec[i] = csvSafe(cellText(row[i], places))
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a text cell from being read as a formula by a spreadsheet (CSV injection):
// names come from imported survey files, and a cell starting with = + - @ (or a tab or carriage
// return) would run in Excel or WPS. Such a cell gets a leading apostrophe; numbers pass as they
// are.
func csvSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
		return "'" + s
	}
	return s
}
