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

// sqliteIDs adds the _id expression index to the embedded database's files.
type sqliteIDs struct {
	dir string
	mu  sync.Mutex
	dbs map[string]*sql.DB // one handle per database file
}

// embeddedDirs maps the *mongo.Client of a Store that hosts an embedded
// FerretDB to its sqliteIDs.
var embeddedDirs sync.Map

func (s *Store) trackEmbedded(dir string) {
	embeddedDirs.Store(s.Client, &sqliteIDs{dir: dir, dbs: map[string]*sql.DB{}})
}

func (s *Store) untrackEmbedded() {
	if v, ok := embeddedDirs.LoadAndDelete(s.Client); ok {
		v.(*sqliteIDs).close()
	}
}

// indexIDs adds the _id expression index to coll's table when this process
// hosts the embedded database; elsewhere it does nothing.
func indexIDs(ctx context.Context, coll *mongo.Collection) error {
	v, ok := embeddedDirs.Load(coll.Database().Client())
	if !ok {
		return nil
	}
	// The table exists only once the collection does.
	err := coll.Database().CreateCollection(ctx, coll.Name())
	if ce := (mongo.CommandError{}); err != nil && !(errors.As(err, &ce) && ce.Code == 48) { // 48: NamespaceExists
		return fmt.Errorf("create collection %s: %w", coll.Name(), err)
	}
	return v.(*sqliteIDs).index(ctx, coll.Database().Name(), coll.Name())
}

func (x *sqliteIDs) index(ctx context.Context, dbName, coll string) error {
	db, err := x.handle(dbName)
	if err != nil {
		return err
	}
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

func (x *sqliteIDs) handle(dbName string) (*sql.DB, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if db := x.dbs[dbName]; db != nil {
		return db, nil
	}
	// FerretDB names the file after the database; busy_timeout waits for
	// its writers instead of failing.
	uri := "file:" + filepath.Join(x.dir, dbName+".sqlite") + "?_pragma=busy_timeout(10000)"
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", uri, err)
	}
	db.SetMaxOpenConns(1)
	x.dbs[dbName] = db
	return db, nil
}

func (x *sqliteIDs) close() {
	x.mu.Lock()
	defer x.mu.Unlock()
	for name, db := range x.dbs {
		_ = db.Close()
		delete(x.dbs, name)
	}
}
