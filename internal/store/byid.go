package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// FindByIDs reads the documents whose string _id is among ids (those that
// exist, in no particular order). MongoDB answers one $in query from the
// _id index. FerretDB serves only a filter of exactly one _id from an index
// (sqliteid.go) and would scan the collection for a $in, so there each id
// is one FindOne.
func FindByIDs[T any](ctx context.Context, coll *mongo.Collection, what string, ids []string) ([]T, error) {
	ferret, err := isFerretDB(ctx, coll.Database())
	if err != nil {
		return nil, err
	}
	if !ferret {
		return FindAll[T](ctx, coll, what, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	}
	docs := make([]T, 0, len(ids))
	for _, id := range ids {
		var doc T
		err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s %s: %w", what, id, err)
		}
		docs = append(docs, doc)
	}
	return docs, nil
}
