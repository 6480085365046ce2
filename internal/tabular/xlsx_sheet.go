package tabular

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// sheetParser streams the rows of a worksheet part (xl/worksheets/sheetN.xml)
// with encoding/xml's RawToken: no DOM, one row in memory. RawToken skips
// namespace bookkeeping, so elements are matched by local name whatever
// prefix a producer chose.
type sheetParser struct {
	dec    *xml.Decoder
	sst    []string
	rowNum int // the current row, or the last one read
	inRow  bool
	cells  []string // the current row; reused, table copies it
	cell   cellState
	err    error // sticky
}

// cellState is what has been seen of the current <c> element.
type cellState struct {
	col      int    // 1-based; 0 outside a <c>
	typ      string // the t attribute
	value    []byte // text of <v>
	inline   []byte // text of <is>, rich text runs joined
	hasIS    bool
	in       byte // 'v' or 't' while inside those, to catch their text
	phonetic int  // depth inside <rPh>, whose text is not shown
}

func newSheetParser(r io.Reader, sst []string) *sheetParser {
	return &sheetParser{dec: xml.NewDecoder(r), sst: sst}
}

// inputOffset is how far into the part the parser has read.
func (p *sheetParser) inputOffset() int64 { return p.dec.InputOffset() }

// next returns the next <row>'s cells (which may all be empty) and its row
// number; io.EOF after </sheetData>.
func (p *sheetParser) next() ([]string, int, error) {
	if p.err != nil {
		return nil, 0, p.err
	}
	cells, rowNum, err := p.scan()
	if err != nil {
		p.err = err
	}
	return cells, rowNum, err
}

func (p *sheetParser) scan() ([]string, int, error) {
	for {
		tok, err := p.dec.RawToken()
		if err == io.EOF {
			err = errors.New("the sheet ends before </sheetData>")
		}
		if err != nil {
			return nil, 0, p.rowError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			err = p.start(t)
		case xml.EndElement:
			var rowDone bool
			if rowDone, err = p.end(t); rowDone {
				return p.cells, p.rowNum, nil
			}
		case xml.CharData:
			p.text(t)
		}
		if err != nil {
			return nil, 0, err
		}
	}
}

// rowError blames the row being read (or the last one) for err.
func (p *sheetParser) rowError(err error) error {
	if err == io.EOF {
		return io.EOF
	}
	return &RowError{Row: max(p.rowNum, 1), Err: fmt.Errorf("sheet XML: %w", err)}
}

func (p *sheetParser) start(t xml.StartElement) error {
	switch t.Name.Local {
	case "row":
		return p.startRow(t)
	case "c":
		return p.startCell(t)
	case "v":
		p.cell.in = 'v'
	case "is":
		p.cell.hasIS = true
	case "t":
		if p.cell.hasIS && p.cell.phonetic == 0 {
			p.cell.in = 't'
		}
	case "rPh":
		p.cell.phonetic++
	}
	return nil
}

// end handles a closing tag; rowDone is true at </row>.
func (p *sheetParser) end(t xml.EndElement) (rowDone bool, err error) {
	switch t.Name.Local {
	case "row":
		if p.inRow {
			p.inRow = false
			return true, nil
		}
	case "c":
		if p.cell.col == 0 {
			return false, nil // a </c> with no <c>: nothing to store
		}
		return false, p.endCell()
	case "v", "t":
		p.cell.in = 0
	case "rPh":
		p.cell.phonetic--
	case "sheetData":
		return false, io.EOF
	}
	return false, nil
}

func (p *sheetParser) text(t xml.CharData) {
	switch p.cell.in {
	case 'v':
		p.cell.value = append(p.cell.value, t...)
	case 't':
		p.cell.inline = append(p.cell.inline, t...)
	}
}

// startRow takes the row number from r="N", or counts on from the last row.
func (p *sheetParser) startRow(t xml.StartElement) error {
	n := p.rowNum + 1
	if v, ok := attr(t, "r"); ok {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			return p.rowError(fmt.Errorf("row number %q: %w", v, ErrFormat))
		}
	}
	if n < 1 || n > maxExcelRows {
		return p.rowError(fmt.Errorf("row number %d is outside 1..%d: %w", n, maxExcelRows, ErrFormat))
	}
	p.rowNum, p.inRow = n, true
	p.cells = p.cells[:0]
	return nil
}

// startCell takes the column from r="B7", or the one after the last cell.
func (p *sheetParser) startCell(t xml.StartElement) error {
	col := len(p.cells) + 1
	if ref, ok := attr(t, "r"); ok {
		if col = parseColumn(ref); col == 0 {
			return p.rowError(fmt.Errorf("cell reference %q: %w", ref, ErrFormat))
		}
	}
	if col > maxExcelCols {
		return p.rowError(fmt.Errorf("more than %d columns: %w", maxExcelCols, ErrFormat))
	}
	typ, _ := attr(t, "t")
	p.cell = cellState{col: col, typ: typ, value: p.cell.value[:0], inline: p.cell.inline[:0]}
	return nil
}

// endCell stores the finished cell at its column, filling gaps with "".
func (p *sheetParser) endCell() error {
	v, err := p.cellValue()
	if err != nil {
		return p.rowError(err)
	}
	for len(p.cells) < p.cell.col {
		p.cells = append(p.cells, "")
	}
	p.cells[p.cell.col-1] = v
	p.cell.col, p.cell.in = 0, 0
	return nil
}

// cellValue renders the cell as Excel shows it unformatted: see OpenXLSX.
func (p *sheetParser) cellValue() (string, error) {
	c := &p.cell
	switch c.typ {
	case "s":
		return p.sharedString(strings.TrimSpace(string(c.value)))
	case "inlineStr":
		if c.hasIS {
			return unescapeOOXML(string(c.inline)), nil
		}
		return unescapeOOXML(string(c.value)), nil
	case "b":
		switch string(c.value) {
		case "1":
			return "TRUE", nil
		case "0":
			return "FALSE", nil
		}
	case "str":
		return unescapeOOXML(string(c.value)), nil
	}
	return string(c.value), nil // numbers, dates (t="d"), errors (t="e") as written
}

func (p *sheetParser) sharedString(index string) (string, error) {
	if index == "" {
		return "", nil
	}
	i, err := strconv.Atoi(index)
	if err != nil || i < 0 || i >= len(p.sst) {
		return "", fmt.Errorf("shared string index %q is not in the table of %d: %w", index, len(p.sst), ErrFormat)
	}
	return p.sst[i], nil
}

// attr returns the value of the attribute with local name local.
func attr(t xml.StartElement, local string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}
