package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// ackRec is one bid the server acknowledged to us.
type ackRec struct {
	Seq    int64
	Amount int64
	Bidder string
	Via    string
}

type ackStore struct {
	mu        sync.Mutex
	byAuction map[string][]ackRec
}

func (s *ackStore) add(auctionID string, r ackRec) {
	s.mu.Lock()
	s.byAuction[auctionID] = append(s.byAuction[auctionID], r)
	s.mu.Unlock()
}

func (s *ackStore) get(auctionID string) []ackRec {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ackRec(nil), s.byAuction[auctionID]...)
}

// priceState is what one bidder knows of its auction: the standing price at
// the highest seq it has heard of. Waiters are woken on every change.
type priceState struct {
	mu      sync.Mutex
	seq     int64
	price   int64
	changed chan struct{}
}

func newPriceState(price int64) *priceState {
	return &priceState{price: price, changed: make(chan struct{})}
}

func (p *priceState) get() (seq, price int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seq, p.price
}

func (p *priceState) update(seq, price int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if seq <= p.seq || price <= 0 {
		return
	}
	p.seq, p.price = seq, price
	close(p.changed)
	p.changed = make(chan struct{})
}

// waitNewer waits up to d for a seq beyond seq; it reports whether one came.
func (p *priceState) waitNewer(seq int64, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		p.mu.Lock()
		cur, ch := p.seq, p.changed
		p.mu.Unlock()
		if cur > seq {
			return true
		}
		select {
		case <-ch:
		case <-timer.C:
			return false
		}
	}
}

type bidder struct {
	idx        int
	via        string  // "http" or "ws"
	srv        int     // index of the server it bids on
	cl         *client // that server
	acct       account
	auction    auctionInfo
	price      *priceState
	link       *wsLink // ws bidders only
	reconnects int
}

// bidEnv is shared by all bidders of one run.
type bidEnv struct {
	cfg      *config
	dialer   *websocket.Dialer
	ctx      context.Context
	deadline time.Time
	runID    string

	acks    *ackStore
	errs    *Counter
	rejects *Counter
	lat     map[string]*Recorder // "http", "http_accepted", "ws", "ws_accepted"
	// By the server the bid went to: bids sent, accepted, refused; reply
	// latency of all replies and of acks.
	attemptsBy, acceptedBy, rejectedBy []atomic.Int64
	replyBy, ackBy                     []*Recorder

	attempts, accepted, rejected, failed, unresolved atomic.Int64
	wsSockets                                        atomic.Int64
}

func newBidEnv(ctx context.Context, cfg *config, servers int, errs *Counter, runID string) *bidEnv {
	lat := map[string]*Recorder{}
	for _, k := range []string{"http", "http_accepted", "ws", "ws_accepted"} {
		lat[k] = NewRecorder(cfg.maxSamples)
	}
	replyBy, ackBy := make([]*Recorder, servers), make([]*Recorder, servers)
	for i := range ackBy {
		replyBy[i], ackBy[i] = NewRecorder(cfg.maxSamples), NewRecorder(cfg.maxSamples)
	}
	return &bidEnv{
		cfg: cfg, ctx: ctx, runID: runID,
		dialer:     newDialer(cfg.timeout),
		acks:       &ackStore{byAuction: map[string][]ackRec{}},
		errs:       errs,
		rejects:    NewCounter(),
		lat:        lat,
		attemptsBy: make([]atomic.Int64, servers),
		acceptedBy: make([]atomic.Int64, servers),
		rejectedBy: make([]atomic.Int64, servers),
		replyBy:    replyBy,
		ackBy:      ackBy,
	}
}

func (e *bidEnv) active() bool { return e.ctx.Err() == nil && time.Now().Before(e.deadline) }

// pause sleeps d, but never past the end of the bid phase.
func (e *bidEnv) pause(d time.Duration) {
	if left := time.Until(e.deadline); left < d {
		d = left
	}
	sleepCtx(e.ctx, d)
}

