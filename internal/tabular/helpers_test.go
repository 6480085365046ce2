package tabular

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readAll drains r, failing the test on any error but io.EOF.
func readAll(t testing.TB, r Reader) (rows [][]string, nums []int) {
	t.Helper()
	for {
		row, n, err := r.Next()
		if err == io.EOF {
			return rows, nums
		}
		if err != nil {
			t.Fatalf("Next after %d rows: %v", len(rows), err)
		}
		rows = append(rows, row)
		nums = append(nums, n)
	}
}

// nextErr reads until an error and returns it with the rows read before it.
func nextErr(r Reader) (int, error) {
	for i := 0; ; i++ {
		if _, _, err := r.Next(); err != nil {
			return i, err
		}
	}
}

// openAndDrain opens path and reads it to the end, returning the first error
// other than io.EOF, from Open or from Next.
func openAndDrain(path string) error {
	r, err := Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := nextErr(r); err != io.EOF {
		return err
	}
	return nil
}

func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeRows writes rows through w into a byte slice.
func writeRows(t testing.TB, newWriter func(io.Writer) Writer, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := newWriter(&buf)
	for _, r := range rows {
		if err := w.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xlsxWriterNamed(sheet string) func(io.Writer) Writer {
	return func(w io.Writer) Writer { return NewXLSXWriter(w, sheet) }
}

// openBytesXLSX reads an in-memory .xlsx through the same path as OpenXLSX.
func openBytesXLSX(data []byte) (Reader, error) {
	z, err := openZip(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	src, err := newXLSXSource(z, nil)
	if err != nil {
		return nil, err
	}
	return newTable(src)
}

func openZip(data []byte) (*zip.Reader, error) {
	return zip.NewReader(bytes.NewReader(data), int64(len(data)))
}

// zipOf builds a zip archive from name → content pairs, in the order given.
func zipOf(t testing.TB, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, parts[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sharedStringsXLSX builds, by hand, an .xlsx whose text cells all refer to
// the shared strings table, as Excel and WPS save files.
func sharedStringsXLSX(t testing.TB, rows [][]string) []byte {
	t.Helper()
	index := map[string]int{}
	var sst, sheet strings.Builder
	sheet.WriteString(sheetXMLHead)
	for i, row := range rows {
		fmt.Fprintf(&sheet, `<row r="%d">`, i+1)
		for j, v := range row {
			ref := string(appendColumnName(nil, j+1)) + fmt.Sprint(i+1)
			if isExcelNumber(v) {
				fmt.Fprintf(&sheet, `<c r="%s"><v>%s</v></c>`, ref, v)
				continue
			}
			k, ok := index[v]
			if !ok {
				k = len(index)
				index[v] = k
				fmt.Fprintf(&sst, `<si><t>%s</t></si>`, appendXMLText(nil, v))
			}
			fmt.Fprintf(&sheet, `<c r="%s" t="s"><v>%d</v></c>`, ref, k)
		}
		sheet.WriteString("</row>")
	}
	sheet.WriteString(sheetXMLTail)
	return zipOf(t,
		"[Content_Types].xml", contentTypesXML,
		"_rels/.rels", rootRelsXML,
		"xl/workbook.xml", workbookXMLHead+"S"+workbookXMLTail,
		"xl/_rels/workbook.xml.rels", workbookRelsXML,
		"xl/sharedStrings.xml", xmlDecl+fmt.Sprintf(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="%d">`, len(index))+sst.String()+`</sst>`,
		"xl/worksheets/sheet1.xml", sheet.String(),
	)
}

func mustEqual(t testing.TB, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got  %q\n want %q", what, got, want)
	}
}

// mustBe checks that err matches every target.
func mustBe(t testing.TB, err error, targets ...error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", targets)
	}
	for _, target := range targets {
		if !errors.Is(err, target) {
			t.Fatalf("error %q does not match %v", err, target)
		}
	}
}

// rowOf returns the row of a *RowError in err's chain, or 0.
func rowOf(err error) int {
	var re *RowError
	if errors.As(err, &re) {
		return re.Row
	}
	return 0
}
