package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

func (s *Server) handleHealth(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// handleReady answers 503 while the database does not: at once when the
// health watch saw its last ping fail, else after a ping of its own.
func (s *Server) handleReady(c *fiber.Ctx) error {
	if !s.Store.Healthy() {
		return httpx.ErrUnavailable
	}
	if err := s.Store.Ping(c.UserContext()); err != nil {
		return httpx.ErrUnavailable
	}
	return c.JSON(fiber.Map{"status": "ready"})
}
