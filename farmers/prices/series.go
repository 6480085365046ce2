package prices

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// Series are aggregated here in Go, over one query bounded by the date
// range, rather than by an aggregation pipeline: FerretDB 1.24 has no
// $min/$max accumulators, and one code path keeps MongoDB and the
// embedded store giving the same numbers.

// Periods of a series.
const (
	PeriodDay   = "day"
	PeriodWeek  = "week"  // ISO 8601 weeks, Monday to Sunday
	PeriodMonth = "month" // calendar months
)

const (
	defaultSeriesDays = 90
	maxSeriesDays     = 3 * 366 // bounds the query: three years of quotes
)

// Bucket aggregates the points of one period (and unit: quotes in 斤 and
// in 公斤 are not averaged together).
type Bucket struct {
	Period   string `json:"period"` // 2026-11-27, 2026-W48 or 2026-11
	Start    string `json:"start"`  // first day of the period
	End      string `json:"end"`    // last day of the period
	Unit     string `json:"unit"`
	MinPrice int64  `json:"minPrice"` // least of the points' minimums
	AvgPrice int64  `json:"avgPrice"` // mean of the points' averages, unweighted, rounded half up
	MaxPrice int64  `json:"maxPrice"` // greatest of the points' maximums
	Count    int    `json:"count"`    // price points aggregated
}

// Series is the answer of GET /prices/series.
type Series struct {
	Commodity string   `json:"commodity"`
	Market    string   `json:"market"` // "" for all markets
	Period    string   `json:"period"`
	From      string   `json:"from"`
	To        string   `json:"to"`
	Items     []Bucket `json:"items"`
}

// handleSeries: GET /prices/series?commodity=&market=&from=&to=&period=,
// plus the list filters (variety, region, source, unit).
func (s *Service) handleSeries(c *fiber.Ctx) error {
	q, err := seriesQuery(c)
	if err != nil {
		return err
	}
	f, err := pointFilter(c)
	if err != nil {
		return err
	}
	e, _ := datasets.DayFilter("date", q.From, q.To)
	f = append(f, e)
	opts := options.Find().SetSort(bson.D{{Key: "date", Value: 1}})
	points, err := store.FindAll[Point](c.UserContext(), s.points, "price series", f, opts)
	if err != nil {
		return err
	}
	q.Items = aggregate(points, q.Period)
	return datasets.JSONWithETag(c, q)
}

// seriesQuery reads commodity (required), period and the date range
// (default: the last 90 days to today; at most three years).
func seriesQuery(c *fiber.Ctx) (Series, error) {
	q := Series{Commodity: c.Query("commodity"), Market: c.Query("market"), Period: c.Query("period", PeriodDay)}
	bad := map[string]string{}
	if q.Commodity == "" {
		bad["commodity"] = "is required"
	}
	if q.Period != PeriodDay && q.Period != PeriodWeek && q.Period != PeriodMonth {
		bad["period"] = "must be one of: day week month"
	}
	from, to, err := datasets.Days(c)
	if err != nil {
		return q, err
	}
	if to == "" {
		to = datasets.Today()
	}
	end, _ := datasets.ParseDay(to)
	if from == "" {
		from = end.AddDate(0, 0, 1-defaultSeriesDays).Format(datasets.DayLayout)
	}
	if start, _ := datasets.ParseDay(from); end.Sub(start) > maxSeriesDays*24*time.Hour {
		bad["from"] = fmt.Sprintf("the range must be at most %d days", maxSeriesDays)
	}
	if len(bad) > 0 {
		return q, httpx.Invalid(bad)
	}
	q.From, q.To = from, to
	return q, nil
}

// aggregate groups points by period and unit, in date then unit order.
func aggregate(points []Point, period string) []Bucket {
	type acc struct {
		Bucket
		sum int64
	}
	byKey := map[[2]string]*acc{}
	for _, p := range points {
		label, start, end, err := periodOf(p.Date, period)
		if err != nil {
			continue // not a stored date: parse rejects those
		}
		k := [2]string{start, p.Unit}
		a := byKey[k]
		if a == nil {
			a = &acc{Bucket: Bucket{Period: label, Start: start, End: end, Unit: p.Unit, MinPrice: p.MinPrice, MaxPrice: p.MaxPrice}}
			byKey[k] = a
		}
		a.MinPrice = min(a.MinPrice, p.MinPrice)
		a.MaxPrice = max(a.MaxPrice, p.MaxPrice)
		a.sum += p.AvgPrice
		a.Count++
	}
	out := make([]Bucket, 0, len(byKey))
	for _, a := range byKey {
		a.AvgPrice = (a.sum*2 + int64(a.Count)) / (2 * int64(a.Count)) // round half up; prices are positive
		out = append(out, a.Bucket)
	}
	slices.SortFunc(out, func(x, y Bucket) int {
		return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(x.Unit, y.Unit))
	})
	return out
}

// periodOf names the period holding day (YYYY-MM-DD) and its first and
// last days. Days are calendar days already in Shanghai: the arithmetic
// is on dates in UTC, which has no daylight saving to trip over.
func periodOf(day, period string) (label, start, end string, err error) {
	d, err := time.Parse(datasets.DayLayout, day)
	if err != nil {
		return "", "", "", err
	}
	var s, e time.Time
	switch period {
	case PeriodWeek:
		s = d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7)) // back to Monday
		e = s.AddDate(0, 0, 6)
		y, w := d.ISOWeek()
		label = fmt.Sprintf("%04d-W%02d", y, w)
	case PeriodMonth:
		s = time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		e = s.AddDate(0, 1, -1)
		label = s.Format("2006-01")
	default:
		s, e, label = d, d, day
	}
	return label, s.Format(datasets.DayLayout), e.Format(datasets.DayLayout), nil
}
