package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeStream is a minimal server with the market stream's resume contract:
// /ws/auctions/{id}?since=N sends a snapshot, the bids after N, then live
// bids; GET /api/v1/auctions/{id} answers the seq. resend makes it repeat
// the bid at since (a server that breaks the contract); refuse makes it
// answer 503 to every socket with since > 0 (a server that cannot take the
// watchers back).
type fakeStream struct {
	resend, refuse bool

	mu   sync.Mutex
	bids map[string][]bidDTO
	subs map[string]map[chan []byte]struct{}
}

func newFakeStream() *fakeStream {
	return &fakeStream{bids: map[string][]bidDTO{}, subs: map[string]map[chan []byte]struct{}{}}
}

func bidMsgJSON(b bidDTO) []byte {
	out, _ := json.Marshal(map[string]any{"type": "bid", "bid": b})
	return out
}

// publish appends one bid to auction id and sends it to its sockets.
func (f *fakeStream) publish(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	seq := int64(len(f.bids[id]) + 1)
	b := bidDTO{Seq: seq, Amount: 1000 + seq, Bidder: "buyer", At: time.Now().Format(time.RFC3339Nano)}
	f.bids[id] = append(f.bids[id], b)
	msg := bidMsgJSON(b)
	for ch := range f.subs[id] {
		ch <- msg // buffered far beyond what a test publishes
	}
}

func (f *fakeStream) seq(id string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return int64(len(f.bids[id]))
}

func (f *fakeStream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id, ok := strings.CutPrefix(r.URL.Path, "/api/v1/auctions/"); ok {
		_ = json.NewEncoder(w).Encode(map[string]any{"id": id, "seq": f.seq(id)})
		return
	}
	id, ok := strings.CutPrefix(r.URL.Path, "/ws/auctions/")
	since, err := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
	if !ok || err != nil {
		http.NotFound(w, r)
		return
	}
	if f.refuse && since > 0 {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	ch := make(chan []byte, 4096)
	f.mu.Lock()
	log := append([]bidDTO(nil), f.bids[id]...)
	if f.subs[id] == nil {
		f.subs[id] = map[chan []byte]struct{}{}
	}
	f.subs[id][ch] = struct{}{}
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.subs[id], ch)
		f.mu.Unlock()
	}()
	snap, _ := json.Marshal(map[string]any{"type": "snapshot", "auction": map[string]any{"id": id, "seq": len(log)}})
	if c.WriteMessage(websocket.TextMessage, snap) != nil {
		return
	}
	from := since
	if f.resend && since > 0 {
		from = since - 1
	}
	for _, b := range log[min(from, int64(len(log))):] {
		if c.WriteMessage(websocket.TextMessage, bidMsgJSON(b)) != nil {
			return
		}
	}
	gone := make(chan struct{})
	go func() {
		defer close(gone)
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}()
	for {
		select {
		case msg := <-ch:
			if c.WriteMessage(websocket.TextMessage, msg) != nil {
				return
			}
		case <-gone:
			return
		}
	}
}

// stormScenario connects watchers to a fakeStream, storms them once while
// bids keep coming, and returns the storm's report and the watchers after
// the run's end, plus the bids each auction got.
func stormScenario(t *testing.T, f *fakeStream, drop string) (StormReport, []*watcher, map[string]int64) {
	t.Helper()
	reps, ws, final := stormsScenario(t, f, stormPlan{at: time.Second, every: time.Second, n: 1, drop: drop})
	if len(reps) != 1 {
		t.Fatalf("%d storm reports, want 1", len(reps))
	}
	return reps[0], ws, final
}

// stormsScenario is stormScenario with any plan; the bid phase is taken to
// have begun plan.at ago, so the first storm comes at once.
func stormsScenario(t *testing.T, f *fakeStream, plan stormPlan) ([]StormReport, []*watcher, map[string]int64) {
	t.Helper()
	ts := httptest.NewServer(f)
	defer ts.Close()
	cl, err := newClient(ts.URL, 5*time.Second, 4)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	auctions := []auctionInfo{{ID: "a1"}, {ID: "a2"}}
	for range 3 {
		f.publish("a1")
		f.publish("a2")
	}
	f.publish("a1")
	const n = 12
	lat := newDeliveryLat(1, 1000, nil)
	ws := startWatchers(ctx, []*client{cl}, n, auctions, 0, 5*time.Second, 0, lat)
	want := func() map[string]int64 { return map[string]int64{"a1": f.seq("a1"), "a2": f.seq("a2")} }
	if behind := awaitDelivery(ctx, ws, want(), 5*time.Second); behind > 0 {
		t.Fatalf("%d watcher(s) behind before the storm", behind)
	}
	// Bids go on during the storm, so that sockets resume while the log
	// grows: the seam between replay and live bids is what matters.
	stop := make(chan struct{})
	bidding := make(chan struct{})
	go func() {
		defer close(bidding)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
				f.publish(auctions[i%2].ID)
			}
		}
	}()
	r := &runner{cfg: &config{timeout: 5 * time.Second, storm: plan},
		watchers: ws, cl: cl, auctions: auctions, errs: NewCounter()}
	s := r.startStorms(ctx, time.Now().Add(-plan.at), time.Now().Add(time.Minute))
	<-s.done
	time.Sleep(20 * time.Millisecond)
	close(stop)
	<-bidding
	final := want()
	awaitDelivery(ctx, ws, final, 5*time.Second)
	reps := s.wait()
	closeWatchers(ws, time.Second)
	if z := closeZombies(ws); plan.drop == dropSilent && z != n*len(reps) {
		t.Errorf("%d sockets left open by the silent drop, want %d", z, n*len(reps))
	}
	return reps, ws, final
}

