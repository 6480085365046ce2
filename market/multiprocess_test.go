package market_test

// Two server instances on one database, as two processes behind a load
// balancer: each runs its own runner for an auction, the unique insert of
// each log entry arbitrates between them, and each learns of the other's
// events by reading the log (every 100 ms in tests). Helpers (rc…)
// are in race_test.go.

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// TestTwoInstancesOneAuction: bidders over HTTP and sockets split across two
// instances bid on one auction; watchers on both.
func TestTwoInstancesOneAuction(t *testing.T) {
	ts1 := testserver.Start(t)
	ts2 := testserver.Start(t, testserver.SharingDB(ts1))
	rcRun(t, rcPlan{servers: []*testserver.TS{ts1, ts2}, httpBidders: 12, wsBidders: 8, watchers: 10,
		endIn: 8 * time.Second, bidFor: 4 * time.Second})
}

// TestTwoInstancesCloseOnce: several auctions end at the same moment while
// both instances are alive and bids race the close from both sides; each
// closes exactly once, both instances agree on the result, and each one
// with a winner has exactly one order.
func TestTwoInstancesCloseOnce(t *testing.T) {
	started := time.Now()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	ts1 := testserver.Start(t)
	ts2 := testserver.Start(t, testserver.SharingDB(ts1))
	servers := []*testserver.TS{ts1, ts2}
	farmer := ts1.Register("farmer")
	tokens := map[string]string{}

	// a0, a1: no bids; a2..a5: two bidders each (one per instance) until
	// just after the end. Even auctions are watched on both instances, odd
	// ones nowhere (their runners come from bids and the sweepers).
	const nAuctions = 6
	type auc struct {
		id       string
		env      *rcEnv
		buyers   []testserver.User
		watchers []*rcWatcher
	}
	aucs := make([]*auc, nAuctions)
	for k := range aucs {
		aucs[k] = &auc{}
		if k >= 2 {
			for j := range 2 {
				u := servers[j].Register("buyer")
				tokens[u.ID] = u.Token
				aucs[k].buyers = append(aucs[k].buyers, u)
			}
		}
	}
	endsAt := time.Now().Add(6 * time.Second).Truncate(time.Millisecond)
	for k, x := range aucs {
		a := ts1.CreateAuction(farmer.Token, testserver.SellAuction(0, map[string]any{
			"increment": rcInc, "startPrice": rcStartPrice, "extendSeconds": 0,
			"endsAt": endsAt.Format(time.RFC3339Nano), "title": fmt.Sprintf("同时结束 %d", k)}))
		x.id, x.env = a.ID, rcNewEnv(t, a.ID, ts1, ts2)
		x.env.pause = func(rng *rand.Rand) time.Duration { return time.Duration(10+rng.IntN(60)) * time.Millisecond }
	}

	var ready, wwg, bwg sync.WaitGroup
	for k, x := range aucs {
		if k%2 != 0 {
			continue
		}
		for i, srv := range servers {
			w := &rcWatcher{name: fmt.Sprintf("a%d/w@%d", k, i), srv: srv, id: x.id}
			x.watchers = append(x.watchers, w)
			ready.Add(1)
			wwg.Add(1)
			go func() {
				defer wwg.Done()
				w.run(endsAt.Add(20*time.Second), x.env.known, sync.OnceFunc(ready.Done))
			}()
		}
	}
	ready.Wait()
	stopAt := endsAt.Add(400 * time.Millisecond)
	for _, x := range aucs {
		for i, u := range x.buyers {
			bwg.Add(1)
			go func() {
				defer bwg.Done()
				x.env.httpBidder(i, u, stopAt, seed)
			}()
		}
	}
	bwg.Wait()
	wwg.Wait()

	for k, x := range aucs {
		t.Run(fmt.Sprintf("a%d", k), func(t *testing.T) {
			stored, err := rcStoredBids(ts1, x.id)
			if err != nil {
				t.Fatalf("stored bids: %v", err)
			}
			if other, err := rcStoredBids(ts2, x.id); err != nil || rcDiffBids(stored, other) != "" {
				t.Errorf("instance 1 lists other bids than instance 0: %v %s", err, rcDiffBids(stored, other))
				t.Logf("bidders on this auction: %s (on instance 0), %s (on instance 1)", rcShort(x.buyers[0].ID), rcShort(x.buyers[1].ID))
				rcDumpLog(t, ts1, x.id)
			}
			if len(x.buyers) > 0 && len(stored) == 0 {
				t.Errorf("no bid stored")
			}
			rcCheckLog(t, stored)
			rcCheckLedger(t, x.env.led, stored)
			res := rcCheckClosed(t, servers, x.id, stored, farmer, tokens)
			rcCheckWatchers(t, x.watchers, stored, res)
			if len(stored) > 0 {
				last := stored[len(stored)-1]
				if !last.At.Before(endsAt) {
					t.Errorf("last stored bid %s accepted at %v, not before the end %v", last, last.At, endsAt)
				}
				notLive := 0
				for _, a := range x.env.led.attempts {
					if a.Out == rcRefused && a.Code == "not_live" {
						notLive++
					}
				}
				t.Logf("last bid %v before the end; %d bids refused as not_live after it", endsAt.Sub(last.At).Round(time.Millisecond), notLive)
			}
		})
	}
	t.Logf("whole test %v", time.Since(started).Round(time.Millisecond))
}

