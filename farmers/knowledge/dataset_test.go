package knowledge

import (
	"strings"
	"testing"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/datasets/datasetstest"
)

func TestParseRow(t *testing.T) {
	base := func(over datasets.Row) datasets.Row {
		r := datasets.Row{"question": "草莓白粉病怎么防治？", "answer": "发病初期喷施嘧菌酯，注意通风降湿。",
			"category": "植保", "crop": "草莓", "region": "210681", "expert": "李专家", "time": "2026-11-20 09:15:00"}
		for k, v := range over {
			if v == "" {
				delete(r, k)
			} else {
				r[k] = v
			}
		}
		return r
	}
	for _, tc := range []struct {
		name    string
		row     datasets.Row
		wantKey string // "" derived
		bad     string // column rejected
	}{
		{name: "full row with ticket number", row: base(datasets.Row{"id": "GD20261120001"}), wantKey: "GD20261120001"},
		{name: "no ticket: derived key", row: base(nil)},
		{name: "region by name", row: base(datasets.Row{"region": "东港市"})},
		{name: "slash date", row: base(datasets.Row{"time": "2026/11/20 09:15"})},
		{name: "no optional columns", row: base(datasets.Row{"category": "", "crop": "", "region": "", "expert": ""})},
		{name: "missing question", row: base(datasets.Row{"question": ""}), bad: "question"},
		{name: "missing answer", row: base(datasets.Row{"answer": ""}), bad: "answer"},
		{name: "bad time", row: base(datasets.Row{"time": "昨天"}), bad: "time"},
		{name: "region outside Liaoning", row: base(datasets.Row{"region": "110101"}), bad: "region"},
		{name: "answer too long", row: base(datasets.Row{"answer": strings.Repeat("答", maxAnswer+1)}), bad: "answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, ok, err := datasetstest.CheckParse(parseRow, tc.row, tc.bad)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				return
			}
			if tc.wantKey != "" && rec.Key != tc.wantKey || tc.wantKey == "" && !strings.HasPrefix(rec.Key, "h:") {
				t.Errorf("key %q, want %q (or derived)", rec.Key, tc.wantKey)
			}
			if err := datasetstest.RoundTrip(Dataset, rec); err != nil {
				t.Errorf("round trip: %v", err)
			}
		})
	}
}

func TestDerivedKeyStable(t *testing.T) {
	a, _ := parseRow(datasets.Row{"question": "玉米螟怎么防治", "answer": "释放赤眼蜂", "time": "2026-07-01 10:00:00"})
	b, _ := parseRow(datasets.Row{"question": "玉米螟怎么防治", "answer": "改了答案", "time": "2026-07-01T02:00:00Z"})
	if a.Key != b.Key {
		t.Errorf("same question at the same moment keyed %q and %q", a.Key, b.Key)
	}
}
