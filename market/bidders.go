package market

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/store"
)

// bidderDoc records that a user has bid on an auction, for "my bids". It is
// written after the bid, off the acknowledgement path, and derived from the
// log: a lost write is rewritten when the runner next loads.
type bidderDoc struct {
	ID      string    `bson:"_id"` // auction|user
	Auction string    `bson:"auction"`
	User    string    `bson:"user"`
	At      time.Time `bson:"at"`
}

func bidderIndexes() []mongo.IndexModel {
	return []mongo.IndexModel{{Keys: bson.D{{Key: "user", Value: 1}, {Key: "auction", Value: -1}}}}
}

// noteBidder remembers a bidder not yet recorded.
func (r *runner) noteBidder(user string) {
	if _, ok := r.bidders[user]; !ok {
		r.bidders[user] = false
	}
}

// writeBidders records new bidders; duplicates (another process, a reload)
// are fine.
func (r *runner) writeBidders(ctx context.Context) error {
	var docs []any
	for u, written := range r.bidders {
		if !written {
			docs = append(docs, bidderDoc{ID: r.a.ID + "|" + u, Auction: r.a.ID, User: u, At: time.Now()})
		}
	}
	if len(docs) == 0 {
		return nil
	}
	done := r.svc.writeTurn()
	_, err := r.svc.bidders.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	done()
	var bwe mongo.BulkWriteException
	if err != nil && !(errors.As(err, &bwe) && allDuplicates(bwe)) {
		return fmt.Errorf("record bidders: %w", err)
	}
	for _, d := range docs {
		r.bidders[d.(bidderDoc).User] = true
	}
	return nil
}

func allDuplicates(bwe mongo.BulkWriteException) bool {
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 {
			return false
		}
	}
	return bwe.WriteConcernError == nil
}

// auctionsBidOn lists the auctions user has bid on.
func (s *Service) auctionsBidOn(ctx context.Context, user string) ([]string, error) {
	docs, err := store.FindAll[bidderDoc](ctx, s.bidders, "auctions bid on", bson.D{{Key: "user", Value: user}})
	if err != nil {
		return nil, err
	}
	return pluck(docs, func(d bidderDoc) string { return d.Auction }), nil
}
