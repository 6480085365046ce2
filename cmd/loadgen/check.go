package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// CheckResult is one invariant line of the report.
type CheckResult struct {
	Name   string `json:"name"`
	Status string `json:"status"` // PASS, FAIL, WARN, SKIP
	Detail string `json:"detail"`
}

// storedAuction is what the server holds for one auction after the run.
type storedAuction struct {
	info    auctionInfo
	auction auctionDTO
	bids    []bidDTO
	err     error
	hash    uint64
}

// problems collects failure descriptions, keeping the first few.
type problems struct {
	n     int
	first []string
}

func (p *problems) addf(format string, args ...any) {
	p.n++
	if len(p.first) < 5 {
		p.first = append(p.first, fmt.Sprintf(format, args...))
	}
}

func (p *problems) String() string {
	s := strings.Join(p.first, "; ")
	if p.n > len(p.first) {
		s += fmt.Sprintf("; … %d more", p.n-len(p.first))
	}
	return s
}

func result(name string, p *problems, okDetail string) CheckResult {
	if p.n == 0 {
		return CheckResult{Name: name, Status: "PASS", Detail: okDetail}
	}
	return CheckResult{Name: name, Status: "FAIL", Detail: p.String()}
}

func fetchStored(ctx context.Context, cl *client, auctions []auctionInfo) []storedAuction {
	out := make([]storedAuction, len(auctions))
	for i, a := range auctions {
		s := storedAuction{info: a}
		s.auction, s.err = cl.getAuction(ctx, a.ID)
		if s.err == nil {
			s.bids, s.err = cl.listBids(ctx, a.ID)
		}
		h := newSeqHasher()
		for _, b := range s.bids {
			h.add(b.Seq, b.Amount, string(b.Bidder))
		}
		s.hash = h.sum()
		out[i] = s
	}
	return out
}

// runChecks verifies the invariants of the contract against what the
// server stored, what it acknowledged to us, and what watchers saw.
func runChecks(stored []storedAuction, acks *ackStore, ours map[string]bool, unresolved int64, ws []*watcher) []CheckResult {
	return []CheckResult{
		checkStoredSeq(stored),
		checkAuctionState(stored),
		checkIncrements(stored),
		checkAcks(stored, acks, ours, unresolved),
		checkWatchers(stored, ws),
	}
}

// checkStoredSeq: stored seq contiguous 1..n.
func checkStoredSeq(stored []storedAuction) CheckResult {
	p := &problems{}
	total := 0
	for _, s := range stored {
		if s.err != nil {
			p.addf("auction %s: cannot read: %v", s.info.ID, s.err)
			continue
		}
		total += len(s.bids)
		for i, b := range s.bids {
			if b.Seq != int64(i+1) {
				p.addf("auction %s: item %d has seq %d (want %d)", s.info.ID, i, b.Seq, i+1)
				break
			}
		}
	}
	return result("stored bids have seq 1..n without gap", p,
		fmt.Sprintf("%d stored bids over %d auction(s)", total, len(stored)))
}

// checkAuctionState: the auction object agrees with its last stored bid.
func checkAuctionState(stored []storedAuction) CheckResult {
	p := &problems{}
	for _, s := range stored {
		if s.err != nil {
			p.addf("auction %s: cannot read", s.info.ID)
			continue
		}
		n := int64(len(s.bids))
		if s.auction.Seq != n {
			p.addf("auction %s: seq %d but %d stored bids", s.info.ID, s.auction.Seq, n)
		}
		wantPrice, wantLeader := s.info.StartPrice, ""
		if n > 0 {
			wantPrice, wantLeader = s.bids[n-1].Amount, string(s.bids[n-1].Bidder)
		}
		if s.auction.Price != wantPrice || string(s.auction.Leader) != wantLeader {
			p.addf("auction %s: price/leader %d/%q, last stored bid says %d/%q",
				s.info.ID, s.auction.Price, s.auction.Leader, wantPrice, wantLeader)
		}
	}
	return result("auction seq/price/leader match the last stored bid", p, "all auctions consistent")
}

