package market_test

// Drills of the live stream under faults, beyond TestSlowWatcher (one
// stalled socket beside one reader): a stalled socket among twenty
// readers, with a check that nothing leaks once the sockets are gone, and
// a reconnect storm of 500 sockets resuming from different seqs at once.

import (
	"bytes"
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
	last, err := drTryBid(ts, id, bidders, n, price)
	if err != nil {
		t.Fatalf("bidding: %v", err)
	}
	return last
}

// drTryBid is drBid for any goroutine.
func drTryBid(ts *testserver.TS, id string, bidders []testserver.User, n int, price *atomic.Int64) (int64, error) {
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
	return last.Load(), err
}

// drReader reads bid messages from a socket until it fails or is closed,
// recording their seqs. The test closes it once it has the last seq.
type drReader struct {
	since int64
	c     *websocket.Conn
	last  atomic.Int64 // the last seq read
	seqs  []int64      // read once done is closed
	err   error
	done  chan struct{}
}

// read consumes the socket; the snapshot must already have been read.
func (r *drReader) read() {
	defer close(r.done)
	r.last.Store(r.since)
	for {
		m, err := swRead(r.c, 60*time.Second)
		if err == nil && (m.Type != "bid" || m.Bid == nil) {
			err = fmt.Errorf("unexpected %s", m)
		}
		if err != nil {
			r.err = err
			return
		}
		r.seqs = append(r.seqs, m.Bid.Seq)
		r.last.Store(m.Bid.Seq)
	}
}

// drCheck waits until every reader has read up to last, closes them, and
// fails unless each read exactly since+1..last in order.
func drCheck(t *testing.T, rs []*drReader, last int64, within time.Duration) {
	t.Helper()
	testserver.WaitFor(t, within, fmt.Sprintf("every reader to reach seq %d", last), func() bool {
		for _, r := range rs {
			if r.last.Load() < last {
				select {
				case <-r.done: // failed early: reported below
				default:
					return false
				}
			}
		}
		return true
	})
	for _, r := range rs {
		r.c.Close()
	}
	for i, r := range rs {
		<-r.done
		if want := int(last - r.since); len(r.seqs) != want {
			t.Fatalf("socket %d (since %d) got %d bids, want %d (%d..%d); it ended with %v", i, r.since, len(r.seqs), want, r.since+1, last, r.err)
		}
		for j, seq := range r.seqs {
			if seq != r.since+int64(j)+1 {
				t.Fatalf("socket %d (since %d): message %d is seq %d", i, r.since, j, seq)
			}
		}
	}
}

// drGoroutines counts goroutines, less fasthttp's idle workers: its
// worker pool keeps a finished connection's goroutine parked for up to
// 10 s (MaxIdleWorkerDuration) to reuse it, which is a cache, not a leak.
func drGoroutines() (n int, dump []byte) {
	buf := make([]byte, 8<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		head, rest, _ := bytes.Cut(g, []byte("\n"))
		if bytes.Contains(head, []byte("[chan receive")) && bytes.HasPrefix(rest, []byte("github.com/valyala/fasthttp.(*workerPool).workerFunc")) {
			continue
		}
		n++
	}
	return n, buf
}

