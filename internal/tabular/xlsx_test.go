package tabular

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

func TestXLSXRoundTrip(t *testing.T) {
	rows := append(append([][]string{}, produce...),
		[]string{"gap", "", "after the gap"},
		[]string{"<&>\"'", "line\r\nbreak", "  spaces  ", "_x000D_ literal"},
		[]string{"007", "13800000001", "210102199001011234", "1e5"},
		[]string{"-0.25", "12.50", "+3", " 4"},
	)
	r, err := OpenXLSX(writeTemp(t, "export.xlsx", writeRows(t, xlsxWriterNamed("产品"), rows)))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mustEqual(t, "encoding", r.Encoding(), encXLSX)
	mustEqual(t, "header", r.Header(), rows[0])
	got, nums := readAll(t, r)
	mustEqual(t, "rows", got, padRows(rows[1:], len(rows[0])))
	mustEqual(t, "row numbers", nums, []int{2, 3, 4, 5, 6, 7, 8, 9})
}

// padRows pads rows to width, as a Reader does.
func padRows(rows [][]string, width int) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = fitRow(r, width)
	}
	return out
}

func TestXLSXWriterCells(t *testing.T) {
	data := writeRows(t, xlsxWriterNamed("s"), [][]string{
		{"品名", "价格"},
		{"丹东\x00草莓\x1f", "12.5", "", "007", "\xff", " x"},
	})
	r, err := openBytesXLSX(data)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := readAll(t, r)
	mustEqual(t, "cleaned row", got[0], []string{"丹东草莓", "12.5", "", "007", "\uFFFD", " x"})

	sheet := readZipMember(t, data, "xl/worksheets/sheet1.xml")
	for _, want := range []string{
		`<c r="A1" s="1" t="inlineStr"><is><t>品名</t></is></c>`,
		`<c r="B2"><v>12.5</v></c>`,
		`<c r="D2" t="inlineStr"><is><t>007</t></is></c>`,
		`<t xml:space="preserve"> x</t>`,
	} {
		if !strings.Contains(sheet, want) {
			t.Errorf("sheet XML lacks %s", want)
		}
	}
	if strings.Contains(sheet, `r="C2"`) {
		t.Error("an empty cell was written")
	}
}

