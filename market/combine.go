package market

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// combiner merges the inserts that runners of different auctions make at
// the same moment into one InsertMany: group commit across auctions, on top
// of each runner's own batching. The store's cost is per write far more than
// per document, so many busy auctions then cost about what one does.
//
// Each caller gets the outcome of its own documents, as if it had inserted
// them alone: write errors re-indexed to its slice; with ordered inserts,
// callers whose documents came after a failure get errNotTried (nothing of
// theirs was written).
type combiner struct {
	coll    *mongo.Collection
	ordered bool
	timeout time.Duration
	turn    func() func()
	in      chan *insertReq
	done    chan struct{}
}

type insertReq struct {
	docs []any
	err  error
	out  chan struct{}
}

// errNotTried: an earlier caller's document failed an ordered insert, so
// these were never sent. Nothing of them is stored; try again.
var errNotTried = errors.New("insert not tried after an earlier failure")

const maxCombined = 512 // documents per InsertMany

func newCombiner(coll *mongo.Collection, ordered bool, timeout time.Duration, turn func() func()) *combiner {
	c := &combiner{coll: coll, ordered: ordered, timeout: timeout, turn: turn,
		in: make(chan *insertReq, 256), done: make(chan struct{})}
	go c.run()
	return c
}

// insert stores docs (in order when the combiner is ordered).
func (c *combiner) insert(docs []any) error {
	req := &insertReq{docs: docs, out: make(chan struct{})}
	c.in <- req
	<-req.out
	return req.err
}

// stop ends the combiner once no caller is left (after the runners stop).
func (c *combiner) stop() {
	close(c.in)
	<-c.done
}

func (c *combiner) run() {
	defer close(c.done)
	for first := range c.in {
		batch, n := []*insertReq{first}, len(first.docs)
	more:
		for n < maxCombined {
			select {
			case q, ok := <-c.in:
				if !ok {
					break more
				}
				batch, n = append(batch, q), n+len(q.docs)
			default:
				break more
			}
		}
		c.write(batch, n)
	}
}

func (c *combiner) write(batch []*insertReq, n int) {
	docs := make([]any, 0, n)
	for _, q := range batch {
		docs = append(docs, q.docs...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	done := c.turn()
	_, err := c.coll.InsertMany(ctx, docs, options.InsertMany().SetOrdered(c.ordered))
	done()
	cancel()
	c.split(batch, err)
	for _, q := range batch {
		close(q.out)
	}
}

// split hands each caller the part of err that concerns its documents.
func (c *combiner) split(batch []*insertReq, err error) {
	if err == nil {
		return
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || len(bwe.WriteErrors) == 0 {
		for _, q := range batch {
			q.err = err // unknown: as if each had failed alone
		}
		return
	}
	firstFail := firstFailure(bwe)
	offset := 0
	for _, q := range batch {
		var mine []mongo.BulkWriteError
		for _, we := range bwe.WriteErrors {
			if we.Index >= offset && we.Index < offset+len(q.docs) {
				we.Index -= offset
				mine = append(mine, we)
			}
		}
		switch {
		case len(mine) > 0:
			q.err = mongo.BulkWriteException{WriteErrors: mine, WriteConcernError: bwe.WriteConcernError}
		case c.ordered && offset > firstFail:
			q.err = errNotTried
		}
		offset += len(q.docs)
	}
}

// firstFailure is the index of the first failed document.
func firstFailure(bwe mongo.BulkWriteException) int {
	first := bwe.WriteErrors[0].Index
	for _, we := range bwe.WriteErrors {
		first = min(first, we.Index)
	}
	return first
}
