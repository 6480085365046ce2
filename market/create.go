package market

import (
	"context"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// createReq is the body of POST /api/v1/auctions.
type createReq struct {
	Kind           string     `json:"kind" validate:"required,oneof=sell buy"`
	Title          string     `json:"title" validate:"required,max=100"`
	Commodity      string     `json:"commodity" validate:"required,max=50"`
	Quantity       Quantity   `json:"quantity"`
	Lot            Lot        `json:"lot"`
	StartPrice     int64      `json:"startPrice" validate:"gte=1,lte=100000000000"`
	Increment      int64      `json:"increment" validate:"gte=1,lte=100000000"`
	IncrementTable []Band     `json:"incrementTable" validate:"max=20,dive"`
	ReservePrice   *int64     `json:"reservePrice" validate:"omitempty,gte=1"`
	BuyNowPrice    *int64     `json:"buyNowPrice" validate:"omitempty,gte=1"`
	StartsAt       *time.Time `json:"startsAt"`
	EndsAt         time.Time  `json:"endsAt" validate:"required"`
	ExtendSeconds  *int       `json:"extendSeconds" validate:"omitempty,gte=0,lte=600"`
}

const (
	minDuration = 5 * time.Second
	maxDuration = 31 * 24 * time.Hour
)

// check applies the rules a validator tag cannot say.
func (q *createReq) check(now time.Time) error {
	f := map[string]string{}
	start := q.start(now)
	if q.StartsAt != nil && q.StartsAt.Before(now.Add(-time.Minute)) {
		f["startsAt"] = "must not be in the past"
	}
	if q.EndsAt.Sub(start) < minDuration {
		f["endsAt"] = "must be at least 5 seconds after the start"
	} else if q.EndsAt.Sub(start) > maxDuration {
		f["endsAt"] = "must be within 31 days of the start"
	}
	if msg := checkBands(q.IncrementTable); msg != "" {
		f["incrementTable"] = msg
	}
	up := q.Kind == KindSell
	if q.ReservePrice != nil && (up && *q.ReservePrice < q.StartPrice || !up && *q.ReservePrice > q.StartPrice) {
		f["reservePrice"] = "must not be on the wrong side of the start price"
	}
	if q.BuyNowPrice != nil && (up && *q.BuyNowPrice <= q.StartPrice || !up && *q.BuyNowPrice >= q.StartPrice) {
		f["buyNowPrice"] = "must be better than the start price"
	}
	if len(f) > 0 {
		return httpx.Invalid(f)
	}
	return nil
}

// start is when the auction goes live: startsAt if still ahead, else now
// (a client clock a little behind ours must not shorten the auction).
func (q *createReq) start(now time.Time) time.Time {
	if q.StartsAt != nil && q.StartsAt.After(now) {
		return *q.StartsAt
	}
	return now
}

func checkBands(bands []Band) string {
	if len(bands) == 0 {
		return ""
	}
	if bands[0].From != 0 {
		return "the first band must start from 0"
	}
	if !slices.IsSortedFunc(bands, func(a, b Band) int { return int(a.From - b.From) }) ||
		slices.ContainsFunc(bands[1:], func(b Band) bool { return b.From == 0 }) {
		return "bands must be in rising order of from"
	}
	return ""
}

// requiredRole is the role that may create an auction of kind (and that
// other users need to bid on it: buyers bid on sells, farmers on buys).
func createRole(kind string) string {
	if kind == KindBuy {
		return farmers.RoleBuyer
	}
	return farmers.RoleFarmer
}

func bidRole(kind string) string {
	if kind == KindBuy {
		return farmers.RoleFarmer
	}
	return farmers.RoleBuyer
}

// create stores a new auction for owner.
func (s *Service) create(ctx context.Context, owner *farmers.User, q *createReq) (*Auction, error) {
	now := time.Now()
	if err := q.check(now); err != nil {
		return nil, err
	}
	if !owner.HasRole(createRole(q.Kind)) {
		return nil, httpx.Errorf(403, "forbidden", "creating a %s auction needs the %s role", q.Kind, createRole(q.Kind))
	}
	start := q.start(now)
	ext := 60
	if q.ExtendSeconds != nil {
		ext = *q.ExtendSeconds
	}
	a := &Auction{
		ID: bson.NewObjectID().Hex(), Kind: q.Kind, Title: q.Title, Commodity: q.Commodity,
		Quantity: q.Quantity, Lot: q.Lot, StartPrice: q.StartPrice, Increment: q.Increment,
		IncrementTable: q.IncrementTable, ReservePrice: q.ReservePrice, BuyNowPrice: q.BuyNowPrice,
		StartsAt: start.Truncate(time.Millisecond), EndsAt: q.EndsAt.Truncate(time.Millisecond),
		ExtendSeconds: ext, Owner: owner.ID, CreatedAt: now,
	}
	a.Cache = Cache{State: stateOpen, Price: a.StartPrice, EndsAt: a.EndsAt}
	if err := s.insertAuction(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

func auctionIndexes() []mongo.IndexModel {
	return []mongo.IndexModel{
		{Keys: bson.D{{Key: "cache.state", Value: 1}}},
		{Keys: bson.D{{Key: "owner", Value: 1}, {Key: "_id", Value: -1}}},
		{Keys: bson.D{{Key: "cache.result.winner", Value: 1}}},
		{Keys: bson.D{{Key: "commodity", Value: 1}}},
	}
}
