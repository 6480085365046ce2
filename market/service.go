package market

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// Config tunes the market.
type Config struct {
	StoreTimeout  time.Duration // per database call; default 5s
	PollInterval  time.Duration // how often a watched auction reads the log for other processes' events; default 1s
	SweepInterval time.Duration // how often due auctions are looked for; default 1s
	IdleAfter     time.Duration // a finished, unwatched runner is let go after this; default 1m
	Heartbeat     time.Duration // socket heartbeat; default 20s
	// SerialWrites makes this process's hot-path writes take turns. The
	// embedded store (SQLite) admits one writer at a time anyway; waiting in
	// a Go queue is cheaper and fairer than its busy-retry.
	SerialWrites bool
	// OnDeal, when set, learns of every auction that closed with a sale
	// (the price data's auction source). It may be called more than once
	// for one auction (a retried finish, several processes): it must be
	// idempotent by auction.
	OnDeal func(context.Context, Deal) error
	// StoreHealthy, when set, says whether the database answered its last
	// health ping; while it does not, bids are refused at once with 503
	// instead of queueing behind store calls that time out one by one.
	StoreHealthy func() bool
}

func (c *Config) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.StoreTimeout, 5*time.Second)
	def(&c.PollInterval, time.Second)
	def(&c.SweepInterval, time.Second)
	def(&c.IdleAfter, time.Minute)
	def(&c.Heartbeat, 20*time.Second)
}

// Service is the market domain.
type Service struct {
	cfg        Config
	log        *slog.Logger
	accounts   *farmers.Service
	auctions   *mongo.Collection
	events     *mongo.Collection
	refusals   *mongo.Collection
	proxies    *mongo.Collection
	orders     *mongo.Collection
	photos     *mongo.Collection
	bidders    *mongo.Collection
	open       *mongo.Collection
	photoRefs  *mongo.Collection
	photoCache *photoCache
	peers      *peers

	writeMu sync.Mutex // see Config.SerialWrites
	// group commit across auctions for the two hot-path collections
	eventWriter, refusalWriter *combiner
	mu                         sync.Mutex
	runners                    map[string]*runner
	draining                   bool // runners are stopping
	noSocket                   bool // sockets are closed and no new ones taken
	loading                    map[string]*loadCall
	stop                       chan struct{}
	swept                      chan struct{}
	startOnce                  sync.Once
}

// NewService wires the market to db and creates its indexes.
func NewService(ctx context.Context, db *mongo.Database, accounts *farmers.Service, cfg Config, log *slog.Logger) (*Service, error) {
	cfg.defaults()
	s := &Service{
		cfg: cfg, log: log, accounts: accounts,
		auctions:   db.Collection("auctions"),
		events:     db.Collection("auction_events"),
		refusals:   db.Collection("bid_refusals"),
		proxies:    db.Collection("proxy_bids"),
		orders:     db.Collection("orders"),
		photos:     db.Collection("lot_photos"),
		bidders:    db.Collection("auction_bidders"),
		open:       db.Collection("open_auctions"),
		photoRefs:  db.Collection("lot_photo_refs"),
		photoCache: newPhotoCache(64 << 20),
		peers:      newPeers(db.Collection("processes"), 2*cfg.PollInterval, log),
		runners:    make(map[string]*runner),
		loading:    make(map[string]*loadCall),
		stop:       make(chan struct{}),
		swept:      make(chan struct{}),
	}
	for coll, idx := range map[*mongo.Collection][]mongo.IndexModel{
		s.auctions: auctionIndexes(), s.events: eventIndexes(), s.refusals: refusalIndexes(),
		s.proxies: proxyIndexes(), s.orders: orderIndexes(), s.photoRefs: photoIndexes(),
		s.bidders: bidderIndexes(), s.open: openIndexes(),
		s.photos: nil, // no index of its own, but reads by _id (store.EnsureIndexes)
	} {
		if err := store.EnsureIndexes(ctx, coll, idx...); err != nil {
			return nil, err
		}
	}
	s.eventWriter = newCombiner(s.events, true, cfg.StoreTimeout, s.writeTurn)
	s.refusalWriter = newCombiner(s.refusals, false, cfg.StoreTimeout, s.writeTurn)
	return s, nil
}

// writeTurn waits for this process's turn to write, if writes take turns,
// and returns the function that ends it.
func (s *Service) writeTurn() func() {
	if !s.cfg.SerialWrites {
		return func() {}
	}
	s.writeMu.Lock()
	return s.writeMu.Unlock
}

func (s *Service) storeCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), s.cfg.StoreTimeout)
}

// loadCall lets concurrent first requests for one auction share one load.
type loadCall struct {
	done chan struct{}
	r    *runner
	err  error
}

