package prices

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// handleList: GET /prices?commodity=&variety=&market=&region=&from=&to=&source=,
// a page in _id order or, with ?format=csv|json, every match.
func (s *Service) handleList(c *fiber.Ctx) error {
	f, err := pointFilter(c)
	if err != nil {
		return err
	}
	if from, to, err := datasets.Days(c); err != nil {
		return err
	} else if e, ok := datasets.DayFilter("date", from, to); ok {
		f = append(f, e)
	}
	return datasets.RespondList(c, s.points, f, Dataset, view)
}

// pointFilter reads the filters lists, series and the board share. Each
// is an equality on a literal string or a validated region.
func pointFilter(c *fiber.Ctx) (bson.D, error) {
	f := bson.D{}
	for _, name := range []string{"commodity", "variety", "market", "unit"} {
		if v := c.Query(name); v != "" {
			f = append(f, bson.E{Key: name, Value: v})
		}
	}
	switch v := c.Query("source"); v {
	case "":
	case Source12316, SourceAuction, SourceImport:
		f = append(f, bson.E{Key: "source", Value: v})
	default:
		return nil, httpx.Invalid(map[string]string{"source": "must be one of: 12316 auction import"})
	}
	if v := c.Query("region"); v != "" {
		e, err := datasets.RegionFilter("region", v)
		if err != nil {
			return nil, err
		}
		f = append(f, e)
	}
	return f, nil
}

func view(raw bson.Raw) (any, []string, error) {
	var p Point
	if err := bson.Unmarshal(raw, &p); err != nil {
		return nil, nil, fmt.Errorf("decode price: %w", err)
	}
	cells, err := formatDoc(raw)
	return p.view(), cells, err
}
