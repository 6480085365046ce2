package main

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCatchUpObserve(t *testing.T) {
	type step struct {
		snapshot bool
		lastSeq  int64
		want     bool
	}
	cases := []struct {
		name   string
		target int64
		steps  []step
	}{
		// Already had the target before the drop: current again as soon as
		// the new socket's snapshot shows the server took it back.
		{"had target: snapshot is enough", 5, []step{{true, 5, true}}},
		// Not before the snapshot, even with the target in hand.
		{"bid before snapshot does not count", 5, []step{{false, 6, false}, {true, 6, true}}},
		// Behind at the drop: the replay must bring it to the target.
		{"behind: replay reaches target", 8, []step{{true, 5, false}, {false, 6, false}, {false, 7, false}, {false, 8, true}}},
		{"behind: a later bid passes target", 8, []step{{true, 5, false}, {false, 9, true}}},
		// No bid yet on the auction: the snapshot alone.
		{"target 0", 0, []step{{true, 0, true}}},
		// A second snapshot (a server-initiated reconnect meanwhile) keeps it resumed.
		{"resumed stays", 3, []step{{true, 1, false}, {true, 2, false}, {false, 3, true}}},
	}
	for _, c := range cases {
		cu := &catchUp{target: c.target}
		for i, s := range c.steps {
			if got := cu.observe(s.snapshot, s.lastSeq); got != s.want {
				t.Errorf("%s: step %d observe(%v, %d) = %v, want %v", c.name, i, s.snapshot, s.lastSeq, got, s.want)
			}
		}
	}
}

func TestStormRoundAccounting(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(msec int) time.Time { return t0.Add(time.Duration(msec) * time.Millisecond) }
	r := newStormRound(2, t0, 30*time.Second, map[string]int64{"a": 7})
	if r.target("a") != 7 || r.target("unknown") != 0 {
		t.Fatalf("targets: a=%d unknown=%d", r.target("a"), r.target("unknown"))
	}
	for i := 0; i < 4; i++ {
		r.drop(i < 2) // two behind their auction's seq
	}
	// The first socket is back and current before the drops are sealed:
	// the round must not count as complete yet.
	r.reconnectedAt(at(10), false)
	r.caughtUpAt(at(12))
	select {
	case <-r.allDone:
		t.Fatal("round complete before the drops were sealed")
	default:
	}
	r.seal(at(1))
	r.dialFailed("watcher_redial_timeout")
	r.reconnectedAt(at(40), true)
	r.caughtUpAt(at(45))
	r.reconnectedAt(at(20), false)
	r.addResent()
	r.lose("watcher 3: socket ended before catching up")
	r.dialFailed("watcher_redial_timeout")
	r.dialFailed("watcher_redial_http_503")
	r.fail("watcher 4: reconnect failed")
	select {
	case <-r.allDone:
	default:
		t.Fatal("round not complete with nothing pending")
	}
	rep := r.finish()
	// Late reports change nothing once finished.
	r.reconnectedAt(at(500), false)
	r.caughtUpAt(at(600))
	r.fail("late")
	r.addResent() // counted still: see addResent
	if r.resentCount() != 2 {
		t.Errorf("resent %d, want 2", r.resentCount())
	}

	want := StormReport{N: 2, AtSec: 30, Dropped: 4, BehindAtDrop: 2, DropSpreadMs: 1,
		Reconnected: 3, Retried: 1, Failed: 1, NotReconnected: 0, CaughtUp: 2, NotCaughtUp: 0, Lost: 1,
		ResentDuplicates: 1, TimedOut: false, AllReconnected: false, AllCaughtUp: false}
	got := rep
	got.Reconnect, got.CatchUp, got.DialErrors, got.FailureSamples = LatencySummary{}, LatencySummary{}, nil, nil
	if got.N != want.N || got.AtSec != want.AtSec || got.Dropped != want.Dropped || got.BehindAtDrop != want.BehindAtDrop ||
		got.DropSpreadMs != want.DropSpreadMs || got.Reconnected != want.Reconnected || got.Retried != want.Retried ||
		got.Failed != want.Failed || got.NotReconnected != want.NotReconnected || got.CaughtUp != want.CaughtUp ||
		got.NotCaughtUp != want.NotCaughtUp || got.Lost != want.Lost || got.ResentDuplicates != want.ResentDuplicates ||
		got.TimedOut != want.TimedOut || got.AllReconnected != want.AllReconnected || got.AllCaughtUp != want.AllCaughtUp {
		t.Errorf("report\n got %+v\nwant %+v", got, want)
	}
	if rep.Reconnect.Count != 3 || rep.Reconnect.P50Ms != 20 || rep.Reconnect.MaxMs != 40 {
		t.Errorf("reconnect latency %+v, want n=3 p50=20 max=40", rep.Reconnect)
	}
	if rep.CatchUp.Count != 2 || rep.CatchUp.P50Ms != 12 || rep.CatchUp.MaxMs != 45 {
		t.Errorf("catch-up latency %+v, want n=2 p50=12 max=45", rep.CatchUp)
	}
	if rep.DialErrors["watcher_redial_timeout"] != 2 || rep.DialErrors["watcher_redial_http_503"] != 1 || len(rep.DialErrors) != 2 {
		t.Errorf("dial errors %v", rep.DialErrors)
	}
	if len(rep.FailureSamples) != 2 {
		t.Errorf("failure samples %q", rep.FailureSamples)
	}
	if c := stormCheck([]StormReport{rep}, 1); c.Status != "FAIL" || !strings.Contains(c.Detail, "1 failed to reconnect") {
		t.Errorf("check %+v", c)
	}
}