func readZipMember(t testing.TB, data []byte, name string) string {
	t.Helper()
	z, err := openZip(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no %s in the archive", name)
	return ""
}

func TestIsExcelNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "12": true, "-12": true, "12.5": true, "0.25": true, "-0.5": true,
		"123456789012345": true, "1234567890.12345": true,
		"": false, "-": false, "007": false, "01.5": false, "+3": false, "1e5": false, "1.": false,
		".5": false, " 4": false, "4 ": false, "1,000": false, "1234567890123456": false,
		"210102199001011234": false, "12.5.1": false, "--1": false,
	} {
		if got := isExcelNumber(s); got != want {
			t.Errorf("isExcelNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestSanitizeSheetName(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "Sheet1",
		"产品":                    "产品",
		"a/b\\c[d]e:f*g?h":      "a_b_c_d_e_f_g_h",
		"'quoted'":              "quoted",
		"history":               "history_",
		strings.Repeat("长", 40): strings.Repeat("长", 31),
		"tab\there":             "tabhere",
	} {
		if got := sanitizeSheetName(in); got != want {
			t.Errorf("sanitizeSheetName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTruncateCell(t *testing.T) {
	long := strings.Repeat("草", maxCellChars+10)
	mustEqual(t, "length", len([]rune(truncateCell(long))), maxCellChars)
	// An astral character counts as two UTF-16 units, and is not split.
	astral := strings.Repeat("a", maxCellChars-1) + "😀" + "b"
	mustEqual(t, "astral", truncateCell(astral), strings.Repeat("a", maxCellChars-1))
	mustEqual(t, "short", truncateCell("短"), "短")
}

func TestOOXMLEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"a_x000D_b":         "a\rb",
		"_x005F_x000D_":     "_x000D_",
		"_x4e2D_":           "中",
		"_xD800_":           "_xD800_", // a lone surrogate stays as written
		"_x00_":             "_x00_",
		"no escapes _x":     "no escapes _x",
		"_x0041__x0042_end": "ABend",
	} {
		if got := unescapeOOXML(in); got != want {
			t.Errorf("unescapeOOXML(%q) = %q, want %q", in, got, want)
		}
	}
	// What the writer escapes, a reader gives back as it was.
	for _, s := range []string{"_x000D_", "a_x005F_b", "_x41_", "__x0041__", "_x0041_x0042_"} {
		if got := unescapeOOXML(string(appendXMLText(nil, s))); got != s {
			t.Errorf("escape then unescape %q = %q", s, got)
		}
	}
}

func TestColumnNames(t *testing.T) {
	for col, name := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA", maxExcelCols: "XFD"} {
		if got := string(appendColumnName(nil, col)); got != name {
			t.Errorf("column %d = %q, want %q", col, got, name)
		}
		if got := parseColumn(name + "12"); got != col {
			t.Errorf("parseColumn(%q) = %d, want %d", name+"12", got, col)
		}
	}
	for _, bad := range []string{"", "12", "A1B", "XFE1", "AAAAAAAAAAAAAAAAAAAAA1", "$A$1"} {
		if got := parseColumn(bad); got != 0 {
			t.Errorf("parseColumn(%q) = %d, want 0", bad, got)
		}
	}
}

// sheetXML wraps rows of sheet XML in a worksheet, with prefix p on the
// elements ("" or "x:") to check that prefixes do not matter.
func sheetXML(p, rows string) string {
	return `<?xml version="1.0"?><` + p + `worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><` +
		p + `sheetData>` + rows + `</` + p + `sheetData></` + p + `worksheet>`
}

func TestSheetParser(t *testing.T) {
	sst := []string{"品名", "丹东草莓"}
	rows := `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>产地</t></is></c></row>` +
		`<row r="3" spans="1:5"><c r="A3" t="s"><v>1</v></c><c r="B3"><v>12.5</v></c>` +
		`<c r="C3" t="inlineStr"><is><r><rPr><b/></rPr><t>辽宁</t></r><r><t xml:space="preserve"> 丹东</t></r>` +
		`<rPh sb="0" eb="1"><t>りょうねい</t></rPh></is></c>` +
		`<c r="D3" t="b"><v>1</v></c><c r="E3" t="b"><v>0</v></c></row>` +
		`<row><c t="str"><f>A1&amp;"x"</f><v>a_x000D_b</v></c><c t="e"><v>#N/A</v></c><c s="3"/><c t="d"><v>2026-01-02T00:00:00</v></c></row>` +
		`<row r="9" s="2" customFormat="1"/>` +
		`<row r="10"><c r="B10" s="1"/></row>`
	for _, prefix := range []string{"", "x:"} {
		if prefix != "" {
			rows = strings.NewReplacer("<row", "<x:row", "</row", "</x:row", "<c ", "<x:c ", "<c>", "<x:c>", "</c>", "</x:c>",
				"<v>", "<x:v>", "</v>", "</x:v>", "<is>", "<x:is>", "</is>", "</x:is>", "<t>", "<x:t>", "</t>", "</x:t>",
				"<t ", "<x:t ", "<r>", "<x:r>", "</r>", "</x:r>", "<rPh", "<x:rPh", "</rPh>", "</x:rPh>").Replace(rows)
		}
		p := newSheetParser(strings.NewReader(sheetXML(prefix, rows)), sst)
		var got [][]string
		var nums []int
		for {
			cells, n, err := p.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("prefix %q: %v", prefix, err)
			}
			got = append(got, append([]string(nil), cells...))
			nums = append(nums, n)
		}
		mustEqual(t, "cells, prefix "+prefix, got, [][]string{
			{"品名", "", "产地"},
			{"丹东草莓", "12.5", "辽宁 丹东", "TRUE", "FALSE"},
			{"a\rb", "#N/A", "", "2026-01-02T00:00:00"},
			nil,
			{"", ""},
		})
		mustEqual(t, "row numbers, prefix "+prefix, nums, []int{1, 3, 4, 9, 10})
	}
}

