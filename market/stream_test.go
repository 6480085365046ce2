package market_test

// Fault tests of the live stream (contract: "Live stream"): resuming with
// ?since=, bad client frames, a watcher that never reads, and live latency
// with a long history in the store.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// swMsg is any server-to-client socket message, with every field these
// tests look at.
type swMsg struct {
	Type       string              `json:"type"`
	ServerTime time.Time           `json:"serverTime"`
	Bid        *testserver.Bid     `json:"bid"`
	Price      *int64              `json:"price"`
	Leader     *string             `json:"leader"`
	EndsAt     *time.Time          `json:"endsAt"`
	Ref        *string             `json:"ref"`
	Seq        int64               `json:"seq"`
	Code       string              `json:"code"`
	Message    string              `json:"message"`
	Auction    *testserver.Auction `json:"auction"`
	Result     *swResult           `json:"result"`
	raw        string
}

type swResult struct {
	Winner     *string `json:"winner"`
	Price      int64   `json:"price"`
	ReserveMet bool    `json:"reserveMet"`
}

func (m swMsg) String() string { return m.raw }

func (m swMsg) ref() string {
	if m.Ref == nil {
		return ""
	}
	return *m.Ref
}

// swRead reads the next message other than a heartbeat within d.
func swRead(c *websocket.Conn, d time.Duration) (swMsg, error) {
	deadline := time.Now().Add(d)
	for {
		_ = c.SetReadDeadline(deadline)
		_, data, err := c.ReadMessage()
		if err != nil {
			return swMsg{}, err
		}
		m := swMsg{raw: string(data)}
		if err := json.Unmarshal(data, &m); err != nil {
			return m, fmt.Errorf("decode %s: %w", data, err)
		}
		if m.Type != "heartbeat" {
			return m, nil
		}
	}
}

// swExpect reads the next message and fails unless it has type typ and a serverTime.
func swExpect(t testing.TB, c *websocket.Conn, typ string) swMsg {
	t.Helper()
	m, err := swRead(c, 15*time.Second)
	if err != nil {
		t.Fatalf("waiting for a %q message: %v", typ, err)
	}
	if m.Type != typ {
		t.Fatalf("got %s, want a %q message", m, typ)
	}
	if m.ServerTime.IsZero() {
		t.Fatalf("message without serverTime: %s", m)
	}
	return m
}

// swQuiet fails if anything but a heartbeat arrives within d. The
// connection cannot be read after this.
func swQuiet(t testing.TB, c *websocket.Conn, d time.Duration, why string) {
	t.Helper()
	m, err := swRead(c, d)
	if err == nil {
		t.Fatalf("%s: unexpected message %s", why, m)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("%s: socket failed instead of staying quiet: %v", why, err)
	}
}

