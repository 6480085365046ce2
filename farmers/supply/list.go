package supply

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// handleList: GET /supply?kind=&commodity=&region=&status=, a page in _id
// order or, with ?format=csv|json, every match. status: open (default:
// open and still valid today), expired, closed or all.
func (s *Service) handleList(c *fiber.Ctx) error {
	today := datasets.Today()
	f, err := listFilter(c, today)
	if err != nil {
		return err
	}
	cl := access.CallerFrom(c)
	return datasets.RespondList(c, s.posts, f, Dataset, func(raw bson.Raw) (any, []string, error) {
		var p Post
		if err := bson.Unmarshal(raw, &p); err != nil {
			return nil, nil, fmt.Errorf("decode supply post: %w", err)
		}
		v := p.view(cl, today)
		return v, cells(&p, v.Contact.Phone), nil
	})
}

// listFilter reads the filters; every value is a literal or a validated code.
func listFilter(c *fiber.Ctx, today string) (bson.D, error) {
	f := bson.D{}
	switch k := c.Query("kind"); k {
	case "":
	case KindSupply, KindDemand:
		f = append(f, bson.E{Key: "kind", Value: k})
	default:
		return nil, httpx.Invalid(map[string]string{"kind": "must be one of: supply demand"})
	}
	if v := c.Query("commodity"); v != "" {
		f = append(f, bson.E{Key: "commodity", Value: v})
	}
	if v := c.Query("region"); v != "" {
		e, err := datasets.RegionFilter("region", v)
		if err != nil {
			return nil, err
		}
		f = append(f, e)
	}
	switch st := c.Query("status", StatusOpen); st {
	case StatusOpen:
		f = append(f, bson.E{Key: "status", Value: StatusOpen}, bson.E{Key: "validUntil", Value: bson.D{{Key: "$gte", Value: today}}})
	case StatusExpired:
		f = append(f, bson.E{Key: "status", Value: StatusOpen}, bson.E{Key: "validUntil", Value: bson.D{{Key: "$lt", Value: today}}})
	case StatusClosed:
		f = append(f, bson.E{Key: "status", Value: StatusClosed})
	case "all":
	default:
		return nil, httpx.Invalid(map[string]string{"status": "must be one of: open expired closed all"})
	}
	return f, nil
}
