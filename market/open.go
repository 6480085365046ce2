package market

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// openDoc lists an auction that has not closed yet. The set of open
// auctions is small while all auctions ever grow without end, and the
// embedded store scans a collection for any query not by _id: so the
// sweeper and the live/upcoming lists read this collection, not auctions.
// It is written before the auction and removed after its close is final.
type openDoc struct {
	ID        string    `bson:"_id"`
	Kind      string    `bson:"kind"`
	Commodity string    `bson:"commodity"`
	Origin    string    `bson:"origin"`
	StartsAt  time.Time `bson:"startsAt"`
	EndsAt    time.Time `bson:"endsAt"` // as created; a runner knows extensions
	CreatedAt time.Time `bson:"createdAt"`
}

func openIndexes() []mongo.IndexModel {
	return []mongo.IndexModel{{Keys: bson.D{{Key: "endsAt", Value: 1}}}}
}

func openOf(a *Auction) openDoc {
	return openDoc{ID: a.ID, Kind: a.Kind, Commodity: a.Commodity, Origin: a.Lot.Origin,
		StartsAt: a.StartsAt, EndsAt: a.EndsAt, CreatedAt: a.CreatedAt}
}

// insertAuction writes the open marker, then the auction.
func (s *Service) insertAuction(ctx context.Context, a *Auction) error {
	if _, err := s.open.InsertOne(ctx, openOf(a)); err != nil {
		return fmt.Errorf("insert open auction: %w", err)
	}
	if _, err := s.auctions.InsertOne(ctx, a); err != nil {
		// the sweeper removes the orphaned marker
		return fmt.Errorf("insert auction: %w", err)
	}
	return nil
}

// forgetOpen removes a finished auction's marker.
func (s *Service) forgetOpen(id string) error {
	ctx, cancel := s.storeCtx()
	defer cancel()
	if _, err := s.open.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return fmt.Errorf("forget open auction: %w", err)
	}
	return nil
}

// loadDue loads a runner for every open auction whose end has passed; the
// runner closes it (exactly once, by the log) and then forgets the marker.
func (s *Service) loadDue() {
	ctx, cancel := s.storeCtx()
	defer cancel()
	due, err := store.FindAll[openDoc](ctx, s.open, "due auctions", bson.D{{Key: "endsAt", Value: bson.D{{Key: "$lte", Value: time.Now()}}}})
	if err != nil {
		s.log.Warn("sweep failed", "err", err)
		return
	}
	for _, d := range due {
		_, err := s.runnerFor(ctx, d.ID)
		switch {
		case errors.Is(err, httpx.ErrNotFound) && time.Since(d.CreatedAt) > time.Minute:
			_ = s.forgetOpen(d.ID) // the auction's insert failed after its marker's
		case err != nil && !errors.Is(err, httpx.ErrNotFound):
			s.log.Warn("load due auction", "auction", d.ID, "err", err)
		}
	}
}

// idDoc reads only a document's _id.
type idDoc struct {
	ID string `bson:"_id"`
}

// openIDs lists open auctions' ids matching f (over openDoc fields), newest first.
func (s *Service) openIDs(ctx context.Context, f bson.D, limit int) ([]string, error) {
	docs, err := store.FindAll[idDoc](ctx, s.open, "open auctions", f, newestFirst(limit).SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	return pluck(docs, func(d idDoc) string { return d.ID }), nil
}

// pluck returns one string field of each document.
func pluck[T any](docs []T, field func(T) string) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = field(d)
	}
	return out
}
