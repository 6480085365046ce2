package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"io"
	"log"
	"net"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// wsMsg is any server → client message of the live stream.
type wsMsg struct {
	Type       string      `json:"type"`
	ServerTime string      `json:"serverTime"`
	Ref        string      `json:"ref"`
	Code       string      `json:"code"`
	Message    string      `json:"message"`
	Seq        int64       `json:"seq"`
	Bid        *bidDTO     `json:"bid"`
	Price      int64       `json:"price"`
	Leader     flexID      `json:"leader"`
	Auction    *auctionDTO `json:"auction"`
}

func newDialer(timeout time.Duration) *websocket.Dialer {
	return &websocket.Dialer{
		Proxy:            nil, // only ever the -server / -servers addresses
		NetDialContext:   (&net.Dialer{Timeout: timeout}).DialContext,
		HandshakeTimeout: timeout,
		ReadBufferSize:   4096,
		WriteBufferSize:  1024,
	}
}

func (c *client) wsURL(auctionID string, since int64, token string) string {
	q := url.Values{}
	q.Set("since", strconv.FormatInt(since, 10))
	if token != "" {
		q.Set("token", token)
	}
	return c.wsBase + "/ws/auctions/" + url.PathEscape(auctionID) + "?" + q.Encode()
}

// dial opens a socket; on failure it also names the failure for the
// errors-by-kind table.
func dial(ctx context.Context, d *websocket.Dialer, u, prefix string) (*websocket.Conn, string, error) {
	conn, resp, err := d.DialContext(ctx, u, nil)
	if err != nil {
		kind := prefix + "_error"
		var ne net.Error
		switch {
		case resp != nil:
			kind = fmt.Sprintf("%s_http_%d", prefix, resp.StatusCode)
		case errors.As(err, &ne) && ne.Timeout():
			kind = prefix + "_timeout"
		}
		return nil, kind, err
	}
	conn.SetReadLimit(4 << 20)
	return conn, "", nil
}

// seqHasher folds a sequence of bids (seq, amount, bidder) into one value so
// that watchers and the stored list can be compared without keeping them.
type seqHasher struct {
	h       hash.Hash64
	scratch []byte
}

func newSeqHasher() *seqHasher { return &seqHasher{h: fnv.New64a()} }

func (s *seqHasher) add(seq, amount int64, bidder string) {
	b := s.scratch[:0]
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, amount, 10)
	b = append(b, '|')
	b = append(b, bidder...)
	b = append(b, '\n')
	s.scratch = b
	s.h.Write(b)
}

func (s *seqHasher) sum() uint64 { return s.h.Sum64() }

// watcher is one read-only socket. Its result fields are written only by
// its read loop and read after done is closed.
type watcher struct {
	idx     int
	srv     int // index of the server it is connected to
	auction auctionInfo
	closing atomic.Bool
	done    chan struct{}

	mu   sync.Mutex // guards conn, which a reconnect replaces
	conn *websocket.Conn

	// redial opens a new socket resuming after since; nil disables
	// reconnecting. maxReconnects bounds how often it is used.
	redial        func(since int64) (*websocket.Conn, string, error)
	maxReconnects int
	reconnects    int64
	reconnectKind map[string]int64 // why each reconnect happened

	connected     bool
	dialKind      string
	disconnected  bool
	disconnectErr string
	// disconnectKind names why the socket ended early (close code or
	// transport error), disconnectAfter how many bids it had seen by then.
	disconnectKind  string
	disconnectAfter int64
	messages        int64
	snapshots       int64
	bids            int64
	closedMsgs      int64
	otherMsgs       int64
	badJSON         int64
	badAt           int64
	negLatency      int64
	firstSeq        int64
	lastSeq         int64
	gaps            int64 // number of seqs skipped
	disorder        int64 // duplicate or backwards seqs
	hash            *seqHasher
	// progress mirrors lastSeq for other goroutines (the drain wait).
	progress atomic.Int64
	// since is the ?since= the current socket was opened with: a bid at or
	// below it is one the watcher already had, sent again; it is dropped
	// (not delivered twice) and counted in resent.
	since  int64
	resent int64

	// Reconnect storms (storm_watcher.go). Under mu: stormConn is the
	// socket a storm dropped and stormRnd its round, until the read loop
	// notices; zombies are sockets -storm-drop silent left open; ended
	// tells a storm the read loop is gone. Read loop only: catch follows
	// the way back until caught up, for round catchRnd; sockRnd is the
	// round whose reconnect opened the current socket.
	stormConn       *websocket.Conn
	stormRnd        *stormRound
	zombies         []*websocket.Conn
	ended           bool
	catch           *catchUp
	catchRnd        *stormRound
	sockRnd         *stormRound
	stormReconnects int64
}

