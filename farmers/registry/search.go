package registry

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// Every value of a list's query is a literal: checked against a closed set
// or compared for equality; q is quoted before it becomes a pattern.

// peopleFilter reads the people list's query: role, region (a county, a
// city with its counties, or 210000), crop, verified (true/false) and q
// (a name prefix).
func peopleFilter(c *fiber.Ctx, v viewer) (bson.D, error) {
	bad := map[string]string{}
	f := sharedFilter(c, "crops.crop", bad)
	if r := c.Query("role"); r != "" {
		if KnownRole(r) {
			f = append(f, bson.E{Key: "roles", Value: r})
		} else {
			bad["role"] = "must be one of: " + joinedRoles
		}
	}
	if q := queryText(c, bad); q != "" {
		f = append(f, bson.E{Key: "name", Value: bson.Regex{Pattern: "^" + regexp.QuoteMeta(q)}})
		if !v.staff {
			// A name search over masked names would tell a caller whether
			// 王大山 is registered; search only names shown to it in full.
			f = append(f, bson.E{Key: "consent.name", Value: v.audience})
		}
	}
	return f, invalidIf(bad)
}

// orgFilter reads the organisation list's query: type, region, crop (a
// product), verified and q (part of the name: organisations' names are
// public, and a co-op is looked for by its trade word, 绿源, more than by
// the place its name starts with).
func orgFilter(c *fiber.Ctx) (bson.D, error) {
	bad := map[string]string{}
	f := sharedFilter(c, "products.crop", bad)
	if t := c.Query("type"); t != "" {
		if KnownOrgType(t) {
			f = append(f, bson.E{Key: "type", Value: t})
		} else {
			bad["type"] = "must be one of: " + strings.Join(OrgTypes, " ")
		}
	}
	if q := queryText(c, bad); q != "" {
		f = append(f, bson.E{Key: "name", Value: bson.Regex{Pattern: regexp.QuoteMeta(q)}})
	}
	return f, invalidIf(bad)
}

// sharedFilter reads what both lists filter on: region, crop (matched in
// cropField) and verified. Problems go into bad.
func sharedFilter(c *fiber.Ctx, cropField string, bad map[string]string) bson.D {
	f := bson.D{}
	if code := c.Query("region"); code != "" {
		e, err := datasets.RegionFilter("region", code)
		if err != nil {
			bad["region"] = "must be the GB/T 2260 code of Liaoning (210000) or of one of its cities or counties"
		} else {
			f = append(f, e)
		}
	}
	if crop := c.Query("crop"); crop != "" {
		// A dotted path, not $elemMatch: FerretDB 1.24 answers $elemMatch
		// on sub-documents with nothing (measured), dotted paths correctly.
		f = append(f, bson.E{Key: cropField, Value: crop})
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
	return f
}

// queryText is ?q, bounded.
func queryText(c *fiber.Ctx, bad map[string]string) string {
	q := c.Query("q")
	if utf8.RuneCountInString(q) > maxNameLen {
		bad["q"] = "must be at most 50 characters"
	}
	return q
}

func invalidIf(bad map[string]string) error {
	if len(bad) > 0 {
		return httpx.Invalid(bad)
	}
	return nil
}
