package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

const (
	baselineDB         = "agrimaker_bench"
	baselineCollection = "loadgen_baseline"
	maxBaselineInserts = 10_000_000
)

// BaselineReport is the raw MongoDB insert rate the bid rate is compared to.
type BaselineReport struct {
	Inserts       int64          `json:"inserts"`
	Seconds       float64        `json:"seconds"`
	InsertsPerSec float64        `json:"insertsPerSec"`
	Latency       LatencySummary `json:"latency"`
	// AcceptedToRaw is accepted bids/s ÷ raw inserts/s, filled in after the run.
	AcceptedToRaw float64 `json:"acceptedBidsPerSecOverRawInsertsPerSec"`
	Error         string  `json:"error,omitempty"`
}

// runBaseline does a sequential InsertOne loop of bid-shaped documents for
// dur (bounded also in count) into agrimaker_bench.loadgen_baseline, with the
// write concern the URI asks for, and removes the collection afterwards.
func runBaseline(ctx context.Context, uri string, dur time.Duration, maxSamples int) (*BaselineReport, error) {
	rep := &BaselineReport{}
	cl, err := mongo.Connect(options.Client().ApplyURI(uri).
		SetServerSelectionTimeout(10 * time.Second).
		SetAppName("agrimaker-loadgen-baseline"))
	if err != nil {
		return rep, fmt.Errorf("baseline: connect: %w", err)
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = cl.Disconnect(dctx)
	}()
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	err = cl.Ping(pctx, readpref.Primary())
	cancel()
	if err != nil {
		return rep, fmt.Errorf("baseline: ping: %w", err)
	}
	coll := cl.Database(baselineDB).Collection(baselineCollection)
	_ = coll.Drop(ctx)
	defer func() {
		dctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = coll.Drop(dctx)
	}()

	rec := NewRecorder(maxSamples)
	log.Printf("baseline: sequential InsertOne into %s.%s for %s", baselineDB, baselineCollection, dur)
	start := time.Now()
	n, insErr := insertLoop(ctx, coll, start.Add(dur), rec)
	elapsed := time.Since(start)
	if insErr != nil {
		rep.Error = insErr.Error()
	}
	rep.Inserts = n
	rep.Seconds = elapsed.Seconds()
	if elapsed > 0 {
		rep.InsertsPerSec = float64(n) / elapsed.Seconds()
	}
	rep.Latency = rec.Summary()
	if rep.Error != "" {
		return rep, fmt.Errorf("baseline: insert %d: %s", n+1, rep.Error)
	}
	log.Printf("baseline: %d inserts in %.2fs = %.0f inserts/s", n, rep.Seconds, rep.InsertsPerSec)
	return rep, nil
}

// insertLoop inserts bid-shaped documents one at a time until end (or
// maxBaselineInserts, or ctx ends), recording each insert's latency. It
// returns how many succeeded and the error that stopped it, if any.
func insertLoop(ctx context.Context, coll *mongo.Collection, end time.Time, rec *Recorder) (int64, error) {
	auctionID := fmt.Sprintf("baseline-%d", time.Now().UnixNano())
	var n int64
	for n < maxBaselineInserts && time.Now().Before(end) && ctx.Err() == nil {
		seq := n + 1
		doc := bson.D{
			{Key: "auction", Value: auctionID},
			{Key: "seq", Value: seq},
			{Key: "amount", Value: 10000 + 100*seq},
			{Key: "bidder", Value: "loadgen-baseline"},
			{Key: "at", Value: time.Now().UTC()},
		}
		ictx, cancel := context.WithTimeout(ctx, 10*time.Second)
		t0 := time.Now()
		_, err := coll.InsertOne(ictx, doc)
		lat := time.Since(t0)
		cancel()
		if err != nil {
			return n, err
		}
		rec.Add(lat)
		n++
	}
	return n, nil
}
