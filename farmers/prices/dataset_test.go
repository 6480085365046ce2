package prices

import (
	"testing"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/datasets/datasetstest"
)

func TestParseRow(t *testing.T) {
	base := func(over datasets.Row) datasets.Row {
		r := datasets.Row{"commodity": "盘锦大米", "variety": "蟹田米", "market": "盘锦农产品批发市场", "region": "211100",
			"date": "2026-11-27", "unit": "斤", "minPrice": "3.20", "avgPrice": "3.50", "maxPrice": "3.80"}
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
		name          string
		row           datasets.Row
		lo, avg, hi   int64
		key, bad, src string
	}{
		{name: "full row", row: base(nil), lo: 320, avg: 350, hi: 380, key: "盘锦大米|蟹田米|盘锦农产品批发市场|2026-11-27|import"},
		{name: "one decimal and whole yuan", row: base(datasets.Row{"minPrice": "3", "avgPrice": "3.5", "maxPrice": "4"}), lo: 300, avg: 350, hi: 400},
		{name: "0.29 is exactly 29 fen", row: base(datasets.Row{"minPrice": "0.29", "avgPrice": "0.29", "maxPrice": "0.29"}), lo: 29, avg: 29, hi: 29},
		{name: "only the average", row: base(datasets.Row{"minPrice": "", "maxPrice": ""}), lo: 350, avg: 350, hi: 350},
		{name: "unit as 元/斤, region by name, slash date", row: base(datasets.Row{"unit": "元/斤", "region": "盘锦市", "date": "2026/11/27"}), lo: 320, avg: 350, hi: 380},
		{name: "12316 source", row: base(datasets.Row{"source": "12316"}), lo: 320, avg: 350, hi: 380, src: "12316", key: "盘锦大米|蟹田米|盘锦农产品批发市场|2026-11-27|12316"},
		{name: "auction keyed by auction id", row: base(datasets.Row{"source": "auction", "auctionId": "a1"}), lo: 320, avg: 350, hi: 380, src: "auction", key: "auction|a1"},
		{name: "three decimals", row: base(datasets.Row{"avgPrice": "3.505"}), bad: "avgPrice"},
		{name: "negative", row: base(datasets.Row{"minPrice": "-1"}), bad: "minPrice"},
		{name: "avg above max", row: base(datasets.Row{"avgPrice": "3.90"}), bad: "avgPrice"},
		{name: "no average", row: base(datasets.Row{"avgPrice": ""}), bad: "avgPrice"},
		{name: "bad date", row: base(datasets.Row{"date": "11月27日"}), bad: "date"},
		{name: "unknown region", row: base(datasets.Row{"region": "火星"}), bad: "region"},
		{name: "unknown source", row: base(datasets.Row{"source": "wechat"}), bad: "source"},
		{name: "auction without id", row: base(datasets.Row{"source": "auction"}), bad: "auctionId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, ok, err := datasetstest.CheckParse(parseRow, tc.row, tc.bad)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				return
			}
			m := datasetstest.FieldMap(rec)
			if m["minPrice"] != any(tc.lo) || m["avgPrice"] != any(tc.avg) || m["maxPrice"] != any(tc.hi) {
				t.Errorf("prices %v/%v/%v, want %d/%d/%d", m["minPrice"], m["avgPrice"], m["maxPrice"], tc.lo, tc.avg, tc.hi)
			}
			if want := tc.src; want != "" && m["source"] != want || want == "" && m["source"] != SourceImport {
				t.Errorf("source %v", m["source"])
			}
			if tc.key != "" && rec.Key != tc.key {
				t.Errorf("key %q, want %q", rec.Key, tc.key)
			}
			if m["region"] != "211100" || m["date"] != "2026-11-27" || m["unit"] != "斤" {
				t.Errorf("normalised fields %v %v %v", m["region"], m["date"], m["unit"])
			}
			if err := datasetstest.RoundTrip(Dataset, rec); err != nil {
				t.Errorf("round trip: %v", err)
			}
		})
	}
}
