package registry

import (
	"regexp"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// peopleFilter reads the list's query: role, region (a county, a city with
// its counties, or 210000), crop, verified (true/false) and q (a name
// prefix). Every value is a literal: checked against a closed set or
// compared for equality; q is quoted before it becomes a prefix pattern.
func peopleFilter(c *fiber.Ctx, v viewer) (bson.D, error) {
	f := bson.D{}
	bad := map[string]string{}
	if r := c.Query("role"); r != "" {
		if KnownRole(r) {
			f = append(f, bson.E{Key: "roles", Value: r})
		} else {
			bad["role"] = "must be one of: " + joinedRoles
		}
	}
	if code := c.Query("region"); code != "" {
		e, err := datasets.RegionFilter("region", code)
		if err != nil {
			bad["region"] = "must be the GB/T 2260 code of Liaoning (210000) or of one of its cities or counties"
		} else {
			f = append(f, e)
		}
	}
	if crop := c.Query("crop"); crop != "" {
		// crops.crop, not $elemMatch: FerretDB 1.24 answers $elemMatch on
		// sub-documents with nothing (measured), dotted paths correctly.
		f = append(f, bson.E{Key: "crops.crop", Value: crop})
	}
	switch c.Query("verified") {
	case "":
	case "true":
		f = append(f, bson.E{Key: "verification.status", Value: Verified})
	case "false": // an entry never looked at has no status: $ne matches it
		f = append(f, bson.E{Key: "verification.status", Value: bson.D{{Key: "$ne", Value: Verified}}})
	default:
		bad["verified"] = "must be true or false"
	}
	if q := c.Query("q"); q != "" {
		if utf8.RuneCountInString(q) > maxNameLen {
			bad["q"] = "must be at most 50 characters"
		}
		f = append(f, bson.E{Key: "name", Value: bson.Regex{Pattern: "^" + regexp.QuoteMeta(q)}})
		if !v.staff {
			// A name search over masked names would tell a caller whether
			// 王大山 is registered; search only names shown to it in full.
			f = append(f, bson.E{Key: "consent.name", Value: v.audience})
		}
	}
	if len(bad) > 0 {
		return nil, httpx.Invalid(bad)
	}
	return f, nil
}
