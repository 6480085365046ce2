package market

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// refusalDoc records a refused keyed request, so that the same key gets the
// same refusal again (after a restart too) instead of being evaluated anew.
type refusalDoc struct {
	ID      string    `bson:"_id"` // auction|user|key
	Auction string    `bson:"auction"`
	Idem    string    `bson:"idem"`
	Status  int       `bson:"status"`
	Code    string    `bson:"code"`
	Message string    `bson:"message"`
	At      time.Time `bson:"at"`
}

func refusalIndexes() []mongo.IndexModel {
	return []mongo.IndexModel{{Keys: bson.D{{Key: "at", Value: 1}}}}
}

func (d *refusalDoc) err() *httpx.Error {
	return &httpx.Error{Status: d.Status, Code: d.Code, Message: d.Message}
}

// refuse stores the refusals of keyed requests and then answers all. A key
// another process refused first gets that process's answer.
func (r *runner) refuse(ps []*plan) {
	var docs []any
	now := time.Now()
	for _, p := range ps {
		if k := p.q.idem(); k != "" {
			docs = append(docs, &refusalDoc{ID: r.a.ID + "|" + k, Auction: r.a.ID, Idem: k,
				Status: p.refusal.Status, Code: p.refusal.Code, Message: p.refusal.Message, At: now})
		}
	}
	failed, err := r.svc.storeRefusals(docs)
	for _, p := range ps {
		k := p.q.idem()
		switch {
		case k == "":
			p.q.reply(outcome{err: p.refusal})
		case err != nil:
			p.q.reply(outcome{err: httpx.ErrUnavailable}) // not stored, so not answered
		case failed[r.a.ID+"|"+k] != nil:
			r.keys[k] = answer{refusal: failed[r.a.ID+"|"+k]}
			p.q.reply(outcome{err: failed[r.a.ID+"|"+k]})
		default:
			r.keys[k] = answer{refusal: p.refusal}
			p.q.reply(outcome{err: p.refusal})
		}
	}
}

// storeRefusals inserts docs; for ids already present it returns the stored
// answer instead.
func (s *Service) storeRefusals(docs []any) (map[string]*httpx.Error, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.StoreTimeout)
	defer cancel()
	_, err := s.refusals.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err == nil {
		return nil, nil
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) {
		return nil, fmt.Errorf("store refusals: %w", err)
	}
	if !allDuplicates(bwe) {
		return nil, fmt.Errorf("store refusals: %w", err)
	}
	ids := make([]string, len(bwe.WriteErrors))
	for i, we := range bwe.WriteErrors {
		ids[i] = docs[we.Index].(*refusalDoc).ID
	}
	return s.refusalsByID(ids)
}

// recallRefusals looks up stored refusals for the keys in batch this runner
// has not seen, so that a key refused before (by another process, or before
// a restart) is never turned into a bid by a retry. One point read per new
// key, run in parallel, so a batch waits about one read.
func (r *runner) recallRefusals(batch []*request) error {
	var ids []string
	for _, q := range batch {
		if k := q.idem(); k != "" {
			if _, known := r.keys[k]; !known {
				ids = append(ids, r.a.ID+"|"+k)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	found, err := r.svc.refusalsByID(ids)
	if err != nil {
		return err
	}
	prefix := len(r.a.ID) + 1
	for id, e := range found {
		r.keys[id[prefix:]] = answer{refusal: e}
	}
	return nil
}

// refusalsByID reads refusals by _id (the embedded store's only indexed
// read), at most 8 at a time.
func (s *Service) refusalsByID(ids []string) (map[string]*httpx.Error, error) {
	ctx, cancel := s.storeCtx()
	defer cancel()
	var (
		mu    sync.Mutex
		found = map[string]*httpx.Error{}
		wg    sync.WaitGroup
		sem   = make(chan struct{}, 8)
		errs  = make([]error, len(ids))
	)
	for i, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var d refusalDoc
			err := s.refusals.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
			if errors.Is(err, mongo.ErrNoDocuments) {
				return
			}
			if err != nil {
				errs[i] = fmt.Errorf("recall refusal: %w", err)
				return
			}
			mu.Lock()
			found[id] = d.err()
			mu.Unlock()
		}()
	}
	wg.Wait()
	return found, errors.Join(errs...)
}

// purgeRefusals forgets refusals older than the key window (no TTL indexes
// on the embedded store, so expiry is done here).
func (s *Service) purgeRefusals() {
	ctx, cancel := s.storeCtx()
	defer cancel()
	res, err := s.refusals.DeleteMany(ctx, bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: time.Now().Add(-keyWindow)}}}})
	if err != nil {
		s.log.Warn("purge refusals", "err", err)
		return
	}
	if res.DeletedCount > 0 {
		s.log.Info("purged old refusals", "n", res.DeletedCount)
	}
}
