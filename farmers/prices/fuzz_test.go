package prices

import (
	"slices"
	"strings"
	"testing"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/datasets/datasetstest"
	"github.com/liaoning12316/agrimaker/farmers/regions"
)

// priceRows are realistic rows the fuzzer starts from.
var priceRows = []datasets.Row{
	{"commodity": "盘锦大米", "variety": "蟹田米", "market": "盘锦农产品批发市场", "region": "211100", "date": "2026-11-27",
		"unit": "斤", "minPrice": "3.20", "avgPrice": "3.50", "maxPrice": "3.80"},
	{"commodity": "丹东草莓", "variety": "红颜", "market": "东港市椅圈镇草莓市场", "region": "东港市", "date": "2026/1/5",
		"unit": "元/斤", "avgPrice": "12.5", "source": "12316"},
	{"commodity": "苹果", "market": AuctionMarket, "region": "沈阳市", "date": "20261127", "unit": "公斤",
		"minPrice": "8", "avgPrice": "8", "maxPrice": "8", "source": "auction", "auctionId": "6650a1b2c3d4e5f601234567"},
}

// FuzzParseRow: a price row is rejected with a reason for one of its
// columns, or accepted as a point with 1 ≤ min ≤ avg ≤ max ≤ 1,000,000 元,
// in stored forms (canonical region, YYYY-MM-DD, a unit without 元/), with
// a key that names exactly its commodity, variety, market, day and source
// (so that two different quotes never overwrite each other), and with a
// download that imports back unchanged.
//
// The fuzzer varies two cells (any column, any text; blank leaves the
// column out) of a realistic row: most inputs then get as far as the checks
// of an accepted row, and an input to minimise is two short strings.
func FuzzParseRow(f *testing.F) {
	rt := datasetstest.RowTarget{Dataset: Dataset, Bases: priceRows, Parse: parseRow, Accepted: checkPoint}
	s := datasetstest.S
	rt.AddSeeds(f,
		s(0, "minPrice", "0.29", "avgPrice", "0.29"), s(0, "unit", "元/公斤", "region", "盘锦市"), s(0, "date", "2026/11/27", "variety", ""),
		s(0, "avgPrice", "3.505", "maxPrice", "1e3"), s(0, "minPrice", "-1", "avgPrice", "3.90"), s(1, "source", "wechat", "date", "11月27日"),
		s(1, "avgPrice", "1,234.50元", "unit", "吨"), s(2, "auctionId", "", "source", "import"), s(2, "region", "火星", "commodity", ""),
		s(0, "maxPrice", "", "minPrice", ""), s(0, "avgPrice", "0", "maxPrice", "1000000.01"), s(1, "date", "2026-1-5", "region", "210122"),
		s(1, "variety", "红颜 一级", "market", strings.Repeat("市", 51)), s(2, "source", "12316", "auctionId", ""), s(0, "region", "210000", "date", "2026-02-30"),
		s(0, "unit", "", "commodity", "大葱"), s(1, "avgPrice", "12.50元", "minPrice", "12.5"), s(2, "minPrice", "7.99", "maxPrice", "8.01"),
		s(0, "date", "20261127", "unit", "公斤"), s(1, "region", "丹东", "source", "import"), s(2, "auctionId", "a1", "region", "110101"),
		s(0, "avgPrice", "3.5.1", "minPrice", ".5"), s(1, "maxPrice", "12.5", "avgPrice", "0.01"), s(0, "commodity", strings.Repeat("米", 51), "variety", "一等"),
	)
	f.Fuzz(rt.Run)
}

// checkPoint holds an accepted point to its rules and its key.
func checkPoint(t *testing.T, row datasets.Row, rec datasets.Record) {
	t.Helper()
	m := datasetstest.FieldMap(rec)
	lo, avg, hi := m["minPrice"].(int64), m["avgPrice"].(int64), m["maxPrice"].(int64)
	region, date, unit := m["region"].(string), m["date"].(string), m["unit"].(string)
	canon, _ := regions.Canonical(region)
	day, ok := datasets.ParseDay(date)
	switch {
	case !(1 <= lo && lo <= avg && avg <= hi && hi <= maxPriceFen):
		t.Fatalf("%q: prices %d ≤ %d ≤ %d", row, lo, avg, hi)
	case canon != region || !ok || day.Format(datasets.DayLayout) != date:
		t.Fatalf("%q: region %q date %q", row, region, date)
	case unit == "" || unit != strings.TrimSpace(unit) || strings.HasPrefix(unit, "元/"):
		t.Fatalf("%q: unit %q", row, unit)
	}
	want := []string{"auction", m["auctionId"].(string)}
	if m["source"] != SourceAuction {
		want = []string{m["commodity"].(string), m["variety"].(string), m["market"].(string), date, m["source"].(string)}
	}
	if got := strings.Split(rec.Key, "|"); !slices.Equal(got, want) {
		t.Fatalf("%q: key %q does not name %q: another quote could share it", row, rec.Key, want)
	}
}
