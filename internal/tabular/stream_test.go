package tabular

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// exportRow is a row shaped like a 12316 export: id, name, phone, place, produce, amount, note.
func exportRow(i int) []string {
	return []string{
		strconv.Itoa(i), "王大山" + strconv.Itoa(i%1000), "138" + fmt.Sprintf("%08d", i),
		"辽宁省丹东市东港市", "丹东草莓", strconv.Itoa(i%997) + ".5", "红颜, \"九九\" 品种",
	}
}

var exportHeader = []string{"编号", "姓名", "电话", "地址", "产品", "数量", "备注"}

// writeExport writes a header and n rows with newWriter to a file.
func writeExport(t testing.TB, name string, n int, newWriter func(io.Writer) Writer) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	w := newWriter(bw)
	must(t, w.WriteRow(exportHeader))
	for i := 1; i <= n; i++ {
		must(t, w.WriteRow(exportRow(i)))
	}
	must(t, w.Close())
	must(t, bw.Flush())
	return path
}

// liveHeap is the heap in use after a collection: what is really retained.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// TestReadMemoryBounded reads a 200,000-row CSV (and a 10,000-row XLSX),
// checking that the live heap does not grow with the rows read. A reader that
// kept its rows would hold ~250 bytes a row: 50 MB, or 2.5 MB for the XLSX.
func TestReadMemoryBounded(t *testing.T) {
	const n = 200_000
	for _, c := range []struct {
		name      string
		newWriter func(io.Writer) Writer
		rows      int
	}{
		{"export.csv", NewCSVWriter, n},
		// encoding/xml is ~20x slower than encoding/csv, and far slower
		// again under -race: fewer rows, still more than the bound if kept.
		{"export.xlsx", xlsxWriterNamed("s"), n / 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeExport(t, c.name, c.rows, c.newWriter)
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var base, peak uint64
			for i := 1; ; i++ {
				_, _, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if i%(c.rows/10) == 0 {
					if h := liveHeap(); base == 0 {
						base = h
					} else {
						peak = max(peak, h)
					}
				}
			}
			t.Logf("%d rows: heap in use %.1f MB after the first tenth, at most %.1f MB later",
				c.rows, float64(base)/1e6, float64(peak)/1e6)
			if peak > base+1<<20 {
				t.Fatalf("heap grew from %d to %d bytes while reading", base, peak)
			}
			if peak > 32<<20 {
				t.Fatalf("heap in use %d bytes: not streaming", peak)
			}
		})
	}
}

const benchRows = 100_000

func benchmarkRead(b *testing.B, path string) {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		r, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		rows, _ := readAll(b, r)
		if len(rows) != benchRows {
			b.Fatalf("read %d rows, want %d", len(rows), benchRows)
		}
		r.Close()
	}
	b.ReportMetric(float64(benchRows*b.N)/time.Since(start).Seconds(), "rows/s")
}

func BenchmarkReadCSV(b *testing.B) {
	benchmarkRead(b, writeExport(b, "bench.csv", benchRows, NewCSVWriter))
}

func BenchmarkReadCSVGBK(b *testing.B) {
	utf8Path := writeExport(b, "bench.csv", benchRows, NewCSVWriter)
	data, err := os.ReadFile(utf8Path)
	if err != nil {
		b.Fatal(err)
	}
	benchmarkRead(b, writeTemp(b, "gbk.csv", toGBK(b, data[len(bomUTF8):])))
}

// BenchmarkReadXLSX reads inline strings, as NewXLSXWriter writes them.
func BenchmarkReadXLSX(b *testing.B) {
	benchmarkRead(b, writeExport(b, "bench.xlsx", benchRows, xlsxWriterNamed("s")))
}

// BenchmarkReadXLSXSharedStrings reads a shared strings table, as Excel and WPS write.
func BenchmarkReadXLSXSharedStrings(b *testing.B) {
	rows := [][]string{exportHeader}
	for i := 1; i <= benchRows; i++ {
		rows = append(rows, exportRow(i))
	}
	benchmarkRead(b, writeTemp(b, "sst.xlsx", sharedStringsXLSX(b, rows)))
}

func benchmarkWrite(b *testing.B, newWriter func(io.Writer) Writer) {
	rows := make([][]string, 1000)
	for i := range rows {
		rows[i] = exportRow(i)
	}
	var n countingWriter
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		w := newWriter(&n)
		for i := range benchRows {
			if err := w.WriteRow(rows[i%len(rows)]); err != nil {
				b.Fatal(err)
			}
		}
		must(b, w.Close())
	}
	b.SetBytes(n.n / int64(b.N))
	b.ReportMetric(float64(benchRows*b.N)/time.Since(start).Seconds(), "rows/s")
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

func BenchmarkWriteCSV(b *testing.B)  { benchmarkWrite(b, NewCSVWriter) }
func BenchmarkWriteXLSX(b *testing.B) { benchmarkWrite(b, xlsxWriterNamed("s")) }
