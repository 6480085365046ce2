package datasets

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// Config tunes imports.
type Config struct {
	SpoolDir   string // where uploaded files wait for their import; default os.TempDir()
	BatchSize  int    // rows per write; default 1000
	MaxUpload  int64  // largest import file accepted over HTTP; default 256 MiB
	CountCache time.Duration
}

// Service is the catalogue and the importer.
type Service struct {
	db       *mongo.Database
	accounts *farmers.Service
	cfg      Config
	log      *slog.Logger

	meta, fps, pending, jobs, jobRows *mongo.Collection

	mu       sync.Mutex
	sets     map[string]*Dataset
	counts   map[string]cachedCount
	running  map[string]*runningJob // by job id
	busy     map[string]bool        // datasets with an import running here
	ctx      context.Context        // cancelled at Shutdown: stops imports
	cancel   context.CancelFunc
	importWG sync.WaitGroup
}

type cachedCount struct {
	n  int64
	at time.Time
}

// NewService opens the catalogue's collections and repairs what an import
// interrupted by a crash left behind (see recover.go).
func NewService(ctx context.Context, db *mongo.Database, accounts *farmers.Service, cfg Config, log *slog.Logger) (*Service, error) {
	if cfg.SpoolDir == "" {
		cfg.SpoolDir = os.TempDir()
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 1000
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 256 << 20
	}
	if cfg.CountCache <= 0 {
		cfg.CountCache = 30 * time.Second
	}
	s := &Service{db: db, accounts: accounts, cfg: cfg, log: log,
		meta: db.Collection("dataset_meta"), fps: db.Collection("import_fingerprints"),
		pending: db.Collection("import_pending"), jobs: db.Collection("import_jobs"),
		jobRows: db.Collection("import_rows"),
		sets:    map[string]*Dataset{}, counts: map[string]cachedCount{},
		running: map[string]*runningJob{}, busy: map[string]bool{}}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	downloadLog = log
	if err := store.EnsureIndexes(ctx, s.fps, mongo.IndexModel{Keys: bson.D{{Key: "d", Value: 1}, {Key: "k", Value: 1}}}); err != nil {
		return nil, fmt.Errorf("fingerprint indexes: %w", err)
	}
	if err := store.EnsureIndexes(ctx, s.jobRows, mongo.IndexModel{Keys: bson.D{{Key: "job", Value: 1}, {Key: "batch", Value: 1}}, Options: options.Index().SetUnique(true)}); err != nil {
		return nil, fmt.Errorf("import row indexes: %w", err)
	}
	// no index of their own, but reads by _id (store.EnsureIndexes)
	for _, coll := range []*mongo.Collection{s.meta, s.pending, s.jobs} {
		if err := store.EnsureIndexes(ctx, coll); err != nil {
			return nil, fmt.Errorf("index %s: %w", coll.Name(), err)
		}
	}
	if err := s.recoverPending(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Register adds a dataset to the catalogue. Call it while wiring, before
// the server serves.
func (s *Service) Register(d *Dataset) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.sets[d.Name]; dup {
		panic("datasets: " + d.Name + " registered twice")
	}
	s.sets[d.Name] = d
}

// Get returns the dataset named name.
func (s *Service) Get(name string) (*Dataset, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.sets[name]
	return d, ok
}

// All returns the datasets by name.
func (s *Service) All() []*Dataset {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Dataset, 0, len(s.sets))
	for _, d := range s.sets {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Touch records that a dataset changed now, for the catalogue's
// lastUpdated. Last writer wins, which is what "last updated" means, so a
// plain upsert is right even without atomic read-modify-write.
func (s *Service) Touch(ctx context.Context, name string) {
	s.forgetCount(name)
	_, err := s.meta.UpdateOne(ctx, bson.D{{Key: "_id", Value: name}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "updatedAt", Value: time.Now()}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil && !store.IsDuplicate(err) { // two first upserts at once: the other one wrote it
		s.log.Warn("dataset touch", "dataset", name, "err", err)
	}
}

func (s *Service) forgetCount(name string) {
	s.mu.Lock()
	delete(s.counts, name)
	s.mu.Unlock()
}

// Shutdown stops running imports (each stops after its current batch and
// is marked interrupted; importing the file again resumes it).
func (s *Service) Shutdown(ctx context.Context) {
	if s.cancel == nil {
		return
	}
	s.cancel()
	done := make(chan struct{})
	go func() { s.importWG.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}
