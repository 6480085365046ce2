package registry

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// A signed-in user's registry entry is the one with their account's phone:
// the same person, whether staff imported them first or they wrote it.

// errNoEntry answers /me routes of a user with no registry entry yet.
var errNoEntry = httpx.Errorf(404, "not_found", "you have no registry entry yet: PUT /api/v1/me/profile first")

func byPhone(phone string) bson.D { return bson.D{{Key: "phone", Value: phone}} }

// handleMyProfile shows the caller's own entry, in full.
func (s *Service) handleMyProfile(c *fiber.Ctx) error {
	u := farmers.CurrentUser(c)
	p, err := s.findPerson(c.UserContext(), byPhone(u.Phone))
	if err == httpx.ErrNotFound {
		return errNoEntry
	}
	if err != nil {
		return err
	}
	return c.JSON(viewerOfUser(u).view(*p))
}

// handlePutMyProfile writes the caller's profile, creating the entry on
// first use. One upsert on the phone: the unique index decides between two
// first writes at once, and the loser's retry updates what the winner made.
func (s *Service) handlePutMyProfile(c *fiber.Ctx) error {
	var in personInput
	if err := decodeInput(c, &in); err != nil {
		return err
	}
	u := farmers.CurrentUser(c)
	if in.Phone != "" && in.Phone != u.Phone {
		return httpx.Invalid(map[string]string{"phone": "is your account's phone; it cannot be changed here"})
	}
	in.Phone = u.Phone
	fresh := newPerson(&in, SourceSelf, tz.In(time.Now()))
	update := bson.D{
		{Key: "$set", Value: append(profileFields(&fresh), bson.E{Key: "updatedAt", Value: fresh.UpdatedAt})},
		{Key: "$setOnInsert", Value: bson.D{
			{Key: "_id", Value: fresh.ID}, {Key: "source", Value: fresh.Source},
			{Key: "verification", Value: fresh.Verification}, {Key: "consent", Value: fresh.Consent},
			{Key: "createdAt", Value: fresh.CreatedAt},
		}},
	}
	opts := options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)
	var p Person
	err := s.people.FindOneAndUpdate(c.UserContext(), byPhone(u.Phone), update, opts).Decode(&p)
	if store.IsDuplicate(err) { // a concurrent first write made the entry
		err = s.people.FindOneAndUpdate(c.UserContext(), byPhone(u.Phone), update, opts).Decode(&p)
	}
	if err != nil {
		return fmt.Errorf("write own registry entry: %w", err)
	}
	return c.JSON(viewerOfUser(u).view(p))
}

// handleMyConsent shows the caller's consent settings.
func (s *Service) handleMyConsent(c *fiber.Ctx) error {
	p, err := s.findPerson(c.UserContext(), byPhone(farmers.CurrentUser(c).Phone))
	if err == httpx.ErrNotFound {
		return errNoEntry
	}
	if err != nil {
		return err
	}
	return c.JSON(p.Consent.normalised())
}

// handlePutMyConsent replaces the caller's consent settings: a field left
// out of the body is shared with nobody.
func (s *Service) handlePutMyConsent(c *fiber.Ctx) error {
	var in Consent
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	if err := in.validate(); err != nil {
		return err
	}
	in = in.normalised()
	set := bson.D{{Key: "consent", Value: in}, {Key: "updatedAt", Value: time.Now()}}
	_, err := s.updatePerson(c.UserContext(), byPhone(farmers.CurrentUser(c).Phone), set)
	if err == httpx.ErrNotFound {
		return errNoEntry
	}
	if err != nil {
		return err
	}
	return c.JSON(in)
}