func (w *watcher) getConn() *websocket.Conn {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.conn
}

// resumable reports whether the server ended the socket in a way that tells
// the client to come back with ?since= (1013 try again later: the watcher
// fell behind; 1012 restart; 1001 going away).
func resumable(err error) bool {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return false
	}
	switch ce.Code {
	case 1013, 1012, websocket.CloseGoingAway:
		return true
	}
	return false
}

// reconnect replaces the socket after a resumable close, as a phone would:
// a new socket with ?since=<last seq seen>. It reports whether reading can
// go on.
func (w *watcher) reconnect(cause error) bool {
	if w.redial == nil || w.reconnects >= int64(w.maxReconnects) || !resumable(cause) || w.closing.Load() {
		return false
	}
	w.reconnects++
	if w.reconnectKind == nil {
		w.reconnectKind = map[string]int64{}
	}
	w.reconnectKind[disconnectKind(cause)]++
	conn, kind, err := w.redial(w.lastSeq)
	if err != nil {
		w.disconnectKind = "reconnect_" + kind
		w.disconnectErr = fmt.Sprintf("reconnect after %v: %v", cause, err)
		return false
	}
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	old := w.conn
	w.conn = conn
	w.since, w.sockRnd = w.lastSeq, nil
	_ = old.Close()
	if w.closing.Load() { // the run ended meanwhile; closeWatchers may have the old conn
		_ = conn.Close()
		return false
	}
	w.adoptStormLocked(old, now)
	return true
}

func (w *watcher) readLoop(lat *latBatch) {
	defer close(w.done)
	defer lat.flush()
	defer w.endStorms()
	var msg bytes.Buffer // reused: one allocation per socket, not per message
	conn := w.getConn()
	for {
		_, rd, err := conn.NextReader()
		if err == nil {
			msg.Reset()
			_, err = msg.ReadFrom(rd)
		}
		now := time.Now()
		if err != nil {
			if !w.onReadError(conn, err) {
				return
			}
			conn = w.getConn()
			continue
		}
		if d, bidder, ok := w.onMessage(msg.Bytes(), now); ok {
			lat.add(d, bidder)
		}
	}
}

// onReadError handles the end of the current socket conn: it reports
// whether reading goes on (on a new socket after a reconnect). Otherwise,
// unless the run is closing the watchers, it records the early disconnect.
func (w *watcher) onReadError(conn *websocket.Conn, err error) bool {
	if w.closing.Load() {
		return false
	}
	if rnd := w.takeStormDrop(conn); rnd != nil {
		if w.stormReconnect(rnd) {
			return true
		}
	} else if w.reconnect(err) {
		return true
	}
	if !w.closing.Load() {
		w.disconnected = true
		if w.disconnectErr == "" {
			w.disconnectErr = err.Error()
			w.disconnectKind = disconnectKind(err)
		}
		w.disconnectAfter = w.bids
	}
	return false
}

// onMessage counts one message received at now; for a bid with a usable
// timestamp it also returns the bid → watcher latency and the bidder.
func (w *watcher) onMessage(data []byte, now time.Time) (time.Duration, string, bool) {
	w.messages++
	typ, bid, ok := parseWatchMsg(data)
	if !ok || typ == "" {
		var m wsMsg
		if json.Unmarshal(data, &m) != nil {
			w.badJSON++
			return 0, "", false
		}
		typ, bid = m.Type, m.Bid
	}
	switch typ {
	case "snapshot":
		w.snapshots++
		w.observeCatchUp(true, now)
	case "bid":
		if bid == nil {
			w.badJSON++
			return 0, "", false
		}
		if !w.onBid(bid) {
			return 0, "", false
		}
		w.observeCatchUp(false, now)
		d, ok := w.bidLatency(bid, now)
		return d, string(bid.Bidder), ok
	case "closed":
		w.closedMsgs++
	default:
		w.otherMsgs++
	}
	return 0, "", false
}

// bidLatency is now − bid.at, clamped at 0 (counted when negative); false
// when bid.at cannot be parsed.
func (w *watcher) bidLatency(b *bidDTO, now time.Time) (time.Duration, bool) {
	at, err := time.Parse(time.RFC3339Nano, b.At)
	if err != nil {
		w.badAt++
		return 0, false
	}
	d := now.Sub(at)
	if d < 0 {
		w.negLatency++
		d = 0
	}
	return d, true
}

// disconnectKind names an unexpected end of a socket for the errors table:
// the close code the server sent, or the kind of transport failure.
func disconnectKind(err error) string {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return fmt.Sprintf("close_%d", ce.Code)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "eof"
	}
	return "transport"
}