// runnerFor returns the auction's runner in this process, loading it from
// the store on first use.
func (s *Service) runnerFor(ctx context.Context, id string) (*runner, error) {
	s.mu.Lock()
	if s.draining {
		s.mu.Unlock()
		return nil, errStopped
	}
	if r, ok := s.runners[id]; ok {
		s.mu.Unlock()
		return r, nil
	}
	call, loading := s.loading[id]
	if !loading {
		call = &loadCall{done: make(chan struct{})}
		s.loading[id] = call
	}
	s.mu.Unlock()
	if loading {
		select {
		case <-call.done:
			return call.r, call.err
		case <-ctx.Done():
			return nil, httpx.ErrUnavailable
		}
	}
	call.r, call.err = s.loadRunner(id)
	s.mu.Lock()
	delete(s.loading, id)
	if call.err == nil {
		if s.draining {
			call.r, call.err = nil, errStopped
		} else {
			s.runners[id] = call.r
			go call.r.run()
		}
	}
	s.mu.Unlock()
	close(call.done)
	return call.r, call.err
}

// loadRunner reads an auction and its whole log into a new runner.
func (s *Service) loadRunner(id string) (*runner, error) {
	ctx, cancel := s.storeCtx()
	defer cancel()
	a, err := s.getAuction(ctx, id)
	if err != nil {
		return nil, err
	}
	r := &runner{
		svc: s, a: a, log: s.log, st: initialState(a),
		keys: make(map[string]answer), proxies: map[string]int64{}, bidders: map[string]bool{},
		reqs: make(chan *request, 1024), stop: make(chan struct{}), stopped: make(chan struct{}),
		lastUse: time.Now(),
	}
	r.hub.setState(r.st)
	if err := r.catchUp(); err != nil {
		return nil, err
	}
	if err := r.loadRefusals(ctx); err != nil {
		return nil, err
	}
	if err := r.loadPhotos(ctx); err != nil {
		return nil, err
	}
	r.dirty = r.a.Cache.Seq != r.st.seq
	return r, nil
}

func (s *Service) getAuction(ctx context.Context, id string) (*Auction, error) {
	var a Auction
	err := s.auctions.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&a)
	if store.IsNotFound(err) {
		return nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find auction %s: %w", id, err)
	}
	return &a, nil
}

// retire stops an idle runner; a later request loads it afresh.
func (s *Service) retire(r *runner) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.runners[r.a.ID] == r && len(r.reqs) == 0 {
		delete(s.runners, r.a.ID)
		close(r.stop)
	}
}

// do runs q on the auction's runner. A runner retired between lookup and
// submit is replaced once.
func (s *Service) do(ctx context.Context, id string, q *request) outcome {
	if !s.storeHealthy() {
		return outcome{err: httpx.ErrUnavailable}
	}
	for range 2 {
		r, err := s.runnerFor(ctx, id)
		if err != nil {
			return outcome{err: err}
		}
		out := r.submit(ctx, q)
		if out.err != errStopped || s.isDraining() {
			return out
		}
	}
	return outcome{err: errStopped}
}

// storeHealthy is the fail-fast gate for writes (Config.StoreHealthy).
func (s *Service) storeHealthy() bool { return s.cfg.StoreHealthy == nil || s.cfg.StoreHealthy() }

func (s *Service) isDraining() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.draining
}

// Start begins closing due auctions (also those that fell due while the
// server was down).
func (s *Service) Start() {
	s.startOnce.Do(func() {
		go s.sweep()
	})
}

func (s *Service) sweep() {
	defer close(s.swept)
	t := time.NewTicker(min(s.cfg.SweepInterval, s.peers.every))
	defer t.Stop()
	var purged, beaten time.Time
	for {
		if time.Since(beaten) >= s.peers.every {
			s.beatPeers()
			beaten = time.Now()
		}
		s.loadDue()
		if time.Since(purged) > time.Hour {
			s.purgeRefusals()
			purged = time.Now()
		}
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
	}
}

// CloseSockets closes every watcher's socket (code 1001) and refuses new
// ones, first in a shutdown: open sockets would hold the HTTP server open.
func (s *Service) CloseSockets() {
	s.mu.Lock()
	s.noSocket = true
	runners := make([]*runner, 0, len(s.runners))
	for _, r := range s.runners {
		runners = append(runners, r)
	}
	s.mu.Unlock()
	for _, r := range runners {
		r.hub.closeAll()
	}
}

func (s *Service) socketsClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.noSocket
}

func (s *Service) beatPeers() {
	ctx, cancel := s.storeCtx()
	defer cancel()
	s.peers.beat(ctx)
}

// Shutdown stops the sweeper and every runner: requests already queued are
// answered (accepted bids are stored first), sockets are closed.
func (s *Service) Shutdown(ctx context.Context) {
	s.mu.Lock()
	if s.draining {
		s.mu.Unlock()
		return
	}
	s.draining = true
	runners := make([]*runner, 0, len(s.runners))
	for _, r := range s.runners {
		runners = append(runners, r)
	}
	s.runners = map[string]*runner{}
	s.mu.Unlock()
	close(s.stop)
	for _, r := range runners {
		close(r.stop)
	}
	for _, r := range runners {
		select {
		case <-r.stopped:
		case <-ctx.Done():
			return
		}
	}
	s.startOnce.Do(func() { close(s.swept) }) // never started: nothing to wait for
	select {
	case <-s.swept:
		// no runner is left to write
		s.eventWriter.stop()
		s.refusalWriter.stop()
	case <-ctx.Done():
	}
	s.peers.leave(ctx)
}