// swDial opens a socket and fails the test on error; it is closed at the end.
func swDial(t testing.TB, ts *testserver.TS, path string) *websocket.Conn {
	t.Helper()
	c, err := ts.Dial(path)
	if err != nil {
		t.Fatalf("dial %s: %v", path, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// swAck is the body of an accepted bid.
type swAck struct {
	Bid     testserver.Bid
	Auction testserver.Auction
}

// swPlace bids over HTTP (safe in goroutines).
func swPlace(ts *testserver.TS, token, id string, amount int64, key string) (testserver.Resp, swAck, error) {
	var hdr []string
	if key != "" {
		hdr = []string{"Idempotency-Key", key}
	}
	r, err := ts.Try("POST", "/api/v1/auctions/"+id+"/bids", token, map[string]any{"amount": amount}, hdr...)
	var ack swAck
	if err == nil && r.Status == http.StatusCreated {
		err = json.Unmarshal(r.Body, &ack)
	}
	return r, ack, err
}

// swMustBid bids and fails the test unless the bid is accepted.
func swMustBid(t testing.TB, ts *testserver.TS, token, id string, amount int64) swAck {
	t.Helper()
	r, ack, err := swPlace(ts, token, id, amount, "")
	if err != nil || r.Status != http.StatusCreated {
		t.Fatalf("bid %d on %s: %v %d %s", amount, id, err, r.Status, r.Body)
	}
	return ack
}

// swCheckBid fails unless m is the bid message of the bid acknowledged as
// ack, with the state right after it.
func swCheckBid(t testing.TB, m swMsg, ack swAck) {
	t.Helper()
	if m.Type != "bid" || m.Bid == nil || m.ServerTime.IsZero() {
		t.Fatalf("want bid seq %d, got %s", ack.Bid.Seq, m)
	}
	b := m.Bid
	if b.Seq != ack.Bid.Seq || b.Amount != ack.Bid.Amount || b.Bidder != ack.Bid.Bidder || !b.At.Equal(ack.Bid.At) {
		t.Fatalf("bid message %s differs from the acknowledged bid %+v", m, ack.Bid)
	}
	if m.Price == nil || *m.Price != ack.Auction.Price {
		t.Fatalf("seq %d: price in %s, want %d (state right after the bid)", b.Seq, m, ack.Auction.Price)
	}
	if m.Leader == nil || ack.Auction.Leader == nil || *m.Leader != *ack.Auction.Leader {
		t.Fatalf("seq %d: leader in %s, want %v", b.Seq, m, ack.Auction.Leader)
	}
	if m.EndsAt == nil || !m.EndsAt.Equal(ack.Auction.EndsAt) {
		t.Fatalf("seq %d: endsAt in %s, want %v (state right after the bid)", b.Seq, m, ack.Auction.EndsAt)
	}
}

func swWS(id string, query string) string { return "/ws/auctions/" + id + query }

func TestStreamResume(t *testing.T) {
	ts := testserver.Start(t)
	farmer := ts.Register("farmer")
	buyers := []testserver.User{ts.Register("buyer"), ts.Register("buyer")}

	// An auction that closes while the rest runs: 3 bids, then the end.
	closing := ts.CreateAuction(farmer.Token, testserver.SellAuction(5500*time.Millisecond, map[string]any{"extendSeconds": 0}))
	var closingAcks []swAck
	for i := range 3 {
		closingAcks = append(closingAcks, swMustBid(t, ts, buyers[i%2].Token, closing.ID, 10000+int64(i)*100))
	}
	// A watcher present at the close gets it live.
	atClose := swDial(t, ts, swWS(closing.ID, ""))
	if s := swExpect(t, atClose, "snapshot"); s.Auction == nil || s.Auction.Seq != 3 {
		t.Fatalf("snapshot of the closing auction: %s", s)
	}

	// 10 minutes left and extendSeconds 600: every bid moves endsAt, so
	// every bid has its own price, leader and endsAt to be replayed.
	a := ts.CreateAuction(farmer.Token, testserver.SellAuction(10*time.Minute, map[string]any{"extendSeconds": 600}))
	acks := map[int64]swAck{}
	bid := func(n int64) swAck {
		t.Helper()
		ack := swMustBid(t, ts, buyers[n%2].Token, a.ID, 10000+(n-1)*100)
		if ack.Bid.Seq != n {
			t.Fatalf("bid %d got seq %d", n, ack.Bid.Seq)
		}
		acks[n] = ack
		time.Sleep(3 * time.Millisecond) // distinct endsAt per bid
		return ack
	}

	t.Run("since=0 then disconnect at 3", func(t *testing.T) {
		w := swDial(t, ts, swWS(a.ID, "?since=0"))
		s := swExpect(t, w, "snapshot")
		if s.Auction == nil || s.Auction.ID != a.ID || s.Auction.Seq != 0 || s.Auction.Price != 10000 || s.Auction.Leader != nil {
			t.Fatalf("first snapshot: %s", s)
		}
		for n := int64(1); n <= 3; n++ {
			bid(n)
		}
		for n := int64(1); n <= 3; n++ {
			swCheckBid(t, swExpect(t, w, "bid"), acks[n])
		}
		w.Close()
	})
	if t.Failed() {
		return
	}
	for n := int64(4); n <= 8; n++ {
		bid(n)
	}
	if acks[4].Auction.EndsAt.Equal(acks[8].Auction.EndsAt) {
		t.Logf("note: endsAt did not move between seq 4 and 8 (%v)", acks[8].Auction.EndsAt)
	}

	t.Run("since=3 replays 4..8 then live 9", func(t *testing.T) {
		w := swDial(t, ts, swWS(a.ID, "?since=3"))
		s := swExpect(t, w, "snapshot")
		if s.Auction == nil || s.Auction.Seq != 8 || s.Auction.Price != acks[8].Auction.Price {
			t.Fatalf("snapshot after 8 bids: %s", s)
		}
		for n := int64(4); n <= 8; n++ {
			swCheckBid(t, swExpect(t, w, "bid"), acks[n])
		}
		live := bid(9)
		swCheckBid(t, swExpect(t, w, "bid"), live)
		swQuiet(t, w, 300*time.Millisecond, "after live seq 9")
	})

	t.Run("no since: snapshot then live only", func(t *testing.T) {
		w := swDial(t, ts, swWS(a.ID, ""))
		s := swExpect(t, w, "snapshot")
		if s.Auction == nil || s.Auction.Seq != 9 || s.Auction.Price != acks[9].Auction.Price ||
			s.Auction.Leader == nil || *s.Auction.Leader != *acks[9].Auction.Leader || !s.Auction.EndsAt.Equal(acks[9].Auction.EndsAt) {
			t.Fatalf("snapshot after 9 bids: %s", s)
		}
		live := bid(10)
		swCheckBid(t, swExpect(t, w, "bid"), live)
		swQuiet(t, w, 300*time.Millisecond, "after live seq 10")
	})

	t.Run("since=current then live only", func(t *testing.T) {
		w := swDial(t, ts, swWS(a.ID, "?since=10"))
		swExpect(t, w, "snapshot")
		live := bid(11)
		swCheckBid(t, swExpect(t, w, "bid"), live)
		swQuiet(t, w, 300*time.Millisecond, "after live seq 11")
	})

	// The boundary between replay and live, hit many times: one bidder
	// bids without pause while a watcher disconnects after a few messages
	// and resumes from the last seq it saw. Whatever the timing, each
	// connection must see exactly last+1, last+2, ...
	t.Run("resume while bids flow", func(t *testing.T) {
		c := ts.CreateAuction(farmer.Token, testserver.SellAuction(10*time.Minute, map[string]any{"extendSeconds": 0}))
		const total = 150
		errc := make(chan error, 1)
		go func() {
			for n := int64(1); n <= total; n++ {
				r, ack, err := swPlace(ts, buyers[n%2].Token, c.ID, 10000+n*100, "")
				if err == nil && (r.Status != http.StatusCreated || ack.Bid.Seq != n) {
					err = fmt.Errorf("bid %d: %d %s", n, r.Status, r.Body)
				}
				if err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
		var last int64
		rounds := 0
		for ; last < total; rounds++ {
			if rounds > 400 {
				t.Fatalf("no progress: last seq %d after %d connections", last, rounds)
			}
			w, err := ts.Dial(swWS(c.ID, fmt.Sprintf("?since=%d", last)))
			if err != nil {
				t.Fatalf("dial since=%d: %v", last, err)
			}
			s := swExpect(t, w, "snapshot")
			if s.Auction == nil || s.Auction.Seq < last {
				t.Fatalf("snapshot behind since=%d: %s", last, s)
			}
			for k := 1 + rand.IntN(12); k > 0 && last < total; k-- {
				m := swExpect(t, w, "bid")
				if m.Bid == nil || m.Bid.Seq != last+1 {
					t.Fatalf("connection %d (since=%d): want seq %d, got %s", rounds, last, last+1, m)
				}
				if m.Price == nil || *m.Price != m.Bid.Amount || m.Leader == nil || *m.Leader != m.Bid.Bidder {
					t.Fatalf("state after seq %d: %s", m.Bid.Seq, m)
				}
				last = m.Bid.Seq
			}
			w.Close()
		}
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
		t.Logf("%d bids followed over %d connections", total, rounds)
	})

	t.Run("closed auction: snapshot, replay, closed", func(t *testing.T) {
		testserver.WaitFor(t, 20*time.Second, "the auction to close", func() bool { return ts.Get(closing.ID).Status == "closed" })
		winner := buyers[0].ID // bids 10000 (b0), 10100 (b1), 10200 (b0)
		checkClosed := func(m swMsg) {
			t.Helper()
			if m.Result == nil || m.Result.Winner == nil || *m.Result.Winner != winner || m.Result.Price != 10200 || !m.Result.ReserveMet {
				t.Fatalf("closed message: %s", m)
			}
		}
		checkClosed(swExpect(t, atClose, "closed"))
		swQuiet(t, atClose, 300*time.Millisecond, "after the live close")

		for _, tc := range []struct {
			query string
			from  int // first replayed bid (index into closingAcks)
		}{{"?since=0", 0}, {"?since=2", 2}, {"?since=3", 3}, {"", 3}, {"?since=99", 3}} {
			w := swDial(t, ts, swWS(closing.ID, tc.query))
			s := swExpect(t, w, "snapshot")
			if s.Auction == nil || s.Auction.Status != "closed" || s.Auction.Seq != 3 || s.Auction.Result == nil {
				t.Fatalf("%q: snapshot of a closed auction: %s", tc.query, s)
			}
			for _, ack := range closingAcks[tc.from:] {
				swCheckBid(t, swExpect(t, w, "bid"), ack)
			}
			checkClosed(swExpect(t, w, "closed"))
			swQuiet(t, w, 300*time.Millisecond, tc.query+": after closed")
		}
	})
}

func TestStreamBadFrames(t *testing.T) {
	ts := testserver.Start(t)
	farmer, buyer, other := ts.Register("farmer"), ts.Register("buyer"), ts.Register("buyer")
	a := ts.CreateAuction(farmer.Token, testserver.SellAuction(10*time.Minute, map[string]any{"extendSeconds": 0}))

	t.Run("unknown auction is 404 before the upgrade", func(t *testing.T) {
		for _, id := range []string{"000000000000000000000000", "no-such-auction"} {
			c, resp, err := websocket.DefaultDialer.Dial(ts.WSURL+swWS(id, "?since=0"), nil)
			if err == nil {
				c.Close()
				t.Fatalf("%s: upgraded", id)
			}
			if resp == nil || resp.StatusCode != http.StatusNotFound {
				t.Fatalf("%s: want 404, got %v (%v)", id, resp, err)
			}
			body, _ := io.ReadAll(resp.Body)
			if r := (testserver.Resp{Status: resp.StatusCode, Body: body}); r.ErrCode() != "not_found" {
				t.Fatalf("%s: 404 body %s", id, body)
			}
		}
	})

	t.Run("plain GET is 426", func(t *testing.T) {
		r := ts.Do("GET", swWS(a.ID, ""), "", nil)
		if r.Status != http.StatusUpgradeRequired || r.ErrCode() == "" {
			t.Fatalf("plain GET: %d %s", r.Status, r.Body)
		}
	})

	// A socket with a token, used for everything that follows.
	w := swDial(t, ts, swWS(a.ID, "?token="+buyer.Token))
	swExpect(t, w, "snapshot")
	// A socket without a token that only watches.
	watcher := swDial(t, ts, swWS(a.ID, ""))
	swExpect(t, watcher, "snapshot")

	send := func(c *websocket.Conn, frame string) {
		t.Helper()
		_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if err := c.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
			t.Fatalf("write %q: %v", frame, err)
		}
	}
	// reply reads the answer to a client frame, skipping bid broadcasts.
	reply := func(c *websocket.Conn) swMsg {
		t.Helper()
		for {
			m, err := swRead(c, 15*time.Second)
			if err != nil {
				t.Fatalf("waiting for a reply: %v", err)
			}
			if m.Type == "ack" || m.Type == "reject" {
				if m.ServerTime.IsZero() {
					t.Fatalf("reply without serverTime: %s", m)
				}
				return m
			}
			if m.Type != "bid" {
				t.Fatalf("unexpected %s", m)
			}
		}
	}

	t.Run("bad messages get bad_message and the socket stays open", func(t *testing.T) {
		for _, tc := range []struct{ name, frame, ref string }{
			{"not JSON", `not json`, ""},
			{"JSON array", `[1,2]`, ""},
			{"wrong type", `{"type":"hello","ref":"r-type","amount":10000}`, "r-type"},
			{"no type", `{"ref":"r-notype","amount":10000}`, "r-notype"},
			{"fractional amount", `{"type":"bid","ref":"r-frac","amount":10000.5}`, "r-frac"},
			{"string amount", `{"type":"bid","ref":"r-str","amount":"10000"}`, "r-str"},
			{"missing amount", `{"type":"bid","ref":"r-none"}`, "r-none"},
			{"null amount", `{"type":"bid","ref":"r-null","amount":null}`, "r-null"},
			{"negative amount", `{"type":"bid","ref":"r-neg","amount":-10000}`, "r-neg"},
			{"zero amount", `{"type":"bid","ref":"r-zero","amount":0}`, "r-zero"},
			{"amount overflows int64", `{"type":"bid","ref":"r-big","amount":99999999999999999999}`, "r-big"},
			{"ref too long", `{"type":"bid","ref":"` + strings.Repeat("x", 129) + `","amount":10000}`, ""},
		} {
			send(w, tc.frame)
			m := reply(w)
			if m.Type != "reject" || m.Code != "bad_message" || m.ref() != tc.ref || m.Message == "" {
				t.Errorf("%s: want reject bad_message ref %q, got %s", tc.name, tc.ref, m)
			}
		}
		// Still open: a valid bid is acknowledged on the same socket.
		send(w, `{"type":"bid","ref":"ok-1","amount":10000}`)
		m := reply(w)
		if m.Type != "ack" || m.ref() != "ok-1" || m.Seq != 1 || m.Bid == nil || m.Bid.Seq != 1 || m.Bid.Amount != 10000 || m.Bid.Bidder != buyer.ID {
			t.Fatalf("valid bid after rejects: %s", m)
		}
		// The ref is idempotent: the same ref again is the same ack, no new bid.
		send(w, `{"type":"bid","ref":"ok-1","amount":10000}`)
		if m := reply(w); m.Type != "ack" || m.Seq != 1 || m.ref() != "ok-1" {
			t.Fatalf("same ref again: %s", m)
		}
		// A refusal has the HTTP code.
		send(w, `{"type":"bid","ref":"low","amount":10000}`)
		if m := reply(w); m.Type != "reject" || m.Code != "outbid" || m.ref() != "low" {
			t.Fatalf("low bid: %s", m)
		}
		if got := ts.Get(a.ID); got.Seq != 1 {
			t.Fatalf("seq after one accepted bid: %d", got.Seq)
		}
	})

	// A ref sits in a frame whose type is malformed; encoding/json still
	// reads it. The contract: bad_message "and its ref when one can be read".
	t.Run("ref is returned when the type field is malformed", func(t *testing.T) {
		send(w, `{"type":7,"ref":"r-numtype","amount":10000}`)
		if m := reply(w); m.Type != "reject" || m.Code != "bad_message" || m.ref() != "r-numtype" {
			t.Errorf("want reject bad_message ref %q, got %s", "r-numtype", m)
		}
	})

	t.Run("bidding without a token is unauthorized", func(t *testing.T) {
		send(watcher, `{"type":"bid","ref":"anon","amount":20000}`)
		m := reply(watcher)
		if m.Type != "reject" || m.Code != "unauthorized" || m.ref() != "anon" {
			t.Fatalf("bid without token: %s", m)
		}
		// Still open and still watching.
		ack := swMustBid(t, ts, other.Token, a.ID, 20000)
		swCheckBid(t, swExpect(t, watcher, "bid"), ack)
	})

	t.Run("bad token is 401 before the upgrade", func(t *testing.T) {
		c, resp, err := websocket.DefaultDialer.Dial(ts.WSURL+swWS(a.ID, "?token=not-a-token"), nil)
		if err == nil {
			c.Close()
			t.Fatal("upgraded with a bad token")
		}
		if resp == nil || resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("want 401, got %v (%v)", resp, err)
		}
	})

	t.Run("a frame of exactly 4 KiB is read", func(t *testing.T) {
		f := `{"type":"bid","ref":"edge","amount":30000}`
		f += strings.Repeat(" ", 4096-len(f))
		send(w, f)
		if m := reply(w); m.Type != "ack" || m.ref() != "edge" {
			t.Fatalf("4096-byte frame: %s", m)
		}
	})

	t.Run("a frame over 4 KiB closes with 1009", func(t *testing.T) {
		f := `{"type":"bid","ref":"huge","amount":40000}`
		f += strings.Repeat(" ", 4097-len(f))
		send(w, f)
		for {
			m, err := swRead(w, 15*time.Second)
			if err == nil {
				if m.Type == "ack" || m.Type == "reject" {
					t.Fatalf("the oversized frame was answered: %s", m)
				}
				continue // broadcasts queued before the close
			}
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != websocket.CloseMessageTooBig {
				t.Fatalf("want close 1009, got %v", err)
			}
			break
		}
		// Nothing was placed, and other sockets are unaffected.
		ack := swMustBid(t, ts, other.Token, a.ID, 40000)
		if ack.Bid.Seq != 4 {
			t.Fatalf("seq after the oversized frame: %d", ack.Bid.Seq)
		}
		for {
			m := swExpect(t, watcher, "bid")
			if m.Bid.Seq == 4 {
				swCheckBid(t, m, ack)
				break
			}
		}
	})
}

// swSlowDialer dials with a tiny receive buffer, so that a watcher that
// never reads fills its socket quickly.
var swSlowDialer = &websocket.Dialer{
	HandshakeTimeout: 10 * time.Second,
	ReadBufferSize:   1024,
	NetDialContext: (&net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 1024)
		})
		return errors.Join(err, serr)
	}}).DialContext,
}