// onBid takes one bid into the watcher's sequence; it reports false for a
// bid at or below the socket's ?since=, which the watcher already had: it
// is counted as resent and dropped, so the application sees every bid
// once (within one socket, a repeated seq still counts as disorder).
func (w *watcher) onBid(b *bidDTO) bool {
	if b.Seq <= w.since {
		w.resent++
		if w.sockRnd != nil {
			w.sockRnd.addResent()
		}
		return false
	}
	w.bids++
	w.hash.add(b.Seq, b.Amount, string(b.Bidder))
	switch {
	case w.bids == 1:
		w.firstSeq = b.Seq
	case b.Seq == w.lastSeq+1:
	case b.Seq > w.lastSeq+1:
		w.gaps += b.Seq - w.lastSeq - 1
	default:
		w.disorder++
	}
	if b.Seq > w.lastSeq {
		w.lastSeq = b.Seq
		w.progress.Store(b.Seq)
	}
	return true
}

// startWatchers opens n sockets spread evenly over the auctions and the
// servers (see serverFor), launching them at even intervals over ramp, and
// returns once every dial finished.
func startWatchers(ctx context.Context, clients []*client, n int, auctions []auctionInfo, ramp, timeout time.Duration, maxReconnects int, lat *deliveryLat) []*watcher {
	ws := make([]*watcher, n)
	if n == 0 {
		return ws
	}
	d := newDialer(timeout)
	interval := ramp / time.Duration(n)
	start := time.Now()
	var (
		wg        sync.WaitGroup
		connected atomic.Int64
	)
	nextLog := n / 10
	for i := 0; i < n; i++ {
		srv := serverFor(i, len(auctions), len(clients))
		c := clients[srv]
		w := &watcher{idx: i, srv: srv, auction: auctions[i%len(auctions)], done: make(chan struct{}), hash: newSeqHasher(),
			maxReconnects: maxReconnects}
		w.redial = func(since int64) (*websocket.Conn, string, error) {
			dctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			return dial(dctx, d, c.wsURL(w.auction.ID, since, ""), "watcher_redial")
		}
		ws[i] = w
		if ctx.Err() != nil || !sleepCtx(ctx, time.Until(start.Add(interval*time.Duration(i)))) {
			w.dialKind = "watcher_dial_cancelled"
			close(w.done)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, kind, err := dial(ctx, d, c.wsURL(w.auction.ID, 0, ""), "watcher_dial")
			if err != nil {
				w.dialKind = kind
				close(w.done)
				return
			}
			w.conn, w.connected = conn, true
			connected.Add(1)
			go w.readLoop(lat.batch(w.srv))
		}()
		if nextLog > 0 && (i+1)%nextLog == 0 {
			log.Printf("watchers: %d/%d dials started, %d connected", i+1, n, connected.Load())
		}
	}
	wg.Wait()
	log.Printf("watchers: %d/%d connected in %s", connected.Load(), n, time.Since(start).Round(time.Millisecond))
	return ws
}

// closeWatchers sends a close frame on every open socket, gives the server
// up to grace to answer, then closes the connections and waits for the
// read loops.
func closeWatchers(ws []*watcher, grace time.Duration) {
	deadline := time.Now().Add(grace)
	var wg sync.WaitGroup
	for _, w := range ws {
		if !w.connected {
			continue
		}
		w.closing.Store(true)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = w.getConn().WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseNormalClosure, "loadgen done"), deadline)
		}()
	}
	wg.Wait()
	for _, w := range ws {
		if !w.connected {
			continue
		}
		select {
		case <-w.done:
		case <-time.After(time.Until(deadline)):
		}
		_ = w.getConn().Close()
	}
	for _, w := range ws {
		<-w.done
	}
}

// awaitDelivery waits, up to limit, until every watcher still connected has
// received the bids up to its auction's final seq (want), so the end of the
// run does not cut off a delivery backlog and then count it as missing. It
// returns how many watchers were still behind when it gave up.
func awaitDelivery(ctx context.Context, ws []*watcher, want map[string]int64, limit time.Duration) int {
	deadline := time.Now().Add(limit)
	for {
		behind := 0
		for _, w := range ws {
			if !w.connected {
				continue
			}
			select {
			case <-w.done:
				continue // ended; the checks report it
			default:
			}
			if w.progress.Load() < want[w.auction.ID] {
				behind++
			}
		}
		if behind == 0 || time.Now().After(deadline) || !sleepCtx(ctx, 50*time.Millisecond) {
			return behind
		}
	}
}
