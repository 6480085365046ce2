// Package store opens the MongoDB-compatible database the domains share:
// an embedded FerretDB (SQLite) by default, or a real MongoDB deployment.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// Config says which database to use.
type Config struct {
	URI          string // MongoDB URI; empty means embedded FerretDB.
	DataDir      string // embedded data folder.
	Database     string // database name.
	EmbeddedAddr string // TCP address of the embedded listener; default 127.0.0.1:0.
}

// Store is an open database plus whatever must be stopped with it.
type Store struct {
	Client *mongo.Client
	DB     *mongo.Database
	URI    string // the URI the client connected to (the embedded listener's when embedded).

	embeddedDir  string // absolute; empty unless this process hosts the database
	stopEmbedded context.CancelFunc
	embeddedDone chan struct{}
	health       health
}

// Open connects to cfg.URI, or starts an embedded FerretDB when it is empty.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Store, error) {
	s := &Store{URI: cfg.URI}
	if s.URI == "" {
		if err := s.startEmbedded(cfg, log); err != nil {
			return nil, err
		}
	}
	opts := options.Client().ApplyURI(s.URI).
		SetServerSelectionTimeout(3 * time.Second).
		SetConnectTimeout(3 * time.Second).
		SetMaxPoolSize(64)
	client, err := mongo.Connect(opts)
	if err != nil {
		s.Close(ctx)
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	s.Client = client
	s.DB = client.Database(cfg.Database)
	if s.embeddedDir != "" {
		s.trackEmbedded(s.embeddedDir)
	}
	if err := s.Ping(ctx); err != nil {
		s.Close(ctx)
		return nil, fmt.Errorf("database does not answer: %w", err)
	}
	s.health.start(func(ctx context.Context) error { return s.Client.Ping(ctx, readpref.Primary()) })
	return s, nil
}

func (s *Store) startEmbedded(cfg Config, log *slog.Logger) error {
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	addr := cfg.EmbeddedAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	// FerretDB logs every connection at info level; only its errors matter to us.
	flog := log.With("component", "ferretdb")
	quiet := slog.New(levelFilter{flog.Handler(), slog.LevelError})
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
		Logger:    quiet,
	})
	if err != nil {
		return fmt.Errorf("start embedded database: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	s.embeddedDir = dir
	s.stopEmbedded = cancel
	s.embeddedDone = make(chan struct{})
	go func() {
		defer close(s.embeddedDone)
		_ = f.Run(runCtx)
	}()
	s.URI = f.MongoDBURI() // blocks until the listener has its address
	log.Info("embedded database started", "dir", dir, "uri", s.URI)
	return nil
}

// Ping reports whether the database answers within a short time.
// Its answer also feeds the health watch (Healthy).
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	start := time.Now()
	err := s.Client.Ping(ctx, readpref.Primary())
	s.health.record(start, err)
	return err
}

// Close disconnects and stops the embedded database, if any.
func (s *Store) Close(ctx context.Context) {
	s.health.close()
	s.untrackEmbedded()
	if s.Client != nil {
		_ = s.Client.Disconnect(ctx)
	}
	if s.stopEmbedded != nil {
		s.stopEmbedded()
		select {
		case <-s.embeddedDone:
		case <-time.After(5 * time.Second):
		}
	}
}

// IsDuplicate reports whether err is a unique-index violation.
//
// FerretDB 1.24 reports a unique violation raised by an update (not an
// insert) as an InternalError carrying SQLite's message (measured:
// "UNIQUE constraint failed: index '…'"), so that message counts too.
func IsDuplicate(err error) bool {
	return mongo.IsDuplicateKeyError(err) || err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// IsNotFound reports whether err means no document matched.
func IsNotFound(err error) bool { return errors.Is(err, mongo.ErrNoDocuments) }

// EnsureIndexes creates indexes one at a time. (FerretDB 1.24 panics on a
// createIndexes naming two or more indexes that already exist, which is what
// every restart does; one per call avoids it and costs nothing on MongoDB.)
//
// On FerretDB only unique indexes are created: its SQLite backend uses no
// index to answer a read, so a non-unique one would only slow every write.
// The one exception is added here too: an index that serves reads by _id
// alone (sqliteid.go), when this process hosts the embedded database.
func EnsureIndexes(ctx context.Context, coll *mongo.Collection, models ...mongo.IndexModel) error {
	ferret, err := isFerretDB(ctx, coll.Database())
	if err != nil {
		return err
	}
	for _, m := range models {
		if ferret && !isUnique(m) {
			continue
		}
		if _, err := coll.Indexes().CreateOne(ctx, m); err != nil {
			return fmt.Errorf("create index on %s: %w", coll.Name(), err)
		}
	}
	if ferret {
		return indexIDs(ctx, coll)
	}
	return nil
}

type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (h levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h levelFilter) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < h.min {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h levelFilter) WithAttrs(as []slog.Attr) slog.Handler {
	return levelFilter{h.Handler.WithAttrs(as), h.min}
}

func (h levelFilter) WithGroup(name string) slog.Handler {
	return levelFilter{h.Handler.WithGroup(name), h.min}
}

// FindAll runs a find and decodes every document; what names the query in
// errors.
func FindAll[T any](ctx context.Context, coll *mongo.Collection, what string, filter any, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := coll.Find(ctx, filter, opts...)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", what, err)
	}
	docs := []T{} // empty, not nil: lists answer [] rather than null
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return docs, nil
}

func isUnique(m mongo.IndexModel) bool {
	if m.Options == nil {
		return false
	}
	var o options.IndexOptions
	for _, set := range m.Options.List() {
		_ = set(&o)
	}
	return o.Unique != nil && *o.Unique
}

// isFerretDB asks the server who it is (FerretDB adds ferretdbVersion to
// buildInfo), once per client.
func isFerretDB(ctx context.Context, db *mongo.Database) (bool, error) {
	if v, ok := ferretClients.Load(db.Client()); ok {
		return v.(bool), nil
	}
	var info bson.M
	if err := db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return false, fmt.Errorf("buildInfo: %w", err)
	}
	_, ferret := info["ferretdbVersion"]
	ferretClients.Store(db.Client(), ferret)
	return ferret, nil
}

var ferretClients sync.Map // *mongo.Client -> bool
