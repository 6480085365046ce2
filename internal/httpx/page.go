package httpx

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// List is the envelope of every list response.
type List[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next"`
}

// Limit reads ?limit= (default 50, 1..500).
func Limit(c *fiber.Ctx) (int, error) {
	s := c.Query("limit")
	if s == "" {
		return 50, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 500 {
		return 0, Invalid(map[string]string{"limit": "must be an integer from 1 to 500"})
	}
	return n, nil
}

// QueryInt reads an optional integer query parameter at least min.
func QueryInt(c *fiber.Ctx, name string, def, min int64) (int64, error) {
	s := c.Query(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < min {
		return 0, Invalid(map[string]string{name: "must be an integer of at least " + strconv.FormatInt(min, 10)})
	}
	return n, nil
}
