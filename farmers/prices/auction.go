package prices

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/regions"
)

// AuctionClose is what the market tells prices when an auction closes
// with a winner.
type AuctionClose struct {
	AuctionID, Commodity, Variety, Region, Unit string
	Quantity                                    float64
	Price                                       int64 // winning price in fen per Unit (auction prices are unit prices)
	ClosedAt                                    time.Time
}

// RecordAuction stores an auction's winning unit price as a price point
// of the market AuctionMarket on its closing day (Shanghai), as minimum,
// average and maximum.
//
// It is idempotent: the point's key is the auction id, and the insert
// fails on it, so a close reported twice (a retry, two processes) stores
// one point, and the second call returns nil.
func (s *Service) RecordAuction(ctx context.Context, a AuctionClose) error {
	if a.Price <= 0 {
		return fmt.Errorf("auction %s price: %d fen is not positive", a.AuctionID, a.Price)
	}
	unit := a.Price
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