func TestSheetParserErrors(t *testing.T) {
	for name, rows := range map[string]string{
		"shared string out of range": `<row r="1"><c r="A1" t="s"><v>7</v></c></row>`,
		"shared string not a number": `<row r="1"><c r="A1" t="s"><v>x</v></c></row>`,
		"bad cell reference":         `<row r="1"><c r="1A"><v>1</v></c></row>`,
		"column past XFD":            `<row r="1"><c r="XFE1"><v>1</v></c></row>`,
		"row zero":                   `<row r="0"><c r="A1"><v>1</v></c></row>`,
		"row past the limit":         `<row r="1048577"><c r="A1"><v>1</v></c></row>`,
		"row not a number":           `<row r="x"/>`,
		"cut short":                  `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>`,
	} {
		xml := sheetXML("", rows)
		if name == "cut short" {
			xml = `<worksheet><sheetData>` + rows
		}
		p := newSheetParser(strings.NewReader(xml), []string{"only"})
		var err error
		for err == nil {
			_, _, err = p.next()
		}
		if err == io.EOF {
			t.Errorf("%s: no error", name)
			continue
		}
		mustBe(t, err, ErrFormat)
		if rowOf(err) < 1 {
			t.Errorf("%s: %v has no row", name, err)
		}
	}
}

func TestXLSXFirstWorksheet(t *testing.T) {
	// The first tab is a chart sheet; the first worksheet is sheet2.xml,
	// named by an absolute target, with shared strings at a custom path.
	ns := `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	rel := "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	data := zipOf(t,
		"xl/workbook.xml", `<workbook `+ns+`><sheets><sheet name="图" sheetId="1" r:id="rId9"/>`+
			`<sheet name="数据" sheetId="2" r:id="rId3"/><sheet name="其他" sheetId="3" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
			`<Relationship Id="rId1" Type="`+rel+`worksheet" Target="worksheets/sheet1.xml"/>`+
			`<Relationship Id="rId3" Type="`+rel+`worksheet" Target="/xl/worksheets/sheet2.xml"/>`+
			`<Relationship Id="rId9" Type="`+rel+`chartsheet" Target="chartsheets/sheet1.xml"/>`+
			`<Relationship Id="rId4" Type="`+rel+`sharedStrings" Target="strings/SST.xml"/></Relationships>`,
		"xl/strings/SST.xml", `<sst><si><t>right</t></si></sst>`,
		"xl/worksheets/sheet1.xml", sheetXML("", `<row r="1"><c r="A1" t="inlineStr"><is><t>wrong</t></is></c></row>`),
		"xl/worksheets/sheet2.xml", sheetXML("", `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`),
	)
	r, err := openBytesXLSX(data)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "header", r.Header(), []string{"right"})
}

