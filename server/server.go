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

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/market"
)

// Server is the running platform.
type Server struct {
	cfg      Config
	log      *slog.Logger
	Store    *store.Store
	Accounts *farmers.Service
	Market   *market.Service
	App      *fiber.App

	closeOnce sync.Once
	mu        sync.Mutex
	closed    bool
	ln        net.Listener
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
	if s.cfg.AdminPhone != "" && s.cfg.AdminPassword != "" {
		if err := s.Accounts.EnsureAdmin(ctx, s.cfg.AdminPhone, s.cfg.AdminPassword); err != nil {
			return fmt.Errorf("first administrator: %w", err)
		}
	}
	s.Market, err = market.NewService(ctx, s.Store.DB, s.Accounts, market.Config{PollInterval: s.cfg.PollInterval, SerialWrites: s.cfg.MongoURI == ""}, s.log)
	if err != nil {
		return fmt.Errorf("market: %w", err)
	}
	s.App = s.newApp()
	return nil
}

func (s *Server) newApp() *fiber.App {
	app := fiber.New(fiber.Config{
		AppName: "agrimaker",
		// Strings from a request (ids, keys) outlive it: they key runners
		// and idempotency maps. Without this, fasthttp reuses their bytes.
		Immutable:             true,
		BodyLimit:             maxBody,
		StreamRequestBody:     true,
		ErrorHandler:          httpx.ErrorHandler(s.log),
		DisableStartupMessage: true,
		ReadBufferSize:        8192,
	})
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: s.logPanic}))
	app.Use(httpx.RequestIDMiddleware)
	app.Use(limitBody)
	app.Use(s.accessLog)
	app.Get("/healthz", s.handleHealth)
	app.Get("/readyz", s.handleReady)
	app.Get("/api/openapi.json", s.handleOpenAPI)
	app.Use(s.rateLimiter())
	api := app.Group("/api/v1")
	s.Accounts.Routes(api)
	s.Market.Routes(api)
	s.Market.WSRoutes(app)
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
		s.mu.Unlock()
		s.Market.CloseSockets()
		if err := s.App.ShutdownWithContext(ctx); err != nil && !errors.Is(err, net.ErrClosed) {
			s.log.Warn("http shutdown", "err", err)
		}
		s.Market.Shutdown(ctx)
		s.Store.Close(ctx)
		s.log.Info("stopped")
	})
}
