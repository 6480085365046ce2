package tabular

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// produce is a table with what breaks naive CSV handling: Chinese text,
// quotes, delimiters and line breaks inside fields.
var produce = [][]string{
	{"品名", "产地", "价格（元/斤）", "备注"},
	{"丹东草莓", "辽宁丹东", "12.5", `红颜, "九九"`},
	{"盘锦大米", "辽宁盘锦", "3", "蟹田稻\n五常同款"},
	{"鞍山南果梨", "辽宁鞍山", "6.8", ""},
	{"plain", "a;b\tc", "-1", `""`},
}

// stdCSV encodes rows with encoding/csv, as other programs would.
func stdCSV(t testing.TB, rows [][]string, comma rune) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = comma
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func toGBK(t testing.TB, b []byte) []byte {
	t.Helper()
	out, err := simplifiedchinese.GBK.NewEncoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCSVWriterOutput(t *testing.T) {
	got := string(writeRows(t, NewCSVWriter, [][]string{{"品名", "a,b"}, {"x\ny", `q"`}}))
	want := "\uFEFF品名,\"a,b\"\r\n\"x\r\ny\",\"q\"\"\"\r\n"
	mustEqual(t, "CSV bytes", got, want)
}

func TestCSVRoundTrips(t *testing.T) {
	plain := stdCSV(t, produce, ',')
	cases := []struct {
		name, enc string
		data      []byte
	}{
		{"utf-8", encUTF8, plain},
		{"utf-8 with BOM", encUTF8BOM, append(append([]byte{}, bomUTF8...), plain...)},
		{"gbk", encGBK, toGBK(t, plain)},
		{"written by NewCSVWriter", encUTF8BOM, writeRows(t, NewCSVWriter, produce)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Open(writeTemp(t, "export.csv", c.data))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			mustEqual(t, "encoding", r.Encoding(), c.enc)
			mustEqual(t, "header", r.Header(), produce[0])
			rows, nums := readAll(t, r)
			mustEqual(t, "rows", rows, produce[1:])
			// 盘锦大米's record spans lines 3-4, so 鞍山南果梨 is on line 5.
			mustEqual(t, "row numbers", nums, []int{2, 3, 5, 6})
		})
	}
}

func TestCSVDelimiters(t *testing.T) {
	for _, comma := range []rune{',', ';', '\t'} {
		r, err := NewCSVReader(bytes.NewReader(stdCSV(t, produce, comma)))
		if err != nil {
			t.Fatal(err)
		}
		mustEqual(t, "header with "+string(comma), r.Header(), produce[0])
		rows, _ := readAll(t, r)
		mustEqual(t, "rows with "+string(comma), rows, produce[1:])
	}
	// Commas inside a quoted header name do not count.
	r, err := NewCSVReader(strings.NewReader("\"a,b,c\";d\n1;2\n"))
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "header", r.Header(), []string{"a,b,c", "d"})
}

func TestCSVRowShapes(t *testing.T) {
	in := "\uFEFF 姓名 , 电话 ,地址,,\r\n" + // trailing empty names dropped, names trimmed
		"张三,13800000001\r\n" + // short: padded
		",,,\r\n" + // empty: skipped
		"\r\n" + // blank line: skipped
		"  ,\t, \r\n" + // only spaces: skipped
		"李四,13900000002,沈阳,,\r\n" + // empty cells past the header: dropped
		"王五,13700000003,大连,多余,\r\n" // extra content: kept
	r, err := NewCSVReader(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "encoding", r.Encoding(), encUTF8BOM)
	mustEqual(t, "header", r.Header(), []string{"姓名", "电话", "地址"})
	rows, nums := readAll(t, r)
	mustEqual(t, "rows", rows, [][]string{
		{"张三", "13800000001", ""},
		{"李四", "13900000002", "沈阳"},
		{"王五", "13700000003", "大连", "多余"},
	})
	mustEqual(t, "row numbers", nums, []int{2, 6, 7})
	if _, _, err := r.Next(); err != io.EOF {
		t.Fatalf("after the end: %v, want io.EOF", err)
	}
}