func (e *bidEnv) think() {
	if e.cfg.think > 0 {
		e.pause(e.cfg.think)
	}
}

func (e *bidEnv) newRef(b *bidder, n int) string {
	return fmt.Sprintf("lg-%s-%d-%d-%08x", e.runID, b.idx, n, rand.Uint32())
}

func (e *bidEnv) nextAmount(b *bidder) (seq, amount int64) {
	seq, price := b.price.get()
	return seq, price + b.auction.Increment*int64(1+rand.IntN(3))
}

func (e *bidEnv) onAccepted(b *bidder, via string, lat time.Duration, bid bidDTO) {
	e.accepted.Add(1)
	e.acceptedBy[b.srv].Add(1)
	e.ackBy[b.srv].Add(lat)
	e.replyBy[b.srv].Add(lat)
	e.lat[via].Add(lat)
	e.lat[via+"_accepted"].Add(lat)
	if bid.Bidder == "" {
		bid.Bidder = flexID(b.acct.ID)
	} else if string(bid.Bidder) != b.acct.ID {
		e.errs.Inc("ack_bidder_mismatch")
	}
	if bid.Seq <= 0 {
		e.errs.Inc("ack_without_seq")
	}
	e.acks.add(b.auction.ID, ackRec{Seq: bid.Seq, Amount: bid.Amount, Bidder: string(bid.Bidder), Via: via})
}

// onRejected records a refusal; it reports whether the bidder should stop.
func (e *bidEnv) onRejected(b *bidder, via string, lat time.Duration, code string) bool {
	if code == "" {
		code = "unknown"
	}
	e.rejected.Add(1)
	e.rejectedBy[b.srv].Add(1)
	e.replyBy[b.srv].Add(lat)
	e.rejects.Inc(code)
	e.lat[via].Add(lat)
	return code == "not_live" || code == "own_auction"
}

// refreshPrice re-reads the auction over HTTP, from the bidder's server.
func (e *bidEnv) refreshPrice(b *bidder) {
	ctx, cancel := context.WithTimeout(context.Background(), e.cfg.timeout)
	defer cancel()
	a, err := b.cl.getAuction(ctx, b.auction.ID)
	if err != nil {
		e.errs.Inc("http_get_auction")
		return
	}
	b.price.update(a.Seq, a.Price)
}

// ---- HTTP bidding ----

// postBid sends one bid; transport errors and 5xx are retried with the same
// Idempotency-Key (so the outcome of the first send is learnt, never a
// second bid placed). A nil response means the outcome stayed unknown.
func (e *bidEnv) postBid(b *bidder, key string, amount int64) (*response, error) {
	var (
		last    *response
		lastErr error
	)
	tries := 3
	hdr := map[string]string{"Idempotency-Key": key}
	if key == "" {
		// Without a key a resend could place a second bid: one try only,
		// and a failure leaves the outcome unknown.
		tries, hdr = 1, nil
	}
	for attempt := 0; attempt < tries; attempt++ {
		if attempt > 0 {
			e.errs.Inc("http_bid_retry")
			time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
		}
		r, err := b.cl.do(context.Background(), http.MethodPost, auctionPath(b.auction.ID)+"/bids",
			b.acct.Token, map[string]int64{"amount": amount}, hdr)
		if err == nil && r.Status < 500 {
			return r, nil
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				e.errs.Inc("http_bid_timeout")
			} else {
				e.errs.Inc("http_bid_transport")
			}
			lastErr = err
		} else {
			last = r
		}
	}
	if last != nil {
		return last, nil
	}
	return nil, lastErr
}