// drGoroutinesSettle waits until the goroutine count is within slack of
// base, and fails with a dump of the goroutines otherwise.
func drGoroutinesSettle(t *testing.T, ts *testserver.TS, base, slack int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ts.Client.CloseIdleConnections() // the test's own keep-alive goroutines
		n, dump := drGoroutines()
		if n <= base+slack {
			t.Logf("goroutines: %d (baseline %d, not counting idle fasthttp workers)", n, base)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutines: %d, baseline %d (+%d allowed) after every socket closed:\n%.8000s", n, base, slack, dump)
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
	base, _ := drGoroutines()

	stalled, _, err := swSlowDialer.Dial(ts.WSURL+swWS(a.ID, "?since=0"), nil)
	if err != nil {
		t.Fatalf("stalled dial: %v", err)
	}
	defer stalled.Close()

	const readers, bids = 20, 300
	rs := make([]*drReader, readers)
	for i := range rs {
		c := swDial(t, ts, swWS(a.ID, "?since=0"))
		swExpect(t, c, "snapshot")
		rs[i] = &drReader{c: c, done: make(chan struct{})}
		go rs[i].read()
	}
	testserver.WaitFor(t, 10*time.Second, "21 watchers", func() bool { return drWatchers(t, ts, a.ID, farmer.Token) == readers+1 })

	// As in TestSlowWatcher, the stalled socket also sends tiny bad frames,
	// each answered down its own stuck socket, so that 300 bids are enough
	// to fill it. It never reads.
	var stop atomic.Bool
	var flooded atomic.Int64
	var floodErr atomic.Value
	flood := make(chan struct{})
	go func() {
		defer close(flood)
		for i := 0; i < 400000 && !stop.Load(); i++ {
			_ = stalled.SetWriteDeadline(time.Now().Add(2 * time.Second))
			if err := stalled.WriteMessage(websocket.TextMessage, []byte("x")); err != nil {
				floodErr.Store(err.Error())
				return
			}
			flooded.Add(1)
		}
	}()

	start := time.Now()
	var price atomic.Int64
	price.Store(10000 - 100)
	last := drBid(t, ts, a.ID, bidders, bids, &price)
	t.Logf("%v: %d bids placed", time.Since(start), last)
	// The stalled socket is cut: it leaves the hub, and its connection ends.
	deadline := time.Now().Add(30 * time.Second)
	for drWatchers(t, ts, a.ID, farmer.Token) != readers {
		if time.Now().After(deadline) {
			_, dump := drGoroutines()
			var socks [][]byte
			for _, g := range bytes.Split(dump, []byte("\n\n")) {
				if bytes.Contains(g, []byte("market.(*socket)")) && !bytes.Contains(g, []byte("ReadMessage")) {
					socks = append(socks, g)
				}
			}
			t.Fatalf("the stalled socket is still in the hub after 30 s (it sent %d frames, flood ended: %v); socket goroutines not reading:\n%s",
				flooded.Load(), floodErr.Load(), bytes.Join(socks, []byte("\n\n")))
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("%v: stalled socket left the hub (it sent %d frames)", time.Since(start), flooded.Load())

	// Every reader gets 1..last in order; the stalled socket holds none up.
	drCheck(t, rs, last, 30*time.Second)
	t.Logf("%v: all %d readers have seqs 1..%d in order", time.Since(start), readers, last)
	stop.Store(true)
	<-flood
	_ = stalled.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		if _, _, err := stalled.ReadMessage(); err != nil {
			// 1013 (try again later) when the close frame gets through;
			// 1006 (no close frame: EOF or reset) when the server closes a
			// socket whose frames it stopped reading, as the kernel then
			// drops what was still queued. Both tell the client to resume.
			if ce, ok := err.(*websocket.CloseError); ok && ce.Code != 1013 && ce.Code != websocket.CloseAbnormalClosure {
				t.Errorf("stalled socket closed with %d, want 1013 or 1006", ce.Code)
			}
			t.Logf("%v: stalled socket ended: %v", time.Since(start), err)
			break
		}
	}
	stalled.Close()

	// Nothing left behind: every socket is closed now, and the goroutines
	// of the hub, the writers and the connections must go with them.
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
	base, _ := drGoroutines()

	const sockets, live = 500, 40
	ss := make([]*drReader, sockets)
	var dialed sync.WaitGroup
	var dialErr atomic.Value
	gate := make(chan struct{})
	start := time.Now()
	for i := range ss {
		r := &drReader{since: int64(i) % (history + 1), done: make(chan struct{})}
		ss[i] = r
		dialed.Add(1)
		go func() {
			<-gate // all at once
			c, err := ts.Dial(swWS(a.ID, fmt.Sprintf("?since=%d", r.since)))
			if err == nil {
				var m swMsg
				if m, err = swRead(c, 60*time.Second); err == nil && m.Type != "snapshot" {
					err = fmt.Errorf("first message %s", m)
				}
			}
			if err != nil {
				dialErr.Store(fmt.Errorf("socket since %d: %w", r.since, err))
				close(r.done)
				dialed.Done()
				return
			}
			r.c = c
			dialed.Done()
			r.read()
		}()
	}
	// Live bids start with the storm, so that sockets join while bids are
	// being appended: the seam between a socket's replay from the log and
	// the live messages is what this drill is about.
	type bidResult struct {
		last int64
		err  error
	}
	bidding := make(chan bidResult, 1)
	close(gate)
	go func() {
		last, err := drTryBid(ts, a.ID, bidders, live, &price)
		bidding <- bidResult{last, err}
	}()
	dialed.Wait()
	if err, _ := dialErr.Load().(error); err != nil {
		t.Fatal(err)
	}
	t.Logf("%v: %d sockets dialled, each with its snapshot", time.Since(start), sockets)
	res := <-bidding
	if res.err != nil {
		t.Fatalf("live bidding: %v", res.err)
	}
	last := res.last
	t.Logf("%v: %d live bids placed during the storm, last seq %d", time.Since(start), live, last)
	testserver.WaitFor(t, 30*time.Second, "every socket in the hub", func() bool {
		return drWatchers(t, ts, a.ID, farmer.Token) == sockets
	})
	drCheck(t, ss, last, 60*time.Second)
	t.Logf("%v: %d sockets each got exactly (since, %d], in order", time.Since(start), sockets, last)
	testserver.WaitFor(t, 15*time.Second, "the hub to empty", func() bool { return drWatchers(t, ts, a.ID, farmer.Token) == 0 })
	drGoroutinesSettle(t, ts, base, 20)
}
