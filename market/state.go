package market

import "time"

// state is an auction's derived state after the events up to seq.
type state struct {
	seq       int64 // last event seq (bids, then at most one close or cancel)
	bids      int64 // accepted bids
	price     int64
	leader    string
	endsAt    time.Time
	closed    bool
	cancelled bool
	result    *Result
}

func initialState(a *Auction) state {
	return state{price: a.StartPrice, endsAt: a.EndsAt}
}

// apply advances the state by one event from the log.
func (st *state) apply(e *Event) {
	st.seq = e.Seq
	switch e.Type {
	case evBid:
		st.bids = e.Seq
		st.price = e.Amount
		st.leader = e.Bidder
		st.endsAt = e.EndsAt
	case evClose:
		st.closed = true
		st.result = e.Result
	case evCancel:
		st.cancelled = true
		st.result = e.Result
	}
}

// leaderPtr returns the leader as JSON null when there is none.
func (st *state) leaderPtr() *string {
	if st.leader == "" {
		return nil
	}
	l := st.leader
	return &l
}
