package tabular

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// NewXLSXWriter writes a minimal .xlsx with one sheet named sheet, streaming
// rows into xl/worksheets/sheet1.xml, the last member of the zip. Cells are
// inline strings, except plain decimal numbers that Excel keeps exactly (see
// isExcelNumber); "" cells are left out. The first row is bold and frozen.
//
// sheet is made a valid Excel sheet name: []:*?/\ become "_", it is cut to 31
// characters, and "" becomes "Sheet1". Text longer than Excel's 32,767
// characters per cell is cut there (Excel would refuse the file); rows past
// 1,048,576 or 16,384 columns are refused with an error.
func NewXLSXWriter(w io.Writer, sheet string) Writer {
	zw := zip.NewWriter(w)
	// Level 1 deflates the repetitive sheet XML nearly as well as the default
	// at a fraction of the CPU, which matters for exports of a million rows.
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return &xlsxWriter{zw: zw, sheet: sanitizeSheetName(sheet)}
}

type xlsxWriter struct {
	zw      *zip.Writer
	sheet   string
	out     *bufio.Writer // the worksheet member
	buf     []byte        // one row of XML
	rows    int
	started bool
	closed  bool
	err     error // sticky: after a failed write the zip cannot be completed
}

func (x *xlsxWriter) WriteRow(cells []string) error {
	if x.closed {
		return errWriterClosed
	}
	if err := x.begin(); err != nil {
		return err
	}
	if x.rows >= maxExcelRows {
		return fmt.Errorf("tabular: an XLSX sheet holds at most %d rows", maxExcelRows)
	}
	if len(cells) > maxExcelCols {
		return fmt.Errorf("tabular: an XLSX sheet holds at most %d columns, the row has %d", maxExcelCols, len(cells))
	}
	x.rows++
	x.buf = appendRow(x.buf[:0], x.rows, cells)
	if _, err := x.out.Write(x.buf); err != nil {
		x.err = fmt.Errorf("tabular: writing XLSX: %w", err)
	}
	return x.err
}

func (x *xlsxWriter) Close() error {
	if x.closed {
		return x.err
	}
	if err := x.begin(); err != nil {
		x.closed = true
		return err
	}
	x.closed = true
	_, _ = x.out.WriteString(sheetXMLTail)
	if err := x.out.Flush(); err != nil {
		x.err = fmt.Errorf("tabular: writing XLSX: %w", err)
		return x.err
	}
	if err := x.zw.Close(); err != nil {
		x.err = fmt.Errorf("tabular: writing XLSX: %w", err)
	}
	return x.err
}

// begin writes the fixed parts and opens the worksheet, once; it is put off
// until the first row so that NewXLSXWriter itself cannot fail.
func (x *xlsxWriter) begin() error {
	if x.started || x.err != nil {
		return x.err
	}
	x.started = true
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypesXML},
		{"_rels/.rels", rootRelsXML},
		{"xl/workbook.xml", workbookXMLHead + string(appendXMLText(nil, x.sheet)) + workbookXMLTail},
		{"xl/_rels/workbook.xml.rels", workbookRelsXML},
		{"xl/styles.xml", stylesXML},
	}
	for _, p := range parts {
		if err := x.writePart(p.name, p.body); err != nil {
			x.err = err
			return err
		}
	}
	sheet, err := x.create("xl/worksheets/sheet1.xml")
	if err != nil {
		x.err = err
		return err
	}
	x.out = bufio.NewWriterSize(sheet, 64<<10)
	_, _ = x.out.WriteString(sheetXMLHead)
	return nil
}

func (x *xlsxWriter) writePart(name, body string) error {
	w, err := x.create(name)
	if err == nil {
		_, err = io.WriteString(w, body)
	}
	if err != nil {
		return fmt.Errorf("tabular: writing XLSX %s: %w", name, err)
	}
	return nil
}

func (x *xlsxWriter) create(name string) (io.Writer, error) {
	w, err := x.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now()})
	if err != nil {
		return nil, fmt.Errorf("tabular: writing XLSX %s: %w", name, err)
	}
	return w, nil
}

// appendRow appends <row r="n"> with its non-empty cells; row 1 is bold.
func appendRow(dst []byte, n int, cells []string) []byte {
	dst = append(dst, `<row r="`...)
	dst = strconv.AppendInt(dst, int64(n), 10)
	dst = append(dst, `">`...)
	for i, v := range cells {
		if v == "" {
			continue // a gap: readers give "" for cells that are not there
		}
		dst = append(dst, `<c r="`...)
		dst = appendColumnName(dst, i+1)
		dst = strconv.AppendInt(dst, int64(n), 10)
		dst = append(dst, '"')
		if n == 1 {
			dst = append(dst, ` s="1"`...)
		}
		dst = appendCellValue(dst, v)
	}
	return append(dst, "</row>\n"...)
}

// appendCellValue appends the rest of a <c> element, from after its attributes.
func appendCellValue(dst []byte, v string) []byte {
	if isExcelNumber(v) {
		dst = append(dst, `><v>`...)
		dst = append(dst, v...)
		return append(dst, `</v></c>`...)
	}
	v = xmlChars(truncateCell(v))
	dst = append(dst, ` t="inlineStr"><is><t`...)
	if strings.TrimSpace(v) != v {
		dst = append(dst, ` xml:space="preserve"`...) // or Excel drops the spaces
	}
	dst = append(dst, '>')
	dst = appendXMLText(dst, v)
	return append(dst, `</t></is></c>`...)
}

// isExcelNumber reports whether s is a plain decimal ("-12", "0.5") that
// Excel stores exactly: at most 15 digits (its precision), no leading zeros
// (codes such as "007" must stay text), no "+", exponent, or spaces. An
// 18-digit ID card number therefore stays text, and is not shown as 1.2E+17.
func isExcelNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if intPart == "" || (hasPoint && frac == "") || len(intPart)+len(frac) > 15 {
		return false
	}
	if len(intPart) > 1 && intPart[0] == '0' {
		return false
	}
	return allDigits(intPart) && allDigits(frac)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// truncateCell cuts s to maxCellChars UTF-16 units, Excel's limit per cell.
func truncateCell(s string) string {
	if len(s) <= maxCellChars { // bytes ≥ UTF-16 units
		return s
	}
	units := 0
	for i, r := range s {
		n := utf16.RuneLen(r)
		if n < 0 {
			n = 1 // invalid UTF-8 becomes one U+FFFD
		}
		if units+n > maxCellChars {
			return s[:i]
		}
		units += n
	}
	return s
}

// sanitizeSheetName makes name acceptable to Excel (see NewXLSXWriter).
func sanitizeSheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`[]:*?/\`, r):
			return '_'
		case r < 0x20 || r == utf8.RuneError || r == 0xFFFE || r == 0xFFFF:
			return -1
		}
		return r
	}, name)
	name = strings.Trim(name, "'") // Excel forbids a quote at either end
	if r := []rune(name); len(r) > 31 {
		name = strings.Trim(string(r[:31]), "'")
	}
	if name == "" {
		return "Sheet1"
	}
	if strings.EqualFold(name, "History") { // reserved by Excel
		return name + "_"
	}
	return name
}
