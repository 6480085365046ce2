package market_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

func TestBidAndClose(t *testing.T) {
	ts := testserver.Start(t)
	farmer, buyer := ts.Register("farmer"), ts.Register("buyer")
	a := ts.CreateAuction(farmer.Token, testserver.SellAuction(5200*time.Millisecond, nil))
	if !listed(t, ts, "live", a.ID) || listed(t, ts, "closed", a.ID) {
		t.Fatalf("a new auction must be listed as live only")
	}
	r := ts.Do("POST", "/api/v1/auctions/"+a.ID+"/bids", buyer.Token, map[string]any{"amount": 10000})
	if r.Status != http.StatusCreated {
		t.Fatalf("bid: %d %s", r.Status, r.Body)
	}
	testserver.WaitFor(t, 10*time.Second, "close", func() bool { return ts.Get(a.ID).Status == "closed" })
	got := ts.Get(a.ID)
	if got.Result == nil || got.Result.Winner == nil || *got.Result.Winner != buyer.ID || got.Result.Price != 10000 {
		t.Fatalf("result: %+v", got.Result)
	}
	testserver.WaitFor(t, 5*time.Second, "listed as closed", func() bool { return listed(t, ts, "closed", a.ID) })
	if listed(t, ts, "live", a.ID) {
		t.Fatalf("a closed auction is still listed as live")
	}
}

func listed(t *testing.T, ts *testserver.TS, status, id string) bool {
	var page struct{ Items []testserver.Auction }
	ts.Do("GET", "/api/v1/auctions?status="+status, "", nil).Decode(t, &page)
	for _, a := range page.Items {
		if a.ID == id {
			return true
		}
	}
	return false
}
