package access

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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

// Config tunes open access.
type Config struct {
	// FlushInterval is how often the in-memory meters are written to the
	// database and other processes' counts read back; default 5s.
	FlushInterval time.Duration
	// KeyCacheTTL is how long a key (and its organisation) is trusted from
	// memory; default 30s. Revocations made by another process take effect
	// here within it.
	KeyCacheTTL time.Duration
	// StoreTimeout bounds each background database call; default 5s.
	StoreTimeout time.Duration
	// Processes, when set, tells how many server processes share the
	// database; each then allows 1/n of a key's rate (see buckets).
	Processes func() int
}

func (c *Config) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.FlushInterval, 5*time.Second)
	def(&c.KeyCacheTTL, 30*time.Second)
	def(&c.StoreTimeout, 5*time.Second)
}

// Service is the open-access domain.
type Service struct {
	cfg      Config
	log      *slog.Logger
	accounts *farmers.Service
	apps     *mongo.Collection // applications for access
	verdicts *mongo.Collection // one decision per application (_id = application id)
	orgs     *mongo.Collection
	keys     *mongo.Collection
	usage    *mongo.Collection // insert-only meter readings

	cache   *keyCache
	buckets *buckets
	meter   *meter
	quotas  *quotas

	stop      chan struct{}
	stopped   chan struct{}
	startOnce sync.Once
	stopOnce  sync.Once
}

// NewService wires open access to db, creates its indexes and finishes any
// decision an earlier process took but did not get to apply.
func NewService(ctx context.Context, db *mongo.Database, accounts *farmers.Service, cfg Config, log *slog.Logger) (*Service, error) {
	cfg.defaults()
	s := &Service{
		cfg: cfg, log: log, accounts: accounts,
		apps:     db.Collection("access_applications"),
		verdicts: db.Collection("access_decisions"),
		orgs:     db.Collection("access_orgs"),
		keys:     db.Collection("access_keys"),
		usage:    db.Collection("access_usage"),
		cache:    newKeyCache(cfg.KeyCacheTTL),
		buckets:  newBuckets(),
		stop:     make(chan struct{}),
		stopped:  make(chan struct{}),
	}
	process := newProcessID()
	s.meter = newMeter(s.usage, process)
	s.quotas = newQuotas(cfg.FlushInterval, s.othersToday(process), log)
	if err := s.ensureIndexes(ctx); err != nil {
		return nil, err
	}
	if err := s.finishDecisions(ctx); err != nil {
		return nil, fmt.Errorf("finish pending decisions: %w", err)
	}
	return s, nil
}

func (s *Service) ensureIndexes(ctx context.Context) error {
	// A fresh options value per index: the driver writes the generated
	// index name into the options it is given, so a shared one names the
	// second index after the first.
	unique := func() *options.IndexOptionsBuilder { return options.Index().SetUnique(true) }
	for coll, idx := range map[*mongo.Collection][]mongo.IndexModel{
		s.apps: {{Keys: bson.D{{Key: "applicant", Value: 1}}}, {Keys: bson.D{{Key: "status", Value: 1}}}},
		s.keys: {
			{Keys: bson.D{{Key: "hash", Value: 1}}, Options: unique()},
			// a key is rotated at most once: its successor's lineage is unique
			{Keys: bson.D{{Key: "lineage", Value: 1}}, Options: unique()},
			{Keys: bson.D{{Key: "org", Value: 1}}},
		},
		s.orgs:  {{Keys: bson.D{{Key: "members.user", Value: 1}}}},
		s.usage: {{Keys: bson.D{{Key: "org", Value: 1}, {Key: "day", Value: 1}}}},
		// no index of its own, but reads by _id (store.EnsureIndexes)
		s.verdicts: nil,
	} {
		if err := store.EnsureIndexes(ctx, coll, idx...); err != nil {
			return err
		}
	}
	return nil
}

// newProcessID names this process's meter readings, so that its quota
// view can add its own live count to what the others have written.
func newProcessID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Start runs the background work: meter flushes, quota refreshes.
func (s *Service) Start() {
	s.startOnce.Do(func() { go s.run() })
}

func (s *Service) run() {
	defer close(s.stopped)
	t := time.NewTicker(s.cfg.FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case now := <-t.C:
			s.tick(now)
		}
	}
}

// tick writes the meters, reads the other processes' counts and forgets
// idle rate buckets.
func (s *Service) tick(now time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.StoreTimeout)
	defer cancel()
	if err := s.meter.flush(ctx); err != nil {
		s.log.Warn("access: meter flush", "err", err)
	}
	s.quotas.refresh(ctx, now)
	s.buckets.prune(now)
}

// Shutdown stops the background work and writes what the meters still hold.
func (s *Service) Shutdown(ctx context.Context) {
	s.stopOnce.Do(func() {
		close(s.stop)
		s.startOnce.Do(func() { close(s.stopped) }) // never started: nothing to wait for
		select {
		case <-s.stopped:
		case <-ctx.Done():
		}
		if err := s.meter.flush(ctx); err != nil {
			s.log.Warn("access: final meter flush", "err", err)
		}
	})
}

func (s *Service) storeCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), s.cfg.StoreTimeout)
}

// processes is the number of processes sharing a key's rate (at least 1).
func (s *Service) processes() int {
	if s.cfg.Processes == nil {
		return 1
	}
	return max(1, s.cfg.Processes())
}
