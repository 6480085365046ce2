package farmers

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// The administrators' user list (用户管理): the web front end's admin page
// finds an account by phone or role before changing its roles.

var (
	phonePrefix = regexp.MustCompile(`^[0-9]{1,11}$`)
	userID      = regexp.MustCompile(`^[0-9a-f]{24}$`)
)

// handleListUsers: GET /users?phone=&role=&limit=&cursor=, in id order.
// phone matches a prefix (an administrator types the first digits);
// cursor is the last id of the page before.
func (s *Service) handleListUsers(c *fiber.Ctx) error {
	limit, err := httpx.Limit(c)
	if err != nil {
		return err
	}
	f := bson.D{}
	if p := c.Query("phone"); p != "" {
		if !phonePrefix.MatchString(p) {
			return httpx.Invalid(map[string]string{"phone": "must be 1 to 11 digits (a prefix of a mobile number)"})
		}
		f = append(f, bson.E{Key: "phone", Value: bson.D{{Key: "$regex", Value: "^" + p}}})
	}
	if r := c.Query("role"); r != "" {
		if !slices.Contains(AllRoles, r) {
			return httpx.Invalid(map[string]string{"role": "must be one of: farmer buyer organizer judge admin"})
		}
		f = append(f, bson.E{Key: "roles", Value: r})
	}
	if cur := c.Query("cursor"); cur != "" {
		if !userID.MatchString(cur) {
			return httpx.Invalid(map[string]string{"cursor": "is not a cursor this list gave"})
		}
		f = append(f, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: cur}}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit) + 1).
		SetProjection(bson.D{{Key: "passwordHash", Value: 0}})
	cur, err := s.users.Find(c.UserContext(), f, opts)
	if err != nil {
		return fmt.Errorf("list users: %w", err)
	}
	users := []User{}
	if err := cur.All(c.UserContext(), &users); err != nil {
		return fmt.Errorf("list users: %w", err)
	}
	out := httpx.List[User]{Items: users}
	if len(users) > limit {
		out.Items = users[:limit]
		out.Next = users[limit-1].ID
	}
	for i := range out.Items {
		out.Items[i].CreatedAt = tz.In(out.Items[i].CreatedAt)
		if out.Items[i].Roles == nil {
			out.Items[i].Roles = []string{}
		}
	}
	return c.JSON(out)
}
