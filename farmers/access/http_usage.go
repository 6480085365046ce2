package access

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// handleUsage shows an organisation its metered use (members and
// administrators).
func (s *Service) handleUsage(c *fiber.Ctx) error {
	now := time.Now()
	from, to, err := dayRange(c, now)
	if err != nil {
		return err
	}
	o, err := s.orgFor(c.UserContext(), c.Params("id"), farmers.CurrentUser(c), true)
	if err != nil {
		return err
	}
	u, err := s.usageOf(c.UserContext(), o, from, to, now)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

// maxUsageDays bounds one usage query.
const maxUsageDays = 366

// dayRange reads ?from=&to= (YYYY-MM-DD, Asia/Shanghai); by default the
// last 30 days up to today.
func dayRange(c *fiber.Ctx, now time.Time) (string, string, error) {
	to, from := dayOf(now), dayOf(now.AddDate(0, 0, -29))
	bad := map[string]string{}
	for name, v := range map[string]*string{"from": &from, "to": &to} {
		if q := c.Query(name); q != "" {
			if _, ok := parseDay(q); !ok {
				bad[name] = "must be a day as YYYY-MM-DD"
			}
			*v = q
		}
	}
	if len(bad) > 0 {
		return "", "", httpx.Invalid(bad)
	}
	f, _ := parseDay(from)
	t, _ := parseDay(to)
	switch {
	case f.After(t):
		return "", "", httpx.Invalid(map[string]string{"from": "must not be after to"})
	case t.Sub(f) >= maxUsageDays*24*time.Hour:
		return "", "", httpx.Invalid(map[string]string{"from": "the range may span at most 366 days"})
	}
	return from, to, nil
}
