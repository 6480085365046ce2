package datasets

import (
	"context"
	"fmt"
	"os"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/internal/store"
)

// recoverPending undoes what an import killed inside writeBatch left:
// fingerprints written for records that may not have been written.
// Deleting a fingerprint is always safe (the next import of that row just
// rewrites the same fields), so this may also run while another process
// imports: at worst its rows count as updated once more.
func (s *Service) recoverPending(ctx context.Context) error {
	notes, err := store.FindAll[pendingNote](ctx, s.pending, "pending import notes", bson.D{})
	if err != nil {
		return err
	}
	for _, n := range notes {
		if _, err := s.fps.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: n.FPs}}}}); err != nil {
			return fmt.Errorf("recover import note %s: %w", n.ID, err)
		}
		if _, err := s.pending.DeleteOne(ctx, bson.D{{Key: "_id", Value: n.ID}}); err != nil {
			return fmt.Errorf("clear import note %s: %w", n.ID, err)
		}
		s.log.Warn("repaired an interrupted import batch", "fingerprints", len(n.FPs))
	}
	return nil
}

func removeQuietly(path string) { _ = os.Remove(path) }
