package store

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The embedded store is recognised as FerretDB, and gets only the unique
// indexes it enforces (a non-unique one would only slow its writes); a
// second EnsureIndexes, as at every restart, succeeds.
func TestEmbeddedIndexes(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: t.TempDir(), Database: "t"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	coll := s.DB.Collection("c")
	models := []mongo.IndexModel{
		{Keys: bson.D{{Key: "a", Value: 1}, {Key: "b", Value: 1}}, Options: options.Index().SetUnique(true)},
		{Keys: bson.D{{Key: "c", Value: 1}}},
		{Keys: bson.D{{Key: "d", Value: 1}}, Options: options.Index().SetUnique(true)},
	}
	for range 2 {
		if err := EnsureIndexes(ctx, coll, models...); err != nil {
			t.Fatal(err)
		}
	}
	specs, err := coll.Indexes().ListSpecifications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, sp := range specs {
		names = append(names, sp.Name)
	}
	slices.Sort(names)
	if want := []string{"_id_", "a_1_b_1", "d_1"}; !slices.Equal(names, want) {
		t.Fatalf("indexes %v, want %v", names, want)
	}
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "a", Value: 1}, {Key: "b", Value: 2}, {Key: "d", Value: 1}}); err != nil {
		t.Fatal(err)
	}
	_, err = coll.InsertOne(ctx, bson.D{{Key: "a", Value: 1}, {Key: "b", Value: 2}, {Key: "d", Value: 2}})
	if !IsDuplicate(err) {
		t.Fatalf("second (a, b) insert: %v, want a duplicate-key error", err)
	}
}
