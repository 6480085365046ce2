package market

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	fws "github.com/fasthttp/websocket"
	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

const (
	maxFrame     = 4 << 10
	readTimeout  = 60 * time.Second
	writeTimeout = 10 * time.Second
)

// Close codes sent to watchers.
const (
	closeSlow     = 1013 // try again later: the watcher fell behind; resume with ?since=
	closeShutdown = websocket.CloseGoingAway
)

// WSRoutes mounts the live stream: GET /ws/auctions/{id}?since=&token=.
func (s *Service) WSRoutes(app fiber.Router) {
	pool := &sync.Pool{} // write buffers only while writing: memory per idle socket stays small
	app.Get("/ws/auctions/:id", s.wsPrecheck, websocket.New(s.serveWS, websocket.Config{
		ReadBufferSize: 1024, WriteBufferSize: 4096, WriteBufferPool: pool,
		HandshakeTimeout: 10 * time.Second,
	}))
}

// wsPrecheck answers plain HTTP errors before the upgrade: unknown auction,
// bad token, bad since.
func (s *Service) wsPrecheck(c *fiber.Ctx) error {
	if !websocket.IsWebSocketUpgrade(c) {
		return httpx.Errorf(fiber.StatusUpgradeRequired, "upgrade_required", "this is a websocket endpoint")
	}
	if s.socketsClosed() {
		return errStopped
	}
	r, err := s.runnerFor(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	since := int64(-1)
	if v := c.Query("since"); v != "" {
		if since, err = strconv.ParseInt(v, 10, 64); err != nil || since < 0 {
			return httpx.Invalid(map[string]string{"since": "must be a non-negative integer"})
		}
	}
	if tok := c.Query("token"); tok != "" {
		u, err := s.accounts.Authenticate(c.UserContext(), tok)
		if err != nil {
			return err
		}
		c.Locals("user", u)
	}
	c.Locals("runner", r)
	c.Locals("since", since)
	return c.Next()
}

// socket is one watcher's connection: the handler goroutine reads, one
// writer goroutine writes everything.
type socket struct {
	svc   *Service
	conn  *websocket.Conn
	r     *runner
	user  *farmers.User
	sub   *subscriber
	since int64
	// readEnded: the client closed or broke the protocol; the library has
	// already answered with a close frame, so we send none of our own.
	readEnded atomic.Bool
	st        state
}

func (s *Service) serveWS(conn *websocket.Conn) {
	k := &socket{svc: s, conn: conn, sub: newSubscriber()}
	k.r = conn.Locals("runner").(*runner)
	k.since = conn.Locals("since").(int64)
	k.user, _ = conn.Locals("user").(*farmers.User)
	k.st = k.r.hub.subscribe(k.sub)
	defer k.r.hub.unsubscribe(k.sub)
	if k.since < 0 {
		k.since = k.st.bids // no ?since: snapshot, then live
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		k.write()
	}()
	k.read()
	k.readEnded.Store(true)
	k.sub.cut()
	<-done
}

// write sends the snapshot, the replay, then live events and heartbeats,
// until the subscriber is cut or a write fails.
func (k *socket) write() {
	defer k.conn.Close()
	hb := time.NewTicker(k.svc.cfg.Heartbeat)
	defer hb.Stop()
	if !k.send(mustJSON(msgSnapshot{Type: "snapshot", ServerTime: now(), Auction: k.r.a.view(&k.st, k.userID())})) || !k.replay() {
		return
	}
	for {
		select {
		case msg := <-k.sub.ch:
			if !k.sendPrepared(msg) {
				return
			}
		case <-hb.C:
			if !k.send(mustJSON(msgHeartbeat{Type: "heartbeat", ServerTime: now()})) {
				return
			}
			_ = k.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeTimeout))
		case <-k.sub.kill:
			k.goodbye()
			return
		}
	}
}

