// Package datasetstest holds the test helpers of the datasets' row parsers
// (knowledge, prices, supply, registry): table-test checks (parse.go) and
// the fuzz harness (rows.go), so that each dataset's tests keep only its
// own rules. A fuzz target varies two cells of a realistic row (any column,
// any text; blank leaves the column out): most inputs then reach the
// checks of an accepted row, and an input to minimise is two short strings.
package datasetstest

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Seed is one starting input: two cells of a base row set by column name.
type Seed struct {
	base           uint8
	c1, v1, c2, v2 string
}

// S is the seed that sets columns c1 and c2 of base row base to v1 and v2.
func S(base uint8, c1, v1, c2, v2 string) Seed { return Seed{base, c1, v1, c2, v2} }

// RowTarget is one dataset's row parser under fuzzing.
type RowTarget struct {
	Dataset *datasets.Dataset
	Bases   []datasets.Row // realistic rows the inputs vary
	Parse   func(datasets.Row) (datasets.Record, error)
	// Accepted holds an accepted record to the dataset's own rules.
	Accepted func(t *testing.T, row datasets.Row, rec datasets.Record)
	// WallClock names a time field a download writes as Shanghai wall
	// clock ("" for none).
	WallClock string
}

// AddSeeds adds seeds to f in the argument order Run takes.
func (rt RowTarget) AddSeeds(f *testing.F, seeds ...Seed) {
	for _, s := range seeds {
		f.Add(s.base, rt.column(s.c1), s.v1, rt.column(s.c2), s.v2)
	}
}

// Run parses one fuzzed row and checks the outcome.
func (rt RowTarget) Run(t *testing.T, base, i uint8, a string, j uint8, b string) {
	row, ok := rt.Mutated(rt.Bases[int(base)%len(rt.Bases)], i, a, j, b)
	if !ok {
		return
	}
	rec, err := rt.Parse(row)
	rt.Check(t, row, rec, err)
}

// Mutated is base with the cells of columns i and j (modulo the column
// count) set to a and b, as HeaderMap.Row hands cells to a parser: trimmed,
// a blank one absent. ok is false for a cell that is not UTF-8, which no
// file reader returns (tabular refuses it) and no JSON body decodes to.
func (rt RowTarget) Mutated(base datasets.Row, i uint8, a string, j uint8, b string) (row datasets.Row, ok bool) {
	if !utf8.ValidString(a) || !utf8.ValidString(b) {
		return nil, false
	}
	cols := rt.Dataset.Columns
	row = maps.Clone(base)
	for _, c := range []struct {
		col uint8
		v   string
	}{{i, a}, {j, b}} {
		name := cols[int(c.col)%len(cols)].Name
		if v := strings.TrimSpace(c.v); v != "" {
			row[name] = v
		} else {
			delete(row, name)
		}
	}
	return row, true
}

// Check holds a parse to what the importer relies on: a rejection is a
// RowError giving a reason for at least one of the dataset's columns; an
// acceptance has a key, keeps the dataset's rules and comes back unchanged
// from a download. It reports whether the row was accepted.
func (rt RowTarget) Check(t *testing.T, row datasets.Row, rec datasets.Record, err error) bool {
	t.Helper()
	name := rt.Dataset.Name
	if err != nil {
		var re *datasets.RowError
		if !errors.As(err, &re) || len(re.Fields) == 0 {
			t.Fatalf("%s %q: %v is not a RowError with reasons", name, row, err)
		}
		for col, why := range re.Fields {
			if _, ok := rt.Dataset.Column(col); !ok || why == "" {
				t.Fatalf("%s %q: reason %q for %q, not a column", name, row, why, col)
			}
		}
		return false
	}
	if rec.Key == "" {
		t.Fatalf("%s %q accepted without a key", name, row)
	}
	rt.Accepted(t, row, rec)
	if rt.WallClock != "" && repeatedHour(FieldMap(rec)[rt.WallClock].(time.Time)) {
		t.Skip("an hour Shanghai's summer time (1986–1991) repeated: a download's wall clock cannot tell which")
	}
	if err := RoundTrip(rt.Dataset, rec); err != nil {
		t.Fatalf("%s %q: %v", name, row, err)
	}
	return true
}

func (rt RowTarget) column(name string) uint8 {
	return uint8(slices.IndexFunc(rt.Dataset.Columns, func(c datasets.Column) bool { return c.Name == name }))
}

// repeatedHour reports whether t falls in an hour Shanghai's summer time
// repeated: written as wall clock, it reads back as the other one.
func repeatedHour(t time.Time) bool {
	back, _ := datasets.ParseDateTime(datasets.FormatDateTime(t))
	_, off := t.In(tz.Shanghai).Zone()
	_, backOff := back.In(tz.Shanghai).Zone()
	return off != backOff
}
