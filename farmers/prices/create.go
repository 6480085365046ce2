package prices

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

var errDuplicate = errors.New("price point exists")

// createReq is the body of POST /prices: a quote 12316 staff enter by
// hand. Prices are fen per unit.
type createReq struct {
	Commodity string `json:"commodity" validate:"required"`
	Variety   string `json:"variety"`
	Market    string `json:"market" validate:"required"`
	Region    string `json:"region" validate:"required"`
	Date      string `json:"date" validate:"required"`
	Unit      string `json:"unit" validate:"required"`
	MinPrice  int64  `json:"minPrice" validate:"required"`
	AvgPrice  int64  `json:"avgPrice" validate:"required"`
	MaxPrice  int64  `json:"maxPrice" validate:"required"`
}

func (s *Service) handleCreate(c *fiber.Ctx) error {
	var req createReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	p := Point{Commodity: req.Commodity, Variety: req.Variety, Market: req.Market, Region: req.Region,
		Date: req.Date, Unit: req.Unit, MinPrice: req.MinPrice, AvgPrice: req.AvgPrice, MaxPrice: req.MaxPrice,
		Source: Source12316}
	if bad := p.normalise(); len(bad) > 0 {
		return httpx.Invalid(bad)
	}
	if err := s.insert(c.UserContext(), &p); err != nil {
		if errors.Is(err, errDuplicate) {
			return httpx.Errorf(fiber.StatusConflict, "duplicate", "a 12316 price for this commodity, variety, market and date exists")
		}
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p.view())
}
