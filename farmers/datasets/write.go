package datasets

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/store"
)

// writeBatch stores a batch's valid rows and decides their outcomes. The
// fingerprint insert comes first, because it answers "did this row
// change?" with the unique _id index alone (reads scan on the embedded
// store; unique checks on insert do not), and an unchanged row then costs
// nothing more. Crash safety comes from a note written before it:
//
//  1. note the batch's fingerprints in import_pending;
//  2. insert them: a duplicate means the row is unchanged, done;
//  3. insert the records of the others with fresh ids: those that go in
//     are new; a duplicate key on KeyField means the record exists, so its
//     older fingerprints are dropped and its fields $set (updated);
//  4. delete the note.
//
// A crash between 1 and 4 leaves the note; recoverPending deletes the
// noted fingerprints, and the next import of the file rewrites those rows
// (new ones come back as updated, with the same fields).
func (s *Service) writeBatch(ctx context.Context, d *Dataset, b *batch) error {
	idx := b.valid()
	if len(idx) == 0 {
		return nil
	}
	note := pendingNote{ID: bson.NewObjectID().Hex(), At: time.Now()}
	for _, i := range idx {
		note.FPs = append(note.FPs, b.items[i].fp.ID)
	}
	if _, err := s.pending.InsertOne(ctx, note); err != nil {
		return fmt.Errorf("note pending fingerprints: %w", err)
	}
	same, err := s.insertFingerprints(ctx, b, idx)
	if err != nil {
		return err
	}
	var write []int
	for _, i := range idx {
		if same[i] {
			b.items[i].outcome = OutUnchanged
		} else {
			write = append(write, i)
		}
	}
	if err := s.writeRecords(ctx, d, b, write); err != nil {
		return err
	}
	if _, err := s.pending.DeleteOne(ctx, bson.D{{Key: "_id", Value: note.ID}}); err != nil {
		return fmt.Errorf("clear pending note: %w", err)
	}
	return nil
}

// writeRecords inserts new records and updates existing ones.
func (s *Service) writeRecords(ctx context.Context, d *Dataset, b *batch, idx []int) error {
	if len(idx) == 0 {
		return nil
	}
	existing, err := s.insertRecords(ctx, d, b, idx)
	if err != nil {
		return err
	}
	var changed []int
	for _, i := range idx {
		if existing[i] {
			changed = append(changed, i)
		} else {
			b.items[i].outcome = OutImported
		}
	}
	if err := s.dropOldFingerprints(ctx, d, b, changed); err != nil {
		return err
	}
	return s.setRecords(ctx, d, b, changed)
}

// insertRecords inserts the items' records unordered and returns which
// already existed (duplicate key).
func (s *Service) insertRecords(ctx context.Context, d *Dataset, b *batch, idx []int) (map[int]bool, error) {
	docs := make([]any, len(idx))
	for n, i := range idx {
		doc := append(bson.D{{Key: "_id", Value: bson.NewObjectID().Hex()}}, b.items[i].fields...)
		docs[n] = doc
	}
	_, err := s.db.Collection(d.Collection).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	dups, err := duplicates(err)
	if err != nil {
		return nil, fmt.Errorf("insert %s records: %w", d.Name, err)
	}
	out := map[int]bool{}
	for n := range dups {
		out[idx[n]] = true
	}
	return out, nil
}

// insertFingerprints inserts the items' fingerprints and returns which were
// already there.
func (s *Service) insertFingerprints(ctx context.Context, b *batch, idx []int) (map[int]bool, error) {
	if len(idx) == 0 {
		return nil, nil
	}
	docs := make([]any, len(idx))
	for n, i := range idx {
		docs[n] = b.items[i].fp
	}
	_, err := s.fps.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	dups, err := duplicates(err)
	if err != nil {
		return nil, fmt.Errorf("insert fingerprints: %w", err)
	}
	out := map[int]bool{}
	for n := range dups {
		out[idx[n]] = true
	}
	return out, nil
}

type pendingNote struct {
	ID  string    `bson:"_id"`
	FPs []string  `bson:"fps"`
	At  time.Time `bson:"at"`
}

// dropOldFingerprints forgets what changed records held before, so that
// importing their old content again counts as a change.
func (s *Service) dropOldFingerprints(ctx context.Context, d *Dataset, b *batch, idx []int) error {
	if len(idx) == 0 {
		return nil
	}
	keys, keep := make([]string, len(idx)), make([]string, len(idx))
	for n, i := range idx {
		keys[n], keep[n] = b.items[i].fp.KeyHash, b.items[i].fp.ID
	}
	_, err := s.fps.DeleteMany(ctx, bson.D{{Key: "d", Value: d.Name},
		{Key: "k", Value: bson.D{{Key: "$in", Value: keys}}},
		{Key: "_id", Value: bson.D{{Key: "$nin", Value: keep}}}})
	if err != nil {
		return fmt.Errorf("drop old fingerprints: %w", err)
	}
	return nil
}

// setRecords updates changed records in file order (so the last of two
// rows with one key wins). A record that another unique field blocked from
// insertion, but that does not exist by key, is rejected.
func (s *Service) setRecords(ctx context.Context, d *Dataset, b *batch, idx []int) error {
	coll := s.db.Collection(d.Collection)
	for _, i := range idx {
		it := &b.items[i]
		res, err := coll.UpdateOne(ctx, bson.D{{Key: d.KeyField, Value: it.key}}, bson.D{{Key: "$set", Value: it.fields}})
		if err != nil && !store.IsDuplicate(err) {
			return fmt.Errorf("update %s record: %w", d.Name, err)
		}
		if err != nil || res.MatchedCount == 0 {
			*it = rejected(*it, map[string]string{"row": "conflicts with another record on a unique field"})
			if _, err := s.fps.DeleteOne(ctx, bson.D{{Key: "_id", Value: it.fp.ID}}); err != nil {
				return fmt.Errorf("forget fingerprint: %w", err)
			}
			continue
		}
		it.outcome = OutUpdated
	}
	return nil
}

// duplicates splits an unordered insert's error into the indexes that
// failed on a duplicate key, and any other error.
func duplicates(err error) (map[int]bool, error) {
	if err == nil {
		return nil, nil
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil {
		return nil, err
	}
	out := map[int]bool{}
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 && we.Code != 11001 && we.Code != 12582 {
			return nil, err
		}
		out[we.Index] = true
	}
	return out, nil
}
