package httpx

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/gofiber/fiber/v2"
)

const ridKey = "rid"

// RequestIDMiddleware gives every request an id (or keeps a sane X-Request-Id),
// echoes it in the response and makes it available to logs.
func RequestIDMiddleware(c *fiber.Ctx) error {
	rid := c.Get("X-Request-Id")
	if len(rid) == 0 || len(rid) > 64 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		rid = hex.EncodeToString(b[:])
	}
	c.Locals(ridKey, rid)
	c.Set("X-Request-Id", rid)
	return c.Next()
}

// RequestID returns the id given by RequestIDMiddleware.
func RequestID(c *fiber.Ctx) string {
	s, _ := c.Locals(ridKey).(string)
	return s
}
