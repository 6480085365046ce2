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
	r := ts.Do("POST", "/api/v1/auctions/"+a.ID+"/bids", buyer.Token, map[string]any{"amount": 10000})
	if r.Status != http.StatusCreated {
		t.Fatalf("bid: %d %s", r.Status, r.Body)
	}
	testserver.WaitFor(t, 10*time.Second, "close", func() bool { return ts.Get(a.ID).Status == "closed" })
	got := ts.Get(a.ID)
	if got.Result == nil || got.Result.Winner == nil || *got.Result.Winner != buyer.ID || got.Result.Price != 10000 {
		t.Fatalf("result: %+v", got.Result)
	}
}
