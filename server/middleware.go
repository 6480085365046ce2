package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// accessLog writes one line per request. Query strings are left out: they
// may carry a socket's token.
func (s *Server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		status = httpx.AsError(err).Status
	}
	s.log.Info("request", "rid", httpx.RequestID(c), "method", c.Method(), "path", c.Path(),
		"status", status, "ms", time.Since(start).Milliseconds())
	return err
}

func (s *Server) logPanic(c *fiber.Ctx, e any) {
	s.log.Error("panic", "rid", httpx.RequestID(c), "method", c.Method(), "path", c.Path(), "panic", fmt.Sprint(e))
}

// rateLimiter limits each client: by token when there is one (many phones
// share one carrier address), else by address. 10-second windows allow
// short bursts. Each of n processes sharing the database allows 1/n of the
// limit, so a client's requests, spread over them by a balancer, meet the
// configured limit whichever process answers (market.Service.Processes).
// A change of n starts fresh windows.
func (s *Server) rateLimiter() fiber.Handler {
	if s.cfg.RateLimit <= 0 {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	var mu sync.Mutex
	byShare := map[int]fiber.Handler{}
	return func(c *fiber.Ctx) error {
		n := s.Market.Processes()
		mu.Lock()
		h := byShare[n]
		if h == nil {
			h = s.newLimiter(max(1, (s.cfg.RateLimit*10+n-1)/n))
			byShare[n] = h
		}
		mu.Unlock()
		return h(c)
	}
}

func (s *Server) newLimiter(perWindow int) fiber.Handler {
	return limiter.New(limiter.Config{
		Max:          perWindow,
		Expiration:   10 * time.Second,
		KeyGenerator: clientKey,
		LimitReached: func(c *fiber.Ctx) error {
			return &httpx.Error{Status: fiber.StatusTooManyRequests, Code: "rate_limited",
				Message: "too many requests; slow down", RetryAfter: retryAfter(c)}
		},
	})
}

func clientKey(c *fiber.Ctx) string {
	if k := c.Get("X-API-Key"); k != "" { // an API key is the client, like a token (see access.Require)
		sum := sha256.Sum256([]byte(k))
		return "k:" + hex.EncodeToString(sum[:8])
	}
	h := c.Get(fiber.HeaderAuthorization)
	if h == "" {
		h = c.Query("token")
	}
	if h != "" {
		sum := sha256.Sum256([]byte(strings.TrimSpace(h)))
		return "t:" + hex.EncodeToString(sum[:8])
	}
	return "ip:" + c.IP()
}

func retryAfter(c *fiber.Ctx) int {
	var n int
	if _, err := fmt.Sscan(string(c.Response().Header.Peek(fiber.HeaderRetryAfter)), &n); err != nil || n < 1 {
		return 1
	}
	return n
}

// drainLimit is how much of an oversized body is read and thrown away so
// that its sender can read the 413; past it, the connection is just closed.
const drainLimit = 64 << 20

// limitBody refuses bodies over maxBody with the API's error shape. It must
// run before anything reads the body.
func limitBody(c *fiber.Ctx) error {
	if httpx.LargeBodyAllowed(c.Method(), c.Path()) {
		return c.Next() // an upload route: its handler streams with its own limit
	}
	stream := c.Context().RequestBodyStream()
	n := c.Request().Header.ContentLength()
	if stream == nil || n >= 0 && n <= maxBody {
		return c.Next() // small: fasthttp reads it on first use, bounded by n
	}
	if n < 0 { // chunked: read up to the limit to learn the size
		body, err := io.ReadAll(io.LimitReader(stream, maxBody+1))
		if err != nil {
			return httpx.Errorf(fiber.StatusBadRequest, "bad_request", "could not read the request body")
		}
		if len(body) <= maxBody {
			c.Request().SetBodyRaw(body)
			return c.Next()
		}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(stream, drainLimit))
	c.Set(fiber.HeaderConnection, "close")
	return httpx.Errorf(fiber.StatusRequestEntityTooLarge, "too_large", "request body is larger than 1 MiB")
}

// corsForAPI lets browser programs of third parties call the API from any
// origin. Credentials are bearer tokens and API keys in headers, never
// cookies, so a wildcard origin exposes nothing a script could not send
// anyway.
func corsForAPI() fiber.Handler {
	return cors.New(cors.Config{
		AllowOrigins:  "*",
		AllowMethods:  "GET,HEAD,POST,PUT,DELETE,OPTIONS",
		AllowHeaders:  "Authorization,Content-Type,X-API-Key,Idempotency-Key,If-None-Match",
		ExposeHeaders: "ETag,Retry-After,X-Request-Id,Content-Disposition",
		MaxAge:        600,
	})
}
