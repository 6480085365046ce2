package market_test

// Concurrency tests of the bid path: many bidders over HTTP and websockets
// on one auction, watchers, the close and the order, checked against the
// stored log afterwards. The helpers here (prefix rc) are shared with
// multiprocess_test.go, which runs the same scenario on two server
// instances sharing one database.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/internal/testserver"
	"github.com/liaoning12316/agrimaker/server"
)

const (
	rcStartPrice = 10000
	rcInc        = 100
)

// ---------------------------------------------------------------------------
// Wire shapes

type rcBid struct {
	Seq    int64     `json:"seq"`
	Amount int64     `json:"amount"`
	Bidder string    `json:"bidder"`
	At     time.Time `json:"at"`
}

func (b rcBid) String() string {
	return fmt.Sprintf("#%d %d by %s", b.Seq, b.Amount, rcShort(b.Bidder))
}

func (b rcBid) same(o rcBid) bool {
	return b.Seq == o.Seq && b.Amount == o.Amount && b.Bidder == o.Bidder
}

type rcResult struct {
	Winner     *string `json:"winner"`
	Price      int64   `json:"price"`
	ReserveMet bool    `json:"reserveMet"`
}

func (r *rcResult) String() string {
	if r == nil {
		return "<nil result>"
	}
	w := "<none>"
	if r.Winner != nil {
		w = rcShort(*r.Winner)
	}
	return fmt.Sprintf("{winner %s price %d reserveMet %v}", w, r.Price, r.ReserveMet)
}

func (r *rcResult) equal(o *rcResult) bool {
	if r == nil || o == nil {
		return r == o
	}
	return r.Price == o.Price && r.ReserveMet == o.ReserveMet && rcStr(r.Winner) == rcStr(o.Winner)
}

// rcMsg is any server-to-client socket message.
type rcMsg struct {
	Type    string    `json:"type"`
	Ref     string    `json:"ref"`
	Seq     int64     `json:"seq"`
	Code    string    `json:"code"`
	Message string    `json:"message"`
	Bid     *rcBid    `json:"bid"`
	Price   int64     `json:"price"`
	Leader  *string   `json:"leader"`
	Result  *rcResult `json:"result"`
	Auction *struct {
		Price int64 `json:"price"`
		Seq   int64 `json:"seq"`
	} `json:"auction"`
}

// rcAuction is an auction as GET shows it.
type rcAuction struct {
	ID     string    `json:"id"`
	Status string    `json:"status"`
	Price  int64     `json:"price"`
	Seq    int64     `json:"seq"`
	Leader *string   `json:"leader"`
	Result *rcResult `json:"result"`
}

type rcOrder struct {
	ID      string `json:"id"`
	Auction string `json:"auction"`
	Price   int64  `json:"price"`
	Seller  string `json:"seller"`
	Buyer   string `json:"buyer"`
}

func rcShort(id string) string {
	if len(id) > 6 {
		return "…" + id[len(id)-6:]
	}
	return id
}

func rcStr(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// ---------------------------------------------------------------------------
// What the clients learnt

// rcPrice is the highest price any client of the test has seen.
type rcPrice struct{ v atomic.Int64 }

func (p *rcPrice) raise(x int64) {
	for {
		c := p.v.Load()
		if x <= c || p.v.CompareAndSwap(c, x) {
			return
		}
	}
}

func (p *rcPrice) get() int64 { return p.v.Load() }

type rcOutcome int

const (
	rcAck     rcOutcome = iota // HTTP 201 or ws ack
	rcRefused                  // a definite refusal (409)
	rcUnknown                  // never got a definite answer
)

// rcAttempt is one bid a client meant to place (one key or ref), with
// every retry of it folded in.
type rcAttempt struct {
	Via    string // http@N or ws@N: transport and server instance
	Bidder string
	Key    string
	Amount int64
	Out    rcOutcome
	Code   string // refusal code, or why the outcome is unknown
	Bid    rcBid  // the acknowledged bid
	Tries  int
}

func (a rcAttempt) String() string {
	out := map[rcOutcome]string{rcAck: "ack " + a.Bid.String(), rcRefused: "refused " + a.Code, rcUnknown: "unknown (" + a.Code + ")"}[a.Out]
	return fmt.Sprintf("%s key %s by %s amount %d tries %d: %s", a.Via, a.Key, rcShort(a.Bidder), a.Amount, a.Tries, out)
}

type rcLedger struct {
	mu       sync.Mutex
	attempts []rcAttempt
	problems []string
	retries  atomic.Int64 // transport errors, 5xx, lost sockets: retried with the same key
	lost     atomic.Int64 // responses the client pretended to lose, then retried
}

func (l *rcLedger) add(a rcAttempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.attempts = append(l.attempts, a)
}

func (l *rcLedger) problem(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.problems = append(l.problems, fmt.Sprintf(format, args...))
}

// ---------------------------------------------------------------------------
// The environment every client of one auction shares

type rcEnv struct {
	id      string
	servers []*testserver.TS
	known   *rcPrice
	led     *rcLedger
	client  *http.Client
	pause   func(rng *rand.Rand) time.Duration // between a bidder's attempts; nil: none
}

func rcNewEnv(t *testing.T, id string, servers ...*testserver.TS) *rcEnv {
	tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}
	t.Cleanup(tr.CloseIdleConnections)
	e := &rcEnv{id: id, servers: servers, known: &rcPrice{}, led: &rcLedger{},
		client: &http.Client{Timeout: 20 * time.Second, Transport: tr}}
	e.known.raise(rcStartPrice)
	return e
}

