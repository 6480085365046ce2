package access

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// quotas decide, in memory, whether an organisation may make one more
// request today. An organisation's count today is what this process has
// admitted (exact, live) plus what the other processes had written to the
// database when it was last read (refreshed every interval, off the
// request path). With several processes the quota can therefore be
// exceeded by up to the traffic the other processes admit in one interval
// each, plus their unflushed counts — (processes × one interval).
type quotas struct {
	every  time.Duration
	others othersFunc
	log    *slog.Logger

	mu  sync.Mutex
	use map[orgDay]*orgUse
}

// othersFunc reads, for each org, the sum of the readings of day written
// by other processes.
type othersFunc func(ctx context.Context, day string, orgs []string) (map[string]int64, error)

type orgDay struct{ org, day string }

type orgUse struct {
	mine      int64 // admitted by this process
	others    int64 // written by other processes, as last read
	refreshed time.Time
	ready     chan struct{} // closed once others has been read a first time
}

func newQuotas(every time.Duration, others othersFunc, log *slog.Logger) *quotas {
	return &quotas{every: every, others: others, log: log, use: make(map[orgDay]*orgUse)}
}

// admit counts one request of org on day unless that reaches limit.
func (q *quotas) admit(ctx context.Context, org, day string, limit int64) bool {
	u := q.entry(ctx, orgDay{org, day})
	q.mu.Lock()
	defer q.mu.Unlock()
	if u.mine+u.others >= limit {
		return false
	}
	u.mine++
	return true
}

// entry returns the org's count of day. The first request of an org on a
// day (per process) reads the other processes' total, so that a restart
// does not hand out a fresh quota; concurrent first requests wait for that
// one read.
func (q *quotas) entry(ctx context.Context, k orgDay) *orgUse {
	q.mu.Lock()
	u, ok := q.use[k]
	if !ok {
		u = &orgUse{ready: make(chan struct{})}
		q.use[k] = u
	}
	q.mu.Unlock()
	if ok {
		select {
		case <-u.ready:
		case <-ctx.Done(): // counts as read so far; the request fails on its own
		}
		return u
	}
	defer close(u.ready)
	n, err := q.others(ctx, k.day, []string{k.org})
	if err != nil {
		// Fail open: a database hiccup should not stop paying clients; the
		// next refresh reads again.
		q.log.Warn("access: read quota use", "org", k.org, "err", err)
		return u
	}
	q.mu.Lock()
	u.others, u.refreshed = n[k.org], time.Now()
	q.mu.Unlock()
	return u
}

// refresh re-reads, in one query, the other processes' totals of today for
// every organisation active here whose figure is older than the interval,
// and forgets the days that are over.
func (q *quotas) refresh(ctx context.Context, now time.Time) {
	today := dayOf(now)
	var stale []string
	q.mu.Lock()
	for k, u := range q.use {
		switch {
		case k.day != today:
			delete(q.use, k)
		case now.Sub(u.refreshed) >= q.every && isClosed(u.ready):
			stale = append(stale, k.org)
		}
	}
	q.mu.Unlock()
	if len(stale) == 0 {
		return
	}
	n, err := q.others(ctx, today, stale)
	if err != nil {
		q.log.Warn("access: refresh quota use", "orgs", len(stale), "err", err)
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, org := range stale {
		if u := q.use[orgDay{org, today}]; u != nil {
			u.others, u.refreshed = n[org], now
		}
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
