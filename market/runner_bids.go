package market

import (
	"errors"
	"fmt"
	"time"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// plan is what evaluating one request against the simulated state decided.
type plan struct {
	q       *request
	ev      *Event // the request's own accepted bid (or cancel), nil if refused
	refusal *httpx.Error
	replay  bool // ev or refusal is an earlier answer to the same key
}

// answer is what a key was first answered with.
type answer struct {
	ev      *Event
	refusal *httpx.Error
}

// handle answers a batch of requests with as few appends as possible.
func (r *runner) handle(batch []*request) {
	if r.stale {
		if err := r.catchUp(); err != nil {
			r.failAll(batch, err)
			return
		}
	}
	for attempt := 0; len(batch) > 0; attempt++ {
		if attempt == 8 {
			// Another process keeps winning the race; let the client retry.
			r.failAll(batch, errBusy)
			return
		}
		var err error
		if batch, err = r.attempt(batch); err != nil {
			r.failAll(batch, err)
			return
		}
	}
}

func (r *runner) failAll(batch []*request, err error) {
	if _, ok := err.(*httpx.Error); !ok {
		r.log.Warn("requests failed", "auction", r.a.ID, "n", len(batch), "err", err)
		err = httpx.ErrUnavailable
	}
	for _, q := range batch {
		q.reply(outcome{err: err})
	}
}

// attempt evaluates the batch, appends its events and answers the requests
// whose events were stored. It returns the requests that must be evaluated
// again because another writer appended first.
func (r *runner) attempt(batch []*request) ([]*request, error) {
	if err := r.applyProxyRequests(batch); err != nil {
		return batch, err
	}
	if err := r.recallKeys(batch); err != nil {
		return batch, err
	}
	sim := r.st
	now := time.Now()
	plans := make([]plan, 0, len(batch))
	var evs []*Event
	seen := map[string]bool{}
	var later []*request // a key twice in one batch: the second waits for the first's answer
	for _, q := range batch {
		k := q.idem()
		if seen[k] {
			later = append(later, q)
			continue
		}
		if k != "" {
			seen[k] = true
		}
		p := plan{q: q}
		if prev, ok := r.keys[k]; ok && k != "" {
			p.ev, p.refusal, p.replay = prev.ev, prev.refusal, true
		} else {
			evs = append(evs, r.evaluate(&p, &sim, now)...)
		}
		plans = append(plans, p)
	}
	evs = append(evs, r.proxyEvents(&sim, now)...)
	stored, err := r.svc.appendEvents(evs)
	r.applyStored(evs[:stored])
	retry := append(r.answerStored(plans, evs[:stored], err != nil), r.answerRepeats(later)...)
	if err != nil && !errors.Is(err, errConflict) {
		r.stale = true // some of the rest may be stored: read the log before going on
		return retry, fmt.Errorf("append %d events: %w", len(evs), err)
	}
	if err != nil {
		if cerr := r.catchUp(); cerr != nil {
			return retry, cerr
		}
	}
	return retry, nil
}

// evaluate decides one request against sim and returns the events it adds.
func (r *runner) evaluate(p *plan, sim *state, now time.Time) []*Event {
	switch p.q.kind {
	case reqCancel:
		if err := r.checkCancel(sim, p.q.user); err != nil {
			p.refusal = err
			return nil
		}
		p.ev = r.terminal(sim, evCancel, now)
		return []*Event{p.ev}
	case reqProxy:
		// a valid maximum is already stored; proxyEvents bids for it
		p.refusal = r.proxyRefusal(sim, p.q)
		return nil
	}
	if !r.a.biddable(sim, now) {
		p.refusal = errNotLive
		return nil
	}
	if !r.a.acceptable(sim, p.q.amount) {
		p.refusal = errOutbid(fmt.Sprintf("the next bid must be %s %d fen", r.a.direction(), r.a.minNext(sim)))
		return nil
	}
	p.ev = r.bidEvent(sim, p.q.user, p.q.amount, p.q.key, false, now)
	evs := []*Event{p.ev}
	if r.a.reachesBuyNow(p.q.amount) {
		evs = append(evs, r.terminal(sim, evClose, now))
	} else {
		evs = append(evs, r.proxyEvents(sim, now)...)
	}
	return evs
}

// bidEvent builds an accepted bid and applies it to sim.
func (r *runner) bidEvent(sim *state, user string, amount int64, key string, proxy bool, now time.Time) *Event {
	seq := sim.seq + 1
	ev := &Event{
		ID: eventID(r.a.ID, seq), Auction: r.a.ID, Seq: seq, Type: evBid,
		Idem: idemFor(user, key, seq), Amount: amount, Bidder: user, Proxy: proxy,
		At: now, EndsAt: r.a.extended(sim.endsAt, now),
	}
	sim.apply(ev)
	return ev
}

// terminal builds the close or cancel entry for sim and applies it.
func (r *runner) terminal(sim *state, typ string, now time.Time) *Event {
	seq := sim.seq + 1
	res := &Result{Price: sim.price, Bids: sim.bids, Cancelled: typ == evCancel}
	if typ == evClose {
		res.ReserveMet = r.a.reserveMet(sim)
		if res.ReserveMet {
			res.Winner = sim.leaderPtr()
		}
	}
	ev := &Event{
		ID: eventID(r.a.ID, seq), Auction: r.a.ID, Seq: seq, Type: typ,
		Idem: idemFor("", "", seq), At: now, EndsAt: sim.endsAt, Result: res,
	}
	sim.apply(ev)
	return ev
}

func (r *runner) checkCancel(sim *state, user string) *httpx.Error {
	switch {
	case user != r.a.Owner:
		return httpx.ErrForbidden
	case sim.closed || sim.cancelled:
		return errNotLive
	case sim.bids > 0:
		return errHasBids
	}
	return nil
}

// applyStored moves the real state forward over events now in the store.
func (r *runner) applyStored(evs []*Event) {
	for _, ev := range evs {
		r.applyEvent(ev)
	}
}

// applyEvent applies one stored event, remembers its key and publishes it.
func (r *runner) applyEvent(ev *Event) {
	if ev.Seq != r.st.seq+1 {
		return // already applied (a catch-up overlapping a commit)
	}
	r.st.apply(ev)
	r.dirty = true
	if ev.Type == evBid {
		r.noteBidder(ev.Bidder)
		if _, seen := r.keys[ev.Idem]; !seen && ev.Idem[0] != '~' {
			r.keys[ev.Idem] = answer{ev: ev} // a key keeps its first answer
		}
	}
	if ev.Type != evBid {
		r.finish() // the order exists before anyone hears of the close
	}
	r.hub.publish(r, ev)
}

// answerRepeats answers requests whose key came earlier in the same batch
// with that first answer, now durable; the rest wait for the next attempt.
func (r *runner) answerRepeats(later []*request) []*request {
	var wait []*request
	for _, q := range later {
		a, ok := r.keys[q.idem()]
		switch {
		case !ok:
			wait = append(wait, q)
		case a.refusal != nil:
			q.reply(outcome{err: a.refusal})
		default:
			q.reply(outcome{ev: a.ev, st: stateAfter(a.ev)})
		}
	}
	return wait
}

// answerStored replies to requests whose outcome is now durable and returns
// those to evaluate again. When the append was cut short (conflict), every
// request without a stored event of its own is evaluated again, since its
// refusal was decided on a state that did not come to be.
func (r *runner) answerStored(plans []plan, stored []*Event, conflicted bool) []*request {
	isStored := make(map[*Event]bool, len(stored))
	for _, ev := range stored {
		isStored[ev] = true
	}
	var retry []*request
	var refusals []*plan
	for i := range plans {
		p := &plans[i]
		switch {
		case p.replay && p.refusal != nil:
			p.q.reply(outcome{err: p.refusal})
		case p.replay:
			p.q.reply(outcome{ev: p.ev, st: stateAfter(p.ev)})
		case p.ev != nil && isStored[p.ev]:
			p.q.reply(r.accepted(p.ev))
		case conflicted:
			retry = append(retry, p.q)
		case p.refusal != nil:
			refusals = append(refusals, p)
		default: // a proxy request: its maximum is stored
			p.q.reply(outcome{st: r.st})
		}
	}
	r.refuse(refusals)
	return retry
}

func (r *runner) accepted(ev *Event) outcome {
	if ev.Type == evBid {
		return outcome{ev: ev, st: stateAfter(ev)}
	}
	return outcome{ev: ev, st: r.st}
}

// stateAfter is the auction state right after ev, as the bid's answer and
// its replays both show it.
func stateAfter(ev *Event) state {
	st := state{}
	st.apply(ev)
	return st
}
