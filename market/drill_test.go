package market_test

// Drills of the live stream under faults, beyond TestSlowWatcher (one
// stalled socket beside one reader): a stalled socket among twenty
// readers, with a check that nothing leaks once the sockets are gone, and
// a reconnect storm of 500 sockets resuming from different seqs at once.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// drWatchers reads the owner-only watcher count of an auction.
func drWatchers(t *testing.T, ts *testserver.TS, id, ownerToken string) int {
	r, err := ts.Try("GET", "/api/v1/auctions/"+id, ownerToken, nil)
	if err != nil || r.Status != http.StatusOK {
		t.Errorf("get auction as owner: %v %d %s", err, r.Status, r.Body)
		return -1
	}
	var v struct{ Watchers *int }
	_ = json.Unmarshal(r.Body, &v)
	if v.Watchers == nil {
		t.Errorf("owner view without watchers: %s", r.Body)
		return -1
	}
	return *v.Watchers
}

// drBid places n accepted bids from bidders taking turns on one counter, so
// they race and some are outbid; it returns the last seq.
func drBid(t *testing.T, ts *testserver.TS, id string, bidders []testserver.User, n int, price *atomic.Int64) int64 {
	t.Helper()
	var (
		acked atomic.Int64
		last  atomic.Int64
		errMu sync.Mutex
		err   error
		wg    sync.WaitGroup
	)
	for _, u := range bidders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for acked.Load() < int64(n) {
				r, ack, e := swPlace(ts, u.Token, id, price.Add(100), "")
				if e == nil && r.Status != http.StatusCreated && r.ErrCode() != "outbid" {
					e = fmt.Errorf("bid: %d %s", r.Status, r.Body)
				}
				if e != nil {
					errMu.Lock()
					err = e
					errMu.Unlock()
					return
				}
				if r.Status == http.StatusCreated {
					acked.Add(1)
					for s := last.Load(); ack.Bid.Seq > s && !last.CompareAndSwap(s, ack.Bid.Seq); s = last.Load() {
					}
				}
			}
		}()
	}
	wg.Wait()
	if err != nil {
		t.Fatalf("bidding: %v", err)
	}
	return last.Load()
}