func TestSlowWatcher(t *testing.T) {
	ts := testserver.Start(t)
	farmer := ts.Register("farmer")
	buyers := []testserver.User{ts.Register("buyer"), ts.Register("buyer"), ts.Register("buyer")}
	a := ts.CreateAuction(farmer.Token, testserver.SellAuction(10*time.Minute, map[string]any{"extendSeconds": 0}))
	watchers := func() int {
		r, err := ts.Try("GET", "/api/v1/auctions/"+a.ID, farmer.Token, nil)
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

	// The slow watcher: handshake, then never read again.
	slow, _, err := swSlowDialer.Dial(ts.WSURL+swWS(a.ID, "?since=0"), nil)
	if err != nil {
		t.Fatalf("slow dial: %v", err)
	}
	defer slow.Close()

	// The normal watcher reads everything, recording when each seq came.
	normal := swDial(t, ts, swWS(a.ID, "?since=0"))
	swExpect(t, normal, "snapshot")
	type got struct {
		seq int64
		at  time.Time
	}
	var (
		mu       sync.Mutex
		received []got
		readErr  error
	)
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		for {
			m, err := swRead(normal, 60*time.Second)
			if err == nil && (m.Type != "bid" || m.Bid == nil) {
				err = fmt.Errorf("unexpected %s", m)
			}
			mu.Lock()
			if err != nil {
				readErr = err
				mu.Unlock()
				return
			}
			received = append(received, got{m.Bid.Seq, time.Now()})
			mu.Unlock()
		}
	}()
	testserver.WaitFor(t, 10*time.Second, "two watchers", func() bool { return watchers() == 2 })
	start := time.Now()

	// On loopback the kernel buffers a megabyte or more of a socket nobody
	// reads before the server's writes block: thousands of bids. So that a
	// few hundred bids are enough, the slow watcher also sends tiny bad
	// frames, each answered by a reject down the same stuck socket. It
	// still never reads. The flood ends when the server stops reading it.
	var cut atomic.Bool
	floodDone := make(chan int, 1)
	go func() {
		n := 0
		for ; n < 400000 && !cut.Load(); n++ {
			_ = slow.SetWriteDeadline(time.Now().Add(2 * time.Second))
			if err := slow.WriteMessage(websocket.TextMessage, []byte("x")); err != nil {
				break
			}
		}
		floodDone <- n
	}()

	// Bidders: amounts from one counter, so bids race and some are
	// outbid; every accepted one is recorded with when it was acknowledged.
	const total = 400
	var (
		next    atomic.Int64
		ackMu   sync.Mutex
		ackedAt = map[int64]time.Time{}
		bidErr  error
		wg      sync.WaitGroup
	)
	for _, u := range buyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ackMu.Lock()
				n := len(ackedAt)
				ackMu.Unlock()
				if n >= total || bidErr != nil {
					return
				}
				r, ack, err := swPlace(ts, u.Token, a.ID, 10000+next.Add(1)*100, "")
				if err == nil && r.Status != http.StatusCreated && r.ErrCode() != "outbid" {
					err = fmt.Errorf("bid: %d %s", r.Status, r.Body)
				}
				ackMu.Lock()
				if err != nil {
					bidErr = err
				} else if r.Status == http.StatusCreated {
					ackedAt[ack.Bid.Seq] = time.Now()
				}
				ackMu.Unlock()
			}
		}()
	}
	wg.Wait()
	if bidErr != nil {
		t.Fatalf("bidding: %v", bidErr)
	}
	final := ts.Get(a.ID).Seq
	if int(final) != len(ackedAt) {
		t.Fatalf("auction seq %d, but %d bids acknowledged", final, len(ackedAt))
	}
	t.Logf("%v: %d bids placed", time.Since(start), final)

	// (a) The normal watcher gets every seq, in order. Waiting for the last
	// seq is not a timing assumption: it must come, however late.
	testserver.WaitFor(t, 30*time.Second, "the normal watcher to reach the last seq", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return readErr != nil || len(received) > 0 && received[len(received)-1].seq >= final
	})
	mu.Lock()
	if readErr != nil {
		t.Fatalf("normal watcher failed after %d messages: %v", len(received), readErr)
	}
	var worst time.Duration
	for i, g := range received {
		if g.seq != int64(i+1) {
			t.Fatalf("normal watcher: message %d is seq %d", i, g.seq)
		}
		if lag := g.at.Sub(ackedAt[g.seq]); lag > worst {
			worst = lag
		}
	}
	mu.Unlock()
	t.Logf("%v: normal watcher: all %d seqs in order; worst lag behind the HTTP ack %v", time.Since(start), final, worst)
	// Generous bound: a hub that waited on the slow socket would lag by
	// its write timeout (10 s) or more.
	if worst > 5*time.Second {
		t.Errorf("the normal watcher lagged %v behind the acks", worst)
	}

	// (b) The slow watcher is cut off: it leaves the hub...
	testserver.WaitFor(t, 30*time.Second, "the slow watcher to leave the hub", func() bool { return watchers() == 1 })
	cut.Store(true)
	frames := <-floodDone
	t.Logf("%v: slow watcher gone from the hub (it sent %d frames)", time.Since(start), frames)
	// ...and its connection ends: reading now yields what was queued (a
	// gapless prefix of the log, snapshot first), then a close or EOF.
	first := true
	var seen, rejects int64
	for {
		m, err := swRead(slow, 30*time.Second)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("slow watcher still connected after %d bids (read %d)", final, seen)
			}
			// A close 1013 (try again later) when the close frame gets
			// through; EOF or a reset when the server closes a socket
			// whose frames it stopped reading (the kernel then resets
			// the connection and drops what was still queued to send).
			t.Logf("%v: slow watcher read %d bids and %d rejects, then %v", time.Since(start), seen, rejects, err)
			break
		}
		switch {
		case first:
			if m.Type != "snapshot" {
				t.Fatalf("slow watcher's first message: %s", m)
			}
			first = false
		case m.Type == "reject" && m.Code == "bad_message":
			rejects++
		case m.Type == "bid" && m.Bid.Seq == seen+1:
			seen++
		default:
			t.Fatalf("slow watcher: after seq %d got %s", seen, m)
		}
	}

	// It can come back with ?since= and get the rest, in order.
	back := swDial(t, ts, swWS(a.ID, fmt.Sprintf("?since=%d", seen)))
	swExpect(t, back, "snapshot")
	for n := seen + 1; n <= final; n++ {
		if m := swExpect(t, back, "bid"); m.Bid.Seq != n {
			t.Fatalf("resumed slow watcher: want seq %d, got %s", n, m)
		}
	}
	normal.Close()
	<-readerDone
}

