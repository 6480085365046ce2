package datasets

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/internal/tz"
)

// FuzzImportCells fuzzes what every dataset's import shares: the cell
// readers for money in 元, times and days, and the mapping of a file's
// header row. One target with three inputs rather than three targets:
// each target costs `make fuzz-smoke` seconds of start-up in this package.
//
//   - cell, as money: an accepted amount is exactly the decimal written
//     (held against big.Rat, not ParseYuan's own digit arithmetic), is not
//     negative, and FormatYuan writes it back.
//   - cell, as a time or a day: an accepted time has no sub-second part
//     and its download cell reads back as the same time; an accepted day
//     is YYYY-MM-DD and reads back as itself.
//   - fen: any amount FormatYuan writes, also as files dress it
//     ("1,234.50元"), reads back as itself; a negative one is refused.
//   - header (cells split at "|"), with cell as a data row: see checkHeader.
func FuzzImportCells(f *testing.F) {
	for _, s := range []struct {
		cell   string
		fen    int64
		header string
	}{
		{"3.50", 350, "品名|平均价|地区|日期"}, {"0.29", 29, "产品名称|价格(元)|备注"}, {"1,234.56", 123456, "COMMODITY|Unit Price| 所在地 "},
		{"12.5元", 1250, "品名|均价|平均价"}, {" 3 ", 0, "品名||\uFEFF日期"}, {"3.505", 99999999999999, "ｃｏｍｍｏｄｉｔｙ|avg_price"},
		{"-1", -350, ""}, {".5", 1e14, "盘锦大米| 3.50 |盘锦市|"}, {"1e3", 5, "品名|平均价"}, {"９", 9, "x|y|z"},
		{"2026-11-27 08:30:00", 1, "日期|品名|均价"}, {"2026/1/5 8:30:00", 100, ""}, {"2026-11-27", 7, ""}, {"20261127", 16, ""},
		{"2026-1-5", 3, ""}, {"2026-11-27T00:30:00Z", 0, ""}, {"2026-11-27T08:30:00.75+08:00", 0, ""}, {"1988-09-11 01:30:00", 0, ""},
		{"2026-02-30 00:00:00", 0, ""}, {"11月27日", 0, ""}, {"9999-12-31T23:59:59+08:00", 0, ""},
	} {
		f.Add(s.cell, s.fen, s.header)
	}
	f.Fuzz(func(t *testing.T, cell string, fen int64, header string) {
		if v, err := ParseYuan(cell); err == nil {
			checkYuan(t, cell, v)
		}
		checkTimeCells(t, cell)
		checkFen(t, fen)
		checkHeader(t, header, cell)
	})
}

// checkFen: fen written as files write it reads back as itself.
func checkFen(t *testing.T, fen int64) {
	t.Helper()
	const maxFen = 1e14 - 1 // maxYuanDigits of 元 and two decimals
	if fen < 0 {
		if v, err := ParseYuan(FormatYuan(fen)); err == nil {
			t.Fatalf("negative %d written %q accepted as %d", fen, FormatYuan(fen), v)
		}
		return
	}
	if fen > maxFen {
		return
	}
	for _, cell := range []string{FormatYuan(fen), withThousands(FormatYuan(fen)) + "元"} {
		if back, err := ParseYuan(cell); err != nil || back != fen {
			t.Fatalf("%d written %q reads back as %d, %v", fen, cell, back, err)
		}
	}
}

// checkYuan holds an accepted amount v of cell s against big.Rat.
func checkYuan(t *testing.T, s string, v int64) {
	t.Helper()
	clean := strings.ReplaceAll(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "元")), ",", "")
	r, ok := new(big.Rat).SetString(clean)
	if !ok {
		t.Fatalf("%q accepted as %d fen, but %q is not a number", s, v, clean)
	}
	if want := r.Mul(r, big.NewRat(100, 1)); v < 0 || !want.IsInt() || want.Num().Cmp(big.NewInt(v)) != 0 {
		t.Fatalf("%q read as %d fen, is %s fen", s, v, want.RatString())
	}
	if back, err := ParseYuan(FormatYuan(v)); err != nil || back != v {
		t.Fatalf("%d fen written %q reads back as %d, %v", v, FormatYuan(v), back, err)
	}
}

