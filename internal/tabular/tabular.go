// Package tabular reads and writes the tables that 12316 exports and the
// platform offers for download: CSV (UTF-8, UTF-8 with BOM, or GBK) and XLSX.
//
// Everything streams: a Reader holds one row at a time and a Writer writes
// each row as it comes, so memory does not grow with the number of rows. The
// one exception is an XLSX file's shared strings table, which a reader keeps
// in memory because cells refer to it by index from anywhere in the sheet.
package tabular

import (
	"errors"
	"fmt"
)

// Reader yields rows of a table: the header first, then data rows.
//
// After Next returns an error other than io.EOF the reader is finished: later
// calls return the same error. A Reader is not safe for concurrent use.
type Reader interface {
	// Header returns the first row (column names), trimmed; a UTF-8 BOM removed.
	// Empty names at the end of the header (columns Excel left behind) are dropped.
	Header() []string
	// Next returns the next data row and its 1-based line/row number in the file as a user
	// would see it in Excel (the header is row 1, so the first data row is 2).
	// io.EOF at the end. Rows shorter than the header are padded with "", longer ones are
	// returned as they are (the caller reports the extra cells), less any empty cells at
	// their end. Completely empty rows (all cells "" or spaces) are skipped. Cells are not
	// trimmed. The row is a fresh slice the caller may keep.
	Next() (row []string, rowNum int, err error)
	// Encoding names what was detected: "utf-8", "utf-8-bom", "gbk", "xlsx".
	Encoding() string
	Close() error
}

// Writer writes a table row by row. It is not safe for concurrent use.
type Writer interface {
	WriteRow(cells []string) error
	Close() error // flushes; for XLSX writes the zip trailer. Does not close the underlying io.Writer.
}

var (
	// ErrEncoding: CSV that is neither UTF-8 nor GBK (GB18030) text.
	ErrEncoding = errors.New("tabular: the file is neither UTF-8 nor GBK text")
	// ErrEmpty: a file of 0 bytes, or one without a single non-empty row.
	ErrEmpty = errors.New("tabular: the file is empty")
	// ErrFormat: broken CSV quoting, a damaged zip, or XML that is not a sheet.
	ErrFormat = errors.New("tabular: the file is malformed")
)

// RowError reports malformed data at a row (the row number a user sees, as
// Reader.Next counts them). It always matches ErrFormat with errors.Is, and
// also whatever Err wraps (ErrEncoding for undecodable bytes, csv.ErrQuote, ...).
type RowError struct {
	Row int
	Err error
}

func (e *RowError) Error() string { return fmt.Sprintf("tabular: row %d: %v", e.Row, e.Err) }

// Unwrap exposes the cause to errors.Is and errors.As.
func (e *RowError) Unwrap() error { return e.Err }

// Is makes every RowError an ErrFormat, whatever its cause.
func (e *RowError) Is(target error) bool { return target == ErrFormat }

// errWriterClosed is returned by WriteRow after Close.
var errWriterClosed = errors.New("tabular: write to a closed writer")

// compile-time checks that the concrete types satisfy the interfaces.
var (
	_ Reader = (*table)(nil)
	_ Writer = (*csvWriter)(nil)
	_ Writer = (*xlsxWriter)(nil)
	_ error  = (*RowError)(nil)
)
