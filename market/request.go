package market

import (
	"context"
	"net/http"
	"time"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// Refusal codes shared by HTTP and the socket.
var (
	errOutbid  = func(m string) *httpx.Error { return httpx.Errorf(http.StatusConflict, "outbid", "%s", m) }
	errNotLive = httpx.Errorf(http.StatusConflict, "not_live", "the auction is not open for bids")
	errOwn     = httpx.Errorf(http.StatusConflict, "own_auction", "you cannot bid on your own auction")
	errHasBids = httpx.Errorf(http.StatusConflict, "has_bids", "an auction with bids cannot be cancelled")
	errBusy    = &httpx.Error{Status: http.StatusServiceUnavailable, Code: "busy", Message: "the auction is very busy; try again", RetryAfter: 1}
	errStopped = &httpx.Error{Status: http.StatusServiceUnavailable, Code: "shutting_down", Message: "the server is restarting; try again", RetryAfter: 1}
)

type reqKind int

const (
	reqBid reqKind = iota
	reqProxy
	reqCancel
)

// request is one thing asked of an auction's runner.
type request struct {
	kind   reqKind
	user   string
	amount int64  // bid amount, or proxy maximum
	key    string // client idempotency key ("" for none)
	done   chan outcome
}

// outcome is the runner's answer. For bids, ev is the accepted bid (possibly
// an earlier one, when the key was seen before) and st the state after it.
type outcome struct {
	ev  *Event
	st  state
	err error
}

func newRequest(kind reqKind, user string, amount int64, key string) *request {
	return &request{kind: kind, user: user, amount: amount, key: key, done: make(chan outcome, 1)}
}

func (q *request) idem() string {
	if q.key == "" {
		return ""
	}
	return q.user + "|" + q.key
}

func (q *request) reply(o outcome) { q.done <- o }

// submit hands q to the runner and waits for its answer. A request that
// cannot be queued within a short while is refused as busy rather than
// piling up behind a stuck store.
func (r *runner) submit(ctx context.Context, q *request) outcome {
	t := time.NewTimer(2 * time.Second)
	defer t.Stop()
	select {
	case r.reqs <- q:
	case <-r.stopped:
		return outcome{err: errStopped}
	case <-t.C:
		return outcome{err: errBusy}
	case <-ctx.Done():
		return outcome{err: errBusy}
	}
	// Once queued, wait for the answer even if the client has gone: the
	// runner always answers, and the answer may be an acknowledged bid.
	return <-q.done
}
