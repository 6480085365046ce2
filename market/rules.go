package market

import "time"

// step returns the increment that applies at price p.
func (a *Auction) step(p int64) int64 {
	s := a.Increment
	for _, b := range a.IncrementTable {
		if p >= b.From {
			s = b.Step
		}
	}
	return s
}

// better reports whether amount x beats y in this auction's direction.
func (a *Auction) better(x, y int64) bool {
	if a.Kind == KindBuy {
		return x < y
	}
	return x > y
}

// minNext is the least good amount a new bid may have, given the state:
// startPrice for the first bid, else price ± step(price).
func (a *Auction) minNext(st *state) int64 {
	if st.bids == 0 {
		return a.StartPrice
	}
	if a.Kind == KindBuy {
		return st.price - a.step(st.price)
	}
	return st.price + a.step(st.price)
}

// acceptable reports whether amount is at least as good as minNext.
func (a *Auction) acceptable(st *state, amount int64) bool {
	if amount <= 0 {
		return false
	}
	m := a.minNext(st)
	return amount == m || a.better(amount, m)
}

// reachesBuyNow reports whether amount ends the auction at once.
func (a *Auction) reachesBuyNow(amount int64) bool {
	if a.BuyNowPrice == nil {
		return false
	}
	return amount == *a.BuyNowPrice || a.better(amount, *a.BuyNowPrice)
}

// reserveMet reports whether the standing price meets the hidden reserve.
func (a *Auction) reserveMet(st *state) bool {
	if st.bids == 0 {
		return false
	}
	if a.ReservePrice == nil {
		return true
	}
	return st.price == *a.ReservePrice || a.better(st.price, *a.ReservePrice)
}

// extended returns the end time after a bid accepted at t (soft close).
func (a *Auction) extended(endsAt, t time.Time) time.Time {
	ext := time.Duration(a.ExtendSeconds) * time.Second
	if ext > 0 && endsAt.Sub(t) < ext {
		return t.Add(ext)
	}
	return endsAt
}

// statusAt derives the client-facing status.
func (a *Auction) statusAt(st *state, now time.Time) string {
	switch {
	case st.cancelled:
		return StatusCancelled
	case st.closed:
		return StatusClosed
	case now.Before(a.StartsAt):
		return StatusScheduled
	}
	return StatusLive
}

// biddable reports whether bids may be accepted at now.
func (a *Auction) biddable(st *state, now time.Time) bool {
	return !st.closed && !st.cancelled && !now.Before(a.StartsAt) && now.Before(st.endsAt)
}

// direction words the refusal message.
func (a *Auction) direction() string {
	if a.Kind == KindBuy {
		return "at most"
	}
	return "at least"
}
