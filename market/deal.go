package market

import "time"

// Deal is a closed auction that made a sale, handed to Config.OnDeal: the
// 12316 price data takes closed auctions as one of its sources.
type Deal struct {
	Auction   string
	Kind      string
	Commodity string
	Variety   string
	Origin    string // region code of the lot, may be ""
	Unit      string
	Quantity  float64
	Price     int64 // the winning price, fen per Unit (bids are unit prices)
	ClosedAt  time.Time
}

// reportDeal hands the deal to OnDeal. A finish retried after a later
// step failed calls it again, so OnDeal must be idempotent by auction.
func (r *runner) reportDeal(o *Order) error {
	if r.svc.cfg.OnDeal == nil {
		return nil
	}
	ctx, cancel := r.svc.storeCtx()
	defer cancel()
	return r.svc.cfg.OnDeal(ctx, Deal{Auction: o.Auction, Kind: o.Kind, Commodity: o.Commodity,
		Variety: r.a.Lot.Variety, Origin: r.a.Lot.Origin, Unit: o.Quantity.Unit, Quantity: o.Quantity.Value,
		Price: o.Price, ClosedAt: r.st.endsAt})
}