func (e *rcEnv) postBid(srv int, token, key string, amount int64) (int, []byte, error) {
	req, err := http.NewRequest("POST", e.servers[srv].URL+"/api/v1/auctions/"+e.id+"/bids",
		strings.NewReader(fmt.Sprintf(`{"amount":%d}`, amount)))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := e.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, err
	}
	return res.StatusCode, b, nil
}

func rcErrCode(body []byte) (code, msg string) {
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Error.Code, e.Error.Message
}

// rcRetryable says whether an answer leaves the outcome open: the client
// must ask again with the same key.
func rcRetryable(status int) bool { return status >= 500 || status == http.StatusTooManyRequests }

func rcRetryableCode(code string) bool {
	return code == "unavailable" || code == "busy" || code == "shutting_down" || code == "rate_limited" || code == "internal"
}

// httpBidder bids current-known-price + k*increment (k in 1..3) until
// stopAt, one key per attempt. One attempt in eight pretends the response
// was lost and asks again with the same key (on the next instance when there
// are several), which must give the same answer.
func (e *rcEnv) httpBidder(i int, u testserver.User, stopAt time.Time, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	home := i % len(e.servers)
	for n := 1; time.Now().Before(stopAt); n++ {
		a := rcAttempt{Via: fmt.Sprintf("http@%d", home), Bidder: u.ID, Key: fmt.Sprintf("h%d-%d", i, n),
			Amount: e.known.get() + int64(rng.IntN(3)+1)*rcInc}
		e.resolveHTTP(&a, u.Token, home, rng.IntN(8) == 0)
		e.led.add(a)
		if e.pause != nil {
			time.Sleep(e.pause(rng))
		}
	}
}

func (e *rcEnv) resolveHTTP(a *rcAttempt, token string, target int, lose bool) {
	giveUp := time.Now().Add(15 * time.Second)
	var first []byte
	firstStatus, firstFrom := 0, -1
	for {
		a.Tries++
		status, body, err := e.postBid(target, token, a.Key, a.Amount)
		if err != nil || rcRetryable(status) {
			if time.Now().After(giveUp) {
				a.Out, a.Code = rcUnknown, fmt.Sprintf("last try: err %v, status %d %s", err, status, body)
				return
			}
			e.led.retries.Add(1)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if lose && firstFrom < 0 {
			first, firstStatus, firstFrom = body, status, target
			target = (target + 1) % len(e.servers)
			e.led.lost.Add(1)
			continue
		}
		if firstFrom >= 0 {
			e.compareHTTP(a, firstFrom, firstStatus, first, target, status, body)
		}
		switch status {
		case http.StatusCreated:
			var r struct {
				Bid     rcBid `json:"bid"`
				Auction struct {
					Price int64 `json:"price"`
				} `json:"auction"`
			}
			if err := json.Unmarshal(body, &r); err != nil {
				e.led.problem("%s: undecodable 201 body %s", a, body)
			}
			a.Out, a.Bid = rcAck, r.Bid
			if r.Bid.Amount != a.Amount || r.Bid.Bidder != a.Bidder || r.Bid.Seq < 1 {
				e.led.problem("%s: 201 acknowledges a different bid: %s", a, body)
			}
			e.known.raise(r.Auction.Price)
		case http.StatusConflict:
			a.Out = rcRefused
			a.Code, _ = rcErrCode(body)
			if a.Code != "outbid" && a.Code != "not_live" {
				e.led.problem("%s: unexpected 409 %s", a, body)
			}
		default:
			a.Out, a.Code = rcRefused, fmt.Sprintf("status %d", status)
			e.led.problem("%s: unexpected answer %d %s", a, status, body)
		}
		return
	}
}

// compareHTTP checks that a repeated key got the first answer again. On one
// instance the bodies must be byte-identical; across instances the
// meaningful parts must agree (TestTwoInstancesKeyReplay checks the bytes).
func (e *rcEnv) compareHTTP(a *rcAttempt, fromA, statusA int, bodyA []byte, fromB, statusB int, bodyB []byte) {
	if fromA == fromB {
		if statusA != statusB || !bytes.Equal(bodyA, bodyB) {
			e.led.problem("%s: same key, different answer on instance %d:\n  first  %d %s\n  second %d %s", a, fromA, statusA, bodyA, statusB, bodyB)
		}
		return
	}
	var ra, rb struct {
		Bid   rcBid
		Error struct{ Code, Message string }
	}
	_ = json.Unmarshal(bodyA, &ra)
	_ = json.Unmarshal(bodyB, &rb)
	if statusA != statusB || !ra.Bid.same(rb.Bid) || ra.Error != rb.Error {
		e.led.problem("%s: same key, different answer on instance %d then %d:\n  first  %d %s\n  second %d %s", a, fromA, fromB, statusA, bodyA, statusB, bodyB)
	}
}

// rcConn is a bidder's socket: a reader goroutine follows prices and hands
// acks and rejects to the bidder.
type rcConn struct {
	c       *websocket.Conn
	replies chan rcMsg
	dead    chan struct{}
	err     error // why the reader stopped; read after dead is closed
}

func (e *rcEnv) dialBidder(srv int, token string) (*rcConn, error) {
	c, err := e.servers[srv].Dial("/ws/auctions/" + e.id + "?token=" + token)
	if err != nil {
		return nil, err
	}
	rc := &rcConn{c: c, replies: make(chan rcMsg, 64), dead: make(chan struct{})}
	go func() {
		defer close(rc.dead)
		for {
			_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, data, err := c.ReadMessage()
			if err != nil {
				rc.err = err
				return
			}
			var m rcMsg
			if err := json.Unmarshal(data, &m); err != nil {
				e.led.problem("bidder socket: undecodable message %s", data)
				continue
			}
			switch m.Type {
			case "snapshot":
				if m.Auction != nil {
					e.known.raise(m.Auction.Price)
				}
			case "bid":
				e.known.raise(m.Price)
			case "ack", "reject":
				select {
				case rc.replies <- m:
				default:
					e.led.problem("bidder socket: unasked reply %s", data)
				}
			}
		}
	}()
	return rc, nil
}

// ask sends a bid and waits for the reply with its ref; bid events may come
// before and after it.
func (rc *rcConn) ask(ref string, amount int64, d time.Duration) (rcMsg, error) {
	_ = rc.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := rc.c.WriteJSON(map[string]any{"type": "bid", "ref": ref, "amount": amount}); err != nil {
		return rcMsg{}, fmt.Errorf("write: %w", err)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case m := <-rc.replies:
			if m.Ref != ref {
				return m, fmt.Errorf("reply for ref %q while waiting for %q", m.Ref, ref)
			}
			return m, nil
		case <-rc.dead:
			select {
			case m := <-rc.replies:
				if m.Ref == ref {
					return m, nil
				}
			default:
			}
			return rcMsg{}, fmt.Errorf("socket lost: %w", rc.err)
		case <-t.C:
			return rcMsg{}, fmt.Errorf("no reply to %q within %v", ref, d)
		}
	}
}

