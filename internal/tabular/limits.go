package tabular

import (
	"errors"
	"io"
)

// Excel's own limits on a worksheet. A file that claims more is malformed,
// and holding to them bounds the memory one row can take.
const (
	maxExcelRows = 1 << 20 // 1,048,576
	maxExcelCols = 1 << 14 // 16,384, column XFD
	// maxCellChars is the most text a cell holds, in UTF-16 units.
	maxCellChars = 32767
)

// maxRecordBytes bounds the input that one CSV record or one sheet row may
// span. encoding/csv and encoding/xml hold a whole record or text node in
// memory, so without it an unterminated quote early in a 200 MB file would
// pull the rest of the file into a single field before failing. A var so that
// tests can lower it.
var maxRecordBytes int64 = 16 << 20

// maxSharedStringBytes bounds the text of an XLSX shared strings table, the
// one thing a reader holds in memory whole; a real export of 1,000,000 rows
// stays well under it, a zip bomb does not.
var maxSharedStringBytes = 256 << 20

var errRecordTooLong = errors.New("a single row spans too much of the file (is a quote or tag left open?)")

// byteGuard fails a read once the parser above it has consumed more than max
// bytes since the end of the last complete record (reported through allow).
type byteGuard struct {
	r     io.Reader
	n     int64 // bytes passed up so far
	limit int64
	max   int64
}

func newByteGuard(r io.Reader, max int64) *byteGuard {
	return &byteGuard{r: r, limit: max, max: max}
}

func (g *byteGuard) Read(p []byte) (int, error) {
	if g.n >= g.limit {
		return 0, errRecordTooLong
	}
	if rest := g.limit - g.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}

// allow restarts the budget at offset, where the last complete record ended
// in the stream this guard supplies.
func (g *byteGuard) allow(offset int64) { g.limit = offset + g.max }