func TestCSVHeaderOnly(t *testing.T) {
	for _, in := range []string{"a,b", "a,b\r\n", "\n\na,b\n\n,\n"} {
		r, err := NewCSVReader(strings.NewReader(in))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		mustEqual(t, "header", r.Header(), []string{"a", "b"})
		if _, _, err := r.Next(); err != io.EOF {
			t.Fatalf("%q: Next = %v, want io.EOF", in, err)
		}
	}
}

// A GBK file whose first 64 KiB are plain ASCII must not be taken for UTF-8.
func TestCSVGBKAfterLongASCII(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("id,phone,name\n")
	n := 0
	for b.Len() < 3*sniffSize {
		n++
		b.WriteString("1,13800000001,abc\n")
	}
	b.Write(toGBK(t, []byte("2,13800000002,鞍山南果梨\n")))
	r, err := NewCSVReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	rows, nums := readAll(t, r)
	mustEqual(t, "last row", rows[len(rows)-1], []string{"2", "13800000002", "鞍山南果梨"})
	mustEqual(t, "last row number", nums[len(nums)-1], n+2)
	mustEqual(t, "encoding", r.Encoding(), encGBK)
}

// UTF-8 judged on the first 64 KiB, GBK bytes later: an error at that row,
// not garbled text.
func TestCSVInvalidTextLater(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("品名,价格\n")
	n := 1
	for b.Len() < 2*sniffSize {
		n++
		b.WriteString("丹东草莓,12\n")
	}
	b.Write(toGBK(t, []byte("盘锦大米,3\n")))
	r, err := NewCSVReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	read, err := nextErr(r)
	mustBe(t, err, ErrFormat, ErrEncoding)
	mustEqual(t, "rows before the error", read, n-1)
	mustEqual(t, "error row", rowOf(err), n+1)
	// The reader stays failed.
	if _, _, again := r.Next(); again != err {
		t.Fatalf("Next after an error = %v, want the same error", again)
	}
}

func TestCSVBadInput(t *testing.T) {
	binary := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range binary {
		binary[i] = byte(rng.Uint32())
	}
	cases := []struct {
		name    string
		data    []byte
		want    []error
		wantRow int // of a RowError; 0 for none
	}{
		{"zero bytes", nil, []error{ErrEmpty}, 0},
		{"BOM only", bomUTF8, []error{ErrEmpty}, 0},
		{"blank lines", []byte("\r\n\n ,\t\n"), []error{ErrEmpty}, 0},
		{"random binary", binary, []error{ErrEncoding}, 0},
		{"latin-1", []byte("caf\xe9,cr\xe8me\n"), []error{ErrEncoding}, 0},
		{"utf-16", append([]byte{0xFF, 0xFE}, "a\x00,\x00b\x00"...), []error{ErrEncoding}, 0},
		{"NUL bytes", []byte("a,b\n\x00\x00\x00\n"), []error{ErrEncoding}, 0},
		{"open quote in the header", []byte("a,\"b\nc"), []error{ErrFormat, csv.ErrQuote}, 1},
		{"bare quote", []byte("a,b\nx,y\"z\n"), []error{ErrFormat, csv.ErrBareQuote}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := openAndDrain(writeTemp(t, "in.csv", c.data))
			mustBe(t, err, c.want...)
			mustEqual(t, "row", rowOf(err), c.wantRow)
		})
	}
}

func TestCSVBrokenQuoteInData(t *testing.T) {
	r, err := NewCSVReader(strings.NewReader("h1,h2\nx,y\na,\"b\nc\n"))
	if err != nil {
		t.Fatal(err)
	}
	read, err := nextErr(r)
	mustEqual(t, "rows before the error", read, 1)
	mustBe(t, err, ErrFormat, csv.ErrQuote)
	mustEqual(t, "error row", rowOf(err), 3)
	if !strings.Contains(err.Error(), "row 3") {
		t.Errorf("message %q does not name row 3", err)
	}
}