// wsBidder is httpBidder over a socket: a lost socket or a retryable
// reject means asking again with the same ref (on a new socket if needed).
func (e *rcEnv) wsBidder(i int, u testserver.User, stopAt time.Time, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, uint64(1000+i)))
	home := i % len(e.servers)
	var conn *rcConn
	defer func() {
		if conn != nil {
			conn.c.Close()
			<-conn.dead
		}
	}()
	for n := 1; time.Now().Before(stopAt); n++ {
		a := rcAttempt{Via: fmt.Sprintf("ws@%d", home), Bidder: u.ID, Key: fmt.Sprintf("w%d-%d", i, n),
			Amount: e.known.get() + int64(rng.IntN(3)+1)*rcInc}
		lose := rng.IntN(8) == 0
		var first *rcMsg
		giveUp := time.Now().Add(15 * time.Second)
		for {
			if time.Now().After(giveUp) {
				a.Out, a.Code = rcUnknown, "gave up after retries"
				break
			}
			if conn == nil {
				c, err := e.dialBidder(home, u.Token)
				if err != nil {
					e.led.retries.Add(1)
					time.Sleep(100 * time.Millisecond)
					continue
				}
				conn = c
			}
			a.Tries++
			m, err := conn.ask(a.Key, a.Amount, 10*time.Second)
			if err != nil {
				e.led.retries.Add(1)
				if m.Type != "" { // a reply to someone else's ref: the socket is confused
					e.led.problem("%s: %v: %+v", a, err, m)
				}
				conn.c.Close()
				<-conn.dead
				conn = nil
				continue
			}
			if m.Type == "reject" && rcRetryableCode(m.Code) {
				e.led.retries.Add(1)
				time.Sleep(50 * time.Millisecond)
				continue
			}
			if lose && first == nil {
				first = &m
				e.led.lost.Add(1)
				continue
			}
			if first != nil && !rcSameReply(*first, m) {
				e.led.problem("%s: same ref, different reply:\n  first  %+v %v\n  second %+v %v", a, *first, first.Bid, m, m.Bid)
			}
			switch m.Type {
			case "ack":
				a.Out = rcAck
				if m.Bid == nil || m.Bid.Seq != m.Seq || m.Bid.Amount != a.Amount || m.Bid.Bidder != a.Bidder {
					e.led.problem("%s: ack for a different bid: seq %d bid %v", a, m.Seq, m.Bid)
				}
				if m.Bid != nil {
					a.Bid = *m.Bid
					e.known.raise(m.Bid.Amount)
				}
			case "reject":
				a.Out, a.Code = rcRefused, m.Code
				if m.Code != "outbid" && m.Code != "not_live" {
					e.led.problem("%s: unexpected reject %+v", a, m)
				}
			default:
				a.Out, a.Code = rcRefused, "type "+m.Type
				e.led.problem("%s: unexpected reply %+v", a, m)
			}
			break
		}
		e.led.add(a)
	}
}

func rcSameReply(x, y rcMsg) bool {
	if x.Type != y.Type || x.Ref != y.Ref || x.Seq != y.Seq || x.Code != y.Code || x.Message != y.Message {
		return false
	}
	if x.Bid == nil || y.Bid == nil {
		return x.Bid == y.Bid
	}
	return x.Bid.same(*y.Bid) && x.Bid.At.Equal(y.Bid.At)
}

// ---------------------------------------------------------------------------
// Watchers

// rcWatcher follows an auction from seq 0 to its close on one instance,
// coming back with ?since= if the server cuts it off.
type rcWatcher struct {
	name       string
	srv        *testserver.TS
	id         string
	bids       []rcBid
	closed     []*rcResult
	problems   []string
	reconnects []string
}

func (w *rcWatcher) problem(format string, args ...any) {
	w.problems = append(w.problems, fmt.Sprintf(format, args...))
}

