package farmers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

const userKey = "user"

// Bearer extracts the token from "Authorization: Bearer <token>" ("" when
// there is none). Other gates (API keys beside sessions) read it the same way.
func Bearer(c *fiber.Ctx) string {
	h := c.Get(fiber.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// RequireUser rejects requests without a valid token and stores the user.
func (s *Service) RequireUser(c *fiber.Ctx) error {
	u, err := s.Authenticate(c.UserContext(), Bearer(c))
	if err != nil {
		return err
	}
	c.Locals(userKey, u)
	return c.Next()
}

// RequireRole is RequireUser plus a role check; any of roles suffices.
func (s *Service) RequireRole(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, err := s.Authenticate(c.UserContext(), Bearer(c))
		if err != nil {
			return err
		}
		for _, r := range roles {
			if u.HasRole(r) {
				c.Locals(userKey, u)
				return c.Next()
			}
		}
		return httpx.ErrForbidden
	}
}

// CurrentUser returns the user stored by RequireUser or RequireRole.
func CurrentUser(c *fiber.Ctx) *User {
	u, _ := c.Locals(userKey).(*User)
	return u
}
