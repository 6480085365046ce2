package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"

	"go.mongodb.org/mongo-driver/v2/mongo"
	_ "modernc.org/sqlite" // the driver FerretDB itself uses; registers "sqlite"
)

// FerretDB 1.24 (SQLite) answers a filter of exactly {_id: <string>} with
// `WHERE _ferretdb_sjson->'$._id' = ?`, but the unique index it keeps on _id
// is on a different expression (`_ferretdb_sjson->"_id"`), so SQLite cannot
// use it and every such read scans the table (in C; other filters are worse:
// FerretDB decodes every document in Go). Measured on 20,000 auction
// events: a FindOne by _id took 74 ms; with an index on the exact
// expression of the query it takes 0.2–0.3 ms at any size. The process
// that hosts the embedded database adds that index to each collection it
// ensures indexes for; other processes sharing the database through its URI
// benefit from the same file. FerretDB does not know of the index (it is
// not in its metadata) and drops it with the table.

// idExpr must stay textually equal to FerretDB's metadata.IDColumn: SQLite
// matches an expression index only to the same expression.
// TestEmbeddedIDIndexServesIDReads asks FerretDB's explain for the plan.
const idExpr = `_ferretdb_sjson->'$._id'`

// embeddedDirs maps the *mongo.Client of a Store that hosts an embedded
// FerretDB to its data folder.
var embeddedDirs sync.Map

func (s *Store) trackEmbedded(dir string) { embeddedDirs.Store(s.Client, dir) }

func (s *Store) untrackEmbedded() { embeddedDirs.Delete(s.Client) }

// indexIDs adds the _id expression index to coll's table when this process
// hosts the embedded database; elsewhere it does nothing.
func indexIDs(ctx context.Context, coll *mongo.Collection) error {
	dir, ok := embeddedDirs.Load(coll.Database().Client())
	if !ok {
		return nil
	}
	// The table exists only once the collection does.
	err := coll.Database().CreateCollection(ctx, coll.Name())
	if ce := (mongo.CommandError{}); err != nil && !(errors.As(err, &ce) && ce.Code == 48) { // 48: NamespaceExists
		return fmt.Errorf("create collection %s: %w", coll.Name(), err)
	}
	return indexTable(ctx, dir.(string), coll.Database().Name(), coll.Name())
}

// indexTable opens the database's file for this one statement (it runs
// only when indexes are ensured, at start), so no handle outlives a file
// FerretDB might drop and create again.
func indexTable(ctx context.Context, dir, dbName, coll string) error {
	// FerretDB names the file after the database; busy_timeout waits for
	// its writers instead of failing.
	uri := "file:" + filepath.Join(dir, dbName+".sqlite") + "?_pragma=busy_timeout(10000)"
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return fmt.Errorf("open %s: %w", uri, err)
	}
	defer db.Close()
	var table string
	err = db.QueryRowContext(ctx, `SELECT table_name FROM _ferretdb_collections WHERE name = ?`, coll).Scan(&table)
	if err != nil {
		return fmt.Errorf("find the table of %s: %w", coll, err)
	}
	q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, table+"_agrimaker_id", table, idExpr)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("index _id of %s: %w", coll, err)
	}
	return nil
}
