package knowledge

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

// entryRows are realistic rows the fuzzer starts from.
var entryRows = []datasets.Row{
	{"id": "GD20261120001", "question": "草莓白粉病怎么防治？", "answer": "发病初期喷施嘧菌酯，注意通风降湿。", "category": "植保",
		"crop": "草莓", "region": "210681", "expert": "李专家", "time": "2026-11-20 09:15:00"},
	{"question": "玉米螟怎么防治", "answer": "释放赤眼蜂", "crop": "玉米", "region": "铁岭市", "time": "2026/7/1 10:00"},
	{"question": "水稻插秧密度多少合适？", "answer": "一般每亩1.8万穴左右。", "time": "2026-05-20T02:00:00Z"},
}

// FuzzParseRow: a hotline row is rejected with a reason for one of its
// columns, or accepted as an entry within its limits, keyed by its ticket
// number or else by question and time (the same call imported twice is one
// entry), whose download imports back unchanged.
//
// The fuzzer varies two cells (any column, any text; blank leaves the
// column out) of a realistic row: most inputs then get as far as the checks
// of an accepted row, and an input to minimise is two short strings.
func FuzzParseRow(f *testing.F) {
	for _, s := range []struct {
		base           uint8
		c1, v1, c2, v2 string
	}{
		{0, "time", "2026/11/20 09:15", "region", "东港市"}, {0, "id", "", "time", "20261120"}, {1, "time", "2026-11-20T09:15:00+08:00", "question", "问"},
		{1, "time", "昨天", "region", "110101"}, {2, "answer", "", "category", "植保"}, {2, "time", "1988-09-11 01:30:00", "id", "h:0123456789abcdef01234567"},
		{0, "category", strings.Repeat("类", maxLabel+1), "region", "210000"}, {0, "answer", strings.Repeat("答", maxAnswer+1), "expert", ""},
		{1, "region", "沈阳和平区", "crop", "玉米"}, {1, "time", "2026/07/01", "time", "2026/07/01"}, {2, "question", strings.Repeat("问", maxQuestion+1), "id", "GD1"},
		{2, "region", "铁西区", "expert", strings.Repeat("专", maxLabel+1)}, {0, "time", "9999-12-31 23:59:59", "crop", "草莓"},
		{0, "time", "2026-11-20 09:15:59", "id", ""}, {1, "id", "12316-2026-0001", "time", "2026-11-20T09:15:00.123Z"},
	} {
		f.Add(s.base, colOf(s.c1), s.v1, colOf(s.c2), s.v2)
	}
	f.Fuzz(func(t *testing.T, base, i uint8, a string, j uint8, b string) {
		row, ok := mutated(entryRows[int(base)%len(entryRows)], i, a, j, b)
		if !ok {
			return
		}
		rec, err := parseRow(row)
		if err != nil {
			checkRejected(t, row, err)
			return
		}
		checkEntry(t, row, rec)
		if repeatedHour(datasets.FieldMap(rec)["time"].(time.Time)) {
			t.Skip("an hour Shanghai's summer time (1986–1991) repeated: a download's wall clock cannot tell which")
		}
		if err := datasets.RoundTrip(Dataset, rec); err != nil {
			t.Fatalf("%q: %v", row, err)
		}
	})
}

func colOf(name string) uint8 {
	return uint8(slices.IndexFunc(Dataset.Columns, func(c datasets.Column) bool { return c.Name == name }))
}

// mutated is base with the cells of columns i and j set to a and b, as
// HeaderMap.Row hands cells to Parse: trimmed, a blank one absent. ok is
// false for a cell that is not UTF-8, which no file reader returns
// (tabular refuses it) and no JSON body decodes to.
func mutated(base datasets.Row, i uint8, a string, j uint8, b string) (datasets.Row, bool) {
	if !utf8.ValidString(a) || !utf8.ValidString(b) {
		return nil, false
	}
	row := maps.Clone(base)
	for _, c := range []struct {
		col uint8
		v   string
	}{{i, a}, {j, b}} {
		name := Dataset.Columns[int(c.col)%len(Dataset.Columns)].Name
		if v := strings.TrimSpace(c.v); v != "" {
			row[name] = v
		} else {
			delete(row, name)
		}
	}
	return row, true
}

// checkRejected: a rejection gives a reason for one of the columns.
func checkRejected(t *testing.T, row datasets.Row, err error) {
	t.Helper()
	var re *datasets.RowError
	if !errors.As(err, &re) || len(re.Fields) == 0 {
		t.Fatalf("%q: %v is not a RowError with reasons", row, err)
	}
	for col, why := range re.Fields {
		if _, ok := Dataset.Column(col); !ok || why == "" {
			t.Fatalf("%q: reason %q for %q, not a column", row, why, col)
		}
	}
}

// checkEntry holds an accepted entry to its limits and its key.
func checkEntry(t *testing.T, row datasets.Row, rec datasets.Record) {
	t.Helper()
	m := datasets.FieldMap(rec)
	q, a, tm := m["question"].(string), m["answer"].(string), m["time"].(time.Time)
	if q == "" || a == "" || utf8.RuneCountInString(q) > maxQuestion || utf8.RuneCountInString(a) > maxAnswer {
		t.Fatalf("%q: question or answer out of bounds", row)
	}
	if region := m["region"].(string); region != "" {
		if code, ok := datasets.RegionCell(region); !ok || code != region {
			t.Fatalf("%q: region %q is not canonical", row, region)
		}
	}
	want := row["id"]
	if want == "" {
		want = derivedKey(q, tm)
	}
	if rec.Key != want || m["key"] != want {
		t.Fatalf("%q: key %q, want %q", row, rec.Key, want)
	}
}

// repeatedHour reports whether t's Shanghai wall clock reads back as
// another moment, in another offset: the hour repeated when summer time
// ended.
func repeatedHour(t time.Time) bool {
	back, _ := datasets.ParseDateTime(datasets.FormatDateTime(t))
	_, off := t.In(tz.Shanghai).Zone()
	_, backOff := back.In(tz.Shanghai).Zone()
	return off != backOff
}
