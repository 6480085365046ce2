package access

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// noScope is how calls that need no scope (whoami) are metered.
const noScope = "none"

// meterKey is what is counted: one organisation's key, one day, one scope.
type meterKey struct{ org, key, day, scope string }

// reading is one document of access_usage: a count a process flushed. The
// collection is insert-only and usage is the sum of readings, so several
// processes meter correctly without read-modify-write, which the embedded
// store cannot do atomically.
type reading struct {
	ID      string    `bson:"_id"` // process-seq: a retried flush inserts the same ids, so nothing counts twice
	Org     string    `bson:"org"`
	Key     string    `bson:"key"`
	Day     string    `bson:"day"`
	Scope   string    `bson:"scope"`
	Count   int64     `bson:"count"`
	Process string    `bson:"process"`
	At      time.Time `bson:"at"`
}

// meter counts admitted requests in memory and writes them out as
// readings on every flush.
type meter struct {
	coll    *mongo.Collection
	process string

	mu      sync.Mutex
	pending map[meterKey]int64

	// flushMu makes flushes take turns, and lets a usage query see the
	// database and the unflushed counts without a flush in between.
	flushMu sync.Mutex
	failed  []reading // the last batch, when its insert failed: retried as is
	seq     int64
}

func newMeter(coll *mongo.Collection, process string) *meter {
	return &meter{coll: coll, process: process, pending: make(map[meterKey]int64)}
}

// count adds one admitted request.
func (m *meter) count(k meterKey) {
	m.mu.Lock()
	m.pending[k]++
	m.mu.Unlock()
}

// flush inserts one reading per key, day and scope counted since the last
// flush, together with any batch that failed before.
func (m *meter) flush(ctx context.Context) error {
	m.flushMu.Lock()
	defer m.flushMu.Unlock()
	batch := append(m.failed, m.take(time.Now())...)
	if len(batch) == 0 {
		return nil
	}
	docs := make([]any, len(batch))
	for i := range batch {
		docs[i] = batch[i]
	}
	_, err := m.coll.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err != nil && !onlyDuplicates(err) {
		m.failed = batch
		return fmt.Errorf("insert %d meter readings: %w", len(batch), err)
	}
	m.failed = nil
	return nil
}

// take empties the pending counts into readings. Called under flushMu.
func (m *meter) take(at time.Time) []reading {
	m.mu.Lock()
	p := m.pending
	m.pending = make(map[meterKey]int64, len(p))
	m.mu.Unlock()
	out := make([]reading, 0, len(p))
	for k, n := range p {
		m.seq++
		out = append(out, reading{ID: m.process + "-" + strconv.FormatInt(m.seq, 10),
			Org: k.org, Key: k.key, Day: k.day, Scope: k.scope, Count: n, Process: m.process, At: at})
	}
	return out
}

// stable runs read with the counts of org not yet in the database; no
// flush runs meanwhile, so read's query and those counts add up exactly.
func (m *meter) stable(org string, read func(unflushed []reading) error) error {
	m.flushMu.Lock()
	defer m.flushMu.Unlock()
	var out []reading
	for _, r := range m.failed {
		if r.Org == org {
			out = append(out, r)
		}
	}
	m.mu.Lock()
	for k, n := range m.pending {
		if k.org == org {
			out = append(out, reading{Org: k.org, Key: k.key, Day: k.day, Scope: k.scope, Count: n})
		}
	}
	m.mu.Unlock()
	return read(out)
}

// onlyDuplicates reports whether every write error of an insert was a
// duplicate key: a retried batch whose documents are already stored.
func onlyDuplicates(err error) bool {
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil || len(bwe.WriteErrors) == 0 {
		return false
	}
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 {
			return false
		}
	}
	return true
}
