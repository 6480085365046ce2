package store

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
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
	s := openEmbedded(t)
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

// FerretDB's own plan for a read by _id uses the index sqliteid.go adds —
// asked through its explain command, so an upgrade that changes the query's
// expression fails here. A collection without unique indexes (so not yet
// created by EnsureIndexes) gets it too, and other filters are unaffected.
func TestEmbeddedIDIndexServesIDReads(t *testing.T) {
	ctx := context.Background()
	s := openEmbedded(t)
	for _, name := range []string{"with_unique", "plain"} {
		coll := s.DB.Collection(name)
		var models []mongo.IndexModel
		if name == "with_unique" {
			models = append(models, mongo.IndexModel{Keys: bson.D{{Key: "k", Value: 1}}, Options: options.Index().SetUnique(true)})
		}
		for range 2 { // as at every restart
			if err := EnsureIndexes(ctx, coll, models...); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := coll.InsertMany(ctx, []any{bson.D{{Key: "_id", Value: "a"}, {Key: "k", Value: 1}}, bson.D{{Key: "_id", Value: "b"}, {Key: "k", Value: 2}}}); err != nil {
			t.Fatal(err)
		}
		if plan := explainFind(t, s, name, bson.D{{Key: "_id", Value: "b"}}); !strings.Contains(plan, "_agrimaker_id") {
			t.Errorf("%s: a read by _id does not use the index: %s", name, plan)
		}
		if plan := explainFind(t, s, name, bson.D{{Key: "k", Value: 2}}); strings.Contains(plan, "_agrimaker_id") {
			t.Errorf("%s: a read by k claims the _id index: %s", name, plan)
		}
		var got bson.M
		if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "b"}}).Decode(&got); err != nil || got["k"] != int32(2) {
			t.Errorf("%s: FindOne by _id = %v, %v", name, got, err)
		}
	}
}

func explainFind(t *testing.T, s *Store, coll string, filter bson.D) string {
	t.Helper()
	var out bson.M
	cmd := bson.D{{Key: "explain", Value: bson.D{{Key: "find", Value: coll}, {Key: "filter", Value: filter}}}}
	if err := s.DB.RunCommand(context.Background(), cmd).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(out["queryPlanner"])
}

// FindByIDs returns the documents that exist among the ids asked for.
func TestFindByIDs(t *testing.T) {
	ctx := context.Background()
	s := openEmbedded(t)
	coll := s.DB.Collection("c")
	if _, err := coll.InsertMany(ctx, []any{bson.D{{Key: "_id", Value: "a"}}, bson.D{{Key: "_id", Value: "b"}}, bson.D{{Key: "_id", Value: "c"}}}); err != nil {
		t.Fatal(err)
	}
	docs, err := FindByIDs[struct {
		ID string `bson:"_id"`
	}](ctx, coll, "docs", []string{"c", "missing", "a"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range docs {
		got = append(got, d.ID)
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"a", "c"}) {
		t.Fatalf("found %v, want [a c]", got)
	}
}

// openEmbedded starts an embedded store in a temporary folder, closed with
// the test.
func openEmbedded(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: t.TempDir(), Database: "t"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(ctx) })
	return s
}
