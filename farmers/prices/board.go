package prices

import (
	"cmp"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// boardDays is how far back the board looks: a commodity not quoted at a
// market for a month is no longer "the latest price" there.
const boardDays = 30

// handleBoard: GET /prices/board?region=&commodity=&source= — the latest
// price of each commodity (and variety, and unit) at each market, quoted
// within the last 30 days. One query bounded by date, reduced here; on
// the newest day, the point stored last wins.
func (s *Service) handleBoard(c *fiber.Ctx) error {
	f, err := pointFilter(c)
	if err != nil {
		return err
	}
	end, _ := datasets.ParseDay(datasets.Today())
	since := end.AddDate(0, 0, 1-boardDays).Format(datasets.DayLayout)
	e, _ := datasets.DayFilter("date", since, "")
	points, err := store.FindAll[Point](c.UserContext(), s.points, "price board", append(f, e))
	if err != nil {
		return err
	}
	page := httpx.List[View]{Items: latest(points)}
	return datasets.JSONWithETag(c, page)
}

// latest keeps the newest point per commodity, variety, market and unit,
// sorted by commodity, variety, market.
func latest(points []Point) []View {
	best := map[[4]string]*Point{}
	for i := range points {
		p := &points[i]
		k := [4]string{p.Commodity, p.Variety, p.Market, p.Unit}
		if b := best[k]; b == nil || cmp.Or(cmp.Compare(p.Date, b.Date), cmp.Compare(p.ID, b.ID)) > 0 {
			best[k] = p
		}
	}
	out := make([]View, 0, len(best))
	for _, p := range best {
		out = append(out, p.view())
	}
	slices.SortFunc(out, func(a, b View) int {
		return cmp.Or(cmp.Compare(a.Commodity, b.Commodity), cmp.Compare(a.Variety, b.Variety),
			cmp.Compare(a.Market, b.Market), cmp.Compare(a.Unit, b.Unit))
	})
	return out
}
