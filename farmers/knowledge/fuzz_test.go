package knowledge

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/datasets/datasetstest"
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
	rt := datasetstest.RowTarget{Dataset: Dataset, Bases: entryRows, Parse: parseRow, Accepted: checkEntry, WallClock: "time"}
	s := datasetstest.S
	rt.AddSeeds(f,
		s(0, "time", "2026/11/20 09:15", "region", "东港市"), s(0, "id", "", "time", "20261120"), s(1, "time", "2026-11-20T09:15:00+08:00", "question", "问"),
		s(1, "time", "昨天", "region", "110101"), s(2, "answer", "", "category", "植保"), s(2, "time", "1988-09-11 01:30:00", "id", "h:0123456789abcdef01234567"),
		s(0, "category", strings.Repeat("类", maxLabel+1), "region", "210000"), s(0, "answer", strings.Repeat("答", maxAnswer+1), "expert", ""),
		s(1, "region", "沈阳和平区", "crop", "玉米"), s(1, "time", "2026/07/01", "time", "2026/07/01"), s(2, "question", strings.Repeat("问", maxQuestion+1), "id", "GD1"),
		s(2, "region", "铁西区", "expert", strings.Repeat("专", maxLabel+1)), s(0, "time", "9999-12-31 23:59:59", "crop", "草莓"),
		s(0, "time", "2026-11-20 09:15:59", "id", ""), s(1, "id", "12316-2026-0001", "time", "2026-11-20T09:15:00.123Z"),
	)
	f.Fuzz(rt.Run)
}

// checkEntry holds an accepted entry to its limits and its key.
func checkEntry(t *testing.T, row datasets.Row, rec datasets.Record) {
	t.Helper()
	m := datasetstest.FieldMap(rec)
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