// run owns all of w's fields until it returns.
func (w *rcWatcher) run(deadline time.Time, known *rcPrice, ready func()) {
	defer ready() // also when it never got going
	since := int64(0)
	for time.Now().Before(deadline) {
		c, err := w.srv.Dial(fmt.Sprintf("/ws/auctions/%s?since=%d", w.id, since))
		if err != nil {
			w.problem("dial since=%d: %v", since, err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		done := w.consume(c, deadline, known, &since, ready)
		c.Close()
		if done {
			return
		}
	}
	w.problem("no closed message by the deadline (saw %d bids)", len(w.bids))
}

func (w *rcWatcher) consume(c *websocket.Conn, deadline time.Time, known *rcPrice, since *int64, ready func()) bool {
	for {
		_ = c.SetReadDeadline(deadline)
		_, data, err := c.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) && ce.Code == 1013 {
				w.reconnects = append(w.reconnects, fmt.Sprintf("cut off as slow after seq %d", *since))
			} else {
				w.problem("socket failed after seq %d: %v", *since, err)
			}
			return false
		}
		var m rcMsg
		if err := json.Unmarshal(data, &m); err != nil {
			w.problem("undecodable message %s", data)
			continue
		}
		switch m.Type {
		case "snapshot":
			ready()
		case "bid":
			if m.Bid == nil {
				w.problem("bid message without bid: %s", data)
				continue
			}
			if m.Bid.Seq != *since+1 {
				w.problem("bid seq %d after seq %d (%s)", m.Bid.Seq, *since, data)
			}
			if m.Price != m.Bid.Amount || rcStr(m.Leader) != m.Bid.Bidder {
				w.problem("bid message state is not the bid's: %s", data)
			}
			w.bids = append(w.bids, *m.Bid)
			*since = m.Bid.Seq
			known.raise(m.Price)
		case "closed":
			w.closed = append(w.closed, m.Result)
			return true
		case "heartbeat":
		default:
			w.problem("unexpected message %s", data)
		}
	}
}

// rcLateWatch opens a socket with ?since=0 on a closed auction and returns
// everything it replays; anything after the closed message (other than a
// heartbeat) within a short wait is a problem.
func rcLateWatch(srv *testserver.TS, id string) (bids []rcBid, closed []*rcResult, problems []string) {
	c, err := srv.Dial("/ws/auctions/" + id + "?since=0")
	if err != nil {
		return nil, nil, []string{fmt.Sprintf("dial: %v", err)}
	}
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if len(closed) > 0 {
			deadline = time.Now().Add(300 * time.Millisecond)
		}
		_ = c.SetReadDeadline(deadline)
		_, data, err := c.ReadMessage()
		if err != nil {
			if len(closed) == 0 {
				problems = append(problems, fmt.Sprintf("no closed message: %v", err))
			}
			return
		}
		var m rcMsg
		if err := json.Unmarshal(data, &m); err != nil {
			problems = append(problems, fmt.Sprintf("undecodable %s", data))
			continue
		}
		switch {
		case m.Type == "heartbeat" || m.Type == "snapshot" && len(closed) == 0 && len(bids) == 0:
		case m.Type == "bid" && m.Bid != nil && len(closed) == 0:
			bids = append(bids, *m.Bid)
		case m.Type == "closed":
			closed = append(closed, m.Result)
		default:
			problems = append(problems, fmt.Sprintf("unexpected message (after %d bids, %d closed): %s", len(bids), len(closed), data))
		}
	}
}

// ---------------------------------------------------------------------------
// Reading the outcome

func rcGet(srv *testserver.TS, id string) (rcAuction, error) {
	r, err := srv.Try("GET", "/api/v1/auctions/"+id, "", nil)
	if err != nil {
		return rcAuction{}, err
	}
	var a rcAuction
	if r.Status != http.StatusOK {
		return a, fmt.Errorf("GET auction: %d %s", r.Status, r.Body)
	}
	return a, json.Unmarshal(r.Body, &a)
}

