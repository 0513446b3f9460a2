package postgis_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer"
)

// xlsxOf writes rows as the first sheet of a workbook.
func xlsxOf(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportFiguresXLSX imports a tax office's workbook (Chinese headers mapped with --map) into
// the hand-made evaluation zone: a dry run changes nothing; a file with a bad credit code or an
// unknown firm is refused whole, each bad row named; a good file commits every row, each figure
// with the file's source.
func TestImportFiguresXLSX(t *testing.T) {
	db, codes, _ := evalZone(t)
	mapping := "统一社会信用代码=credit_code,实缴税金=tax_wan,用电量=electricity_kwh"
	head := []any{"统一社会信用代码", "实缴税金", "用电量", "source"}
	unknown := creditCode(t, "91141000MA000099")
	run := func(rows [][]any, dry bool) (*importer.Report, error) {
		return importer.Run(planner, db, tempFile(t, xlsxOf(t, rows)), importer.Params{Layer: "enterprise-figures", Year: 2024, Map: mapping, DryRun: dry})
	}
	count := func() int {
		var n int
		if err := db.Pool.QueryRow(planner, "select count(*) from enterprise_figures where year = 2024").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	good := [][]any{head, {codes["F1"], 1234.5, 100000, "税务局"}, {codes["F2"], 88, 5000, "税务局"}}
	rep, err := run(good, true)
	if err != nil || len(rep.Rejected) != 0 || rep.Committed || rep.Created != 0 || rep.WouldCreate != 2 || count() != 0 {
		t.Fatalf("dry run: %+v %v, %d rows written", rep, err, count())
	}
	bad := [][]any{head, {codes["F1"], 1234.5, 100000, "税务局"}, {codes["F2"][:17] + "0", 88, 5000, "税务局"}, {unknown, 1, 1, "税务局"}}
	rep, err = run(bad, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Committed || count() != 0 || len(rep.Rejected) != 2 {
		t.Fatalf("bad file: committed %v, %d rows written, rejected %+v", rep.Committed, count(), rep.Rejected)
	}
	if rj := rep.Rejected[0]; rj.Index != 1 || rj.Field != "credit_code" || !strings.Contains(rj.Reason, "checksum") {
		t.Errorf("bad credit code: %+v", rj)
	}
	if rj := rep.Rejected[1]; rj.Index != 2 || rj.Field != "credit_code" || !strings.Contains(rj.Reason, "no enterprise") {
		t.Errorf("unknown firm: %+v", rj)
	}
	rep, err = run(good, false)
	if err != nil || !rep.Committed || count() != 2 {
		t.Fatalf("good file: %+v %v", rep, err)
	}
	f, err := db.Get(planner, inventory.FigureLayer, "", inventory.FigureCode(codes["F1"], 2024))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(f.Confidential["tax_wan"]) != "1234.5" || f.Confidential["tax_wan_source"] != "税务局" || f.Confidential["electricity_kwh_source"] != "税务局" {
		t.Errorf("imported figures: %v", f.Confidential)
	}
	// A column the layer does not know is refused, naming it; so is a missing year.
	if _, err := run([][]any{{"统一社会信用代码", "利润"}, {codes["F1"], 1}}, true); err == nil || !strings.Contains(err.Error(), "利润") {
		t.Errorf("unknown column: %v", err)
	}
	if _, err := importer.Run(planner, db, tempFile(t, xlsxOf(t, good)), importer.Params{Layer: "enterprise-figures"}); inventory.ErrorKind(err) != inventory.EInvalid {
		t.Errorf("no year: %v", err)
	}
}

// TestImportFiguresCSV: a GBK CSV as Excel in China saves it, source from the note.
func TestImportFiguresCSV(t *testing.T) {
	db, codes, _ := evalZone(t)
	csv := "统一社会信用代码,综合能耗\n" + codes["F4"] + ",321\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(csv)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importer.Run(planner, db, tempFile(t, []byte(gbk)), importer.Params{Layer: "enterprise-figures", Year: 2025,
		Map: "统一社会信用代码=credit_code,综合能耗=energy_tce", Note: "统计局 2026-02"})
	if err != nil || !rep.Committed || rep.Updated != 1 {
		t.Fatalf("csv: %+v %v", rep, err)
	}
	f, err := db.Get(planner, inventory.FigureLayer, "", inventory.FigureCode(codes["F4"], 2025))
	if err != nil || fmt.Sprint(f.Confidential["energy_tce"]) != "321" || f.Confidential["energy_tce_source"] != "统计局 2026-02" ||
		f.Confidential["tax_wan_source"] != "税务局" {
		t.Errorf("after the csv: %v %v", f, err)
	}
}

// tempFile writes b to a file of the test's and returns its path (importer.Run reads files).
func tempFile(t *testing.T, b []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "figures")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}
