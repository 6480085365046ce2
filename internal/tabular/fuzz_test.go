package tabular

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// readerInvariants drains r and checks what every Reader promises, whatever
// the input: rows at least as wide as the header, row numbers rising, and
// only io.EOF or ErrFormat to end.
func readerInvariants(t *testing.T, r Reader) {
	t.Helper()
	width, last := len(r.Header()), 0
	for i := 0; i < 100_000; i++ {
		row, n, err := r.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("Next: %v is not ErrFormat", err)
			}
			return
		}
		if len(row) < width {
			t.Fatalf("row %d has %d cells, the header %d", n, len(row), width)
		}
		if n <= last {
			t.Fatalf("row number %d after %d", n, last)
		}
		if isEmptyRow(row) {
			t.Fatalf("empty row %d returned", n)
		}
		last = n
	}
}

func FuzzCSVReader(f *testing.F) {
	for _, seed := range []string{
		"品名,价格\n丹东草莓,12.5\n",
		"\uFEFFa;b\r\n1;2\r\n",
		"a\tb\n\"x\ny\"\tz\n",
		"a,\"b\nc",
		"a,b\nx,y\"z\n",
		"h\n,,,\n\n ,\n1\n",
		"\xef\xbb\xbf",
		"\xff\xfea\x00",
		"caf\xe9\n",
	} {
		f.Add([]byte(seed))
	}
	f.Add(toGBK(f, []byte("产地,备注\n盘锦,\"蟹田\n大米\"\n")))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewCSVReader(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrEncoding) && !errors.Is(err, ErrFormat) {
				t.Fatalf("NewCSVReader: unexpected error %v", err)
			}
			return
		}
		for _, h := range r.Header() {
			if !utf8.ValidString(h) {
				t.Fatalf("header %q is not UTF-8", h)
			}
		}
		readerInvariants(t, r)
	})
}

// FuzzCSVRoundTrip: any cell written by NewCSVWriter reads back the same,
// but for line breaks inside cells, which all read back as "\n".
func FuzzCSVRoundTrip(f *testing.F) {
	for _, seed := range []string{"丹东草莓", `红颜, "九九"`, "a\nb", "a\r\nb", " lead", "", "\uFEFFbom", "\\."} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		data := writeRows(t, NewCSVWriter, [][]string{{"h1", "h2"}, {cell, "x"}})
		r, err := NewCSVReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := readAll(t, r)
		want := crlfToLF.Replace(strings.ToValidUTF8(cell, "\uFFFD"))
		if len(rows) != 1 || rows[0][0] != want {
			t.Fatalf("read back %q, want %q", rows, want)
		}
	})
}

// FuzzXLSXSheet feeds the sheet XML parser arbitrary bytes.
func FuzzXLSXSheet(f *testing.F) {
	for _, seed := range []string{
		sheetXML("", `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c></row>`),
		sheetXML("x:", `<x:row r="2"><x:c r="B2" t="b"><x:v>1</x:v></x:c></x:row>`),
		sheetXML("", `<row r="1"><c r="XFD1"><v>1</v></c></row><row><c><v>2</v></c></row>`),
		sheetXML("", `<row r="1"><c r="A1" t="s"><v>9</v></c></row>`),
		`<worksheet><sheetData><row r="1"><c r="A1"><v>`,
		`<sheetData/>`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := newSheetParser(bytes.NewReader(data), []string{"品名", "丹东草莓"})
		for i := 0; i < 100_000; i++ {
			cells, n, err := p.next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if !errors.Is(err, ErrFormat) || rowOf(err) < 1 {
					t.Fatalf("next: %v is not a RowError", err)
				}
				return
			}
			if n < 1 || n > maxExcelRows || len(cells) > maxExcelCols {
				t.Fatalf("row %d with %d cells", n, len(cells))
			}
		}
	})
}

// FuzzXLSXRoundTrip: any cell written by NewXLSXWriter reads back as
// written, less the characters XML cannot carry.
func FuzzXLSXRoundTrip(f *testing.F) {
	for _, seed := range []string{"丹东草莓", "<&>\"'", "a\r\nb", "_x000D_", "_x005F_x0041_", " lead", "12.5", "007", "\x00\x1f\ufffe"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		data := writeRows(t, xlsxWriterNamed("s"), [][]string{{"h1", "h2"}, {cell, "x"}})
		r, err := openBytesXLSX(data)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := readAll(t, r)
		want := xmlCleaned(truncateCell(cell))
		if len(rows) != 1 || rows[0][0] != want {
			t.Fatalf("read back %q, want %q", rows, want)
		}
	})
}

// xmlCleaned is s as appendXMLText leaves it once parsed: invalid UTF-8 as
// U+FFFD, characters XML 1.0 forbids gone.
func xmlCleaned(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
