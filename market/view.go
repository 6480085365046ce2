package market

import (
	"time"

	"github.com/liaoning12316/agrimaker/internal/tz"
)

// View is the public form of an auction. The reserve price is shown to the
// owner only; others learn whether it exists and, at the close, whether it
// was met.
type View struct {
	ID             string     `json:"id"`
	Kind           string     `json:"kind"`
	Status         string     `json:"status"`
	Title          string     `json:"title"`
	Commodity      string     `json:"commodity"`
	Quantity       Quantity   `json:"quantity"`
	Lot            Lot        `json:"lot"`
	StartPrice     int64      `json:"startPrice"`
	Increment      int64      `json:"increment"`
	IncrementTable []Band     `json:"incrementTable,omitempty"`
	NextMin        *int64     `json:"nextMin"` // least valid next bid while live
	HasReserve     bool       `json:"hasReserve"`
	ReservePrice   *int64     `json:"reservePrice,omitempty"`
	BuyNowPrice    *int64     `json:"buyNowPrice,omitempty"`
	Price          int64      `json:"price"`
	Leader         *string    `json:"leader"`
	Seq            int64      `json:"seq"`
	StartsAt       time.Time  `json:"startsAt"`
	EndsAt         time.Time  `json:"endsAt"`
	ExtendSeconds  int        `json:"extendSeconds"`
	Owner          string     `json:"owner"`
	Result         *Result    `json:"result"`
	Photos         []string   `json:"photos,omitempty"`   // photo URLs (single-auction reads only)
	Watchers       *int       `json:"watchers,omitempty"` // owner only
	CreatedAt      time.Time  `json:"createdAt"`
	ServerTime     *time.Time `json:"serverTime,omitempty"`
}

// view renders a at state st for viewer (a user id, or "" for anonymous).
func (a *Auction) view(st *state, viewer string) *View {
	t := time.Now()
	v := &View{
		ID: a.ID, Kind: a.Kind, Status: a.statusAt(st, t), Title: a.Title, Commodity: a.Commodity,
		Quantity: a.Quantity, Lot: a.Lot, StartPrice: a.StartPrice, Increment: a.Increment,
		IncrementTable: a.IncrementTable, HasReserve: a.ReservePrice != nil, BuyNowPrice: a.BuyNowPrice,
		Price: st.price, Leader: st.leaderPtr(), Seq: st.bids, StartsAt: tz.In(a.StartsAt),
		EndsAt: tz.In(st.endsAt), ExtendSeconds: a.ExtendSeconds, Owner: a.Owner, Result: st.result,
		CreatedAt: tz.In(a.CreatedAt),
	}
	if v.Status == StatusLive || v.Status == StatusScheduled {
		m := a.minNext(st)
		v.NextMin = &m
	}
	if viewer != "" && viewer == a.Owner {
		v.ReservePrice = a.ReservePrice
	}
	return v
}

// stateOfCache turns a stored cache back into a state, for lists.
func stateOfCache(a *Auction) state {
	c := a.Cache
	st := state{seq: c.Seq, price: c.Price, endsAt: c.EndsAt, result: c.Result,
		closed: c.State == stateClosed, cancelled: c.State == stateCancelled}
	st.bids = c.Seq
	if st.closed || st.cancelled {
		st.bids = c.Seq - 1
	}
	if c.Leader != nil {
		st.leader = *c.Leader
	}
	if st.endsAt.IsZero() {
		st.endsAt = a.EndsAt
	}
	if st.price == 0 && st.bids == 0 {
		st.price = a.StartPrice
	}
	return st
}
