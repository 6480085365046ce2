package market

import (
	"fmt"
	"time"
)

// Event types in an auction's log.
const (
	evBid    = "bid"
	evClose  = "close"
	evCancel = "cancel"
)

// Event is one entry of an auction's log. Accepted bids have seq 1..n; a
// close or cancel, if any, is the last entry. The unique (auction, seq)
// index is what keeps two writers from both appending the same seq, and the
// unique (auction, idem) index what keeps a retried key from bidding twice.
type Event struct {
	ID      string    `bson:"_id"`
	Auction string    `bson:"auction"`
	Seq     int64     `bson:"seq"`
	Type    string    `bson:"type"`
	Idem    string    `bson:"idem"` // bidder|key, or ~seq when no key was given
	Amount  int64     `bson:"amount,omitempty"`
	Bidder  string    `bson:"bidder,omitempty"`
	Proxy   bool      `bson:"proxy,omitempty"`
	At      time.Time `bson:"at"`
	EndsAt  time.Time `bson:"endsAt"` // state right after this event
	Result  *Result   `bson:"result,omitempty"`
}

func eventID(auction string, seq int64) string { return fmt.Sprintf("%s:%010d", auction, seq) }

// idemFor scopes a client key to the user; unkeyed events get a unique filler.
func idemFor(bidder, key string, seq int64) string {
	if key == "" {
		return fmt.Sprintf("~%d", seq)
	}
	return bidder + "|" + key
}

// Bid is the public form of an accepted bid.
type Bid struct {
	Seq    int64     `json:"seq"`
	Amount int64     `json:"amount"`
	Bidder string    `json:"bidder"`
	At     time.Time `json:"at"`
	Proxy  bool      `json:"proxy,omitempty"`
}