// An unterminated quote must fail within maxRecordBytes, not after reading
// the rest of a 200 MB file into one field.
func TestCSVRecordTooLong(t *testing.T) {
	defer func(old int64) { maxRecordBytes = old }(maxRecordBytes)
	maxRecordBytes = 4 << 10
	in := "h1,h2\n1,2\n3,\"open" + strings.Repeat("\nmore text", 10_000)
	r, err := NewCSVReader(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	_, err = nextErr(r)
	mustBe(t, err, ErrFormat, errRecordTooLong)
	mustEqual(t, "error row", rowOf(err), 3)
}

func TestCSVWriterReplacesInvalidUTF8(t *testing.T) {
	got := writeRows(t, NewCSVWriter, [][]string{{"ok", "bad\xffbyte"}})
	mustEqual(t, "CSV", string(got), "\uFEFFok,bad\uFFFDbyte\r\n")
}

func TestWriterAfterClose(t *testing.T) {
	for name, w := range map[string]Writer{"csv": NewCSVWriter(io.Discard), "xlsx": NewXLSXWriter(io.Discard, "s")} {
		if err := w.Close(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := w.WriteRow([]string{"a"}); !errors.Is(err, errWriterClosed) {
			t.Fatalf("%s: WriteRow after Close = %v", name, err)
		}
		if err := w.Close(); err != nil {
			t.Fatalf("%s: second Close: %v", name, err)
		}
	}
}

func TestOpenLegacyXLS(t *testing.T) {
	_, err := Open(writeTemp(t, "old.xls", append(append([]byte{}, sigOLE...), make([]byte, 512)...)))
	mustBe(t, err, ErrFormat)
}

func TestDetectEncodingEdges(t *testing.T) {
	// A UTF-8 character cut by the end of the sniff window is still UTF-8.
	head := append(bytes.Repeat([]byte("a"), sniffSize-1), "草莓\n"...)
	r, err := NewCSVReader(bytes.NewReader(head))
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "encoding", r.Encoding(), encUTF8)
	// So is a GBK character cut there.
	gbk := append(bytes.Repeat([]byte("a"), sniffSize-1), toGBK(t, []byte("草莓\n"))...)
	r, err = NewCSVReader(bytes.NewReader(gbk))
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "encoding", r.Encoding(), encGBK)
	mustEqual(t, "header", r.Header(), []string{strings.Repeat("a", sniffSize-1) + "草莓"})
}

// Binary data after a long ASCII start is caught where it starts.
func TestCSVBinaryAfterLongASCII(t *testing.T) {
	for name, tail := range map[string]string{"NUL bytes": "x,\x00\x00\n", "neither UTF-8 nor GBK": "x,\xff\xff\n"} {
		var b bytes.Buffer
		b.WriteString("id,phone\n")
		n := 1
		for b.Len() < 2*sniffSize {
			n++
			b.WriteString("1,13800000001\n")
		}
		b.WriteString(tail)
		r, err := NewCSVReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		read, err := nextErr(r)
		mustBe(t, err, ErrEncoding, ErrFormat)
		mustEqual(t, name+": rows before the error", read, n-1)
		mustEqual(t, name+": error row", rowOf(err), n+1)
	}
}

// TestCSVFormulaCells: cells a spreadsheet would run as formulas are
// written with a leading apostrophe and read back as they were; numbers
// are left alone.
func TestCSVFormulaCells(t *testing.T) {
	cells := []string{"=HYPERLINK(\"http://x\",\"点我\")", "+86 138", "-5", "+3.5", "@SUM(A1)", "-", "'=keep", "普通"}
	var buf bytes.Buffer
	w := NewCSVWriter(&buf)
	if err := w.WriteRow([]string{"a", "b", "c", "d", "e", "f", "g", "h"}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRow(cells); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, bad := range []string{",=HYPERLINK", "\n=HYPERLINK", ",+86", ",@SUM"} {
		if strings.Contains(text, bad) {
			t.Errorf("a formula cell went out unescaped (%q) in %q", bad, text)
		}
	}
	if !strings.Contains(text, ",-5,+3.5,") {
		t.Errorf("numbers were escaped: %q", text)
	}
	r, err := NewCSVReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	for i := range cells {
		if got[i] != cells[i] {
			t.Errorf("cell %d: read %q, wrote %q", i, got[i], cells[i])
		}
	}
}
