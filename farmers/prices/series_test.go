package prices

import (
	"slices"
	"testing"
)

// seriesPoints straddle a week that starts in November and ends in
// December, and the ISO week 2026-W53 that ends in 2027.
var seriesPoints = []Point{
	{Date: "2026-11-29", Unit: "斤", MinPrice: 300, AvgPrice: 350, MaxPrice: 400}, // Sunday of W48
	{Date: "2026-11-30", Unit: "斤", MinPrice: 320, AvgPrice: 361, MaxPrice: 380}, // Monday of W49
	{Date: "2026-12-01", Unit: "斤", MinPrice: 310, AvgPrice: 340, MaxPrice: 420},
	{Date: "2026-12-06", Unit: "斤", MinPrice: 330, AvgPrice: 335, MaxPrice: 350}, // Sunday of W49
	{Date: "2026-12-06", Unit: "公斤", MinPrice: 600, AvgPrice: 700, MaxPrice: 800},
	{Date: "2027-01-02", Unit: "斤", MinPrice: 500, AvgPrice: 500, MaxPrice: 500}, // Saturday of 2026-W53
}

func TestAggregateWeeks(t *testing.T) {
	want := []Bucket{
		{Period: "2026-W48", Start: "2026-11-23", End: "2026-11-29", Unit: "斤", MinPrice: 300, AvgPrice: 350, MaxPrice: 400, Count: 1},
		// (361+340+335)/3 = 345.33 → 345
		{Period: "2026-W49", Start: "2026-11-30", End: "2026-12-06", Unit: "公斤", MinPrice: 600, AvgPrice: 700, MaxPrice: 800, Count: 1},
		{Period: "2026-W49", Start: "2026-11-30", End: "2026-12-06", Unit: "斤", MinPrice: 310, AvgPrice: 345, MaxPrice: 420, Count: 3},
		{Period: "2026-W53", Start: "2026-12-28", End: "2027-01-03", Unit: "斤", MinPrice: 500, AvgPrice: 500, MaxPrice: 500, Count: 1},
	}
	if got := aggregate(seriesPoints, PeriodWeek); !slices.Equal(got, want) {
		t.Errorf("weeks:\n got %+v\nwant %+v", got, want)
	}
}

func TestAggregateMonths(t *testing.T) {
	want := []Bucket{
		// (350+361)/2 = 355.5 → 356 (half up)
		{Period: "2026-11", Start: "2026-11-01", End: "2026-11-30", Unit: "斤", MinPrice: 300, AvgPrice: 356, MaxPrice: 400, Count: 2},
		{Period: "2026-12", Start: "2026-12-01", End: "2026-12-31", Unit: "公斤", MinPrice: 600, AvgPrice: 700, MaxPrice: 800, Count: 1},
		// (340+335)/2 = 337.5 → 338
		{Period: "2026-12", Start: "2026-12-01", End: "2026-12-31", Unit: "斤", MinPrice: 310, AvgPrice: 338, MaxPrice: 420, Count: 2},
		{Period: "2027-01", Start: "2027-01-01", End: "2027-01-31", Unit: "斤", MinPrice: 500, AvgPrice: 500, MaxPrice: 500, Count: 1},
	}
	if got := aggregate(seriesPoints, PeriodMonth); !slices.Equal(got, want) {
		t.Errorf("months:\n got %+v\nwant %+v", got, want)
	}
}

func TestAggregateDays(t *testing.T) {
	got := aggregate(seriesPoints, PeriodDay)
	if len(got) != 6 || got[0].Period != "2026-11-29" || got[0].Start != got[0].End {
		t.Errorf("days: %+v", got)
	}
}

func TestLatest(t *testing.T) {
	ps := []Point{
		{ID: "1", Commodity: "草莓", Market: "A", Unit: "斤", Date: "2026-11-20", AvgPrice: 1},
		{ID: "2", Commodity: "草莓", Market: "A", Unit: "斤", Date: "2026-11-25", AvgPrice: 2},
		{ID: "3", Commodity: "草莓", Market: "A", Unit: "斤", Date: "2026-11-22", AvgPrice: 3},
		{ID: "4", Commodity: "草莓", Market: "B", Unit: "斤", Date: "2026-11-21", AvgPrice: 4},
		{ID: "5", Commodity: "大米", Market: "A", Unit: "斤", Date: "2026-11-25", AvgPrice: 5},
		{ID: "6", Commodity: "大米", Market: "A", Unit: "斤", Date: "2026-11-25", AvgPrice: 6}, // same day, stored later
	}
	var got []int64 // sorted by commodity as strings sort: 大米 (U+5927) before 草莓 (U+8349)
	for _, v := range latest(ps) {
		got = append(got, v.AvgPrice)
	}
	if want := []int64{6, 2, 4}; !slices.Equal(got, want) {
		t.Errorf("board avg prices %v, want %v", got, want)
	}
}