func (e *bidEnv) runHTTP(b *bidder) {
	for n := 0; n < e.cfg.maxBids && e.active(); n++ {
		seqAt, amount := e.nextAmount(b)
		key := ""
		if !e.cfg.noKeys {
			key = e.newRef(b, n)
		}
		e.attempts.Add(1)
		e.attemptsBy[b.srv].Add(1)
		t0 := time.Now()
		r, err := e.postBid(b, key, amount)
		lat := time.Since(t0)
		if err != nil {
			e.failed.Add(1)
			e.unresolved.Add(1)
			e.pause(100 * time.Millisecond)
			continue
		}
		switch {
		case r.Status == http.StatusCreated || r.Status == http.StatusOK:
			if !e.onHTTPAccepted(b, r, lat) {
				continue
			}
		case r.Status == http.StatusConflict:
			if e.onHTTPConflict(b, r, lat, seqAt) {
				return
			}
		default:
			e.onHTTPFailure(r)
		}
		e.think()
	}
}

// onHTTPAccepted records a 200/201 reply and moves the bidder's price on;
// it reports false (counted as a failed bid of unknown outcome) when the
// body does not hold the bid.
func (e *bidEnv) onHTTPAccepted(b *bidder, r *response, lat time.Duration) bool {
	var ok struct {
		Bid     *bidDTO     `json:"bid"`
		Auction *auctionDTO `json:"auction"`
	}
	if json.Unmarshal(r.Body, &ok) != nil || ok.Bid == nil {
		e.failed.Add(1)
		e.unresolved.Add(1)
		e.errs.Inc("http_bid_bad_body")
		return false
	}
	e.onAccepted(b, "http", lat, *ok.Bid)
	if ok.Auction != nil {
		b.price.update(ok.Auction.Seq, ok.Auction.Price)
	} else {
		b.price.update(ok.Bid.Seq, ok.Bid.Amount)
	}
	return true
}

// onHTTPConflict records a 409 refusal; on outbid it learns the new price
// (from the reply when it is newer than seqAt, else by re-reading the
// auction). It reports whether the bidder should stop.
func (e *bidEnv) onHTTPConflict(b *bidder, r *response, lat time.Duration, seqAt int64) bool {
	code := r.apiError().Code
	if e.onRejected(b, "http", lat, code) {
		return true
	}
	if code == "outbid" {
		if a := r.errAuction(); a != nil && a.Seq > seqAt {
			b.price.update(a.Seq, a.Price)
		} else {
			e.refreshPrice(b)
		}
	}
	return false
}

// onHTTPFailure counts any other reply as an error by status (and code),
// and backs off: as told by Retry-After on 429, briefly otherwise. A 5xx
// leaves the bid's outcome unknown.
func (e *bidEnv) onHTTPFailure(r *response) {
	e.failed.Add(1)
	if r.Status == http.StatusTooManyRequests {
		e.errs.Inc("http_bid_429")
		e.pause(retryAfter(r.Header, 200*time.Millisecond, time.Second))
		return
	}
	kind := fmt.Sprintf("http_bid_%d", r.Status)
	if code := r.apiError().Code; code != "" {
		kind += "_" + code
	}
	e.errs.Inc(kind)
	if r.Status >= 500 {
		e.unresolved.Add(1)
	}
	e.pause(50 * time.Millisecond)
}

// ---- websocket bidding ----

type wsLink struct {
	conn    *websocket.Conn
	dead    chan struct{}
	notLive atomic.Bool
	mu      sync.Mutex
	pending map[string]chan wsMsg
}

func (l *wsLink) forget(ref string) {
	l.mu.Lock()
	delete(l.pending, ref)
	l.mu.Unlock()
}

