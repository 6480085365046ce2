package market

import (
	"sync"

	"github.com/fasthttp/websocket"
)

// hub fans an auction's events out to the sockets watching it in this
// process. publish never blocks: a watcher whose queue is full is cut off
// (it will come back with ?since=), so one slow phone never slows the rest.
type hub struct {
	mu   sync.Mutex
	subs map[*subscriber]struct{}
	snap state    // the state as of the last event published
	log  []*Event // every entry so far, in seq order: replays and lists read it
	pics []string // photo ids, in upload order
}

// subscriber is one socket's queue of encoded messages.
type subscriber struct {
	ch   chan *websocket.PreparedMessage
	kill chan struct{}
	once sync.Once
	from int64 // events after this seq come through ch
}

const subscriberQueue = 256

func newSubscriber() *subscriber {
	return &subscriber{ch: make(chan *websocket.PreparedMessage, subscriberQueue), kill: make(chan struct{})}
}

// cut tells the socket's writer to close the connection.
func (s *subscriber) cut() { s.once.Do(func() { close(s.kill) }) }

// send queues msg, or cuts the subscriber off when its queue is full.
func (s *subscriber) send(msg *websocket.PreparedMessage) bool {
	select {
	case s.ch <- msg:
		return true
	default:
		s.cut()
		return false
	}
}

// subscribe registers sub and returns the state its snapshot shows; every
// later event reaches sub's queue, none before, none twice.
func (h *hub) subscribe(sub *subscriber) state {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = make(map[*subscriber]struct{})
	}
	h.subs[sub] = struct{}{}
	sub.from = h.snap.seq
	return h.snap
}

func (h *hub) unsubscribe(sub *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, sub)
}

func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

func (h *hub) setState(st state) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.snap = st
}

// publish records the runner's new state and queues ev's message to all.
func (h *hub) publish(r *runner, ev *Event) {
	// Framed once for every watcher: the fan-out is the hot path.
	msg := prepared(encodeEvent(ev))
	h.mu.Lock()
	defer h.mu.Unlock()
	h.snap = r.st
	h.log = append(h.log, ev)
	for sub := range h.subs {
		if !sub.send(msg) {
			delete(h.subs, sub)
		}
	}
}

// closeAll cuts every watcher (at shutdown).
func (h *hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs {
		sub.cut()
		delete(h.subs, sub)
	}
}

// state is the auction's state as of the last published event.
func (h *hub) state() state {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.snap
}

// entries returns the log entries with after < seq <= upto (bids only when
// bidsOnly), at most limit of them (0: no limit).
func (h *hub) entries(after, upto int64, limit int, bidsOnly bool) []*Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*Event
	for i := max(after, 0); i < min(upto, int64(len(h.log))); i++ {
		ev := h.log[i]
		if bidsOnly && ev.Type != evBid {
			break // a close or cancel is always last
		}
		out = append(out, ev)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out
}

func (h *hub) addPhoto(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pics = append(h.pics, id)
}

func (h *hub) photoIDs() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.pics...)
}

// prepared wraps an encoded text message for a subscriber's queue.
func prepared(b []byte) *websocket.PreparedMessage {
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, b)
	if err != nil {
		panic(err) // fails only for an invalid message type
	}
	return pm
}
