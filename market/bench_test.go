package market_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/internal/testserver"
)

// The bid path against the raw store, in one run on one embedded database:
//
//	go test -run '^$' -bench . -benchmem ./market/
//
// BenchmarkStoreInsertOne is the baseline (a sequential InsertOne loop of
// bid-shaped documents); the others go through HTTP, auth, the runner and
// group commit. Compare ns/op and the bids/s metric.

func BenchmarkStoreInsertOne(b *testing.B) {
	ts := testserver.Start(b)
	coll := ts.S.Store.DB.Collection("bench_raw")
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		doc := bson.D{{Key: "auction", Value: "a"}, {Key: "seq", Value: i}, {Key: "amount", Value: 10000 + i}, {Key: "bidder", Value: "u"}, {Key: "at", Value: time.Now()}}
		if _, err := coll.InsertOne(ctx, doc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inserts/s")
}

// BenchmarkBidSequential: one buyer, each bid one step above the last, with
// an Idempotency-Key, over HTTP. Every bid is accepted.
func BenchmarkBidSequential(b *testing.B) {
	ts, auction, buyers := benchAuction(b, 1)
	b.ResetTimer()
	for i := range b.N {
		r := ts.Do("POST", "/api/v1/auctions/"+auction+"/bids", buyers[0].Token,
			map[string]any{"amount": 10000 + 100*i}, "Idempotency-Key", fmt.Sprint("k", i))
		if r.Status != http.StatusCreated {
			b.Fatalf("bid %d: %d %s", i, r.Status, r.Body)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "bids/s")
}

// BenchmarkBidConcurrent: 16 buyers bid at once on one auction, each the
// next amount from a shared counter, so the runner batches their appends.
// Bids that arrive after a higher one are refused (outbid), as in a real
// bidding war; bids/s counts accepted bids only.
func BenchmarkBidConcurrent(b *testing.B) {
	ts, auction, buyers := benchAuction(b, 16)
	var next, accepted, worker atomic.Int64
	b.SetParallelism(8) // 16 goroutines on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		u := buyers[int(worker.Add(1)-1)%len(buyers)]
		for pb.Next() {
			n := next.Add(1)
			r, err := ts.Try("POST", "/api/v1/auctions/"+auction+"/bids", u.Token,
				map[string]any{"amount": 10000 + 100*n}, "Idempotency-Key", fmt.Sprint("k", n))
			if err != nil {
				b.Error(err)
				return
			}
			if r.Status == http.StatusCreated {
				accepted.Add(1)
			}
		}
	})
	b.ReportMetric(float64(accepted.Load())/b.Elapsed().Seconds(), "bids/s")
	b.ReportMetric(float64(accepted.Load())/float64(b.N), "accepted/op")
}

func benchAuction(b *testing.B, nBuyers int) (*testserver.TS, string, []testserver.User) {
	ts := testserver.Start(b)
	farmer := ts.Register("farmer")
	a := ts.CreateAuction(farmer.Token, testserver.SellAuction(time.Hour, nil))
	buyers := make([]testserver.User, nBuyers)
	for i := range buyers {
		buyers[i] = ts.Register("buyer")
	}
	return ts, a.ID, buyers
}