// TestTwoInstancesKeyReplay: a client whose response was lost retries the
// same Idempotency-Key on the other instance (a load balancer may send it
// anywhere). The contract: the same key returns the first request's
// response, status and body, and never places a second bid.
func TestTwoInstancesKeyReplay(t *testing.T) {
	ts1 := testserver.Start(t)
	ts2 := testserver.Start(t, testserver.SharingDB(ts1))
	farmer := ts1.Register("farmer")
	b1, b2 := ts1.Register("buyer"), ts1.Register("buyer")
	a := ts1.CreateAuction(farmer.Token, testserver.SellAuction(30*time.Second, map[string]any{"increment": rcInc, "startPrice": rcStartPrice, "extendSeconds": 0}))
	e := rcNewEnv(t, a.ID, ts1, ts2)
	// Both instances have the auction loaded, as when people watch it on both.
	for _, srv := range []*testserver.TS{ts1, ts2} {
		if _, err := rcGet(srv, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	post := func(srv int, u testserver.User, key string, amount int64) (int, []byte) {
		t.Helper()
		status, body, err := e.postBid(srv, u.Token, key, amount)
		if err != nil {
			t.Fatalf("bid: %v", err)
		}
		return status, body
	}
	same := func(what string, s1 int, b1 []byte, s2 int, b2 []byte) {
		t.Helper()
		if s1 != s2 || !bytes.Equal(b1, b2) {
			t.Errorf("%s:\n  first answer %d %s\n  now          %d %s", what, s1, b1, s2, b2)
		}
	}

	// An accepted key, retried on the other instance at once (before it
	// has polled the log) and after it has.
	s, b := post(0, b1, "k-accepted", 10000)
	if s != http.StatusCreated {
		t.Fatalf("first bid: %d %s", s, b)
	}
	s2, b2b := post(1, b1, "k-accepted", 10000)
	same("accepted key retried at once on the other instance", s, b, s2, b2b)
	time.Sleep(300 * time.Millisecond)
	s2, b2b = post(1, b1, "k-accepted", 10000)
	same("accepted key retried on the other instance after a poll", s, b, s2, b2b)

	// A refused key (10000 no longer beats the standing 10000), retried on
	// the other instance with an amount that would now be valid, as a
	// client may do. The first answer was a refusal: so must every later one
	// be, on either instance, and no bid may be placed with this key.
	rs, rb := post(0, b2, "k-refused", 10000)
	if rs != http.StatusConflict {
		t.Fatalf("refused bid: %d %s", rs, rb)
	}
	s2, b2b = post(1, b2, "k-refused", 10100)
	same("refused key retried on the other instance with a good amount", rs, rb, s2, b2b)
	time.Sleep(300 * time.Millisecond)
	s2, b2b = post(0, b2, "k-refused", 10100)
	same("refused key retried again on the first instance", rs, rb, s2, b2b)

	stored, err := rcStoredBids(ts1, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || stored[0].Bidder != b1.ID || stored[0].Amount != 10000 {
		t.Errorf("stored bids %v, want only #1 10000 by %s (the refused key must not have placed a bid)", stored, rcShort(b1.ID))
	}
}