func rcStoredBids(srv *testserver.TS, id string) ([]rcBid, error) {
	var all []rcBid
	cursor := ""
	for {
		r, err := srv.Try("GET", "/api/v1/auctions/"+id+"/bids?limit=500&cursor="+cursor, "", nil)
		if err != nil {
			return nil, err
		}
		if r.Status != http.StatusOK {
			return nil, fmt.Errorf("list bids: %d %s", r.Status, r.Body)
		}
		var page struct {
			Items []rcBid `json:"items"`
			Next  string  `json:"next"`
		}
		if err := json.Unmarshal(r.Body, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.Next == "" {
			return all, nil
		}
		cursor = page.Next
	}
}

func rcOrdersFor(srv *testserver.TS, token, auction string) ([]rcOrder, error) {
	r, err := srv.Try("GET", "/api/v1/orders?limit=500", token, nil)
	if err != nil {
		return nil, err
	}
	if r.Status != http.StatusOK {
		return nil, fmt.Errorf("list orders: %d %s", r.Status, r.Body)
	}
	var page struct {
		Items []rcOrder `json:"items"`
	}
	if err := json.Unmarshal(r.Body, &page); err != nil {
		return nil, err
	}
	var mine []rcOrder
	for _, o := range page.Items {
		if o.Auction == auction || o.ID == auction {
			mine = append(mine, o)
		}
	}
	return mine, nil
}

// rcDumpLog logs what the database holds for an auction's log, read
// directly (for diagnosing a disagreement between instances).
func rcDumpLog(t *testing.T, srv *testserver.TS, id string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cur, err := srv.S.Store.DB.Collection("auction_events").Find(ctx, bson.D{{Key: "auction", Value: id}})
	if err != nil {
		t.Logf("dump log of %s: %v", id, err)
		return
	}
	var docs []bson.M
	if err := cur.All(ctx, &docs); err != nil {
		t.Logf("dump log of %s: %v", id, err)
		return
	}
	t.Logf("the database holds %d entries for auction %s:", len(docs), id)
	for _, d := range docs {
		t.Logf("  _id %v seq %v type %v amount %v bidder %v idem %v at %v", d["_id"], d["seq"], d["type"], d["amount"], d["bidder"], d["idem"], d["at"])
	}
}

// rcDiffBids describes how got differs from want, or returns "".
func rcDiffBids(want, got []rcBid) string {
	n := min(len(want), len(got))
	for i := 0; i < n; i++ {
		if !want[i].same(got[i]) {
			return fmt.Sprintf("first difference at index %d: stored %s, seen %s (stored around it: %v; seen around it: %v)",
				i, want[i], got[i], want[max(0, i-2):min(len(want), i+3)], got[max(0, i-2):min(len(got), i+3)])
		}
	}
	if len(want) != len(got) {
		tail := func(b []rcBid) []rcBid { return b[max(0, n-2):min(len(b), n+3)] }
		return fmt.Sprintf("stored %d bids, seen %d (equal up to %d; stored from there: %v; seen from there: %v)",
			len(want), len(got), n, tail(want), tail(got))
	}
	return ""
}

// rcCheckLog checks the stored log on its own: seq 1..n, each amount at
// least the previous one plus the increment.
func rcCheckLog(t *testing.T, stored []rcBid) {
	t.Helper()
	for i, b := range stored {
		if b.Seq != int64(i+1) {
			t.Errorf("stored bid at index %d has seq %d (want %d): %v", i, b.Seq, i+1, stored[max(0, i-2):min(len(stored), i+3)])
		}
		switch {
		case i == 0 && b.Amount < rcStartPrice:
			t.Errorf("first stored bid %s is below the start price %d", b, rcStartPrice)
		case i > 0 && b.Amount < stored[i-1].Amount+rcInc:
			t.Errorf("stored bid %s does not beat %s by the increment %d", b, stored[i-1], rcInc)
		}
	}
}

// rcCheckLedger checks what clients were told against the stored log.
func rcCheckLedger(t *testing.T, led *rcLedger, stored []rcBid) {
	t.Helper()
	led.mu.Lock()
	defer led.mu.Unlock()
	for _, p := range led.problems {
		t.Errorf("client saw: %s", p)
	}
	bySeq := map[int64]rcBid{}
	for _, b := range stored {
		bySeq[b.Seq] = b
	}
	ackedSeq := map[int64]rcAttempt{}
	type ba struct {
		bidder string
		amount int64
	}
	unknown := map[ba][]rcAttempt{}
	refused := map[ba][]rcAttempt{}
	var acks, refusals, unknowns int
	for _, a := range led.attempts {
		switch a.Out {
		case rcAck:
			acks++
			s, ok := bySeq[a.Bid.Seq]
			switch {
			case !ok:
				t.Errorf("acknowledged bid is not stored: %s", a)
			case !s.same(a.Bid) || s.Amount != a.Amount || s.Bidder != a.Bidder:
				t.Errorf("acknowledged bid differs from the stored %s: %s", s, a)
			}
			if prev, dup := ackedSeq[a.Bid.Seq]; dup {
				t.Errorf("seq %d acknowledged to two requests:\n  %s\n  %s", a.Bid.Seq, prev, a)
			}
			ackedSeq[a.Bid.Seq] = a
		case rcRefused:
			refusals++
			refused[ba{a.Bidder, a.Amount}] = append(refused[ba{a.Bidder, a.Amount}], a)
		case rcUnknown:
			unknowns++
			unknown[ba{a.Bidder, a.Amount}] = append(unknown[ba{a.Bidder, a.Amount}], a)
		}
	}
	for _, s := range stored {
		if _, ok := ackedSeq[s.Seq]; ok {
			continue
		}
		k := ba{s.Bidder, s.Amount}
		if us := unknown[k]; len(us) > 0 {
			unknown[k] = us[1:]
			continue
		}
		t.Errorf("stored bid %s was acknowledged to nobody and matches no request of unknown outcome (refused requests with this bidder and amount: %v)", s, refused[k])
	}
	for k, rs := range refused {
		for _, s := range stored {
			if s.Bidder == k.bidder && s.Amount == k.amount {
				if _, ok := ackedSeq[s.Seq]; !ok {
					t.Errorf("stored bid %s matches refused requests %v", s, rs)
				}
			}
		}
	}
	t.Logf("clients: %d attempts: %d acknowledged, %d refused, %d unknown; %d retries with the same key, %d simulated lost responses; %d bids stored",
		len(led.attempts), acks, refusals, unknowns, led.retries.Load(), led.lost.Load(), len(stored))
	if unknowns > 0 {
		for _, a := range led.attempts {
			if a.Out == rcUnknown {
				t.Logf("  unknown outcome: %s", a)
			}
		}
	}
}

// rcCheckWatchers compares what every watcher saw with the stored log and
// the result.
func rcCheckWatchers(t *testing.T, ws []*rcWatcher, stored []rcBid, res *rcResult) {
	t.Helper()
	for _, w := range ws {
		for _, p := range w.problems {
			t.Errorf("watcher %s: %s", w.name, p)
		}
		if len(w.reconnects) > 0 {
			t.Logf("watcher %s came back with ?since= %d times: %v", w.name, len(w.reconnects), w.reconnects)
		}
		if d := rcDiffBids(stored, w.bids); d != "" {
			t.Errorf("watcher %s did not see the stored sequence: %s", w.name, d)
		}
		if len(w.closed) != 1 {
			t.Errorf("watcher %s got %d closed messages: %v", w.name, len(w.closed), w.closed)
		} else if !w.closed[0].equal(res) {
			t.Errorf("watcher %s: closed message says %s, the auction's result is %s", w.name, w.closed[0], res)
		}
	}
}

// rcCheckClosed checks the result on every instance, a late watcher's
// replay on every instance (exactly one close entry), and the order.
func rcCheckClosed(t *testing.T, servers []*testserver.TS, id string, stored []rcBid, seller testserver.User, tokens map[string]string) *rcResult {
	t.Helper()
	var results []*rcResult
	for i, srv := range servers {
		var a rcAuction
		testserver.WaitFor(t, 5*time.Second, fmt.Sprintf("auction %s closed on instance %d", id, i), func() bool {
			var err error
			a, err = rcGet(srv, id)
			return err == nil && a.Status == "closed"
		})
		results = append(results, a.Result)
		if a.Seq != int64(len(stored)) {
			t.Errorf("instance %d shows seq %d, %d bids stored", i, a.Seq, len(stored))
		}
	}
	res := results[0]
	for i, r := range results {
		if !r.equal(res) {
			t.Errorf("instance %d shows result %s, instance 0 shows %s", i, r, res)
		}
	}
	switch {
	case res == nil:
		t.Fatalf("closed auction %s without a result", id)
	case len(stored) == 0:
		if res.Winner != nil || res.ReserveMet {
			t.Errorf("no bid, but result %s", res)
		}
	default:
		last := stored[len(stored)-1]
		if rcStr(res.Winner) != last.Bidder || res.Price != last.Amount || !res.ReserveMet {
			t.Errorf("result %s, but the last stored bid is %s", res, last)
		}
	}
	for i, srv := range servers {
		bids, closed, problems := rcLateWatch(srv, id)
		for _, p := range problems {
			t.Errorf("late watcher on instance %d: %s", i, p)
		}
		if d := rcDiffBids(stored, bids); d != "" {
			t.Errorf("late watcher on instance %d: %s", i, d)
		}
		if len(closed) != 1 || !closed[0].equal(res) {
			t.Errorf("late watcher on instance %d: %d closed messages %v, want exactly one with %s", i, len(closed), closed, res)
		}
	}
	// The order: exactly one for this auction, seen by both parties.
	if res.Winner == nil {
		os, err := rcOrdersFor(servers[0], seller.Token, id)
		if err != nil || len(os) != 0 {
			t.Errorf("auction %s without a winner: orders %+v, err %v", id, os, err)
		}
		return res
	}
	for _, party := range []struct{ who, token string }{{"winner", tokens[*res.Winner]}, {"seller", seller.Token}} {
		var os []rcOrder
		var err error
		testserver.WaitFor(t, 5*time.Second, "the order of "+id+" for the "+party.who, func() bool {
			os, err = rcOrdersFor(servers[len(servers)-1], party.token, id)
			return err == nil && len(os) > 0
		})
		if len(os) != 1 {
			t.Errorf("%s sees %d orders for auction %s: %+v", party.who, len(os), id, os)
			continue
		}
		o := os[0]
		if o.Price != res.Price || o.Buyer != *res.Winner || o.Seller != seller.ID {
			t.Errorf("order %+v does not match result %s (seller %s)", o, res, rcShort(seller.ID))
		}
	}
	return res
}

// ---------------------------------------------------------------------------
// The scenario

type rcPlan struct {
	servers     []*testserver.TS // clients are spread over them round-robin
	httpBidders int
	wsBidders   int
	watchers    int
	endIn       time.Duration // auction end after creation
	bidFor      time.Duration // how long bidders keep bidding
}

// rcRun runs one auction with many bidders and watchers and checks the
// invariants after its close.
func rcRun(t *testing.T, p rcPlan) {
	started := time.Now()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	ts := p.servers[0]
	farmer := ts.Register("farmer")
	buyers := make([]testserver.User, p.httpBidders+p.wsBidders)
	tokens := map[string]string{}
	for i := range buyers {
		buyers[i] = p.servers[i%len(p.servers)].Register("buyer")
		tokens[buyers[i].ID] = buyers[i].Token
	}
	a := ts.CreateAuction(farmer.Token, testserver.SellAuction(p.endIn, map[string]any{"increment": rcInc, "startPrice": rcStartPrice, "extendSeconds": 0}))
	e := rcNewEnv(t, a.ID, p.servers...)

	// Half the watchers are there before the first bid; the others join
	// (with ?since=0) while bids flow, so their replay meets live events.
	var ready, wwg sync.WaitGroup
	watchers := make([]*rcWatcher, p.watchers)
	deadline := a.EndsAt.Add(20 * time.Second)
	early := (p.watchers + 1) / 2
	for i := range watchers {
		srv := i % len(p.servers)
		watchers[i] = &rcWatcher{name: fmt.Sprintf("w%d@%d", i, srv), srv: p.servers[srv], id: a.ID}
		var delay time.Duration
		if i < early {
			ready.Add(1)
			watchers[i].name += "(early)"
		} else {
			delay = time.Duration(i-early+1) * p.bidFor / time.Duration(p.watchers-early+1)
			watchers[i].name += fmt.Sprintf("(joins at +%v)", delay)
		}
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			done := func() {}
			if i < early {
				done = sync.OnceFunc(ready.Done)
			}
			time.Sleep(delay)
			watchers[i].run(deadline, e.known, done)
		}()
	}
	ready.Wait()
	stopAt := time.Now().Add(p.bidFor)
	var bwg sync.WaitGroup
	for i := 0; i < p.httpBidders; i++ {
		bwg.Add(1)
		go func() {
			defer bwg.Done()
			e.httpBidder(i, buyers[i], stopAt, seed)
		}()
	}
	for i := 0; i < p.wsBidders; i++ {
		bwg.Add(1)
		go func() {
			defer bwg.Done()
			e.wsBidder(i, buyers[p.httpBidders+i], stopAt, seed)
		}()
	}
	bwg.Wait()
	biddingDone := time.Now()
	wwg.Wait()
	t.Logf("bidding took %v, close seen by all watchers %v after the end", biddingDone.Sub(stopAt.Add(-p.bidFor)).Round(time.Millisecond), time.Since(a.EndsAt).Round(time.Millisecond))

	stored, err := rcStoredBids(ts, a.ID)
	if err != nil {
		t.Fatalf("stored bids: %v", err)
	}
	for i, srv := range p.servers[1:] {
		other, err := rcStoredBids(srv, a.ID)
		if err != nil || rcDiffBids(stored, other) != "" {
			t.Errorf("instance %d lists other bids than instance 0: %v %s", i+1, err, rcDiffBids(stored, other))
			rcDumpLog(t, ts, a.ID)
		}
	}
	if len(stored) < 10 {
		t.Errorf("only %d bids stored: the test did not exercise much", len(stored))
	}
	rcCheckLog(t, stored)
	rcCheckLedger(t, e.led, stored)
	res := rcCheckClosed(t, p.servers, a.ID, stored, farmer, tokens)
	rcCheckWatchers(t, watchers, stored, res)
	t.Logf("%d bids stored over %v of bidding; result %s; whole test %v", len(stored), p.bidFor, res, time.Since(started).Round(time.Millisecond))
}

