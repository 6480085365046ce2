// Package market runs live produce auctions: lots, sell (rising) and buy
// (falling) auctions, bidding over HTTP and websockets, closing and orders.
//
// Each auction's accepted bids form an append-only log with a unique
// (auction, seq); current state is derived from it. Within a process one
// runner goroutine per auction orders bids; across processes the unique
// index arbitrates (see runner.go).
package market

import "time"

// Kinds of auction.
const (
	KindSell = "sell" // a farmer sells; prices rise; highest wins
	KindBuy  = "buy"  // a buyer asks for supply; offers fall; lowest wins
)

// Status values shown to clients.
const (
	StatusScheduled = "scheduled"
	StatusLive      = "live"
	StatusClosed    = "closed"
	StatusCancelled = "cancelled"
)

// Units a quantity may be given in.
var Units = []string{"斤", "公斤", "吨", "箱", "头"}

// Quantity is an amount of produce.
type Quantity struct {
	Value float64 `bson:"value" json:"value" validate:"gt=0,lte=100000000"`
	Unit  string  `bson:"unit" json:"unit" validate:"required,oneof=斤 公斤 吨 箱 头"`
}

// Band is one row of an increment table: from this price on, this step.
type Band struct {
	From int64 `bson:"from" json:"from" validate:"gte=0"`
	Step int64 `bson:"step" json:"step" validate:"gt=0"`
}

// Terms say how the produce changes hands.
type Terms struct {
	Pickup   bool   `bson:"pickup" json:"pickup"`
	Delivery bool   `bson:"delivery" json:"delivery"`
	Note     string `bson:"note,omitempty" json:"note,omitempty" validate:"max=500"`
}

// Lot describes the produce on offer (or, for buy auctions, wanted).
type Lot struct {
	Variety     string `bson:"variety,omitempty" json:"variety,omitempty" validate:"max=50"`
	Grade       string `bson:"grade,omitempty" json:"grade,omitempty" validate:"max=30"`
	Origin      string `bson:"origin,omitempty" json:"origin,omitempty" validate:"omitempty,region"`
	HarvestDate string `bson:"harvestDate,omitempty" json:"harvestDate,omitempty" validate:"omitempty,datetime=2006-01-02"`
	Description string `bson:"description,omitempty" json:"description,omitempty" validate:"max=2000"`
	Terms       Terms  `bson:"terms" json:"terms"`
}

// Auction is the stored auction: its fixed terms plus a cache of the state
// derived from its event log (kept for lists; the log is the truth).
type Auction struct {
	ID             string    `bson:"_id"`
	Kind           string    `bson:"kind"`
	Title          string    `bson:"title"`
	Commodity      string    `bson:"commodity"`
	Quantity       Quantity  `bson:"quantity"`
	Lot            Lot       `bson:"lot"`
	StartPrice     int64     `bson:"startPrice"`
	Increment      int64     `bson:"increment"`
	IncrementTable []Band    `bson:"incrementTable,omitempty"`
	ReservePrice   *int64    `bson:"reservePrice,omitempty"`
	BuyNowPrice    *int64    `bson:"buyNowPrice,omitempty"`
	StartsAt       time.Time `bson:"startsAt"`
	EndsAt         time.Time `bson:"endsAt"` // as created; extensions live in the log
	ExtendSeconds  int       `bson:"extendSeconds"`
	Owner          string    `bson:"owner"`
	CreatedAt      time.Time `bson:"createdAt"`

	Cache Cache `bson:"cache"`
}

// Cache is the derived state last written by a runner.
type Cache struct {
	State  string    `bson:"state"` // open, closed, cancelled
	Price  int64     `bson:"price"`
	Leader *string   `bson:"leader"`
	Seq    int64     `bson:"seq"`
	EndsAt time.Time `bson:"endsAt"`
	Result *Result   `bson:"result,omitempty"`
}

// Cache states.
const (
	stateOpen      = "open"
	stateClosed    = "closed"
	stateCancelled = "cancelled"
)

// Result is the outcome of a closed auction.
type Result struct {
	Winner     *string `bson:"winner" json:"winner"`
	Price      int64   `bson:"price" json:"price"`
	ReserveMet bool    `bson:"reserveMet" json:"reserveMet"`
	Bids       int64   `bson:"bids" json:"bids"`
	Cancelled  bool    `bson:"cancelled,omitempty" json:"cancelled,omitempty"`
}
