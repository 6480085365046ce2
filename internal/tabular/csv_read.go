package tabular

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// NewCSVReader reads CSV from r, detecting the encoding: UTF-8 (with or without BOM) or GBK
// (decoded as GB18030, its superset). Detection: BOM → utf-8-bom; else sniff the first
// 64 KiB: valid UTF-8 → utf-8, else if it decodes as GB18030 without errors → gbk, else
// ErrEncoding. (A window of plain ASCII defers the choice to the first non-ASCII byte; see
// decodingReader.) The delimiter is ',', ';' or '\t', whichever the header line has most of
// outside quotes (comma on a tie or none). Close does not close r.
func NewCSVReader(r io.Reader) (Reader, error) {
	return newCSVReader(r, nil)
}

// newCSVReader is NewCSVReader that also closes closer (the file Open opened)
// on Close or on failure.
func newCSVReader(r io.Reader, closer io.Closer) (Reader, error) {
	dec, err := newDecodingReader(r)
	if err != nil {
		if closer != nil {
			_ = closer.Close()
		}
		return nil, err
	}
	guard := newByteGuard(dec, maxRecordBytes)
	cr := csv.NewReader(guard)
	cr.Comma = detectDelimiter(dec.head)
	cr.LazyQuotes = false   // a stray quote is a broken file, not data to guess at
	cr.FieldsPerRecord = -1 // ragged rows are the caller's to report
	cr.ReuseRecord = true   // safe: table copies every row it hands out
	return newTable(&csvSource{cr: cr, dec: dec, guard: guard, closer: closer, nextLine: 1})
}

// csvSource supplies raw CSV records to table.
type csvSource struct {
	cr     *csv.Reader
	dec    *decodingReader
	guard  *byteGuard
	closer io.Closer
	// nextLine is where the record after the last one returned starts, at
	// least: the row to blame for errors that encoding/csv gives no line for.
	nextLine int
}

func (s *csvSource) next() ([]string, int, error) {
	rec, err := s.cr.Read()
	if err != nil {
		return nil, 0, s.rowError(err)
	}
	line, _ := s.cr.FieldPos(0)
	s.guard.allow(s.cr.InputOffset())
	s.nextLine = line + 1 + countNewlines(rec)
	if err := checkDecoded(s.dec.encoding(), rec); err != nil {
		return nil, 0, &RowError{Row: line, Err: err}
	}
	for i, c := range rec {
		rec[i] = unescapeFormula(c) // CSV only: the XLSX writer needs no escaping
	}
	return rec, line, nil
}

func (s *csvSource) encoding() string { return s.dec.encoding() }

func (s *csvSource) close() error {
	if s.closer == nil {
		return nil
	}
	c := s.closer
	s.closer = nil
	return c.Close()
}

// rowError puts a row number on what encoding/csv or the layers below it report.
func (s *csvSource) rowError(err error) error {
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		return io.EOF
	case errors.As(err, &pe):
		return &RowError{Row: pe.StartLine, Err: fmt.Errorf("line %d, column %d: %w", pe.Line, pe.Column, pe.Err)}
	case errors.Is(err, errRecordTooLong):
		return &RowError{Row: s.nextLine, Err: fmt.Errorf("more than %d MiB in one record: %w", maxRecordBytes>>20, err)}
	case errors.Is(err, ErrEncoding):
		return &RowError{Row: s.nextLine, Err: err}
	default:
		return fmt.Errorf("tabular: reading CSV at row %d: %w", s.nextLine, err)
	}
}

// countNewlines counts the line breaks inside a record's quoted fields
// (encoding/csv turns "\r\n" in them into "\n").
func countNewlines(rec []string) int {
	n := 0
	for _, f := range rec {
		n += strings.Count(f, "\n")
	}
	return n
}

// detectDelimiter picks ',', ';' or '\t' by how often each occurs outside
// quotes on the first line of head. head is raw bytes, UTF-8 or GBK: neither
// byte of a GBK character can be one of these or '"', so counting bytes is safe.
func detectDelimiter(head []byte) rune {
	var comma, semicolon, tab int
	inQuotes := false
scan:
	for _, c := range head {
		switch {
		case c == '"':
			inQuotes = !inQuotes
		case inQuotes:
		case c == '\n':
			break scan
		case c == ',':
			comma++
		case c == ';':
			semicolon++
		case c == '\t':
			tab++
		}
	}
	best, n := ',', comma
	if tab > n {
		best, n = '\t', tab
	}
	if semicolon > n {
		best = ';'
	}
	return best
}