// TestRaceManyBidders: 12 HTTP bidders, 8 socket bidders and 10 watchers on
// one auction of one server.
func TestRaceManyBidders(t *testing.T) {
	ts := testserver.Start(t)
	rcRun(t, rcPlan{servers: []*testserver.TS{ts}, httpBidders: 12, wsBidders: 8, watchers: 10,
		endIn: 8 * time.Second, bidFor: 4 * time.Second})
}

// TestRaceIdempotentRetries: the same key sent concurrently many times
// places one bid and gets one answer, byte for byte.
func TestRaceIdempotentRetries(t *testing.T) {
	ts := testserver.Start(t)
	farmer := ts.Register("farmer")
	b1, b2, b3 := ts.Register("buyer"), ts.Register("buyer"), ts.Register("buyer")
	a := ts.CreateAuction(farmer.Token, testserver.SellAuction(30*time.Second, map[string]any{"increment": rcInc, "startPrice": rcStartPrice, "extendSeconds": 0}))
	e := rcNewEnv(t, a.ID, ts)
	const n = 32

	type answer struct {
		status int
		body   []byte
	}
	// burst sends the same key n times at once and returns the answers. Only
	// transport errors are retried (with the same key): a duplicate of a key
	// must get the first answer, not a "try again".
	burst := func(u testserver.User, key string, amount func(i int) int64) []answer {
		out := make([]answer, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for try := 0; ; try++ {
					status, body, err := e.postBid(0, u.Token, key, amount(i))
					if err != nil && try < 20 {
						time.Sleep(20 * time.Millisecond)
						continue
					}
					out[i] = answer{status, body}
					return
				}
			}()
		}
		close(start)
		wg.Wait()
		return out
	}
	// expect checks that every answer is want (status and body), grouping
	// the others for the report.
	expect := func(what string, as []answer, want answer) {
		t.Helper()
		groups := map[string]int{}
		var order []string
		for _, x := range as {
			if x.status == want.status && bytes.Equal(x.body, want.body) {
				continue
			}
			g := fmt.Sprintf("%d %s", x.status, x.body)
			if groups[g] == 0 {
				order = append(order, g)
			}
			groups[g]++
		}
		for _, g := range order {
			t.Errorf("%s: %d of %d answers were\n    %s\n  instead of\n    %d %s", what, groups[g], len(as), g, want.status, want.body)
		}
	}
	// firstOf returns the answer most requests got (the first request's,
	// if the server is right) after checking its status.
	firstOf := func(what string, as []answer, wantStatus int) answer {
		t.Helper()
		count := map[string]int{}
		best := as[0]
		for _, x := range as {
			k := fmt.Sprintf("%d %s", x.status, x.body)
			count[k]++
			if x.status == wantStatus && (best.status != wantStatus || count[k] > count[fmt.Sprintf("%d %s", best.status, best.body)]) {
				best = x
			}
		}
		if best.status != wantStatus {
			t.Fatalf("%s: no answer with status %d; first: %d %s", what, wantStatus, best.status, best.body)
		}
		expect(what, as, best)
		return best
	}
	checkStored := func(what string, want ...rcBid) {
		t.Helper()
		stored, err := rcStoredBids(ts, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		ok := len(stored) == len(want)
		for i := 0; ok && i < len(want); i++ {
			ok = stored[i].Seq == want[i].Seq && stored[i].Amount == want[i].Amount && stored[i].Bidder == want[i].Bidder
		}
		if !ok {
			t.Errorf("%s: stored %v, want %v", what, stored, want)
		}
	}

	// 1. An accepted key: one bid, one answer.
	first := firstOf("accepted key, concurrent duplicates", burst(b1, "same-key", func(int) int64 { return 10500 }), http.StatusCreated)
	checkStored("after the accepted burst", rcBid{Seq: 1, Amount: 10500, Bidder: b1.ID})

	// 2. The same key again with other amounts: still the first answer.
	expect("accepted key again, other amounts", burst(b1, "same-key", func(i int) int64 { return 20000 + int64(i)*rcInc }), first)
	checkStored("after replaying the accepted key", rcBid{Seq: 1, Amount: 10500, Bidder: b1.ID})

	// 3. A refused key (not above the standing price): one refusal, stored
	//    and replayed, also when the amount later would be good.
	refused := firstOf("refused key, concurrent duplicates", burst(b1, "refused-key", func(int) int64 { return 10500 }), http.StatusConflict)
	if code, _ := rcErrCode(refused.body); code != "outbid" {
		t.Errorf("refused key: code %q, want outbid: %s", code, refused.body)
	}
	expect("refused key again, good amount", burst(b1, "refused-key", func(int) int64 { return 30000 }), refused)
	checkStored("after the refused key", rcBid{Seq: 1, Amount: 10500, Bidder: b1.ID})

	// 4. Keys are scoped to the user: b2's "same-key" is a new request.
	//    b1 and b2 burst at the same time with the same key.
	var wg sync.WaitGroup
	var x1, x2 []answer
	wg.Add(2)
	go func() { defer wg.Done(); x1 = burst(b1, "same-key", func(int) int64 { return 40000 }) }()
	go func() { defer wg.Done(); x2 = burst(b2, "same-key", func(int) int64 { return 10600 }) }()
	wg.Wait()
	expect("b1's key during b2's burst", x1, first)
	firstOf("b2's key, concurrent duplicates", x2, http.StatusCreated)
	checkStored("after b2's burst", rcBid{Seq: 1, Amount: 10500, Bidder: b1.ID}, rcBid{Seq: 2, Amount: 10600, Bidder: b2.ID})

	// 5. Over sockets: the same ref from many sockets of one user at once.
	const socks = 12
	conns := make([]*rcConn, socks)
	for i := range conns {
		c, err := e.dialBidder(0, b3.Token)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		conns[i] = c
		defer func() { c.c.Close(); <-c.dead }()
	}
	replies := make([]rcMsg, socks)
	errs := make([]error, socks)
	start := make(chan struct{})
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			replies[i], errs[i] = conns[i].ask("same-ref", 10700, 10*time.Second)
		}()
	}
	close(start)
	wg.Wait()
	ref := -1
	for i := range replies {
		if errs[i] == nil && replies[i].Type == "ack" {
			ref = i
			break
		}
	}
	if ref < 0 {
		t.Fatalf("no socket got an ack: %+v %v", replies, errs)
	}
	for i := range replies {
		switch {
		case errs[i] != nil:
			t.Errorf("socket %d: %v", i, errs[i])
		case !rcSameReply(replies[i], replies[ref]):
			t.Errorf("socket %d got %s %q %q (bid %v), socket %d got %s seq %d (bid %v)", i, replies[i].Type, replies[i].Code, replies[i].Message, replies[i].Bid,
				ref, replies[ref].Type, replies[ref].Seq, replies[ref].Bid)
		}
	}
	checkStored("after the socket burst", rcBid{Seq: 1, Amount: 10500, Bidder: b1.ID}, rcBid{Seq: 2, Amount: 10600, Bidder: b2.ID}, rcBid{Seq: 3, Amount: 10700, Bidder: b3.ID})
	for _, p := range e.led.problems {
		t.Errorf("client saw: %s", p)
	}
}

