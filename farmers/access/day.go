package access

import (
	"math"
	"time"

	"github.com/liaoning12316/agrimaker/internal/tz"
)

// dayLayout is how days are written in meters, queries and answers.
const dayLayout = "2006-01-02"

// dayOf is the Shanghai calendar day of t: quotas reset at midnight there,
// whatever the server's own zone.
func dayOf(t time.Time) string { return t.In(tz.Shanghai).Format(dayLayout) }

// untilMidnight is the whole seconds from t to the next Shanghai midnight,
// at least 1: what a client over its daily quota should wait.
func untilMidnight(t time.Time) int {
	l := t.In(tz.Shanghai)
	next := time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, tz.Shanghai)
	return max(1, int(math.Ceil(next.Sub(t).Seconds())))
}

// parseDay reads a YYYY-MM-DD day.
func parseDay(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(dayLayout, s, tz.Shanghai)
	return t, err == nil
}
