package datasets

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/regions"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Query filters the data resources share. Every value a client sends is
// used as a literal: validated against a closed set (a region code, a
// calendar day) or compared for equality, never spliced into a regex or
// read as an operator.

// RegionFilter matches field against the region code: a county matches
// itself, a city itself and its counties, 210000 the whole province.
// A code that is not a Liaoning region is a 422 naming "region".
//
// A city's counties share its first four digits (GB/T 2260), so the filter
// is an anchored prefix, which MongoDB answers from an index on field. The
// prefix is built from a code found in the region table, so it is digits.
func RegionFilter(field, code string) (bson.E, error) {
	code, ok := regions.Canonical(code) // stored codes are canonical too
	if !ok {
		return bson.E{}, httpx.Invalid(map[string]string{"region": "must be a GB/T 2260 code of a Liaoning region (21xxxx)"})
	}
	switch {
	case code == regions.Province:
		return bson.E{Key: field, Value: bson.Regex{Pattern: "^21"}}, nil
	case regions.IsCity(code):
		return bson.E{Key: field, Value: bson.Regex{Pattern: "^" + code[:4]}}, nil
	}
	return bson.E{Key: field, Value: code}, nil
}

// DayLayout is how calendar days are written: in Asia/Shanghai, as 12316 does.
const DayLayout = "2006-01-02"

// ParseDay reads a calendar day (YYYY-MM-DD) as its midnight in Shanghai.
func ParseDay(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(DayLayout, s, tz.Shanghai)
	return t, err == nil
}

// Today is the current calendar day in Shanghai.
func Today() string { return DayOf(time.Now()) }

// DayOf is the calendar day of t in Shanghai.
func DayOf(t time.Time) string { return t.In(tz.Shanghai).Format(DayLayout) }

// Days reads the optional ?from= and ?to= calendar days (inclusive). An
// absent bound is "". A malformed day, or from after to, is a 422.
func Days(c *fiber.Ctx) (from, to string, err error) {
	bad := map[string]string{}
	from, to = c.Query("from"), c.Query("to")
	for name, v := range map[string]string{"from": from, "to": to} {
		if _, ok := ParseDay(v); v != "" && !ok {
			bad[name] = "must be a date YYYY-MM-DD"
		}
	}
	if len(bad) == 0 && from != "" && to != "" && from > to {
		bad["to"] = "must not be before from"
	}
	if len(bad) > 0 {
		return "", "", httpx.Invalid(bad)
	}
	return from, to, nil
}

// DayFilter bounds a field holding YYYY-MM-DD strings (which sort as the
// days do) by the inclusive days from and to; "" leaves a side open.
// ok is false when neither bound is set.
func DayFilter(field, from, to string) (e bson.E, ok bool) {
	return rangeFilter(field, from, to, "$lte")
}

// TimeFilter bounds a datetime field by the calendar days from and to
// (inclusive, Shanghai): from's midnight up to the midnight after to.
func TimeFilter(field, from, to string) (e bson.E, ok bool) {
	var lo, hi any
	if t, ok := ParseDay(from); ok {
		lo = t
	}
	if t, ok := ParseDay(to); ok {
		hi = t.AddDate(0, 0, 1)
	}
	return rangeFilter(field, lo, hi, "$lt")
}

func rangeFilter[T comparable](field string, lo, hi T, hiOp string) (bson.E, bool) {
	var zero T
	cond := bson.D{}
	if lo != zero {
		cond = append(cond, bson.E{Key: "$gte", Value: lo})
	}
	if hi != zero {
		cond = append(cond, bson.E{Key: hiOp, Value: hi})
	}
	return bson.E{Key: field, Value: cond}, len(cond) > 0
}

// InvalidRow turns a Parse rejection into the API's 422, for routes that
// create records through their dataset's Parse; other errors pass as they are.
func InvalidRow(err error) error {
	var re *RowError
	if errors.As(err, &re) {
		return httpx.Invalid(re.Fields)
	}
	return err
}
