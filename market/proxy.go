package market

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// proxyDoc is a bidder's standing maximum (for buy auctions: minimum).
type proxyDoc struct {
	ID      string    `bson:"_id"` // auction|user
	Auction string    `bson:"auction"`
	User    string    `bson:"user"`
	Max     int64     `bson:"max"`
	At      time.Time `bson:"at"`
}

// applyProxyRequests stores the maxima asked for in batch before anything
// is bid on their strength, so a proxy bid never rests on an unstored max.
func (r *runner) applyProxyRequests(batch []*request) error {
	for _, q := range batch {
		if q.kind != reqProxy || r.proxyRefusal(&r.st, q) != nil {
			continue
		}
		if err := r.svc.saveProxy(r.a.ID, q.user, q.amount); err != nil {
			return err
		}
		r.proxies[q.user] = q.amount
	}
	return nil
}

// proxyRefusal says why a maximum cannot stand, or nil.
func (r *runner) proxyRefusal(st *state, q *request) *httpx.Error {
	if !r.a.biddable(st, time.Now()) {
		return errNotLive
	}
	if st.leader != q.user && !r.a.acceptable(st, q.amount) {
		return errOutbid(fmt.Sprintf("the maximum must be %s %d fen", r.a.direction(), r.a.minNext(st)))
	}
	return nil
}

func (s *Service) saveProxy(auction, user string, max int64) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.StoreTimeout)
	defer cancel()
	doc := proxyDoc{ID: auction + "|" + user, Auction: auction, User: user, Max: max, At: time.Now()}
	_, err := s.proxies.ReplaceOne(ctx, bson.D{{Key: "_id", Value: doc.ID}}, doc, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("save proxy: %w", err)
	}
	return nil
}

func (s *Service) loadProxies(ctx context.Context, auction string) (map[string]int64, error) {
	docs, err := store.FindAll[proxyDoc](ctx, s.proxies, "proxies", bson.D{{Key: "auction", Value: auction}})
	if err != nil {
		return nil, err
	}
	m := make(map[string]int64, len(docs))
	for _, d := range docs {
		m[d.User] = d.Max
	}
	return m, nil
}

// proxyEvents bids on behalf of standing maxima until none can improve on
// the leader, as eBay's proxy bidding does: the strongest challenger bids
// just enough to lead (or its whole max when the leader's proxy is
// stronger, which then answers one step above it). Every such bid is an
// ordinary entry of the log, marked proxy.
func (r *runner) proxyEvents(sim *state, now time.Time) []*Event {
	var evs []*Event
	for range 1000 {
		if !r.a.biddable(sim, now) {
			return evs
		}
		user, amount, ok := r.nextProxyBid(sim)
		if !ok {
			return evs
		}
		evs = append(evs, r.bidEvent(sim, user, amount, "", true, now))
	}
	return evs
}

// nextProxyBid picks the one proxy bid that should come next, if any.
func (r *runner) nextProxyBid(sim *state) (string, int64, bool) {
	ch, chMax, ok := r.strongestChallenger(sim)
	if !ok {
		return "", 0, false
	}
	lMax, has := r.proxies[sim.leader]
	if !has || !r.a.acceptable(sim, lMax) {
		return ch, r.a.minNext(sim), true // nobody defends the lead
	}
	if r.a.better(chMax, lMax) {
		// the challenger wins: just beyond the leader's max, within its own
		return ch, r.a.pick(r.a.minNext(sim), r.a.beyond(lMax), chMax), true
	}
	// the leader's proxy is at least as strong: it answers just beyond the
	// challenger's max (ties go to the leader, who was there first)
	return sim.leader, r.a.pick(r.a.minNext(sim), r.a.beyond(chMax), lMax), true
}

// strongestChallenger is the proxy holder, other than the leader and the
// owner, whose maximum is best and still makes a valid bid.
func (r *runner) strongestChallenger(sim *state) (string, int64, bool) {
	var best string
	var bestMax int64
	for u, m := range r.proxies {
		if u == sim.leader || u == r.a.Owner || !r.a.acceptable(sim, m) {
			continue
		}
		if best == "" || r.a.better(m, bestMax) || m == bestMax && u < best {
			best, bestMax = u, m
		}
	}
	return best, bestMax, best != ""
}

// beyond is the least amount that beats x by one step.
func (a *Auction) beyond(x int64) int64 {
	if a.Kind == KindBuy {
		return x - a.step(x)
	}
	return x + a.step(x)
}

// pick returns the better of floor and want, but no better than limit.
func (a *Auction) pick(floor, want, limit int64) int64 {
	amt := floor
	if a.better(want, amt) {
		amt = want
	}
	if a.better(amt, limit) {
		amt = limit
	}
	return amt
}

// runProxies lets standing maxima answer bids learnt from other processes.
func (r *runner) runProxies() {
	if len(r.proxies) == 0 {
		return
	}
	sim := r.st
	evs := r.proxyEvents(&sim, time.Now())
	if len(evs) == 0 {
		return
	}
	stored, err := r.svc.appendEvents(evs)
	r.applyStored(evs[:stored])
	if err != nil {
		r.stale = true
	}
}

func proxyIndexes() []mongo.IndexModel {
	return []mongo.IndexModel{{Keys: bson.D{{Key: "auction", Value: 1}}}}
}
