package main

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"
)

// A reconnect storm (-storm-at): at a moment of the bid phase every
// connected watcher loses its socket at once, without a close frame, and
// reconnects at once with ?since=<last seq it saw>, while the bidders go on
// bidding. It measures what market/drill_test.go's 500-socket drill cannot:
// thousands of sockets resuming together against a loaded server — how
// long until all are back, until all are current again, and what it costs
// the server in memory — while the run's invariant checks still require
// every watcher to have seen the stored sequence exactly once.

// stormLimit bounds how long one storm waits for its sockets to come back
// and catch up; what is still pending then is reported as such.
const stormLimit = 60 * time.Second

// stormPlan is when the storms happen, counted from the start of the bid
// phase: at, at+every, at+2·every, … (n of them), and how sockets drop.
type stormPlan struct {
	at, every time.Duration
	n         int
	drop      string
}

func (p stormPlan) enabled() bool { return p.at > 0 && p.n > 0 }

// offsets lists the planned storm moments.
func (p stormPlan) offsets() []time.Duration {
	if !p.enabled() {
		return nil
	}
	out := make([]time.Duration, p.n)
	for i := range out {
		out[i] = p.at + time.Duration(i)*p.every
	}
	return out
}

// validate checks the plan against the bid phase's length; every storm
// must fall inside it, since it is meant to hit a server under bidding.
func (p stormPlan) validate(duration time.Duration) error {
	if p.at < 0 || p.every < 0 {
		return fmt.Errorf("-storm-at and -storm-every must not be negative")
	}
	if p.n < 1 || p.n > 1000 {
		return fmt.Errorf("-storms must be in 1..1000")
	}
	if p.drop != dropRST && p.drop != dropFIN && p.drop != dropSilent {
		return fmt.Errorf("-storm-drop must be rst, fin or silent")
	}
	if !p.enabled() {
		return nil
	}
	if offs := p.offsets(); offs[len(offs)-1] >= duration {
		return fmt.Errorf("storm %d would come at %s, not within -duration %s", len(offs), offs[len(offs)-1], duration)
	}
	return nil
}

// stormRunner runs the planned storms in the background of the bid phase.
type stormRunner struct {
	plan     stormPlan
	watchers []*watcher
	cl       *client // the primary server: the auctions' seq at the storm
	auctions []auctionInfo
	mem      *rssSampler // nil without -server-pid
	timeout  time.Duration
	errs     *Counter

	mu      sync.Mutex
	rounds  []*stormRound
	reports []StormReport // one per round, as each finished
	done    chan struct{}
}

// startStorms launches the storms of r's plan, timed from bidStart; none
// starts at or after deadline (the end of the bid phase). wait collects
// them.
func (r *runner) startStorms(ctx context.Context, bidStart, deadline time.Time) *stormRunner {
	s := &stormRunner{plan: r.cfg.storm, watchers: r.watchers, cl: r.cl, auctions: r.auctions,
		mem: r.mem, timeout: r.cfg.timeout, errs: r.errs, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for i, off := range s.plan.offsets() {
			when := bidStart.Add(off)
			if !sleepCtx(ctx, time.Until(when)) || !time.Now().Before(deadline) {
				log.Printf("storm %d not run: the bid phase is over", i+1)
				return
			}
			rnd, rep := s.round(ctx, i+1, off, when)
			s.mu.Lock()
			s.rounds = append(s.rounds, rnd)
			s.reports = append(s.reports, rep)
			s.mu.Unlock()
		}
	}()
	return s
}

// wait returns the storms' reports once they have finished (the last one
// may still be waiting for its sockets when the bid phase ends). Call it
// after the watchers have received every bid: the resent counts are read
// then.
func (s *stormRunner) wait() []StormReport {
	if s == nil {
		return nil
	}
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, rnd := range s.rounds {
		s.reports[i].ResentDuplicates = rnd.resentCount()
	}
	return s.reports
}

// round runs one storm: read each auction's seq, drop every socket, wait
// until all have caught up (or stormLimit), with the server's RSS around it.
// when is the planned moment: the drop comes after the seqs are read, and
// later if an earlier storm's sockets took long to come back.
func (s *stormRunner) round(ctx context.Context, n int, off time.Duration, when time.Time) (*stormRound, StormReport) {
	targets := s.targets(ctx)
	var (
		win    *rssWindow
		before int64
		memOK  bool
	)
	if s.mem != nil {
		win, before, memOK = s.mem.openWindow()
	}
	start := time.Now()
	rnd := newStormRound(n, start, off+start.Sub(when), targets)
	dropped := 0
	for _, w := range s.watchers {
		if w.stormDrop(rnd, s.plan.drop) {
			dropped++
		}
	}
	rnd.seal(time.Now())
	log.Printf("storm %d: %d socket(s) dropped (%s) in %s; they reconnect with ?since=", n, dropped, s.plan.drop,
		time.Since(start).Round(time.Microsecond))
	timer := time.NewTimer(stormLimit)
	select {
	case <-rnd.allDone:
	case <-timer.C:
	case <-ctx.Done():
	}
	timer.Stop()
	rep := rnd.finish()
	rep.Drop = s.plan.drop
	rep.LateMs = ms(start.Sub(when))
	log.Printf("storm %d: %d/%d reconnected (all after %.0f ms), %d caught up (all after %.0f ms), %d failed",
		n, rep.Reconnected, rep.Dropped, rep.Reconnect.MaxMs, rep.CaughtUp, rep.CatchUp.MaxMs, rep.Failed)
	if s.mem != nil {
		rep.Memory = &StormMemory{Error: "cannot read the server's RSS"}
		if memOK {
			// The same settling pause as after the ramp, so "after" is not
			// the peak's tail.
			sleepCtx(ctx, memSettle)
			after, peak := s.mem.closeWindow(win)
			rep.Memory = &StormMemory{BeforeBytes: before, PeakBytes: peak, AfterBytes: after}
		}
	}
	return rnd, rep
}

// targets is each auction's seq at the storm: what the primary server
// says, read just before the drop (all auctions at once, so the storm is
// not delayed by one round trip per auction), and never less than what a
// watcher of it has already received (the primary may lag the others when
// there are several servers, and a failed read leaves only that).
func (s *stormRunner) targets(ctx context.Context) map[string]int64 {
	out := make(map[string]int64, len(s.auctions))
	for _, w := range s.watchers {
		id := w.auction.ID
		out[id] = max(out[id], w.progress.Load())
	}
	seqs := make([]int64, len(s.auctions))
	var wg sync.WaitGroup
	for i, a := range s.auctions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			actx, cancel := context.WithTimeout(ctx, s.timeout)
			defer cancel()
			got, err := s.cl.getAuction(actx, a.ID)
			if err != nil {
				s.errs.Inc("storm_get_auction")
				return
			}
			seqs[i] = got.Seq
		}()
	}
	wg.Wait()
	for i, a := range s.auctions {
		out[a.ID] = max(out[a.ID], seqs[i])
	}
	return out
}