func TestXLSXBadInput(t *testing.T) {
	good := writeRows(t, xlsxWriterNamed("s"), [][]string{{"a", "b"}, {"1", "2"}})
	corrupt := append([]byte{}, good...)
	// Damage the deflated worksheet, the last member, keeping the directory.
	sheetAt := bytes.Index(corrupt, []byte("xl/worksheets/sheet1.xml")) + len("xl/worksheets/sheet1.xml")
	for i := sheetAt; i < sheetAt+40; i++ {
		corrupt[i] ^= 0x5A
	}
	cases := map[string]struct {
		data []byte
		want error
	}{
		"zip without a workbook": {zipOf(t, "readme.txt", "hello"), ErrFormat},
		"empty zip":              {zipOf(t), ErrFormat},
		"truncated xlsx":         {good[:len(good)/2], ErrFormat},
		"corrupt sheet data":     {corrupt, ErrFormat},
		"no rows":                {writeRows(t, xlsxWriterNamed("s"), nil), ErrEmpty},
		"only empty rows":        {writeRows(t, xlsxWriterNamed("s"), [][]string{{"", " "}, {}}), ErrEmpty},
		"workbook not XML":       {zipOf(t, "xl/workbook.xml", "<workbook><sheets><sheet"), ErrFormat},
		"no worksheet":           {zipOf(t, "xl/workbook.xml", "<workbook/>"), ErrFormat},
		"bad shared strings": {zipOf(t, "xl/workbook.xml", "<workbook/>", "xl/worksheets/sheet1.xml", sheetXML("", ""),
			"xl/sharedStrings.xml", "<sst><si><t>x</si>"), ErrFormat},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			mustBe(t, openAndDrain(writeTemp(t, "in.xlsx", c.data)), c.want)
		})
	}
}

func TestMissingFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.xlsx")
	for name, open := range map[string]func(string) (Reader, error){"Open": Open, "OpenXLSX": OpenXLSX} {
		_, err := open(missing)
		if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrFormat) {
			t.Errorf("%s of a missing file: %v", name, err)
		}
	}
}

func TestXLSXHeaderOnly(t *testing.T) {
	r, err := Open(writeTemp(t, "h.xlsx", writeRows(t, xlsxWriterNamed("s"), [][]string{{" 品名 ", "价格", ""}})))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mustEqual(t, "header", r.Header(), []string{"品名", "价格"})
	if _, _, err := r.Next(); err != io.EOF {
		t.Fatalf("Next = %v, want io.EOF", err)
	}
}

func TestXLSXRowTooLong(t *testing.T) {
	defer func(old int64) { maxRecordBytes = old }(maxRecordBytes)
	maxRecordBytes = 4 << 10
	data := writeRows(t, xlsxWriterNamed("s"), [][]string{{"h"}, {"short"}, {strings.Repeat("长", 10_000)}, {"never read"}})
	r, err := openBytesXLSX(data)
	if err != nil {
		t.Fatal(err)
	}
	_, err = nextErr(r)
	mustBe(t, err, ErrFormat, errRecordTooLong)
}

// Some generators write relationship targets relative to the package root.
func TestXLSXRootRelativeTarget(t *testing.T) {
	data := zipOf(t,
		"xl/workbook.xml", `<workbook xmlns:r="urn:r"><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<Relationships><Relationship Id="rId1" Type="urn:x/worksheet" Target="xl/worksheets/data.xml"/></Relationships>`,
		"xl/worksheets/data.xml", sheetXML("", `<row r="1"><c r="A1" t="inlineStr"><is><t>found</t></is></c></row>`),
	)
	r, err := openBytesXLSX(data)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "header", r.Header(), []string{"found"})
}

// testdata/libreoffice.xlsx was saved by LibreOffice Calc 7.4 from a CSV
// that NewCSVWriter wrote: another real producer, with shared strings and
// the sheet properties, columns and views LibreOffice writes. LibreOffice's
// own CSV import made "007" the number 7 and the 18-digit ID a float; the
// reader returns what the file holds.
func TestReadLibreOfficeXLSX(t *testing.T) {
	r, err := Open(filepath.Join("testdata", "libreoffice.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mustEqual(t, "header", r.Header(), produce[0])
	rows, nums := readAll(t, r)
	mustEqual(t, "rows", rows, [][]string{
		produce[1], produce[2], produce[3], produce[4],
		{"gap", "", "after the gap", ""},
		{"<&>\"'", "line\nbreak", "  spaces  ", "_x000D_ literal"},
		{"7", "13800000001", "2.10102199001011E+017", "-0.25"},
	})
	mustEqual(t, "row numbers", nums, []int{2, 3, 4, 5, 6, 7, 8})
}
