package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/liaoning12316/agrimaker/contest"
	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/knowledge"
	"github.com/liaoning12316/agrimaker/farmers/prices"
	"github.com/liaoning12316/agrimaker/farmers/registry"
	"github.com/liaoning12316/agrimaker/farmers/supply"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/market"
	"github.com/liaoning12316/agrimaker/web"
)

// Server is the running platform.
type Server struct {
	cfg      Config
	log      *slog.Logger
	Store    *store.Store
	Accounts *farmers.Service
	Access   *access.Service
	Market   *market.Service
	Contest  *contest.Service
	Datasets *datasets.Service
	Registry *registry.Service
	App      *fiber.App

	// 12316 open data (wireOpenData)
	Knowledge *knowledge.Service
	Prices    *prices.Service
	Supply    *supply.Service

	closeOnce sync.Once
	mu        sync.Mutex
	closed    bool
	ln        net.Listener
	stopDemo  context.CancelFunc
	demo      sync.WaitGroup
}

// JSON bodies up to 1 MiB (the contract). Bodies are streamed so that
// limitBody can read and discard an oversized one and answer a readable
// 413: refusing on Content-Length alone closes the connection while the
// client is still sending, and the client sees a reset instead.
const maxBody = 1 << 20

// New opens the database, wires the domains and builds the app.
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Server, error) {
	st, err := store.Open(ctx, store.Config{URI: cfg.MongoURI, DataDir: cfg.DataDir, Database: cfg.Database, EmbeddedAddr: cfg.EmbeddedAddr}, log)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, Store: st}
	if err := s.wire(ctx); err != nil {
		st.Close(context.Background())
		return nil, err
	}
	return s, nil
}

func (s *Server) wire(ctx context.Context) error {
	var err error
	s.Accounts, err = farmers.NewService(ctx, s.Store.DB, farmers.Config{TokenTTL: s.cfg.TokenTTL, PasswordCost: s.cfg.PasswordCost}, s.log)
	if err != nil {
		return fmt.Errorf("accounts: %w", err)
	}
	s.Access, err = access.NewService(ctx, s.Store.DB, s.Accounts, access.Config{FlushInterval: s.cfg.AccessFlushInterval, Processes: s.processes}, s.log)
	if err != nil {
		return fmt.Errorf("access: %w", err)
	}
	if s.cfg.AdminPhone != "" && s.cfg.AdminPassword != "" {
		if err := s.Accounts.EnsureAdmin(ctx, s.cfg.AdminPhone, s.cfg.AdminPassword); err != nil {
			return fmt.Errorf("first administrator: %w", err)
		}
	}
	s.Datasets, err = datasets.NewService(ctx, s.Store.DB, s.Accounts, datasets.Config{SpoolDir: s.cfg.SpoolDir, MaxUpload: s.cfg.ImportMaxBytes}, s.log)
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	s.Registry, err = registry.NewService(ctx, s.Store.DB, s.Accounts, s.Access, s.Datasets)
	if err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	if err := s.wireOpenData(ctx); err != nil {
		return err
	}
	s.Market, err = market.NewService(ctx, s.Store.DB, s.Accounts, market.Config{PollInterval: s.cfg.PollInterval, SerialWrites: s.cfg.MongoURI == "", OnDeal: s.recordDeal, StoreHealthy: s.Store.Healthy}, s.log)
	if err != nil {
		return fmt.Errorf("market: %w", err)
	}
	s.Contest, err = contest.NewService(ctx, s.Store.DB, s.Accounts, contest.Config{}, s.log)
	if err != nil {
		return fmt.Errorf("contest: %w", err)
	}
	s.App = s.newApp()
	return nil
}