// Repeated storms: each drops every socket again and each comes back.
func TestStormRepeats(t *testing.T) {
	reps, ws, final := stormsScenario(t, newFakeStream(), stormPlan{at: time.Second, every: 200 * time.Millisecond, n: 3, drop: dropFIN})
	if len(reps) != 3 {
		t.Fatalf("%d storm reports, want 3", len(reps))
	}
	for i, rep := range reps {
		if rep.N != i+1 || rep.Dropped != len(ws) || !rep.AllCaughtUp || rep.TimedOut {
			t.Errorf("storm %d: %+v", i+1, rep)
		}
		// On schedule (1 s, 1.2 s, 1.4 s into the bid phase), never early.
		if plannedAt := 1 + 0.2*float64(i); rep.AtSec < plannedAt-1e-9 || rep.AtSec > plannedAt+0.15 {
			t.Errorf("storm %d at %.3fs, planned %.1fs", i+1, rep.AtSec, plannedAt)
		}
	}
	for _, w := range ws {
		if w.stormReconnects != 3 || w.snapshots != 4 || w.bids != final[w.auction.ID] || w.gaps != 0 || w.disorder != 0 {
			t.Errorf("watcher %d: %d storm reconnects, %d snapshots, %d bids (want %d), %d gaps, %d disorder",
				w.idx, w.stormReconnects, w.snapshots, w.bids, final[w.auction.ID], w.gaps, w.disorder)
		}
	}
}

func TestStormReconnectsWithSince(t *testing.T) {
	for _, drop := range []string{dropRST, dropFIN, dropSilent} {
		t.Run(drop, func(t *testing.T) {
			rep, ws, final := stormScenario(t, newFakeStream(), drop)
			if rep.Dropped != len(ws) || rep.Reconnected != len(ws) || rep.CaughtUp != len(ws) ||
				rep.Failed != 0 || rep.TimedOut || !rep.AllReconnected || !rep.AllCaughtUp || rep.ResentDuplicates != 0 {
				t.Errorf("storm report %+v", rep)
			}
			if rep.Reconnect.Count != int64(len(ws)) || rep.CatchUp.MaxMs < rep.Reconnect.P50Ms {
				t.Errorf("latencies: reconnect %+v, catch-up %+v", rep.Reconnect, rep.CatchUp)
			}
			for _, w := range ws {
				n := final[w.auction.ID]
				if w.disconnected || w.stormReconnects != 1 || w.snapshots != 2 || w.resent != 0 {
					t.Errorf("watcher %d: disconnected %v (%s), storm reconnects %d, snapshots %d, resent %d",
						w.idx, w.disconnected, w.disconnectErr, w.stormReconnects, w.snapshots, w.resent)
				}
				if w.bids != n || w.firstSeq != 1 || w.lastSeq != n || w.gaps != 0 || w.disorder != 0 {
					t.Errorf("watcher %d: %d bids seq %d..%d, %d gaps, %d disorder; want 1..%d", w.idx, w.bids, w.firstSeq, w.lastSeq, w.gaps, w.disorder, n)
				}
			}
		})
	}
}

// A server that repeats the bid at since: the watchers drop the repeats,
// still hold the exact sequence, and the storm counts them.
func TestStormCountsResentBids(t *testing.T) {
	f := newFakeStream()
	f.resend = true
	rep, ws, final := stormScenario(t, f, dropRST)
	if !rep.AllCaughtUp || rep.ResentDuplicates != int64(len(ws)) {
		t.Errorf("storm report %+v, want %d resent", rep, len(ws))
	}
	stored := []storedAuction{}
	for _, id := range []string{"a1", "a2"} {
		s := storedAuction{info: auctionInfo{ID: id}}
		h := newSeqHasher()
		for seq := int64(1); seq <= final[id]; seq++ {
			b := bidDTO{Seq: seq, Amount: 1000 + seq, Bidder: "buyer"}
			s.bids = append(s.bids, b)
			h.add(b.Seq, b.Amount, string(b.Bidder))
		}
		s.hash = h.sum()
		stored = append(stored, s)
	}
	c := checkWatchers(stored, ws)
	if c.Status != "WARN" || !strings.Contains(c.Detail, fmt.Sprintf("%d bid(s) resent", len(ws))) {
		t.Errorf("watcher check %+v", c)
	}
}

// A server that refuses the watchers back: each tries stormDialAttempts
// times, then counts as failed and disconnected.
func TestStormReconnectRefused(t *testing.T) {
	f := newFakeStream()
	f.refuse = true
	rep, ws, _ := stormScenario(t, f, dropRST)
	if rep.Dropped != len(ws) || rep.Failed != len(ws) || rep.Reconnected != 0 || rep.TimedOut ||
		rep.DialErrors["watcher_redial_http_503"] != int64(stormDialAttempts*len(ws)) {
		t.Errorf("storm report %+v", rep)
	}
	for _, w := range ws {
		if !w.disconnected || w.disconnectKind != "storm_watcher_redial_http_503" {
			t.Errorf("watcher %d: disconnected %v kind %q", w.idx, w.disconnected, w.disconnectKind)
		}
	}
	if c := stormCheck([]StormReport{rep}, 1); c.Status != "FAIL" {
		t.Errorf("check %+v", c)
	}
}
