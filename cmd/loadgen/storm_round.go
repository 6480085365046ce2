package main

import (
	"fmt"
	"sync"
	"time"
)

// The bookkeeping of one reconnect storm: which sockets it dropped, when
// each came back and when each had caught up. It is kept apart from the
// sockets (storm_watcher.go) and the schedule (storm.go) so that it can be
// tested without a network.

// catchUp follows one dropped watcher from its reconnect until it is
// current again. A watcher has caught up when a snapshot arrived on a
// socket opened after the drop (the server has taken it back) and it holds
// every bid up to target, the auction's seq at the storm. Requiring the
// snapshot matters for a watcher that already had target before the drop:
// without it, it would count as caught up while it had no socket at all;
// requiring a new bid instead would measure the bid rate, not the resume.
type catchUp struct {
	start   time.Time // the storm moment
	target  int64     // the auction's seq at the storm
	resumed bool      // a snapshot arrived after the reconnect
}

// observe is called for each snapshot or (deduplicated) bid after the
// reconnect, with the highest seq the watcher now holds; it reports
// whether the watcher has caught up.
func (c *catchUp) observe(snapshot bool, lastSeq int64) bool {
	if snapshot {
		c.resumed = true
	}
	return c.resumed && lastSeq >= c.target
}

// stormRound is one storm. Each dropped socket is pending until it has
// caught up, or its watcher gave up; the round is complete when the drops
// are sealed (every socket it was going to drop is dropped) and nothing is
// pending. After finish, late reports are ignored, so a watcher that comes
// back after the round's limit changes no figure of it.
type stormRound struct {
	n       int
	at      time.Time        // the storm moment: the first drop
	offset  time.Duration    // at, counted from the start of the bid phase
	targets map[string]int64 // auction id → its seq at the storm; read-only

	// released is closed once every socket is dropped: reconnects wait
	// for it, so that they start together instead of trickling out while
	// the drops go on (on a busy 2-core machine, dropping 2,000 sockets
	// while the first ones already redial took 0.8 s).
	released chan struct{}

	mu           sync.Mutex
	sealed       bool
	finished     bool
	allDone      chan struct{}
	dropSpread   time.Duration // storm moment → last drop
	dropped      int
	behind       int // dropped while they had not yet received the target
	pending      int
	reconnected  int
	retried      int // reconnected after at least one failed dial
	failed       int // never reconnected: dials failed, or the watcher ended
	caught       int
	lost         int // reconnected, then the watcher ended before catching up
	resent       int64
	dialErrs     map[string]int64
	reconnectLat []time.Duration // storm moment → handshake done, per socket
	catchLat     []time.Duration // storm moment → caught up, per socket
	samples      []string        // the first few failures, for the report
}

func newStormRound(n int, at time.Time, offset time.Duration, targets map[string]int64) *stormRound {
	return &stormRound{n: n, at: at, offset: offset, targets: targets, allDone: make(chan struct{}),
		released: make(chan struct{}), dialErrs: map[string]int64{}}
}

// target is the seq a watcher of auction id must reach to have caught up.
func (r *stormRound) target(id string) int64 { return r.targets[id] }

// checkDoneLocked closes allDone once the round cannot change any more.
func (r *stormRound) checkDoneLocked() {
	if r.sealed && r.pending == 0 {
		select {
		case <-r.allDone:
		default:
			close(r.allDone)
		}
	}
}

// drop counts a socket about to be cut; call it before cutting, so that
// the socket's reconnect cannot be reported before its drop.
func (r *stormRound) drop(behind bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.finished {
		return
	}
	r.dropped++
	r.pending++
	if behind {
		r.behind++
	}
}

// seal says every drop has been made, at now, and lets the reconnects go.
func (r *stormRound) seal(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	close(r.released)
	r.sealed = true
	r.dropSpread = now.Sub(r.at)
	r.checkDoneLocked()
}

func (r *stormRound) addSample(s string) {
	if len(r.samples) < 5 {
		r.samples = append(r.samples, s)
	}
}

// dialFailed counts one failed attempt to reconnect (it may be retried).
func (r *stormRound) dialFailed(kind string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.finished {
		r.dialErrs[kind]++
	}
}

// reconnectedAt records a dropped socket's new handshake at now.
func (r *stormRound) reconnectedAt(now time.Time, retried bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.finished {
		return
	}
	r.reconnected++
	if retried {
		r.retried++
	}
	r.reconnectLat = append(r.reconnectLat, now.Sub(r.at))
}

// caughtUpAt records a reconnected watcher as current again at now.
func (r *stormRound) caughtUpAt(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.finished {
		return
	}
	r.caught++
	r.catchLat = append(r.catchLat, now.Sub(r.at))
	r.pending--
	r.checkDoneLocked()
}

// fail records a dropped socket that never came back; why is a sample.
func (r *stormRound) fail(why string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.finished {
		return
	}
	r.failed++
	r.addSample(why)
	r.pending--
	r.checkDoneLocked()
}

// lose records a watcher that reconnected but ended before catching up.
func (r *stormRound) lose(why string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.finished {
		return
	}
	r.lost++
	r.addSample(why)
	r.pending--
	r.checkDoneLocked()
}