func (s *Server) newApp() *fiber.App {
	fc := fiber.Config{
		AppName: "agrimaker",
		// Strings from a request (ids, keys) outlive it: they key runners
		// and idempotency maps. Without this, fasthttp reuses their bytes.
		Immutable:             true,
		BodyLimit:             maxBody,
		StreamRequestBody:     true,
		ErrorHandler:          httpx.ErrorHandler(s.log),
		DisableStartupMessage: true,
		ReadBufferSize:        8192,
	}
	if len(s.cfg.TrustedProxies) > 0 {
		// Behind a balancer: c.IP() is the first valid address of its
		// X-Forwarded-For, and only when the request came from it.
		fc.EnableTrustedProxyCheck = true
		fc.TrustedProxies = s.cfg.TrustedProxies
		fc.ProxyHeader = fiber.HeaderXForwardedFor
		fc.EnableIPValidation = true
	}
	app := fiber.New(fc)
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: s.logPanic}))
	app.Use(httpx.RequestIDMiddleware)
	app.Use(limitBody)
	app.Use(s.accessLog)
	app.Use("/api", corsForAPI())
	app.Get("/healthz", s.handleHealth)
	app.Get("/readyz", s.handleReady)
	app.Get("/api/openapi.json", s.handleOpenAPI)
	app.Use(s.rateLimiter())
	api := app.Group("/api/v1")
	s.Accounts.Routes(api)
	s.Access.Routes(api)
	s.Market.Routes(api)
	s.Contest.Routes(api)
	s.Datasets.Routes(api)
	s.Registry.Routes(api)
	s.Knowledge.Routes(api)
	s.Prices.Routes(api)
	s.Supply.Routes(api)
	s.Market.WSRoutes(app)
	web.Routes(app)
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	return app
}

// Serve starts background work and serves on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ln.Close()
	}
	s.ln = ln
	s.mu.Unlock()
	s.Market.Start()
	if s.cfg.Demo {
		ctx, cancel := context.WithCancel(context.Background())
		s.mu.Lock()
		s.stopDemo = cancel
		s.mu.Unlock()
		s.demo.Add(1)
		go func() { defer s.demo.Done(); s.loadDemo(ctx) }()
	}
	s.Access.Start()
	s.log.Info("serving", "addr", ln.Addr().String())
	if err := s.App.Listener(ln); err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

// Shutdown closes sockets, lets in-flight requests (and so in-flight bids)
// finish, stops the auction runners and closes the database.
func (s *Server) Shutdown(ctx context.Context) {
	s.closeOnce.Do(func() {
		grace := s.cfg.ShutdownGrace
		if grace <= 0 {
			grace = 10 * time.Second
		}
		ctx, cancel := context.WithTimeout(ctx, grace)
		defer cancel()
		s.mu.Lock()
		s.closed = true
		if s.ln != nil {
			_ = s.ln.Close() // also when Serve has not reached the listener yet
		}
		stopDemo := s.stopDemo
		s.mu.Unlock()
		if stopDemo != nil {
			stopDemo()
		}
		s.Market.CloseSockets()
		if err := s.App.ShutdownWithContext(ctx); err != nil && !errors.Is(err, net.ErrClosed) {
			s.log.Warn("http shutdown", "err", err)
		}
		s.Market.Shutdown(ctx)
		s.Datasets.Shutdown(ctx)
		s.demo.Wait()
		s.Access.Shutdown(ctx)
		s.Store.Close(ctx)
		s.log.Info("stopped")
	})
}

// wireOpenData builds the 12316 data resources: they need the catalogue
// (Datasets) and the API-key gate (Access).

// processes is how many server processes share the database (the market's
// heartbeats know); before the market is wired, 1.
func (s *Server) processes() int {
	if s.Market == nil {
		return 1
	}
	return s.Market.Processes()
}

// recordDeal feeds an auction's sale into the market prices (one of the
// price data's sources); prices stores one point per auction, idempotently.
func (s *Server) recordDeal(ctx context.Context, d market.Deal) error {
	return s.Prices.RecordAuction(ctx, prices.AuctionClose{AuctionID: d.Auction, Commodity: d.Commodity, Variety: d.Variety,
		Region: d.Origin, Unit: d.Unit, Quantity: d.Quantity, Price: d.Price, ClosedAt: d.ClosedAt})
}

// wireOpenData builds the 12316 data resources on the catalogue.
func (s *Server) wireOpenData(ctx context.Context) error {
	var err error
	if s.Knowledge, err = knowledge.NewService(ctx, s.Store.DB, s.Accounts, s.Access, s.Datasets, s.log); err != nil {
		return fmt.Errorf("knowledge: %w", err)
	}
	if s.Prices, err = prices.NewService(ctx, s.Store.DB, s.Accounts, s.Access, s.Datasets, s.log); err != nil {
		return fmt.Errorf("prices: %w", err)
	}
	if s.Supply, err = supply.NewService(ctx, s.Store.DB, s.Accounts, s.Access, s.Datasets, s.log); err != nil {
		return fmt.Errorf("supply: %w", err)
	}
	return nil
}
