package market

import (
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/liaoning12316/agrimaker/internal/store"
)

// closeIfDue appends the close entry once the (possibly extended) end has
// passed. Whoever appends seq n+1 first decides: a bid that got there first
// (from another process) means the end moved, and we look again later.
func (r *runner) closeIfDue() {
	now := time.Now()
	if r.st.closed || r.st.cancelled || now.Before(r.st.endsAt) || now.Before(r.retryAt) {
		return
	}
	sim := r.st
	ev := r.terminal(&sim, evClose, now)
	stored, err := r.svc.appendEvents([]*Event{ev})
	if stored == 1 {
		r.applyEvent(ev)
		return
	}
	if errors.Is(err, errConflict) {
		if err = r.catchUp(); err == nil {
			return
		}
	}
	r.stale = true
	r.retryAt = now.Add(time.Second)
	r.log.Warn("close failed; will retry", "auction", r.a.ID, "err", err)
}

// finish makes the effects of a close or cancel durable: the cached state
// and, when there is a winner, the order. Both writes are idempotent, so
// finish runs again after a crash (or in another process) harmlessly.
func (r *runner) finish() {
	if r.finished {
		return
	}
	r.flushCache()
	if r.dirty {
		return // retried on the next tick
	}
	if o := r.orderOf(); o != nil {
		if err := r.svc.createOrder(o); err != nil {
			r.log.Warn("order write failed; will retry", "auction", r.a.ID, "err", err)
			return
		}
		// The price point is derived data (the order is the record): a
		// failure is logged and does not hold the auction's finish.
		if err := r.reportDeal(o); err != nil {
			r.log.Warn("deal not recorded in the price data", "auction", r.a.ID, "err", err)
		}
	}
	if err := r.svc.forgetOpen(r.a.ID); err != nil {
		r.log.Warn("open marker removal failed; will retry", "auction", r.a.ID, "err", err)
		return
	}
	r.finished = true
	r.log.Info("auction finished", "auction", r.a.ID, "bids", r.st.bids, "closed", r.st.closed)
}

// Order is the deal an auction's close makes between its two parties.
type Order struct {
	ID        string    `bson:"_id" json:"id"` // the auction's id: one order per auction
	Auction   string    `bson:"auction" json:"auction"`
	Kind      string    `bson:"kind" json:"kind"`
	Title     string    `bson:"title" json:"title"`
	Commodity string    `bson:"commodity" json:"commodity"`
	Quantity  Quantity  `bson:"quantity" json:"quantity"`
	Price     int64     `bson:"price" json:"price"`
	Seller    string    `bson:"seller" json:"seller"`
	Buyer     string    `bson:"buyer" json:"buyer"`
	Terms     Terms     `bson:"terms" json:"terms"`
	Status    string    `bson:"status" json:"status"`
	CreatedAt time.Time `bson:"createdAt" json:"createdAt"`
}

func (r *runner) orderOf() *Order {
	res := r.st.result
	if !r.st.closed || res == nil || res.Winner == nil {
		return nil
	}
	o := &Order{ID: r.a.ID, Auction: r.a.ID, Kind: r.a.Kind, Title: r.a.Title, Commodity: r.a.Commodity,
		Quantity: r.a.Quantity, Price: res.Price, Terms: r.a.Lot.Terms, Status: "pending", CreatedAt: time.Now()}
	o.Seller, o.Buyer = r.a.Owner, *res.Winner
	if r.a.Kind == KindBuy {
		o.Seller, o.Buyer = *res.Winner, r.a.Owner
	}
	return o
}

func (s *Service) createOrder(o *Order) error {
	ctx, cancel := s.storeCtx()
	defer cancel()
	_, err := s.orders.InsertOne(ctx, o)
	if err != nil && !store.IsDuplicate(err) {
		return err
	}
	return nil
}

func orderIndexes() []mongo.IndexModel {
	return []mongo.IndexModel{
		{Keys: bson.D{{Key: "seller", Value: 1}, {Key: "_id", Value: -1}}},
		{Keys: bson.D{{Key: "buyer", Value: 1}, {Key: "_id", Value: -1}}},
	}
}
