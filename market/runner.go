package market

import (
	"context"
	"log/slog"
	"time"
)

// runner is the single writer of one auction within this process. It owns
// the auction's derived state, orders bids, appends them to the log in
// batches (group commit), publishes events to watchers, and closes the
// auction on time. Another process may run a runner for the same auction:
// the unique (auction, seq) index makes one of two racing appends fail, and
// the loser reloads the log and evaluates again.
type runner struct {
	svc *Service
	a   *Auction
	log *slog.Logger

	st            state
	keys          map[string]answer // idem -> what the key was first answered with
	proxies       map[string]int64  // user -> proxy maximum
	bidders       map[string]bool   // users who bid -> recorded in auction_bidders
	stale         bool              // the store may hold events we have not read
	proxiesLoaded bool              // proxy maxima have been read from the store
	dirty         bool              // cache in the auction document is behind
	lastUse       time.Time
	retryAt       time.Time // no close attempt before this, after a failed one
	finished      bool      // the close's cache and order writes are done
	flushedAt     time.Time

	reqs    chan *request
	stop    chan struct{}
	stopped chan struct{}
	hub     hub
}

const (
	maxBatch   = 64
	flushEvery = time.Second
)

func (r *runner) run() {
	defer close(r.stopped)
	poll := time.NewTicker(r.svc.cfg.PollInterval)
	defer poll.Stop()
	flush := time.NewTicker(flushEvery)
	defer flush.Stop()
	closeTimer := time.NewTimer(time.Hour)
	defer closeTimer.Stop()
	for {
		r.armCloseTimer(closeTimer)
		select {
		case q := <-r.reqs:
			r.lastUse = time.Now()
			r.handle(r.drain(q))
		case <-closeTimer.C:
			r.closeIfDue()
		case <-poll.C:
			r.tick()
		case <-flush.C:
		case <-r.stop:
			r.shutdown()
			return
		}
		// The cache (for lists) is written at most every flushEvery, so
		// that a bid costs one write, not two.
		if time.Since(r.flushedAt) >= flushEvery {
			r.flushCache()
		}
	}
}

// drain collects requests already waiting, so one append serves them all.
func (r *runner) drain(first *request) []*request {
	batch := []*request{first}
	for len(batch) < maxBatch {
		select {
		case q := <-r.reqs:
			batch = append(batch, q)
		default:
			return batch
		}
	}
	return batch
}

func (r *runner) armCloseTimer(t *time.Timer) {
	if !t.Stop() {
		select {
		case <-t.C:
		default:
		}
	}
	if r.st.closed || r.st.cancelled {
		t.Reset(time.Hour)
		return
	}
	due := r.st.endsAt
	if r.retryAt.After(due) {
		due = r.retryAt
	}
	t.Reset(max(time.Until(due), 0))
}

// tick catches up with events other processes appended, retries unfinished
// closes, and lets an idle runner go.
func (r *runner) tick() {
	// Other processes, if any, may append to an open auction at any time.
	if r.dueForCatchUp() {
		if err := r.catchUp(); err == nil {
			r.runProxies()
		}
	}
	if r.st.closed || r.st.cancelled {
		r.finish()
	}
	if r.idle() {
		r.svc.retire(r)
	}
}

func (r *runner) idle() bool {
	done := r.st.closed || r.st.cancelled
	return done && !r.dirty && r.hub.count() == 0 && time.Since(r.lastUse) > r.svc.cfg.IdleAfter
}

func (r *runner) shutdown() {
	for {
		select {
		case q := <-r.reqs:
			q.reply(outcome{err: errStopped})
		default:
			r.flushCache()
			r.hub.closeAll()
			return
		}
	}
}

func (r *runner) ctx() (context.Context, context.CancelFunc) { return r.svc.storeCtx() }