// checkIncrements: each accepted bid beats the previous one by the increment.
func checkIncrements(stored []storedAuction) CheckResult {
	p := &problems{}
	for _, s := range stored {
		if s.err != nil {
			p.addf("auction %s: cannot read", s.info.ID)
			continue
		}
		prev := int64(-1)
		for _, b := range s.bids {
			switch {
			case prev < 0 && b.Amount < s.info.StartPrice:
				p.addf("auction %s: seq %d amount %d below start price %d", s.info.ID, b.Seq, b.Amount, s.info.StartPrice)
			case prev >= 0 && b.Amount < prev+s.info.Increment:
				p.addf("auction %s: seq %d amount %d < previous %d + increment %d", s.info.ID, b.Seq, b.Amount, prev, s.info.Increment)
			}
			prev = b.Amount
		}
	}
	return result("stored amounts rise by at least the increment", p, "all bids valid")
}

// checkAcks: acknowledgements match stored bids exactly.
func checkAcks(stored []storedAuction, acks *ackStore, ours map[string]bool, unresolved int64) CheckResult {
	const name = "acknowledged bids == stored bids of our bidders"
	p := &problems{}
	var nAcks, nOurs int64
	countDiff := false
	for _, s := range stored {
		list := acks.get(s.info.ID)
		nAcks += int64(len(list))
		if s.err != nil {
			p.addf("auction %s: cannot read: %v", s.info.ID, s.err)
			continue
		}
		var storedOurs int64
		for _, b := range s.bids {
			if ours[string(b.Bidder)] {
				storedOurs++
			}
		}
		nOurs += storedOurs
		seen := make(map[int64]bool, len(list))
		for _, a := range list {
			if seen[a.Seq] {
				p.addf("auction %s: seq %d acknowledged twice", s.info.ID, a.Seq)
				continue
			}
			seen[a.Seq] = true
			if a.Seq < 1 || a.Seq > int64(len(s.bids)) {
				p.addf("auction %s: acked seq %d (%s) not stored", s.info.ID, a.Seq, a.Via)
				continue
			}
			b := s.bids[a.Seq-1]
			if b.Seq != a.Seq || b.Amount != a.Amount || string(b.Bidder) != a.Bidder {
				p.addf("auction %s: acked seq %d amount %d bidder %s, stored seq %d amount %d bidder %s",
					s.info.ID, a.Seq, a.Amount, a.Bidder, b.Seq, b.Amount, b.Bidder)
			}
		}
		if int64(len(list)) != storedOurs {
			countDiff = true
		}
	}
	summary := fmt.Sprintf("%d acks, %d stored bids by our bidders", nAcks, nOurs)
	if unresolved > 0 {
		summary += fmt.Sprintf(", %d bid(s) with unknown outcome", unresolved)
	}
	if p.n > 0 {
		return CheckResult{Name: name, Status: "FAIL", Detail: summary + ": " + p.String()}
	}
	if countDiff {
		// Unacknowledged but stored bids are explainable only by bids whose
		// reply we never got.
		if diff := nOurs - nAcks; diff > 0 && diff <= unresolved {
			return CheckResult{Name: name, Status: "WARN",
				Detail: summary + ": the difference is within the bids whose outcome stayed unknown"}
		}
		return CheckResult{Name: name, Status: "FAIL", Detail: summary + ": counts differ"}
	}
	return CheckResult{Name: name, Status: "PASS", Detail: summary + "; every ack's seq stored, no duplicates"}
}