// addResent counts a bid the server sent again on a socket this round's
// reconnect opened although the watcher asked for the bids after it. It
// counts after finish too: a watcher that was current at the snapshot may
// get the repeat after the round ended, so the runner reads the final
// count (resentCount) once the run's deliveries are done.
func (r *stormRound) addResent() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.resent++
}

func (r *stormRound) resentCount() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.resent
}

// StormReport is what one reconnect storm measured. Every time is counted
// from the storm moment (the first drop); the drops themselves took
// DropSpreadMs.
type StormReport struct {
	N      int     `json:"n"`
	AtSec  float64 `json:"atSec"` // into the bid phase
	LateMs float64 `json:"lateMs,omitempty"`
	Drop   string  `json:"drop"` // rst, fin or silent
	// Dropped sockets: BehindAtDrop of them had not yet received their
	// auction's seq at the storm.
	Dropped      int     `json:"dropped"`
	BehindAtDrop int     `json:"behindAtDrop"`
	DropSpreadMs float64 `json:"dropSpreadMs"`
	// Reconnected: a new handshake with ?since=<last seq seen>; Retried of
	// them needed more than one dial. Failed: never came back.
	// NotReconnected: still trying when the round's limit passed.
	Reconnected    int              `json:"reconnected"`
	Retried        int              `json:"retried"`
	Failed         int              `json:"failed"`
	NotReconnected int              `json:"notReconnected"`
	DialErrors     map[string]int64 `json:"dialErrors,omitempty"`
	// Reconnect: storm → handshake done, per socket; its max is the time
	// until all had reconnected (AllReconnected when none failed).
	Reconnect      LatencySummary `json:"reconnectLatency"`
	AllReconnected bool           `json:"allReconnected"`
	// CaughtUp: snapshot on the new socket and every bid up to the
	// auction's seq at the storm received. NotCaughtUp: reconnected but not
	// current when the limit passed; Lost: ended before catching up.
	CaughtUp    int            `json:"caughtUp"`
	NotCaughtUp int            `json:"notCaughtUp"`
	Lost        int            `json:"lost"`
	CatchUp     LatencySummary `json:"catchUpLatency"`
	AllCaughtUp bool           `json:"allCaughtUp"`
	// ResentDuplicates: bids at or below ?since= the server sent again on
	// the new sockets, until the end of the run; the watchers dropped them
	// (they are not counted as deliveries).
	ResentDuplicates int64        `json:"resentDuplicates"`
	TimedOut         bool         `json:"timedOut"` // the round ended at its limit with sockets pending
	Memory           *StormMemory `json:"memory,omitempty"`
	FailureSamples   []string     `json:"failureSamples,omitempty"`
}

// StormMemory is the server's RSS (summed over -server-pid) around one
// storm: just before the drop, the highest 200 ms sample until every
// socket had caught up (or the limit), and a second after that.
type StormMemory struct {
	BeforeBytes int64  `json:"beforeBytes"`
	PeakBytes   int64  `json:"peakBytes"`
	AfterBytes  int64  `json:"afterBytes"`
	Error       string `json:"error,omitempty"`
}

// finish closes the round and summarizes it; sockets still pending are
// split into not reconnected and not caught up.
func (r *stormRound) finish() StormReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.finished = true
	rep := StormReport{
		N: r.n, AtSec: r.offset.Seconds(), Dropped: r.dropped, BehindAtDrop: r.behind, DropSpreadMs: ms(r.dropSpread),
		Reconnected: r.reconnected, Retried: r.retried, Failed: r.failed,
		NotReconnected: r.dropped - r.reconnected - r.failed,
		CaughtUp:       r.caught, Lost: r.lost, NotCaughtUp: r.reconnected - r.caught - r.lost,
		ResentDuplicates: r.resent, TimedOut: r.pending > 0,
		Reconnect: summarize(r.reconnectLat), CatchUp: summarize(r.catchLat),
		FailureSamples: append([]string(nil), r.samples...),
	}
	if len(r.dialErrs) > 0 {
		rep.DialErrors = map[string]int64{}
		for k, v := range r.dialErrs {
			rep.DialErrors[k] = v
		}
	}
	rep.AllReconnected = rep.Reconnected == rep.Dropped
	rep.AllCaughtUp = rep.CaughtUp == rep.Dropped
	return rep
}

// stormCheck is the report's check line over every storm planned.
func stormCheck(reps []StormReport, planned int) CheckResult {
	const name = "every watcher dropped by a storm reconnected with ?since= and caught up"
	p := &problems{}
	dropped := 0
	if len(reps) < planned {
		p.addf("%d of %d storm(s) ran", len(reps), planned)
	}
	for _, s := range reps {
		dropped += s.Dropped
		if !s.AllCaughtUp {
			p.addf("storm %d: of %d dropped, %d failed to reconnect, %d still reconnecting, %d not caught up, %d lost after reconnecting",
				s.N, s.Dropped, s.Failed, s.NotReconnected, s.NotCaughtUp, s.Lost)
		}
	}
	return result(name, p, fmt.Sprintf("%d storm(s), %d socket(s) dropped, all back and current", len(reps), dropped))
}