func (l *wsLink) readLoop(e *bidEnv, ps *priceState) {
	defer close(l.dead)
	for {
		_, data, err := l.conn.ReadMessage()
		if err != nil {
			return
		}
		var m wsMsg
		if json.Unmarshal(data, &m) != nil {
			e.errs.Inc("bidder_ws_bad_json")
			continue
		}
		switch m.Type {
		case "snapshot":
			if m.Auction != nil {
				ps.update(m.Auction.Seq, m.Auction.Price)
			}
		case "bid":
			if m.Bid != nil {
				p := m.Price
				if p == 0 {
					p = m.Bid.Amount
				}
				ps.update(m.Bid.Seq, p)
			}
		case "ack", "reject":
			if m.Type == "ack" && m.Bid != nil {
				ps.update(m.Bid.Seq, m.Bid.Amount)
			}
			l.mu.Lock()
			ch := l.pending[m.Ref]
			delete(l.pending, m.Ref)
			l.mu.Unlock()
			if ch != nil {
				ch <- m // buffered 1, one send per registration
			} else {
				e.errs.Inc("bidder_ws_unmatched_reply")
			}
		case "closed":
			l.notLive.Store(true)
		}
	}
}

// ensureLink returns a live socket for b, redialling (bounded) if needed.
func (e *bidEnv) ensureLink(b *bidder) (*wsLink, error) {
	if b.link != nil {
		select {
		case <-b.link.dead:
			_ = b.link.conn.Close()
			b.link = nil
		default:
			return b.link, nil
		}
	}
	if b.reconnects >= 5 {
		return nil, errors.New("websocket: gave up after 5 dials")
	}
	b.reconnects++
	seq, _ := b.price.get()
	ctx, cancel := context.WithTimeout(context.Background(), e.cfg.timeout)
	defer cancel()
	conn, kind, err := dial(ctx, e.dialer, b.cl.wsURL(b.auction.ID, seq, b.acct.Token), "bidder_ws_dial")
	if err != nil {
		e.errs.Inc(kind)
		return nil, err
	}
	l := &wsLink{conn: conn, dead: make(chan struct{}), pending: map[string]chan wsMsg{}}
	e.wsSockets.Add(1)
	go l.readLoop(e, b.price)
	b.link = l
	return l, nil
}

func (b *bidder) closeLink() {
	if b.link == nil {
		return
	}
	_ = b.link.conn.WriteControl(websocket.CloseMessage,
		websocket.FormatCloseMessage(websocket.CloseNormalClosure, "loadgen done"), time.Now().Add(time.Second))
	select {
	case <-b.link.dead:
	case <-time.After(time.Second):
	}
	_ = b.link.conn.Close()
	<-b.link.dead
	b.link = nil
}

type bidMsg struct {
	Type   string `json:"type"`
	Ref    string `json:"ref"`
	Amount int64  `json:"amount"`
}

// wsBid sends one bid and waits for its ack/reject. On a broken socket or a
// missing reply it resends the same ref (idempotent), a bounded number of
// times; an error means the outcome stayed unknown.
func (e *bidEnv) wsBid(b *bidder, ref string, amount int64) (wsMsg, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			e.errs.Inc("bidder_ws_retry")
		}
		l, err := e.ensureLink(b)
		if err != nil {
			lastErr = err
			time.Sleep(200 * time.Millisecond)
			continue
		}
		ch := make(chan wsMsg, 1)
		l.mu.Lock()
		l.pending[ref] = ch
		l.mu.Unlock()
		_ = l.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if err := l.conn.WriteJSON(bidMsg{Type: "bid", Ref: ref, Amount: amount}); err != nil {
			l.forget(ref)
			e.errs.Inc("bidder_ws_write")
			_ = l.conn.Close() // the read loop ends; ensureLink redials
			lastErr = err
			continue
		}
		timer := time.NewTimer(e.cfg.timeout)
		select {
		case m := <-ch:
			timer.Stop()
			if unknownOutcome(m) && attempt < 2 {
				// The server could not say whether the bid was stored:
				// the same ref again learns the outcome.
				e.errs.Inc("bidder_ws_reject_" + m.Code + "_resent")
				time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
				continue
			}
			return m, nil
		case <-l.dead:
			timer.Stop()
			l.forget(ref)
			select {
			case m := <-ch:
				return m, nil
			default:
			}
			e.errs.Inc("bidder_ws_disconnect")
			lastErr = errors.New("socket closed before reply")
		case <-timer.C:
			l.forget(ref)
			e.errs.Inc("bidder_ws_timeout")
			lastErr = errors.New("no reply within timeout")
		}
	}
	return wsMsg{}, lastErr
}