// checkWatchers: watchers that stayed connected saw exactly the stored
// sequence.
func checkWatchers(stored []storedAuction, ws []*watcher) CheckResult {
	const name = "every watcher that stayed connected saw the stored seq sequence without gaps"
	byID := map[string]*storedAuction{}
	for i := range stored {
		byID[stored[i].info.ID] = &stored[i]
	}
	p := &problems{}
	checked, dropped, resumed := 0, 0, 0
	var resent int64
	bySrv := map[int]int{}
	for _, w := range ws {
		if !w.connected {
			continue
		}
		if w.disconnected {
			dropped++
			continue
		}
		s := byID[w.auction.ID]
		if s == nil || s.err != nil {
			continue
		}
		checked++
		bySrv[w.srv]++
		if w.reconnects > 0 || w.stormReconnects > 0 {
			resumed++
		}
		resent += w.resent
		n := int64(len(s.bids))
		switch {
		case w.gaps > 0 || w.disorder > 0:
			p.addf("watcher %d (server %d): %d seq(s) skipped, %d duplicate/backwards", w.idx, w.srv+1, w.gaps, w.disorder)
		case w.bids != n || (n > 0 && (w.firstSeq != 1 || w.lastSeq != n)):
			p.addf("watcher %d (server %d): saw %d bids (seq %d..%d), stored %d", w.idx, w.srv+1, w.bids, w.firstSeq, w.lastSeq, n)
		case w.hash.sum() != s.hash:
			p.addf("watcher %d (server %d): seq 1..%d but amounts/bidders differ from the stored bids", w.idx, w.srv+1, n)
		}
	}
	if checked == 0 {
		return CheckResult{Name: name, Status: "SKIP", Detail: "no watcher stayed connected"}
	}
	detail := fmt.Sprintf("%d watcher(s) checked", checked)
	if len(bySrv) > 1 || bySrv[0] != checked {
		detail += " (" + perServerCounts(bySrv) + ")"
	}
	if resumed > 0 {
		detail += fmt.Sprintf(" (%d across reconnects with ?since=)", resumed)
	}
	if dropped > 0 {
		detail += fmt.Sprintf(", %d disconnected early (not checked)", dropped)
	}
	if p.n > 0 {
		return CheckResult{Name: name, Status: "FAIL", Detail: detail + ": " + p.String()}
	}
	if resent > 0 {
		// The contract sends only the bids after ?since=; the watchers
		// dropped the repeats, so what they hold is still exact.
		return CheckResult{Name: name, Status: "WARN", Detail: detail + fmt.Sprintf(
			", all identical to the stored sequence once %d bid(s) resent at or below ?since= were dropped", resent)}
	}
	return CheckResult{Name: name, Status: "PASS", Detail: detail + ", all identical to the stored sequence"}
}

// perServerCounts shows counts by server index as "server 1: 10, server 2: 12".
func perServerCounts(m map[int]int) string {
	hi := -1
	for k := range m {
		hi = max(hi, k)
	}
	var parts []string
	for i := 0; i <= hi; i++ {
		parts = append(parts, fmt.Sprintf("server %d: %d", i+1, m[i]))
	}
	return strings.Join(parts, ", ")
}

// checkServersAgree: every other server lists, for every auction, exactly
// the bids the primary lists (same seq, amount and bidder, none missing,
// none extra) and the same auction seq/price/leader.
func checkServersAgree(primary []storedAuction, others [][]storedAuction) CheckResult {
	const name = "every server lists the same bids and auction state as the first"
	p := &problems{}
	for i, other := range others {
		for j, s := range other {
			want := primary[j]
			switch {
			case s.err != nil || want.err != nil:
				p.addf("server %d, auction %s: cannot read: %v", i+2, s.info.ID, errors.Join(s.err, want.err))
			case len(s.bids) != len(want.bids) || s.hash != want.hash:
				p.addf("server %d, auction %s: %d bids, the first server %d (or they differ)", i+2, s.info.ID, len(s.bids), len(want.bids))
			case s.auction.Seq != want.auction.Seq || s.auction.Price != want.auction.Price || s.auction.Leader != want.auction.Leader:
				p.addf("server %d, auction %s: seq/price/leader %d/%d/%q, the first server %d/%d/%q", i+2, s.info.ID,
					s.auction.Seq, s.auction.Price, s.auction.Leader, want.auction.Seq, want.auction.Price, want.auction.Leader)
			}
		}
	}
	return result(name, p, fmt.Sprintf("%d other server(s) × %d auction(s) identical", len(others), len(primary)))
}