// withThousands puts "," between groups of three digits of the whole part.
func withThousands(s string) string {
	whole, frac, _ := strings.Cut(s, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	return whole + "." + frac
}

// checkTimeCells holds s, read as a time and as a day, to the round trip.
func checkTimeCells(t *testing.T, s string) {
	t.Helper()
	if tm, ok := ParseDateTime(s); ok {
		checkDateTime(t, s, tm)
	}
	if d, ok := ParseDayCell(s); ok {
		if _, ok := ParseDay(d); !ok || len(d) != len(DayLayout) {
			t.Fatalf("%q read as day %q, not YYYY-MM-DD", s, d)
		}
		if back, ok := ParseDayCell(d); !ok || back != d {
			t.Fatalf("day %q reads back as %q, %v", d, back, ok)
		}
	}
}

// checkDateTime holds an accepted time tm of cell s to the round trip.
func checkDateTime(t *testing.T, s string, tm time.Time) {
	t.Helper()
	if tm.Nanosecond() != 0 {
		t.Fatalf("%q read as %v: sub-second part kept, a download loses it", s, tm)
	}
	cell := FormatDateTime(tm)
	back, ok := ParseDateTime(cell)
	switch {
	case !ok:
		t.Fatalf("%q read as %v, whose download cell %q does not read back", s, tm, cell)
	case back.Equal(tm):
	case FormatDateTime(back) == cell && zoneOffset(back) != zoneOffset(tm):
		// An hour that Shanghai's summer time (1986–1991) repeated: the
		// wall clock a download writes cannot tell the two apart.
	default:
		t.Fatalf("%q read as %v, written %q, reads back as %v", s, tm, cell, back)
	}
}

func zoneOffset(t time.Time) int {
	_, off := t.In(tz.Shanghai).Zone()
	return off
}

// headerFixture has what MapHeader matches on: titles, aliases with
// full-width and spaced forms, required and optional columns.
var headerFixture = &Dataset{Name: "fixture", Columns: []Column{
	{Name: "commodity", Title: "品名", Aliases: []string{"产品名称"}, Required: true},
	{Name: "avgPrice", Title: "平均价", Aliases: []string{"均价", "价格（元）", "unit_price"}, Required: true},
	{Name: "region", Title: "地区", Aliases: []string{"所在地"}},
	{Name: "date", Title: "日期"},
}}

// checkHeader: whatever a file's header row, each column is fed by at
// most one file column and every file column is mapped, ignored or blank;
// a missing required column is the missing_columns error. A row read
// through the map has only mapped columns, trimmed and non-empty.
func checkHeader(t *testing.T, header, cells string) {
	t.Helper()
	hs := strings.Split(header, "|")
	m, err := MapHeader(headerFixture, hs)
	var he *HeaderError
	if err != nil && (!errors.As(err, &he) || he.Code != "duplicate_column" && he.Code != "missing_columns") {
		t.Fatalf("%q: %v is not a HeaderError", hs, err)
	}
	if err != nil && he.Code == "duplicate_column" {
		return
	}
	checkHeaderMap(t, hs, m, err == nil)
	for col, v := range m.Row(strings.Split(cells, "|")) {
		if _, ok := m.Index[col]; !ok || v == "" || v != strings.TrimSpace(v) {
			t.Fatalf("row cell %s = %q", col, v)
		}
	}
}

// checkHeaderMap holds the mapping m of header hs; complete says whether
// MapHeader accepted it, which it must exactly when no required column is
// missing.
func checkHeaderMap(t *testing.T, hs []string, m HeaderMap, complete bool) {
	t.Helper()
	used := map[int]bool{}
	for col, i := range m.Index {
		if _, ok := headerFixture.Column(col); !ok || i < 0 || i >= len(hs) || used[i] {
			t.Fatalf("%q: column %s mapped to file column %d", hs, col, i)
		}
		used[i] = true
	}
	if m.Width != len(hs) || len(m.Mapped) != len(m.Index) || len(m.Mapped)+len(m.Ignored) > len(hs) {
		t.Fatalf("%q: width %d, %d mapped, %d ignored", hs, m.Width, len(m.Mapped), len(m.Ignored))
	}
	missing := false
	for _, c := range headerFixture.Columns {
		if _, ok := m.Index[c.Name]; c.Required && !ok {
			missing = true
		}
	}
	if missing == complete {
		t.Fatalf("%q: accepted %v, a required column missing %v", hs, complete, missing)
	}
}
