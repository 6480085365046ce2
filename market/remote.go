package market

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// With peer processes, bids another process appends must reach this
// process's watchers. Instead of every open auction reading its own log
// every poll interval (one query per auction per interval: on the embedded
// store each is a scan of all auctions' events, which kept a process busy
// with only 20 open auctions), one query per interval finds the events
// appended lately and marks the runners that have not seen them; only
// those read their log. A runner also reads its log every safetyTicks
// intervals, for an event whose time fell outside the window.

// remoteWindow reaches back past the previous poll, to cover other
// processes' clock skew and write latency.
const remoteWindow = 5 * time.Second

// safetyTicks: an open runner with peers reads its log at least this often
// (in poll intervals) even when not marked.
const safetyTicks = 10

// watchRemote runs until the service stops.
func (s *Service) watchRemote() {
	defer close(s.remoteDone)
	t := time.NewTicker(s.cfg.PollInterval)
	defer t.Stop()
	since := time.Now()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		if !s.peers.shared() {
			since = time.Now()
			continue
		}
		start := time.Now()
		if s.markRemote(since.Add(-remoteWindow)) {
			since = start
		}
	}
}

// markRemote flags the runners whose auctions have events at or after
// `after` beyond what they have seen. It reports whether the query ran.
func (s *Service) markRemote(after time.Time) bool {
	latest, err := s.latestSeqs(after)
	if err != nil {
		s.log.Warn("remote events poll failed", "err", err)
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, seq := range latest {
		if r := s.runners[id]; r != nil && seq > r.seen.Load() {
			r.remote.Store(true)
		}
	}
	return true
}

// latestSeqs returns the highest seq per auction among events at or after
// `after`.
func (s *Service) latestSeqs(after time.Time) (map[string]int64, error) {
	ctx, cancel := s.storeCtx()
	defer cancel()
	cur, err := s.events.Find(ctx, bson.D{{Key: "at", Value: bson.D{{Key: "$gte", Value: after}}}},
		options.Find().SetProjection(bson.D{{Key: "auction", Value: 1}, {Key: "seq", Value: 1}}))
	if err != nil {
		return nil, err
	}
	defer cur.Close(ctx)
	latest := map[string]int64{}
	for cur.Next(ctx) {
		var e struct {
			Auction string `bson:"auction"`
			Seq     int64  `bson:"seq"`
		}
		if err := cur.Decode(&e); err != nil {
			return nil, err
		}
		latest[e.Auction] = max(latest[e.Auction], e.Seq)
	}
	return latest, cur.Err()
}

// dueForCatchUp says whether this tick must read the log: a write left it
// stale, the remote poll marked it, or the safety interval is up.
func (r *runner) dueForCatchUp() bool {
	if r.stale {
		return true
	}
	if r.st.closed || r.st.cancelled || !r.svc.peers.shared() {
		return false
	}
	r.ticks++
	return r.remote.Swap(false) || r.ticks%safetyTicks == 0
}
