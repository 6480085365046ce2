package tabular

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// NewCSVWriter writes UTF-8 CSV with a BOM first (without it Excel reads the
// file as the system's ANSI code page and garbles Chinese) and CRLF line ends.
// Text that is not valid UTF-8 has its bad bytes replaced by U+FFFD, so the
// file stays what its BOM says. Line breaks inside a cell ("\n", "\r\n" or a
// lone "\r", which encoding/csv would drop) are written as CRLF and so read
// back as "\n".
func NewCSVWriter(w io.Writer) Writer {
	bw := bufio.NewWriterSize(w, 64<<10)
	_, _ = bw.Write(bomUTF8) // buffered: an I/O error shows on a later flush
	cw := csv.NewWriter(bw)  // reuses bw, which is large enough
	cw.UseCRLF = true
	return &csvWriter{cw: cw}
}

type csvWriter struct {
	cw     *csv.Writer
	fixed  []string // scratch for rows that need fixing
	closed bool
}

func (c *csvWriter) WriteRow(cells []string) error {
	if c.closed {
		return errWriterClosed
	}
	if err := c.cw.Write(c.clean(cells)); err != nil {
		return fmt.Errorf("tabular: writing CSV: %w", err)
	}
	return nil
}

// clean returns cells, or a copy with invalid UTF-8 replaced, every lone
// "\r" made a "\n" and formulas neutralised (formula.go).
func (c *csvWriter) clean(cells []string) []string {
	for i, s := range cells {
		if utf8.ValidString(s) && !strings.Contains(s, "\r") && !needsEscape(s) {
			continue
		}
		c.fixed = append(c.fixed[:0], cells...)
		for j := i; j < len(cells); j++ {
			c.fixed[j] = cleanCSVCell(cells[j])
		}
		return c.fixed
	}
	return cells
}

var crlfToLF = strings.NewReplacer("\r\n", "\n", "\r", "\n")

func cleanCSVCell(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.Contains(s, "\r") {
		s = crlfToLF.Replace(s)
	}
	return escapeFormula(s) // last: what it sees is what is written
}

func (c *csvWriter) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return fmt.Errorf("tabular: writing CSV: %w", err)
	}
	return nil
}
