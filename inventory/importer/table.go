package importer

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/landinv/landinv/inventory"
)

// Tables without geometry: the XLSX and CSV files that tax and statistics offices send, one row
// per enterprise, read into records for a non-spatial layer (enterprise-figures). The first
// non-empty row names the columns; blank rows are skipped; cells stay text for Prepare to
// convert. A CSV file is UTF-8 (with or without a byte-order mark) or, when it is not valid
// UTF-8, GBK (as Excel in China saves it).

// ReadTable decodes an XLSX workbook (its first sheet) or a CSV file, told apart by content: an
// XLSX file is a zip archive.
func ReadTable(b []byte) (*Source, error) {
	var rows [][]string
	format := "csv"
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		format = "xlsx"
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			return nil, inventory.Errorf(inventory.EInvalid, "file", "is a zip archive but no XLSX workbook: %v", err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, inventory.Errorf(inventory.EInvalid, "file", "the workbook has no sheet")
		}
		// Raw values: a number formatted as 1,234.50 reads as 1234.5.
		rows, err = f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, inventory.Errorf(inventory.EInvalid, "file", "sheet %s cannot be read: %v", sheets[0], err)
		}
	} else {
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		enc := "UTF-8"
		if !utf8.Valid(b) {
			d, err := simplifiedchinese.GBK.NewDecoder().Bytes(b)
			if err != nil {
				return nil, inventory.Errorf(inventory.EInvalid, "file", "is neither UTF-8 nor GBK text")
			}
			b, enc = d, "GBK"
		}
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = -1
		var err error
		if rows, err = r.ReadAll(); err != nil {
			return nil, inventory.Errorf(inventory.EInvalid, "file", "is not an XLSX workbook nor a CSV file: %v", err)
		}
		src := &Source{Format: format, Encoding: enc}
		return tableRecords(src, rows)
	}
	return tableRecords(&Source{Format: format}, rows)
}

func tableRecords(src *Source, rows [][]string) (*Source, error) {
	blank := func(row []string) bool {
		for _, c := range row {
			if strings.TrimSpace(c) != "" {
				return false
			}
		}
		return true
	}
	var header []string
	for _, row := range rows {
		if blank(row) {
			continue
		}
		if header == nil {
			for i, h := range row {
				h = strings.TrimSpace(h)
				if h == "" {
					return nil, inventory.Errorf(inventory.EInvalid, "file", "column %d has no name in the header row", i+1)
				}
				for _, prev := range header {
					if prev == h {
						return nil, inventory.Errorf(inventory.EInvalid, "file", "two columns are named %s", h)
					}
				}
				header = append(header, h)
			}
			continue
		}
		if len(row) > len(header) {
			return nil, inventory.Errorf(inventory.EInvalid, "file", "row %d has more cells than the header names", len(src.Records)+2)
		}
		props := map[string]any{}
		for i, c := range row {
			props[header[i]] = c
		}
		src.Records = append(src.Records, Record{Index: len(src.Records), Props: props})
	}
	if header == nil {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "is empty")
	}
	return src, nil
}

// figureTableLayer is the enterprise-figures layer as a file may fill it: its writable fields,
// plus credit_code (统一社会信用代码), source (来源) and date (数据日期) for the row's figures.
var figureTableLayer = func() *inventory.Layer {
	l := *inventory.FigureLayer
	l.Fields = nil
	for _, f := range inventory.FigureLayer.Fields {
		if f.Name == "credit_code" {
			f.Computed = false
		}
		if !f.Computed && f.Name != "code" {
			l.Fields = append(l.Fields, f)
		}
	}
	l.Fields = append(l.Fields, inventory.Field{Name: "source", Type: inventory.Text}, inventory.Field{Name: "date", Type: inventory.Date})
	return &l
}()

// PrepareFigures turns a table's rows into features of the enterprise-figures layer for year:
// columns renamed by mapping (or matched by name, case-insensitively), values converted, the
// code made of the row's credit_code and the year, and every figure given its source and date
// — the row's source and date columns, else defaultSource (the import's note, else "import")
// and today (inventory.FigureChange).
func PrepareFigures(src *Source, mapping map[string]string, year int, defaultSource string) error {
	if err := Prepare(figureTableLayer, src, mapping); err != nil {
		return err
	}
	if defaultSource == "" {
		defaultSource = "import"
	}
	today := inventory.DayOf(time.Now())
	for i := range src.Records {
		p := src.Records[i].Props
		cc, _ := p["credit_code"].(string)
		delete(p, "credit_code")
		if s, _ := p["source"].(string); s == "" {
			p["source"] = defaultSource
		}
		if d, _ := p["date"].(string); d == "" {
			p["date"] = today
		}
		props, err := inventory.FigureChange(p)
		if err != nil {
			return fmt.Errorf("row %d: %w", i+2, err)
		}
		props["code"] = strings.TrimSpace(cc) + "-" + strconv.Itoa(year)
		src.Records[i].Props = props
	}
	return nil
}
