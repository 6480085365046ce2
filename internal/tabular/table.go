package tabular

import (
	"io"
	"strings"
)

// rowSource is what a file format supplies: raw rows with the row number a
// user sees, io.EOF at the end. table turns it into a Reader, so both formats
// agree on headers, padding and empty rows.
type rowSource interface {
	next() (cells []string, rowNum int, err error)
	encoding() string
	close() error
}

// table is the Reader for every format.
type table struct {
	src    rowSource
	header []string
	err    error // sticky: once a row fails, the file cannot be trusted further
}

// newTable reads the header: the first row that is not completely empty.
// On failure it closes src.
func newTable(src rowSource) (*table, error) {
	t := &table{src: src}
	cells, _, err := t.nextNonEmpty()
	if err == io.EOF {
		err = ErrEmpty
	}
	if err != nil {
		_ = src.close()
		return nil, err
	}
	t.header = cleanHeader(cells)
	return t, nil
}

func (t *table) Header() []string { return t.header }

func (t *table) Encoding() string { return t.src.encoding() }

func (t *table) Close() error { return t.src.close() }

func (t *table) Next() ([]string, int, error) {
	if t.err != nil {
		return nil, 0, t.err
	}
	cells, rowNum, err := t.nextNonEmpty()
	if err != nil {
		t.err = err
		return nil, 0, err
	}
	return fitRow(cells, len(t.header)), rowNum, nil
}

func (t *table) nextNonEmpty() ([]string, int, error) {
	for {
		cells, rowNum, err := t.src.next()
		if err != nil {
			return nil, 0, err
		}
		if !isEmptyRow(cells) {
			return cells, rowNum, nil
		}
	}
}

// isEmptyRow: Excel saves blank rows as ",,," or as cells holding only spaces.
func isEmptyRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// cleanHeader trims each name, removes a BOM that survived decoding, and drops
// trailing empty names: Excel keeps columns that once held data as empty
// cells, and reporting them as unnamed columns would only confuse.
func cleanHeader(cells []string) []string {
	h := make([]string, len(cells))
	for i, c := range cells {
		h[i] = strings.TrimSpace(strings.TrimPrefix(c, "\uFEFF"))
	}
	return h[:lenWithoutTrailingEmpty(h, 0)]
}

// fitRow pads a row to width with "" and drops empty cells past width, so
// that only real extra content makes a row longer than the header. The result
// is always a fresh slice the caller may keep.
func fitRow(cells []string, width int) []string {
	n := max(lenWithoutTrailingEmpty(cells, width), width)
	row := make([]string, n)
	copy(row, cells)
	return row
}

// lenWithoutTrailingEmpty is len(cells) less the run of "" cells at its end,
// but never below floor.
func lenWithoutTrailingEmpty(cells []string, floor int) int {
	n := len(cells)
	for n > floor && cells[n-1] == "" {
		n--
	}
	return n
}
