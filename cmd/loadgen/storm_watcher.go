package main

import (
	"fmt"
	"math/rand/v2"
	"net"
	"time"

	"github.com/gorilla/websocket"
)

// How a storm cuts a socket. None sends a websocket close frame: the point
// is a client that vanishes, as a phone losing signal does.
const (
	// dropRST resets the TCP connection (SO_LINGER 0): the server's next
	// read fails at once.
	dropRST = "rst"
	// dropFIN closes it normally at the TCP level: the server reads EOF.
	dropFIN = "fin"
	// dropSilent stops reading and leaves the socket open until the end of
	// the run: the server learns nothing and keeps writing to it until its
	// own read timeout (no pongs come back) — closest to a lost signal,
	// and the server holds the old and the new socket meanwhile.
	dropSilent = "silent"
)

// stormDialAttempts bounds the dials of one storm reconnect; a phone would
// retry too, after a short pause.
const stormDialAttempts = 3

// stormDrop cuts w's socket for round rnd the way mode says. It reports
// false when w has no socket to cut: it never connected, its read loop has
// ended, the run is closing, or an earlier storm's drop is still unnoticed.
func (w *watcher) stormDrop(rnd *stormRound, mode string) bool {
	if !w.connected {
		return false
	}
	w.mu.Lock()
	if w.ended || w.closing.Load() || w.conn == nil || w.stormRnd != nil {
		w.mu.Unlock()
		return false
	}
	conn := w.conn
	w.stormConn, w.stormRnd = conn, rnd
	if mode == dropSilent {
		w.zombies = append(w.zombies, conn)
	}
	// Counted before the cut, so the reconnect is never reported first.
	rnd.drop(w.progress.Load() < rnd.target(w.auction.ID))
	w.mu.Unlock()
	cutSocket(conn, mode)
	return true
}

// cutSocket ends conn without a close frame; the read loop then fails on
// it and, seeing the socket is the one the storm dropped, reconnects.
func cutSocket(conn *websocket.Conn, mode string) {
	switch mode {
	case dropSilent:
		// The descriptor stays open; only our reader is woken.
		_ = conn.NetConn().SetReadDeadline(time.Now())
	case dropRST:
		if tc, ok := conn.NetConn().(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		_ = conn.Close()
	default:
		_ = conn.Close()
	}
}

// takeStormDrop returns the round that dropped conn, if a storm did, and
// forgets the drop: the read loop is now handling it.
func (w *watcher) takeStormDrop(conn *websocket.Conn) *stormRound {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stormRnd == nil || w.stormConn != conn {
		return nil
	}
	rnd := w.stormRnd
	w.stormConn, w.stormRnd = nil, nil
	return rnd
}

// stormReconnect opens a new socket after a storm drop, once every socket
// is dropped, resuming with ?since=<last seq seen>, retrying a failed dial
// after a short jittered pause. It reports whether reading can go on.
func (w *watcher) stormReconnect(rnd *stormRound) bool {
	var (
		conn *websocket.Conn
		kind string
		err  error
	)
	<-rnd.released
	attempt := 1
	for ; ; attempt++ {
		conn, kind, err = w.redial(w.lastSeq)
		if err == nil {
			break
		}
		rnd.dialFailed(kind)
		if attempt == stormDialAttempts || w.closing.Load() {
			break
		}
		// 100 ms, then 200 ms, ±50 %: spread the retries a little, as
		// real clients' backoff would.
		time.Sleep(time.Duration(float64(100*time.Millisecond<<(attempt-1)) * (0.5 + rand.Float64())))
	}
	if err != nil {
		w.disconnectKind = "storm_" + kind
		w.disconnectErr = fmt.Sprintf("storm %d: reconnect failed after %d dial(s): %v", rnd.n, attempt, err)
		rnd.fail(fmt.Sprintf("watcher %d: %s", w.idx, w.disconnectErr))
		return false
	}
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.conn = conn
	w.since, w.sockRnd = w.lastSeq, rnd
	if w.closing.Load() { // the run ended meanwhile; closeWatchers may have the old conn
		_ = conn.Close()
		return false
	}
	w.stormReconnects++
	w.startCatchUp(rnd, now, attempt > 1)
	return true
}

// adoptStormLocked is called (under w.mu) by reconnect after it replaced
// old, for the case of a storm that dropped a socket which was already
// being replaced (the server had closed it): the new socket is then this
// watcher's way back from the storm.
func (w *watcher) adoptStormLocked(old *websocket.Conn, now time.Time) {
	if w.stormRnd == nil || w.stormConn != old {
		return
	}
	rnd := w.stormRnd
	w.stormConn, w.stormRnd = nil, nil
	w.sockRnd = rnd
	w.stormReconnects++
	w.startCatchUp(rnd, now, false)
}

// startCatchUp records the reconnect and starts following the catch-up.
// A catch-up of an earlier storm still open is simply replaced: that round
// has passed its limit and counts the watcher as not caught up.
func (w *watcher) startCatchUp(rnd *stormRound, now time.Time, retried bool) {
	rnd.reconnectedAt(now, retried)
	w.catch = &catchUp{start: rnd.at, target: rnd.target(w.auction.ID)}
	w.catchRnd = rnd
}

// observeCatchUp feeds a snapshot or a bid to the open catch-up, if any.
func (w *watcher) observeCatchUp(snapshot bool, now time.Time) {
	if w.catch == nil {
		return
	}
	if w.catch.observe(snapshot, w.lastSeq) {
		w.catchRnd.caughtUpAt(now)
		w.catch, w.catchRnd = nil, nil
	}
}

// endStorms runs when the read loop ends: a drop not yet noticed, or a
// catch-up not finished, will never complete.
func (w *watcher) endStorms() {
	w.mu.Lock()
	w.ended = true
	rnd := w.stormRnd
	w.stormConn, w.stormRnd = nil, nil
	w.mu.Unlock()
	why := w.disconnectKind
	if why == "" {
		why = "run closing"
	}
	if rnd != nil {
		rnd.fail(fmt.Sprintf("watcher %d: socket ended before the storm's drop was noticed (%s)", w.idx, why))
	}
	if w.catch != nil {
		w.catchRnd.lose(fmt.Sprintf("watcher %d: socket ended before catching up (%s)", w.idx, why))
		w.catch, w.catchRnd = nil, nil
	}
}

// closeZombies closes the sockets -storm-drop silent left open.
func closeZombies(ws []*watcher) int {
	n := 0
	for _, w := range ws {
		w.mu.Lock()
		zs := w.zombies
		w.zombies = nil
		w.mu.Unlock()
		for _, c := range zs {
			_ = c.Close()
			n++
		}
	}
	return n
}
