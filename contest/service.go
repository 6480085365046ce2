package contest

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// Config tunes the contest service.
type Config struct {
	// MaxPDFBytes and MaxImageBytes cap attachments; defaults 20 MiB and 5 MiB.
	MaxPDFBytes   int64
	MaxImageBytes int64
	// MaxAttachments per entry; default 10.
	MaxAttachments int
	// Now is the clock (tests move it); default time.Now.
	Now func() time.Time
}

func (c *Config) defaults() {
	if c.MaxPDFBytes == 0 {
		c.MaxPDFBytes = 20 << 20
	}
	if c.MaxImageBytes == 0 {
		c.MaxImageBytes = 5 << 20
	}
	if c.MaxAttachments == 0 {
		c.MaxAttachments = 10
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Service is the contest domain: storage and HTTP around the algorithms of
// this package.
//
// Collections (all prefixed contest_):
//   - editions, rounds, entries, judges: documents organisers and teams edit;
//   - members: one document per (edition, phone), _id "<edition>/<phone>",
//     which makes "one person, one team per edition" a unique-key insert;
//   - assignments (one document per round) and locks (manual add/remove);
//   - sheets: judges' score drafts, overwritten freely;
//   - audit: the append-only log. Every one-time state change (submit,
//     withdraw, veto, score submission, reopen, advancement, awards,
//     publication, pairwise votes and their undo) is a single insert with a
//     deterministic _id, so the second attempt fails on the unique _id and
//     becomes a 409. The log is therefore also the source of truth for
//     those states: a round's view folds the edition's log, read in one
//     query (see ledger.go).
//   - files (GridFS bucket contest_files): attachments.
type Service struct {
	cfg      Config
	log      *slog.Logger
	accounts *farmers.Service

	editions    *mongo.Collection
	rounds      *mongo.Collection
	entries     *mongo.Collection
	members     *mongo.Collection
	judges      *mongo.Collection
	assignments *mongo.Collection
	locks       *mongo.Collection
	sheets      *mongo.Collection
	audit       *mongo.Collection
	files       *mongo.GridFSBucket

	// roundMu serialises, within this process, writers that pick the next
	// number of a round's sequence (pairwise votes); across processes the
	// unique _id arbitrates and the loser retries.
	roundMu sync.Map // round id → *sync.Mutex
}

// NewService wires the contest to db and creates its indexes.
func NewService(ctx context.Context, db *mongo.Database, accounts *farmers.Service, cfg Config, log *slog.Logger) (*Service, error) {
	cfg.defaults()
	s := &Service{
		cfg: cfg, log: log, accounts: accounts,
		editions:    db.Collection("contest_editions"),
		rounds:      db.Collection("contest_rounds"),
		entries:     db.Collection("contest_entries"),
		members:     db.Collection("contest_members"),
		judges:      db.Collection("contest_judges"),
		assignments: db.Collection("contest_assignments"),
		locks:       db.Collection("contest_locks"),
		sheets:      db.Collection("contest_sheets"),
		audit:       db.Collection("contest_audit"),
		files:       db.GridFSBucket(options.GridFSBucket().SetName("contest_files")),
	}
	if err := s.ensureIndexes(ctx); err != nil {
		return nil, fmt.Errorf("contest indexes: %w", err)
	}
	return s, nil
}

func (s *Service) ensureIndexes(ctx context.Context) error {
	unique := options.Index().SetUnique(true)
	byEdition := mongo.IndexModel{Keys: bson.D{{Key: "edition", Value: 1}}}
	byRound := mongo.IndexModel{Keys: bson.D{{Key: "round", Value: 1}}}
	for coll, models := range map[*mongo.Collection][]mongo.IndexModel{
		// A round's position in its edition is unique: two organisers
		// adding "round 2" at once get one round and one 409.
		s.rounds:  {{Keys: bson.D{{Key: "edition", Value: 1}, {Key: "seq", Value: 1}}, Options: unique}},
		s.entries: {byEdition, {Keys: bson.D{{Key: "leader", Value: 1}}}},
		s.judges:  {byEdition},
		s.locks:   {byRound},
		s.sheets:  {byRound},
		s.audit:   {{Keys: bson.D{{Key: "edition", Value: 1}, {Key: "ts", Value: 1}}}},
		// no index of their own, but reads by _id (store.EnsureIndexes)
		s.editions: nil, s.members: nil, s.assignments: nil,
	} {
		if err := store.EnsureIndexes(ctx, coll, models...); err != nil {
			return err
		}
	}
	return nil
}

// now is the service clock in Asia/Shanghai.
func (s *Service) now() time.Time { return s.cfg.Now() }

// lockRound returns the in-process lock of a round's sequences.
func (s *Service) lockRound(id string) func() {
	v, _ := s.roundMu.LoadOrStore(id, &sync.Mutex{})
	mu := v.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

func newID() string { return bson.NewObjectID().Hex() }