// goodbye drains what is queued (acks, last events), then closes with a code
// saying why.
func (k *socket) goodbye() {
	if k.readEnded.Load() {
		return
	}
	code, text := closeShutdown, "server restarting"
	if k.svc.socketsClosed() {
		for {
			select {
			case msg := <-k.sub.ch:
				if !k.sendPrepared(msg) {
					return
				}
				continue
			default:
			}
			break
		}
	} else {
		code, text = closeSlow, "too slow; reconnect with since"
	}
	_ = k.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
}

// replay sends the entries after since up to the subscription point, then
// the close if the auction had closed by then.
func (k *socket) replay() bool {
	for _, ev := range k.r.hub.entries(k.since, k.sub.from, 0, false) {
		if !k.send(encodeEvent(ev)) {
			return false
		}
	}
	if (k.st.closed || k.st.cancelled) && k.since >= k.st.seq {
		return k.send(mustJSON(msgClosed{Type: "closed", ServerTime: now(), Result: k.st.result}))
	}
	return true
}

func (k *socket) send(msg []byte) bool {
	_ = k.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	return k.conn.WriteMessage(websocket.TextMessage, msg) == nil
}

func (k *socket) sendPrepared(msg *fws.PreparedMessage) bool {
	_ = k.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	return k.conn.WritePreparedMessage(msg) == nil
}

func (k *socket) userID() string {
	if k.user == nil {
		return ""
	}
	return k.user.ID
}

// read handles client frames until the socket fails or closes. Frames over
// 4 KiB close it with 1009 (the websocket library sends that code).
func (k *socket) read() {
	k.conn.SetReadLimit(maxFrame)
	_ = k.conn.SetReadDeadline(time.Now().Add(readTimeout))
	k.conn.SetPongHandler(func(string) error {
		return k.conn.SetReadDeadline(time.Now().Add(readTimeout))
	})
	for {
		_, data, err := k.conn.ReadMessage()
		if err != nil {
			return
		}
		_ = k.conn.SetReadDeadline(time.Now().Add(readTimeout))
		if !k.sub.send(prepared(k.answer(data))) {
			return
		}
	}
}

// clientMsg is read field by field, so that a frame with one bad field
// still yields its ref for the reject.
type clientMsg struct {
	Type, Ref string
	Amount    json.RawMessage
}

func parseClientMsg(data []byte) (clientMsg, bool) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return clientMsg{}, false
	}
	var m clientMsg
	okType := json.Unmarshal(raw["type"], &m.Type) == nil
	_ = json.Unmarshal(raw["ref"], &m.Ref)
	m.Amount = raw["amount"]
	return m, okType
}

// answer turns one client frame into its ack or reject.
func (k *socket) answer(data []byte) []byte {
	m, ok := parseClientMsg(data)
	if !ok && m.Ref == "" {
		return reject("", "bad_message", "a message must be a JSON object with a type")
	}
	amount, err := strconv.ParseInt(string(m.Amount), 10, 64)
	switch {
	case m.Type != "bid":
		return reject(m.Ref, "bad_message", `only {"type":"bid"} messages are accepted`)
	case len(m.Ref) > maxKeyLen:
		return reject("", "bad_message", "ref must be at most 128 characters")
	case err != nil || amount < 1:
		return reject(m.Ref, "bad_message", "amount must be a positive whole number of fen")
	case k.user == nil:
		return reject(m.Ref, "unauthorized", "bidding needs ?token= on the socket URL")
	}
	_, out := k.svc.placeBid(context.Background(), k.user, k.r.a.ID, amount, m.Ref)
	if out.err != nil {
		e := httpx.AsError(out.err)
		return reject(m.Ref, e.Code, e.Message)
	}
	return mustJSON(msgAck{Type: "ack", ServerTime: now(), Ref: m.Ref, Seq: out.ev.Seq, Bid: bidOf(out.ev)})
}

func reject(ref, code, msg string) []byte {
	return mustJSON(msgReject{Type: "reject", ServerTime: now(), Ref: ref, Code: code, Message: msg})
}
