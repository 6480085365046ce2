package prices

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/regions"
)

// AuctionClose is what the market tells prices when an auction closes
// with a winner.
type AuctionClose struct {
	AuctionID, Commodity, Variety, Region, Unit string
	Quantity                                    float64
	Price                                       int64 // winning total price in fen for the whole lot
	ClosedAt                                    time.Time
}

// RecordAuction stores an auction's winning price as a price point of the
// market AuctionMarket on its closing day (Shanghai), per unit:
// round(Price / Quantity) as minimum, average and maximum.
//
// It is idempotent: the point's key is the auction id, and the insert
// fails on it, so a close reported twice (a retry, two processes) stores
// one point, and the second call returns nil.
func (s *Service) RecordAuction(ctx context.Context, a AuctionClose) error {
	if a.Quantity <= 0 || math.IsInf(a.Quantity, 0) || math.IsNaN(a.Quantity) {
		return fmt.Errorf("auction %s price: quantity %v is not positive", a.AuctionID, a.Quantity)
	}
	unit := int64(math.Round(float64(a.Price) / a.Quantity))
	p := Point{Commodity: a.Commodity, Variety: a.Variety, Market: AuctionMarket, Region: a.Region,
		Date: datasets.DayOf(a.ClosedAt), Unit: a.Unit, MinPrice: unit, AvgPrice: unit, MaxPrice: unit,
		Source: SourceAuction, AuctionID: a.AuctionID}
	if _, ok := regions.Lookup(p.Region); !ok {
		p.Region = regions.Province // a lot without a known origin is still a Liaoning price
	}
	if bad := p.normalise(); len(bad) > 0 {
		return fmt.Errorf("auction %s price is not valid: %v", a.AuctionID, bad)
	}
	if err := s.insert(ctx, &p); err != nil && !errors.Is(err, errDuplicate) {
		return fmt.Errorf("auction %s price: %w", a.AuctionID, err)
	}
	return nil
}
