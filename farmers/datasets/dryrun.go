package datasets

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// classifyBatch decides what writeBatch would do, without writing: one
// query for the keys that exist and one for the fingerprints already
// held. Two rows of one batch with one key: the second counts as an
// update. (Across batches a dry run cannot see its own unwritten rows, so
// a key repeated far apart in one file counts as imported twice.)
func (s *Service) classifyBatch(ctx context.Context, d *Dataset, b *batch) error {
	idx := b.valid()
	if len(idx) == 0 {
		return nil
	}
	keys, fpIDs := make([]string, len(idx)), make([]string, len(idx))
	for n, i := range idx {
		keys[n], fpIDs[n] = b.items[i].key, b.items[i].fp.ID
	}
	have, err := s.distinctStrings(ctx, d.Collection, d.KeyField, keys)
	if err != nil {
		return err
	}
	same, err := s.distinctStrings(ctx, s.fps.Name(), "_id", fpIDs)
	if err != nil {
		return err
	}
	for _, i := range idx {
		it := &b.items[i]
		switch {
		case same[it.fp.ID]:
			it.outcome = OutUnchanged
		case have[it.key]:
			it.outcome = OutUpdated
		default:
			it.outcome = OutImported
			have[it.key] = true
		}
	}
	return nil
}

// distinctStrings returns which of values the field holds in coll.
func (s *Service) distinctStrings(ctx context.Context, coll, field string, values []string) (map[string]bool, error) {
	cur, err := s.db.Collection(coll).Find(ctx, bson.D{{Key: field, Value: bson.D{{Key: "$in", Value: values}}}},
		options.Find().SetProjection(bson.D{{Key: field, Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("look up %s.%s: %w", coll, field, err)
	}
	defer cur.Close(ctx)
	out := map[string]bool{}
	for cur.Next(ctx) {
		if v, ok := cur.Current.Lookup(field).StringValueOK(); ok {
			out[v] = true
		}
	}
	return out, cur.Err()
}