func TestStormRoundLimit(t *testing.T) {
	t0 := time.Unix(1000, 0)
	r := newStormRound(1, t0, time.Second, nil)
	for range 4 {
		r.drop(false)
	}
	r.seal(t0)
	r.reconnectedAt(t0.Add(time.Millisecond), false)
	r.reconnectedAt(t0.Add(2*time.Millisecond), false)
	r.caughtUpAt(t0.Add(3 * time.Millisecond))
	// The limit passes with one socket still dialling and one behind.
	rep := r.finish()
	if !rep.TimedOut || rep.NotReconnected != 2 || rep.NotCaughtUp != 1 || rep.CaughtUp != 1 || rep.AllReconnected || rep.AllCaughtUp {
		t.Errorf("report %+v", rep)
	}
	empty := newStormRound(1, t0, time.Second, nil)
	empty.seal(t0)
	select {
	case <-empty.allDone:
	default:
		t.Error("a storm that dropped nothing is not complete")
	}
	if rep := empty.finish(); !rep.AllReconnected || !rep.AllCaughtUp || rep.TimedOut {
		t.Errorf("empty report %+v", rep)
	}
	ok := StormReport{N: 1, Dropped: 3, Reconnected: 3, CaughtUp: 3, AllReconnected: true, AllCaughtUp: true}
	if c := stormCheck([]StormReport{ok}, 1); c.Status != "PASS" {
		t.Errorf("check %+v", c)
	}
	if c := stormCheck([]StormReport{ok}, 2); c.Status != "FAIL" || !strings.Contains(c.Detail, "1 of 2 storm(s) ran") {
		t.Errorf("check with a storm missing %+v", c)
	}
}

func TestStormPlan(t *testing.T) {
	p := stormPlan{at: 10 * time.Second, every: 5 * time.Second, n: 3, drop: dropRST}
	if got, want := p.offsets(), []time.Duration{10 * time.Second, 15 * time.Second, 20 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("offsets %v, want %v", got, want)
	}
	if err := p.validate(21 * time.Second); err != nil {
		t.Errorf("validate: %v", err)
	}
	if err := p.validate(20 * time.Second); err == nil {
		t.Error("a storm at the end of the bid phase was accepted")
	}
	if off := (stormPlan{n: 1, drop: dropRST}); off.enabled() || off.offsets() != nil || off.validate(time.Second) != nil {
		t.Error("-storm-at 0 is not off")
	}
}

func TestParseStormFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"-duration", "60s", "-storm-at", "30s"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if want := (stormPlan{at: 30 * time.Second, every: 30 * time.Second, n: 1, drop: dropRST}); cfg.storm != want {
		t.Errorf("plan %+v, want %+v (-storm-every defaults to -storm-at)", cfg.storm, want)
	}
	cfg, err = parseFlags([]string{"-duration", "60s", "-storm-at", "10s", "-storms", "3", "-storm-every", "20s", "-storm-drop", "silent"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if want := (stormPlan{at: 10 * time.Second, every: 20 * time.Second, n: 3, drop: dropSilent}); cfg.storm != want {
		t.Errorf("plan %+v, want %+v", cfg.storm, want)
	}
	for _, args := range [][]string{
		{"-duration", "60s", "-storm-at", "60s"},
		{"-duration", "60s", "-storm-at", "30s", "-storms", "2"},
		{"-storm-at", "1s", "-storm-drop", "close"},
		{"-storm-at", "1s", "-storms", "0"},
		{"-storm-at", "-1s"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	if cfg, err := parseFlags(nil, io.Discard); err != nil || cfg.storm.enabled() {
		t.Errorf("default: %+v, %v; want no storm", cfg.storm, err)
	}
}

// A bid at or below the socket's ?since= was already delivered: dropped
// and counted, never a second delivery or a disorder.
func TestWatcherDropsResentBids(t *testing.T) {
	w := &watcher{hash: newSeqHasher()}
	ref := newSeqHasher()
	deliver := func(seq int64) bool {
		return w.onBid(&bidDTO{Seq: seq, Amount: 100 * seq, Bidder: "b"})
	}
	for seq := int64(1); seq <= 3; seq++ {
		if !deliver(seq) {
			t.Fatalf("seq %d dropped", seq)
		}
		ref.add(seq, 100*seq, "b")
	}
	// Reconnected with ?since=3; the server sends 2 and 3 again, then 4.
	rnd := newStormRound(1, time.Now(), 0, nil)
	w.since, w.sockRnd = w.lastSeq, rnd
	if deliver(2) || deliver(3) {
		t.Fatal("a resent bid was delivered")
	}
	if !deliver(4) {
		t.Fatal("seq 4 dropped")
	}
	ref.add(4, 400, "b")
	// Within one socket a repeat above since is still disorder.
	if !deliver(4) {
		t.Fatal("a repeat above since was dropped")
	}
	if w.resent != 2 || rnd.resentCount() != 2 {
		t.Errorf("resent %d", w.resent)
	}
	if w.bids != 5 || w.gaps != 0 || w.disorder != 1 || w.lastSeq != 4 || w.firstSeq != 1 {
		t.Errorf("bids %d gaps %d disorder %d seq %d..%d", w.bids, w.gaps, w.disorder, w.firstSeq, w.lastSeq)
	}
	w2 := &watcher{hash: newSeqHasher()}
	for _, seq := range []int64{1, 2, 3} {
		w2.onBid(&bidDTO{Seq: seq, Amount: 100 * seq, Bidder: "b"})
	}
	w2.since = 3
	w2.onBid(&bidDTO{Seq: 3, Amount: 300, Bidder: "b"})
	w2.onBid(&bidDTO{Seq: 4, Amount: 400, Bidder: "b"})
	if w2.hash.sum() != ref.sum() {
		t.Error("a resent bid changed the watcher's sequence hash")
	}
}