// TestRaceRunnerLookupByID: other requests in between must not change which
// runner serves an auction. A socket watching an auction and a bid on it
// must meet in the same runner of one process, so the bid reaches the
// watcher at once (not at the next poll of the log), and GET must show the
// auction asked for, also while many auctions are being looked up at once.
func TestRaceRunnerLookupByID(t *testing.T) {
	const poll = 3 * time.Second // long, so that only the runner's own publish can be quick
	ts := testserver.Start(t, func(c *server.Config) { c.PollInterval = poll })
	farmer, buyer := ts.Register("farmer"), ts.Register("buyer")
	a := ts.CreateAuction(farmer.Token, testserver.SellAuction(time.Minute, map[string]any{"extendSeconds": 0}))
	c, err := ts.Dial("/ws/auctions/" + a.ID + "?since=0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if m, err := testserver.Read(c, 5*time.Second); err != nil || m.Type != "snapshot" {
		t.Fatalf("first message: %+v %v", m, err)
	}
	// Unrelated requests (unknown auction ids) from several clients.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 4 {
				_, _ = ts.Try("GET", "/api/v1/auctions/"+strings.Repeat("0", 24), "", nil)
			}
		}()
	}
	wg.Wait()
	start := time.Now()
	if r := ts.Do("POST", "/api/v1/auctions/"+a.ID+"/bids", buyer.Token, map[string]any{"amount": rcStartPrice}); r.Status != http.StatusCreated {
		t.Fatalf("bid: %d %s", r.Status, r.Body)
	}
	for {
		m, err := testserver.Read(c, 2*poll)
		if err != nil {
			t.Fatalf("no bid event: %v", err)
		}
		if m.Type != "bid" {
			continue
		}
		if d := time.Since(start); d > poll/3 {
			t.Errorf("the bid reached the watcher in the same process after %v (poll interval %v): the bid and the socket were served by two different runners of this auction", d.Round(time.Millisecond), poll)
		}
		break
	}
	var view struct{ Watchers *int }
	ts.Do("GET", "/api/v1/auctions/"+a.ID, farmer.Token, nil).Decode(t, &view)
	if view.Watchers == nil || *view.Watchers != 1 {
		n := "no"
		if view.Watchers != nil {
			n = fmt.Sprint(*view.Watchers)
		}
		t.Errorf("owner's view shows %s watchers, one socket is open", n)
	}

	// Many auctions looked up at once: each GET must show the auction asked for.
	ids := []string{a.ID}
	for range 7 {
		ids = append(ids, ts.CreateAuction(farmer.Token, testserver.SellAuction(time.Minute, nil)).ID)
	}
	var mu sync.Mutex
	wrong := map[string]int{}
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range 150 {
				id := ids[(g+n)%len(ids)]
				r, err := ts.Try("GET", "/api/v1/auctions/"+id, "", nil)
				if err != nil || r.Status != http.StatusOK {
					continue
				}
				var got struct{ ID string }
				_ = json.Unmarshal(r.Body, &got)
				if got.ID != id {
					mu.Lock()
					wrong[fmt.Sprintf("asked %s, got %s", id, got.ID)]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for k, n := range wrong {
		t.Errorf("GET /api/v1/auctions/{id}: %s (%d times)", k, n)
	}
}
