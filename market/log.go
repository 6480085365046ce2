package market

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/store"
)

// errConflict means another writer appended at one of our seqs first (or a
// key was already used): read the log and evaluate again.
var errConflict = errors.New("another writer appended first")

func eventIndexes() []mongo.IndexModel {
	return []mongo.IndexModel{
		{Keys: bson.D{{Key: "auction", Value: 1}, {Key: "seq", Value: 1}}, Options: options.Index().SetUnique(true)},
		{Keys: bson.D{{Key: "auction", Value: 1}, {Key: "idem", Value: 1}}, Options: options.Index().SetUnique(true)},
		{Keys: bson.D{{Key: "bidder", Value: 1}, {Key: "auction", Value: 1}}},
		{Keys: bson.D{{Key: "at", Value: 1}}}, // the remote poll (remote.go)
	}
}

// appendEvents inserts evs in order and returns how many are known stored.
// On a duplicate-key failure the ones before it are stored and the error
// wraps errConflict; on any other failure, the count is only a lower bound.
func (s *Service) appendEvents(evs []*Event) (int, error) {
	if len(evs) == 0 {
		return 0, nil
	}
	docs := make([]any, len(evs))
	for i, ev := range evs {
		docs[i] = ev
	}
	err := s.eventWriter.insert(docs)
	if err == nil {
		return len(evs), nil
	}
	if errors.Is(err, errNotTried) {
		return 0, fmt.Errorf("%w: %w", errConflict, err)
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || len(bwe.WriteErrors) == 0 {
		return 0, fmt.Errorf("insert events: %w", err)
	}
	first := slices.MinFunc(bwe.WriteErrors, func(a, b mongo.BulkWriteError) int { return a.Index - b.Index })
	if first.Code == 11000 && bwe.WriteConcernError == nil {
		return first.Index, fmt.Errorf("%w at seq %d", errConflict, evs[first.Index].Seq)
	}
	return first.Index, fmt.Errorf("insert events: %w", err)
}

// eventsAfter reads an auction's log after seq, in order, in one query.
//
// On the embedded store every query scans its whole collection (FerretDB
// 1.24's SQLite backend uses no index for reads, not even for _id), so what
// counts there is the number of queries, not how selective they are; on
// MongoDB the (auction, seq) index serves this as a range.
func (s *Service) eventsAfter(ctx context.Context, auction string, after int64) ([]*Event, error) {
	filter := bson.D{{Key: "auction", Value: auction}, {Key: "seq", Value: bson.D{{Key: "$gt", Value: after}}}}
	evs, err := store.FindAll[*Event](ctx, s.events, "events of "+auction, filter, options.Find().SetSort(bson.D{{Key: "seq", Value: 1}}))
	if err != nil {
		return nil, err
	}
	return evs, nil
}

// catchUp applies whatever the log holds beyond our state.
func (r *runner) catchUp() error {
	ctx, cancel := r.ctx()
	defer cancel()
	evs, err := r.svc.eventsAfter(ctx, r.a.ID, r.st.seq)
	if err != nil {
		return err
	}
	for _, ev := range evs {
		if ev.Seq != r.st.seq+1 {
			return fmt.Errorf("log of %s has a gap before seq %d", r.a.ID, ev.Seq)
		}
		r.applyEvent(ev)
	}
	if len(evs) > 0 || r.stale || !r.proxiesLoaded {
		// another writer appended: it may hold maxima we have not seen
		proxies, err := r.svc.loadProxies(ctx, r.a.ID)
		if err != nil {
			return err
		}
		r.proxies, r.proxiesLoaded = proxies, true
	}
	r.stale = false
	return nil
}

// flushCache writes the derived state into the auction document, for lists.
// It is a cache: the log stays the truth, so a lost or late write only makes
// a list a moment stale.
func (r *runner) flushCache() {
	if !r.dirty {
		return
	}
	r.flushedAt = time.Now()
	ctx, cancel := r.ctx()
	defer cancel()
	c := r.cacheOf()
	// Filter by _id alone (see eventAt). Two processes may race here and
	// leave an older cache for a moment; the next flush mends it.
	done := r.svc.writeTurn()
	_, err := r.svc.auctions.UpdateOne(ctx, bson.D{{Key: "_id", Value: r.a.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "cache", Value: c}}}})
	done()
	if err == nil {
		err = r.writeBidders(ctx)
	}
	if err != nil {
		r.log.Warn("cache write failed", "auction", r.a.ID, "err", err)
		return
	}
	r.dirty = false
}

func (r *runner) cacheOf() Cache {
	c := Cache{State: stateOpen, Price: r.st.price, Leader: r.st.leaderPtr(), Seq: r.st.seq, EndsAt: r.st.endsAt, Result: r.st.result}
	switch {
	case r.st.cancelled:
		c.State = stateCancelled
	case r.st.closed:
		c.State = stateClosed
	}
	return c
}

// keyWindow is how long idempotency keys are honoured (at least 24 hours).
const keyWindow = 48 * time.Hour
