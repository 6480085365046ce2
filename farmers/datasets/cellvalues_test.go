package datasets

import (
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestParseYuan(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fen  int64
		fail bool
	}{
		{"3.50", 350, false}, {"3.5", 350, false}, {"3", 300, false}, {"0.29", 29, false}, {"0.01", 1, false},
		{"1,234.56", 123456, false}, {"3.50元", 350, false}, {" 12.3 ", 1230, false}, {"0", 0, false},
		{"3.505", 0, true}, {"-1", 0, true}, {"", 0, true}, {".5", 0, true}, {"3.", 300, false},
		{"1e3", 0, true}, {"abc", 0, true}, {"9999999999999", 0, true}, {"3.5.1", 0, true},
	} {
		got, err := ParseYuan(tc.in)
		if tc.fail != (err != nil) || got != tc.fen {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d, fail %v", tc.in, got, err, tc.fen, tc.fail)
		}
	}
}

func TestFormatYuanRoundTrip(t *testing.T) {
	for _, fen := range []int64{0, 1, 29, 350, 1005, 123456, 99999999999} {
		s := FormatYuan(fen)
		back, err := ParseYuan(s)
		if err != nil || back != fen {
			t.Errorf("FormatYuan(%d) = %q, reads back as %d, %v", fen, s, back, err)
		}
	}
	if s := FormatYuan(350); s != "3.50" {
		t.Errorf("FormatYuan(350) = %q", s)
	}
}

func TestParseDateTimeShanghai(t *testing.T) {
	got, ok := ParseDateTime("2026-11-27 08:30:00")
	want := time.Date(2026, 11, 27, 0, 30, 0, 0, time.UTC)
	if !ok || !got.Equal(want) {
		t.Fatalf("ParseDateTime = %v, %v; want %v", got, ok, want)
	}
	if s := FormatDateTime(want); s != "2026-11-27 08:30:00" {
		t.Errorf("FormatDateTime = %q", s)
	}
	if d, ok := ParseDayCell("2026/1/5"); !ok || d != "2026-01-05" {
		t.Errorf("ParseDayCell = %q, %v", d, ok)
	}
}

func TestRegionCellAndFilter(t *testing.T) {
	if code, ok := RegionCell("盘锦市"); !ok || code != "211100" {
		t.Errorf("RegionCell(盘锦市) = %q, %v", code, ok)
	}
	if code, ok := RegionCell("210122"); !ok || code != "210115" { // 辽中县 → 辽中区
		t.Errorf("RegionCell(210122) = %q, %v", code, ok)
	}
	if _, ok := RegionCell("110000"); ok {
		t.Error("Beijing accepted as a Liaoning region")
	}
	for code, want := range map[string]string{"210000": "^21", "210100": "^2101", "210102": "210102"} {
		e, err := RegionFilter("region", code)
		if err != nil {
			t.Fatalf("RegionFilter(%s): %v", code, err)
		}
		if got := regionPattern(e.Value); got != want {
			t.Errorf("RegionFilter(%s) = %v, want %s", code, e.Value, want)
		}
	}
	for _, bad := range []string{"^.*", `{"$ne":null}`, "999999", ""} {
		if _, err := RegionFilter("region", bad); err == nil {
			t.Errorf("RegionFilter(%q) accepted", bad)
		}
	}
}

func regionPattern(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bson.Regex:
		return x.Pattern
	}
	return ""
}
