package datasets

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// HeaderMap says which file column feeds which dataset column.
type HeaderMap struct {
	Index   map[string]int // dataset column name → file column index
	Mapped  []MappedColumn
	Ignored []string // file headers no column claims
	Width   int      // cells in the header row
}

// MapHeader matches a file's header row to the dataset's columns by name,
// Chinese title or alias, ignoring case, spaces and full-width forms. It
// fails when a required column is missing or two file columns claim one.
func MapHeader(d *Dataset, header []string) (HeaderMap, error) {
	names := map[string]string{} // normalised label → column
	for _, col := range d.Columns {
		for _, label := range append([]string{col.Name, col.Title}, col.Aliases...) {
			if label != "" {
				names[normaliseLabel(label)] = col.Name
			}
		}
	}
	m := HeaderMap{Index: map[string]int{}, Width: len(header)}
	for i, h := range header {
		col, ok := names[normaliseLabel(h)]
		if !ok {
			if strings.TrimSpace(h) != "" {
				m.Ignored = append(m.Ignored, h)
			}
			continue
		}
		if j, dup := m.Index[col]; dup {
			return m, &HeaderError{Code: "duplicate_column",
				Message: fmt.Sprintf("columns %q and %q both mean %s", header[j], h, col)}
		}
		m.Index[col] = i
		m.Mapped = append(m.Mapped, MappedColumn{File: h, Column: col})
	}
	var missing []string
	for _, col := range d.Columns {
		if _, ok := m.Index[col.Name]; col.Required && !ok {
			missing = append(missing, col.Name+" ("+col.Title+")")
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return m, &HeaderError{Code: "missing_columns", Message: "the file lacks required columns: " + strings.Join(missing, ", ")}
	}
	return m, nil
}

// HeaderError is a file whose header cannot be used; nothing is imported.
type HeaderError struct {
	Code, Message string
}

func (e *HeaderError) Error() string { return e.Message }

// Row picks the dataset's cells out of a file row.
func (m HeaderMap) Row(cells []string) Row {
	r := make(Row, len(m.Index))
	for col, i := range m.Index {
		if i < len(cells) {
			if v := strings.TrimSpace(cells[i]); v != "" {
				r[col] = v
			}
		}
	}
	return r
}

// normaliseLabel folds case and full-width forms and drops spaces,
// underscores and dashes, so "价格（元）", "价格(元)" and "价格 (元)" are one
// label, as are "unit_price" and "unitPrice".
func normaliseLabel(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII forms
			r -= 0xFEE0
		}
		if unicode.IsSpace(r) || r == '_' || r == '-' || r == '\ufeff' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
