package tabular

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Interop with excelize, a real XLSX producer and consumer, in both directions.

func TestReadExcelizeWorkbook(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	// "产品" is created second (sheet2.xml) but moved to be the first tab.
	if _, err := f.NewSheet("产品"); err != nil {
		t.Fatal(err)
	}
	must(t, f.MoveSheet("产品", "Sheet1"))
	must(t, f.SetCellValue("Sheet1", "A1", "not the first tab"))
	cells := []struct {
		ref string
		v   any
	}{
		{"A1", "品名"}, {"B1", "价格"}, {"C1", "产地"}, {"D1", "有货"}, {"E1", "备注"},
		{"A2", "丹东草莓"}, {"B2", 12.5}, {"C2", "辽宁丹东"}, {"D2", true},
		{"A3", "盘锦大米"}, {"B3", 3}, {"D3", false}, {"E3", "第一行\n第二行"}, // C3 left empty: a gap
		{"A5", "鞍山南果梨"}, {"B5", 6.8}, {"C5", "辽宁丹东"}, // row 4 left empty; a repeated shared string
	}
	for _, c := range cells {
		must(t, f.SetCellValue("产品", c.ref, c.v))
	}
	must(t, f.SetCellRichText("产品", "E2", []excelize.RichTextRun{
		{Text: "红颜"}, {Text: "九九", Font: &excelize.Font{Bold: true, Color: "FF0000"}},
	}))
	path := filepath.Join(t.TempDir(), "excelize.xlsx")
	must(t, f.SaveAs(path))

	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mustEqual(t, "encoding", r.Encoding(), encXLSX)
	mustEqual(t, "header", r.Header(), []string{"品名", "价格", "产地", "有货", "备注"})
	rows, nums := readAll(t, r)
	mustEqual(t, "rows", rows, [][]string{
		{"丹东草莓", "12.5", "辽宁丹东", "TRUE", "红颜九九"},
		{"盘锦大米", "3", "", "FALSE", "第一行\n第二行"},
		{"鞍山南果梨", "6.8", "辽宁丹东", "", ""},
	})
	mustEqual(t, "row numbers", nums, []int{2, 3, 5})

	// And excelize agrees on every cell.
	want, err := f.GetRows("产品")
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "excelize's view", trimRows(append([][]string{r.Header()}, rows...)), trimRows(dropEmpty(want)))
}

func TestReadExcelizeStream(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	must(t, sw.SetRow("A1", []any{"品名", "数量", "单价"}))
	const n = 2000
	for i := 2; i <= n; i++ {
		must(t, sw.SetRow("A"+strconv.Itoa(i), []any{fmt.Sprintf("农产品%d", i), i, float64(i) / 4}))
	}
	must(t, sw.Flush())
	path := filepath.Join(t.TempDir(), "stream.xlsx")
	must(t, f.SaveAs(path))

	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rows, nums := readAll(t, r)
	mustEqual(t, "row count", len(rows), n-1)
	for i, row := range rows {
		k := i + 2
		want := []string{fmt.Sprintf("农产品%d", k), strconv.Itoa(k), strconv.FormatFloat(float64(k)/4, 'f', -1, 64)}
		if nums[i] != k || fmt.Sprint(row) != fmt.Sprint(want) {
			t.Fatalf("row %d = %q, want row %d = %q", nums[i], row, k, want)
		}
	}
}

func TestExcelizeReadsOurXLSX(t *testing.T) {
	rows := append(append([][]string{}, produce...),
		[]string{"gap", "", "after the gap"},
		[]string{"<&>", "line\r\nbreak", "  spaces  ", "_x000D_ literal"},
		[]string{"007", "13800000001", "210102199001011234", "-0.25"},
	)
	path := writeTemp(t, "ours.xlsx", writeRows(t, xlsxWriterNamed("产品"), rows))
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mustEqual(t, "sheets", f.GetSheetList(), []string{"产品"})
	got, err := f.GetRows("产品")
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "cells", trimRows(got), trimRows(rows))
	for ref, want := range map[string]excelize.CellType{
		"A1": excelize.CellTypeInlineString, "C2": excelize.CellTypeUnset, // a number: no t attribute
		"A8": excelize.CellTypeInlineString, "B8": excelize.CellTypeUnset, "C8": excelize.CellTypeInlineString,
	} {
		typ, err := f.GetCellType("产品", ref)
		if err != nil || typ != want {
			t.Errorf("type of %s = %v, %v; want %v", ref, typ, err, want)
		}
	}
	panes, err := f.GetPanes("产品")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v; want the header row frozen", panes, err)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// trimRows drops trailing "" cells, which readers may or may not return.
func trimRows(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = r[:lenWithoutTrailingEmpty(r, 0)]
	}
	return out
}

// dropEmpty removes completely empty rows, as a Reader skips them.
func dropEmpty(rows [][]string) [][]string {
	var out [][]string
	for _, r := range rows {
		if !isEmptyRow(r) {
			out = append(out, r)
		}
	}
	return out
}
