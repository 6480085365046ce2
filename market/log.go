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

// probeLimit is how many events eventsAfter reads one by one, by _id,
// before it reads the rest with one range query.
const probeLimit = 16

// eventsAfter reads an auction's log after seq, in order.
//
// Most calls find nothing or a few events (a poll, a lost append race), so
// it first reads the next events by _id, one query each: on the embedded
// store that is the only read an index serves (internal/store/sqliteid.go;
// any other filter scans the whole collection, 0.65 s at 20,000 events),
// and on MongoDB a point read costs about what an empty range does. A long
// tail (a runner loading a busy auction) is then one range query, which
// MongoDB serves from the (auction, seq) index.
func (s *Service) eventsAfter(ctx context.Context, auction string, after int64) ([]*Event, error) {
	var evs []*Event
	for seq := after + 1; seq <= after+probeLimit; seq++ {
		ev := new(Event)
		err := s.events.FindOne(ctx, bson.D{{Key: "_id", Value: eventID(auction, seq)}}).Decode(ev)
		if store.IsNotFound(err) {
			return evs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read event %d of %s: %w", seq, auction, err)
		}
		evs = append(evs, ev)
	}
	filter := bson.D{{Key: "auction", Value: auction}, {Key: "seq", Value: bson.D{{Key: "$gt", Value: after + probeLimit}}}}
	rest, err := store.FindAll[*Event](ctx, s.events, "events of "+auction, filter, options.Find().SetSort(bson.D{{Key: "seq", Value: 1}}))
	if err != nil {
		return nil, err
	}
	return append(evs, rest...), nil
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
	// Filter by _id alone (see eventsAfter). Two processes may race here and
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
