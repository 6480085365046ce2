package market

import (
	"encoding/json"
	"time"

	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Socket messages, server to client. Each carries serverTime so a phone can
// count down correctly whatever its own clock says.
type (
	msgSnapshot struct {
		Type       string    `json:"type"`
		ServerTime time.Time `json:"serverTime"`
		Auction    *View     `json:"auction"`
	}
	msgBid struct {
		Type       string    `json:"type"`
		ServerTime time.Time `json:"serverTime"`
		Bid        Bid       `json:"bid"`
		Price      int64     `json:"price"`
		Leader     *string   `json:"leader"`
		EndsAt     time.Time `json:"endsAt"`
	}
	msgClosed struct {
		Type       string    `json:"type"`
		ServerTime time.Time `json:"serverTime"`
		Result     *Result   `json:"result"`
	}
	msgAck struct {
		Type       string    `json:"type"`
		ServerTime time.Time `json:"serverTime"`
		Ref        string    `json:"ref"`
		Seq        int64     `json:"seq"`
		Bid        Bid       `json:"bid"`
	}
	msgReject struct {
		Type       string    `json:"type"`
		ServerTime time.Time `json:"serverTime"`
		Ref        string    `json:"ref,omitempty"`
		Code       string    `json:"code"`
		Message    string    `json:"message"`
	}
	msgHeartbeat struct {
		Type       string    `json:"type"`
		ServerTime time.Time `json:"serverTime"`
	}
)

func now() time.Time { return tz.In(time.Now()) }

func bidOf(ev *Event) Bid {
	return Bid{Seq: ev.Seq, Amount: ev.Amount, Bidder: ev.Bidder, At: tz.In(ev.At), Proxy: ev.Proxy}
}

// encodeEvent renders a log entry as its socket message. A bid's entry
// holds the state right after it, so live and replayed messages agree.
func encodeEvent(ev *Event) []byte {
	if ev.Type != evBid {
		return mustJSON(msgClosed{Type: "closed", ServerTime: now(), Result: ev.Result})
	}
	leader := ev.Bidder
	return mustJSON(msgBid{Type: "bid", ServerTime: now(), Bid: bidOf(ev), Price: ev.Amount, Leader: &leader, EndsAt: tz.In(ev.EndsAt)})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own plain structs are encoded here
	}
	return b
}