// TestStreamLiveWithLongHistory: bids and their live messages must not slow
// down with the amount of unrelated history in the store. Nothing on a
// bid's path may read the event log by a filter the embedded store answers
// by scanning (every stored bid, decoded in Go): alone, a runner reads no
// log after loading; with peers it reads its next entry by _id, which
// internal/store/sqliteid.go indexes.
func TestStreamLiveWithLongHistory(t *testing.T) {
	ts := testserver.Start(t) // PollInterval 100 ms, as every test server
	farmer, buyer := ts.Register("farmer"), ts.Register("buyer")

	// measure places n sequential bids on a fresh auction with a watcher
	// and returns the median time from request to the live message.
	measure := func(n int) time.Duration {
		a := ts.CreateAuction(farmer.Token, testserver.SellAuction(10*time.Minute, map[string]any{"extendSeconds": 0}))
		w := swDial(t, ts, swWS(a.ID, ""))
		swExpect(t, w, "snapshot")
		var lat []time.Duration
		for i := range n {
			time.Sleep(150 * time.Millisecond) // let the runner's polls (every 100 ms) come
			start := time.Now()
			swMustBid(t, ts, buyer.Token, a.ID, 10000+int64(i)*100)
			if m := swExpect(t, w, "bid"); m.Bid.Seq != int64(i+1) {
				t.Fatalf("live message %s", m)
			}
			lat = append(lat, time.Since(start))
		}
		slices.Sort(lat)
		return lat[len(lat)/2]
	}
	base := measure(7)

	// History: bids of other, finished auctions, written as the runner
	// writes them. Fewer under -race, where the store is ~20x slower.
	rows := 60000
	if swRaceBuild() {
		rows = 4000
	}
	events := ts.S.Store.DB.Collection("auction_events")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	for done := 0; done < rows; {
		auction := fmt.Sprintf("%024x", done/1000+1)
		var docs []any
		for seq := 1; seq <= 1000 && done < rows; seq, done = seq+1, done+1 {
			at := time.Now().Add(-time.Hour)
			docs = append(docs, bson.D{{Key: "_id", Value: fmt.Sprintf("%s:%010d", auction, seq)}, {Key: "auction", Value: auction},
				{Key: "seq", Value: int64(seq)}, {Key: "type", Value: "bid"}, {Key: "idem", Value: fmt.Sprintf("~%d", seq)},
				{Key: "amount", Value: int64(10000 + seq*100)}, {Key: "bidder", Value: buyer.ID}, {Key: "at", Value: at}, {Key: "endsAt", Value: at}})
		}
		if _, err := events.InsertMany(ctx, docs); err != nil {
			t.Fatalf("insert history: %v", err)
		}
	}
	t.Logf("%d history rows written in %v", rows, time.Since(start))

	long := measure(7)
	t.Logf("median bid-to-live-message: %v on an empty store, %v with %d rows of history", base, long, rows)
	if long > 3*base+100*time.Millisecond {
		t.Errorf("bids slowed from %v to %v by %d rows of unrelated history: the runner's poll (market/log.go eventAt) scans the whole log", base, long, rows)
	}
}

// swRaceBuild reports whether this test binary was built with -race.
func swRaceBuild() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" && s.Value == "true" {
			return true
		}
	}
	return false
}