// unknownOutcome: a reject that says the server could not finish the
// request (database away, contention, restart), like an HTTP 503. The bid
// may or may not be stored.
func unknownOutcome(m wsMsg) bool {
	return m.Type == "reject" && (m.Code == "unavailable" || m.Code == "busy" || m.Code == "shutting_down")
}

func (e *bidEnv) runWS(b *bidder) {
	defer b.closeLink()
	for n := 0; n < e.cfg.maxBids && e.active(); n++ {
		if b.link != nil && b.link.notLive.Load() {
			return
		}
		seqAt, amount := e.nextAmount(b)
		ref := e.newRef(b, n)
		e.attempts.Add(1)
		e.attemptsBy[b.srv].Add(1)
		t0 := time.Now()
		m, err := e.wsBid(b, ref, amount)
		lat := time.Since(t0)
		if err != nil {
			e.failed.Add(1)
			e.unresolved.Add(1)
			e.errs.Inc("bidder_ws_unresolved")
			e.pause(100 * time.Millisecond)
			continue
		}
		switch {
		case m.Type == "ack":
			bid := bidDTO{Seq: m.Seq, Amount: amount, Bidder: flexID(b.acct.ID)}
			if m.Bid != nil {
				bid = *m.Bid
				if bid.Seq == 0 {
					bid.Seq = m.Seq
				}
			}
			e.onAccepted(b, "ws", lat, bid)
		case m.Code == "outbid" || m.Code == "not_live" || m.Code == "own_auction":
			if e.onRejected(b, "ws", lat, m.Code) {
				return
			}
			if m.Code == "outbid" && !b.price.waitNewer(seqAt, 100*time.Millisecond) {
				e.refreshPrice(b)
			}
		default:
			e.failed.Add(1)
			e.errs.Inc("bidder_ws_reject_" + m.Code)
			if unknownOutcome(m) {
				e.unresolved.Add(1)
			}
			e.pause(50 * time.Millisecond)
		}
		e.think()
	}
}

// ---- orchestration ----

// makeBidders spreads the buyers over the auctions and the servers (see
// serverFor); even buyers bid over HTTP and odd ones over websockets when
// -bid-via is mixed.
func makeBidders(cfg *config, buyers []account, auctions []auctionInfo, clients []*client) []*bidder {
	bs := make([]*bidder, len(buyers))
	for i, acct := range buyers {
		via := cfg.bidVia
		if via == "mixed" {
			via = "http"
			if i%2 == 1 {
				via = "ws"
			}
		}
		a := auctions[i%len(auctions)]
		srv := serverFor(i, len(auctions), len(clients))
		bs[i] = &bidder{idx: i, via: via, srv: srv, cl: clients[srv], acct: acct, auction: a, price: newPriceState(a.StartPrice)}
	}
	return bs
}

// connectBidders opens the sockets of the websocket bidders before the bid
// clock starts.
func (e *bidEnv) connectBidders(bs []*bidder) {
	var wg sync.WaitGroup
	for _, b := range bs {
		if b.via != "ws" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.ensureLink(b); err != nil {
				log.Printf("bidder %d: websocket: %v", b.idx, err)
			}
		}()
	}
	wg.Wait()
}

// runBidders runs every bidder until the deadline and returns when all have
// stopped (in-flight bids are allowed to finish).
func (e *bidEnv) runBidders(bs []*bidder) {
	var wg sync.WaitGroup
	for _, b := range bs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if b.via == "ws" {
				e.runWS(b)
			} else {
				e.runHTTP(b)
			}
		}()
	}
	wg.Wait()
}
