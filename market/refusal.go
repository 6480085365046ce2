package market

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
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
	return []mongo.IndexModel{{Keys: bson.D{{Key: "auction", Value: 1}}}, {Keys: bson.D{{Key: "at", Value: 1}}}}
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
	err := s.refusalWriter.insert(docs)
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

// loadRefusals reads the auction's stored refusals once, when its runner
// loads (after a restart, say), so that a key refused before is answered
// alike and never turned into a bid by a retry.
func (r *runner) loadRefusals(ctx context.Context) error {
	docs, err := store.FindAll[refusalDoc](ctx, r.svc.refusals, "refusals", bson.D{{Key: "auction", Value: r.a.ID}})
	if err != nil {
		return err
	}
	for _, d := range docs {
		r.keys[d.Idem] = answer{refusal: d.err()}
	}
	return nil
}

// recallKeys learns what other processes answered for keys in batch that
// this runner has not seen: it reads their log entries (a key's accepted
// bid) and their stored refusals. Alone, a process knows every answer of
// the auctions it runs, so this costs nothing then.
func (r *runner) recallKeys(batch []*request) error {
	if !r.svc.peers.shared() || !r.hasUnknownKeys(batch) {
		return nil
	}
	if err := r.catchUp(); err != nil {
		return err
	}
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

func (r *runner) hasUnknownKeys(batch []*request) bool {
	for _, q := range batch {
		if k := q.idem(); k != "" {
			if _, known := r.keys[k]; !known {
				return true
			}
		}
	}
	return false
}

// refusalsByID reads refusals by _id.
func (s *Service) refusalsByID(ids []string) (map[string]*httpx.Error, error) {
	ctx, cancel := s.storeCtx()
	defer cancel()
	docs, err := store.FindByIDs[refusalDoc](ctx, s.refusals, "refusals", ids)
	if err != nil {
		return nil, err
	}
	found := make(map[string]*httpx.Error, len(docs))
	for _, d := range docs {
		found[d.ID] = d.err()
	}
	return found, nil
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