// drGoroutinesSettle waits until the goroutine count is within slack of
// base, and fails with a dump of the count otherwise.
func drGoroutinesSettle(t *testing.T, ts *testserver.TS, base, slack int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ts.Client.CloseIdleConnections() // the test's own keep-alive goroutines
		n := runtime.NumGoroutine()
		if n <= base+slack {
			t.Logf("goroutines: %d (baseline %d)", n, base)
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("goroutines: %d, baseline %d (+%d allowed) after every socket closed:\n%.8000s", n, base, slack, buf)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDrillStalledWatcher: one socket that never reads among 20 that do.
// The 20 get every bid in order, the stalled one is cut (1013 or a
// closed connection) without holding them up, and once every socket is
// closed the server's goroutines are back near where they started.
func TestDrillStalledWatcher(t *testing.T) {
	ts := testserver.Start(t)
	farmer := ts.Register("farmer")
	bidders := []testserver.User{ts.Register("buyer"), ts.Register("buyer"), ts.Register("buyer")}
	a := ts.CreateAuction(farmer.Token, testserver.SellAuction(10*time.Minute, map[string]any{"extendSeconds": 0}))
	ts.Get(a.ID) // load the runner before the baseline: it is no leak
	ts.Client.CloseIdleConnections()
	time.Sleep(200 * time.Millisecond)
	base := runtime.NumGoroutine()

	stalled, _, err := swSlowDialer.Dial(ts.WSURL+swWS(a.ID, "?since=0"), nil)
	if err != nil {
		t.Fatalf("stalled dial: %v", err)
	}
	defer stalled.Close()

	const readers, bids = 20, 300
	type reader struct {
		c    *websocket.Conn
		seqs []int64
		err  error
		done chan struct{}
	}
	rs := make([]*reader, readers)
	var final atomic.Int64 // the last seq, once bidding is over
	final.Store(-1)
	for i := range rs {
		c := swDial(t, ts, swWS(a.ID, "?since=0"))
		swExpect(t, c, "snapshot")
		r := &reader{c: c, done: make(chan struct{})}
		rs[i] = r
		go func() {
			defer close(r.done)
			for {
				m, err := swRead(c, 60*time.Second)
				if err == nil && (m.Type != "bid" || m.Bid == nil) {
					err = fmt.Errorf("unexpected %s", m)
				}
				if err != nil {
					r.err = err
					return
				}
				r.seqs = append(r.seqs, m.Bid.Seq)
				if f := final.Load(); f >= 0 && m.Bid.Seq >= f {
					return
				}
			}
		}()
	}
	testserver.WaitFor(t, 10*time.Second, "21 watchers", func() bool { return drWatchers(t, ts, a.ID, farmer.Token) == readers+1 })

	// As in TestSlowWatcher, the stalled socket also sends tiny bad frames,
	// each answered down its own stuck socket, so that 300 bids are enough
	// to fill it. It never reads.
	var stop atomic.Bool
	flood := make(chan struct{})
	go func() {
		defer close(flood)
		for i := 0; i < 400000 && !stop.Load(); i++ {
			_ = stalled.SetWriteDeadline(time.Now().Add(2 * time.Second))
			if stalled.WriteMessage(websocket.TextMessage, []byte("x")) != nil {
				return
			}
		}
	}()

	start := time.Now()
	var price atomic.Int64
	price.Store(10000 - 100)
	last := drBid(t, ts, a.ID, bidders, bids, &price)
	final.Store(last)
	t.Logf("%v: %d bids placed", time.Since(start), last)

	// Every reader gets 1..last in order (each stops at last).
	for i, r := range rs {
		select {
		case <-r.done:
		case <-time.After(30 * time.Second):
			t.Fatalf("reader %d stuck after %d bids", i, len(r.seqs))
		}
		if r.err != nil && (len(r.seqs) == 0 || r.seqs[len(r.seqs)-1] < last) {
			t.Fatalf("reader %d failed after %d bids: %v", i, len(r.seqs), r.err)
		}
		for j, s := range r.seqs {
			if s != int64(j+1) {
				t.Fatalf("reader %d: message %d is seq %d", i, j, s)
			}
		}
		if len(r.seqs) != int(last) {
			t.Fatalf("reader %d got %d bids, want %d", i, len(r.seqs), last)
		}
	}
	t.Logf("%v: all %d readers have seqs 1..%d in order", time.Since(start), readers, last)

	// The stalled socket is cut: it leaves the hub, and its connection ends.
	testserver.WaitFor(t, 30*time.Second, "the stalled socket to leave the hub", func() bool {
		return drWatchers(t, ts, a.ID, farmer.Token) == readers
	})
	stop.Store(true)
	<-flood
	_ = stalled.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		if _, _, err := stalled.ReadMessage(); err != nil {
			if ce, ok := err.(*websocket.CloseError); ok && ce.Code != 1013 {
				t.Errorf("stalled socket closed with %d, want 1013 (try again later)", ce.Code)
			}
			t.Logf("%v: stalled socket ended: %v", time.Since(start), err)
			break
		}
	}
	stalled.Close()

	// Nothing left behind: close every socket, and the goroutines of the
	// hub, the writers and the connections go with them.
	for _, r := range rs {
		r.c.Close()
	}
	testserver.WaitFor(t, 10*time.Second, "the hub to empty", func() bool { return drWatchers(t, ts, a.ID, farmer.Token) == 0 })
	drGoroutinesSettle(t, ts, base, 20)
}

// TestDrillReconnectStorm: 500 sockets reconnect at once, each resuming
// from a different seq. Each gets exactly the bids after its since, then
// the live ones, in order.
func TestDrillReconnectStorm(t *testing.T) {
	ts := testserver.Start(t)
	farmer := ts.Register("farmer")
	bidders := []testserver.User{ts.Register("buyer"), ts.Register("buyer")}
	a := ts.CreateAuction(farmer.Token, testserver.SellAuction(10*time.Minute, map[string]any{"extendSeconds": 0}))
	var price atomic.Int64
	price.Store(10000 - 100)
	history := drBid(t, ts, a.ID, bidders, 40, &price)
	ts.Client.CloseIdleConnections()
	time.Sleep(200 * time.Millisecond)
	base := runtime.NumGoroutine()

	const sockets, live = 500, 10
	type sock struct {
		since int64
		c     *websocket.Conn
		seqs  []int64
		err   error
		done  chan struct{}
	}
	ss := make([]*sock, sockets)
	var final atomic.Int64
	final.Store(-1)
	var dialed sync.WaitGroup
	gate := make(chan struct{})
	start := time.Now()
	for i := range ss {
		s := &sock{since: int64(i) % (history + 1), done: make(chan struct{})}
		ss[i] = s
		dialed.Add(1)
		go func() {
			defer close(s.done)
			<-gate // all at once
			c, err := ts.Dial(swWS(a.ID, fmt.Sprintf("?since=%d", s.since)))
			dialed.Done()
			if err != nil {
				s.err = err
				return
			}
			s.c = c
			m, err := swRead(c, 60*time.Second)
			if err == nil && m.Type != "snapshot" {
				err = fmt.Errorf("first message %s", m)
			}
			for err == nil {
				if f := final.Load(); f >= 0 && (len(s.seqs) > 0 && s.seqs[len(s.seqs)-1] >= f || s.since >= f) {
					return
				}
				m, err = swRead(c, 60*time.Second)
				if err == nil && (m.Type != "bid" || m.Bid == nil) {
					err = fmt.Errorf("unexpected %s", m)
				}
				if err == nil {
					s.seqs = append(s.seqs, m.Bid.Seq)
				}
			}
			s.err = err
		}()
	}
	close(gate)
	dialed.Wait()
	t.Logf("%v: %d sockets dialled", time.Since(start), sockets)
	testserver.WaitFor(t, 30*time.Second, "every socket in the hub", func() bool {
		return drWatchers(t, ts, a.ID, farmer.Token) == sockets
	})
	t.Logf("%v: all in the hub; %d live bids", time.Since(start), live)
	last := drBid(t, ts, a.ID, bidders, live, &price)
	final.Store(last)

	for i, s := range ss {
		select {
		case <-s.done:
		case <-time.After(60 * time.Second):
			t.Fatalf("socket %d (since %d) stuck after %d bids", i, s.since, len(s.seqs))
		}
		if s.err != nil {
			t.Fatalf("socket %d (since %d) failed after %v: %v", i, s.since, s.seqs, s.err)
		}
		if want := int(last - s.since); len(s.seqs) != want {
			t.Fatalf("socket %d (since %d) got %d bids, want %d (%d..%d)", i, s.since, len(s.seqs), want, s.since+1, last)
		}
		for j, seq := range s.seqs {
			if seq != s.since+int64(j)+1 {
				t.Fatalf("socket %d (since %d): message %d is seq %d", i, s.since, j, seq)
			}
		}
	}
	t.Logf("%v: %d sockets each got exactly (since, %d], in order", time.Since(start), sockets, last)
	for _, s := range ss {
		if s.c != nil {
			s.c.Close()
		}
	}
	testserver.WaitFor(t, 15*time.Second, "the hub to empty", func() bool { return drWatchers(t, ts, a.ID, farmer.Token) == 0 })
	drGoroutinesSettle(t, ts, base, 20)
}
