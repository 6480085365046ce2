package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// ErrOrgExists: the credit code, or the name in the county, is another
// organisation's (both are unique: see ensureOrgIndexes).
var ErrOrgExists = httpx.Errorf(409, "organisation_exists",
	"another organisation has this credit code, or this name in this county")

// ensureOrgIndexes: the key index is the importer's KeyField; the credit
// code is unique when present (sparse: organisations without one are
// skipped, and FerretDB honours a sparse unique index); a name is unique
// within a county, as registration rules have it, which also stops an
// organisation imported once with its code and once without from being two.
// The others serve MongoDB's filters (FerretDB skips them).
func (s *Service) ensureOrgIndexes(ctx context.Context) error {
	err := store.EnsureIndexes(ctx, s.orgs,
		mongo.IndexModel{Keys: bson.D{{Key: "key", Value: 1}}, Options: options.Index().SetUnique(true)},
		mongo.IndexModel{Keys: bson.D{{Key: "creditCode", Value: 1}}, Options: options.Index().SetUnique(true).SetSparse(true)},
		mongo.IndexModel{Keys: bson.D{{Key: "region", Value: 1}, {Key: "name", Value: 1}}, Options: options.Index().SetUnique(true)},
		mongo.IndexModel{Keys: bson.D{{Key: "name", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "type", Value: 1}, {Key: "_id", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "products.crop", Value: 1}, {Key: "_id", Value: 1}}})
	if err != nil {
		return fmt.Errorf("registry organisation indexes: %w", err)
	}
	return nil
}

// handleOrgList lists organisations, masked for the caller (see respondList).
func (s *Service) handleOrgList(c *fiber.Ctx) error {
	f, err := orgFilter(c)
	if err != nil {
		return err
	}
	return s.respondList(c, s.orgListing(), f, viewerOf(access.CallerFrom(c)))
}

// handleOrgGet shows one organisation, masked, logged for a key caller.
func (s *Service) handleOrgGet(c *fiber.Ctx) error {
	ctx := c.UserContext()
	o, err := s.findOrg(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	caller := access.CallerFrom(c)
	ov, _, masked := viewerOf(caller).showOrg(*o)
	d := newDisclosures(c, caller)
	d.add(orgDisclosure(o, masked))
	if err := s.writeLog(ctx, d); err != nil {
		return err
	}
	return c.JSON(ov)
}

// handleOrgMembers lists the people whose cooperative is this
// organisation's name, in its city (the rule cooperativeId follows), with
// the people list's filters, masking and log.
func (s *Service) handleOrgMembers(c *fiber.Ctx) error {
	o, err := s.findOrg(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	v := viewerOf(access.CallerFrom(c))
	f, err := peopleFilter(c, v)
	if err != nil {
		return err
	}
	// $and: the caller's own region filter may be in f already.
	f = append(f, bson.E{Key: "$and", Value: bson.A{
		bson.D{{Key: "cooperative", Value: o.Name}},
		bson.D{{Key: "region", Value: bson.Regex{Pattern: "^" + o.Region[:4]}}},
	}})
	link, err := s.coopLinkerFor(c, f)
	if err != nil {
		return err
	}
	return s.respondList(c, s.peopleListing(link), f, v)
}

// handleOrgCreate adds an organisation (staff): unverified, sharing its
// leader's data with nobody.
func (s *Service) handleOrgCreate(c *fiber.Ctx) error {
	o, err := decodeOrgInput(c)
	if err != nil {
		return err
	}
	now := tz.In(time.Now())
	o.ID, o.Source, o.CreatedAt, o.UpdatedAt = newID(), SourceStaff, now, now
	o.Verification, o.Consent = Verification{Status: Unverified}, Consent{}.normalised()
	doc := append(bson.D{{Key: "_id", Value: o.ID}}, orgFields(&o)...)
	doc = append(doc, bson.E{Key: "verification", Value: o.Verification}, bson.E{Key: "consent", Value: o.Consent},
		bson.E{Key: "source", Value: o.Source}, bson.E{Key: "createdAt", Value: now}, bson.E{Key: "updatedAt", Value: now})
	if _, err := s.orgs.InsertOne(c.UserContext(), doc); err != nil {
		if store.IsDuplicate(err) {
			return ErrOrgExists
		}
		return fmt.Errorf("insert organisation: %w", err)
	}
	ov, _, _ := viewerOfUser(farmers.CurrentUser(c)).showOrg(o)
	return c.Status(fiber.StatusCreated).JSON(ov)
}

// handleOrgUpdate replaces an organisation's profile (staff); consent,
// verification and source stay. A credit code left out is removed.
func (s *Service) handleOrgUpdate(c *fiber.Ctx) error {
	o, err := decodeOrgInput(c)
	if err != nil {
		return err
	}
	update := bson.D{{Key: "$set", Value: append(orgFields(&o), bson.E{Key: "updatedAt", Value: time.Now()})}}
	if o.CreditCode == "" {
		update = append(update, bson.E{Key: "$unset", Value: bson.D{{Key: "creditCode", Value: ""}}})
	}
	return s.respondOrgUpdated(c, update)
}

// handleOrgVerify records staff's verification of an organisation.
func (s *Service) handleOrgVerify(c *fiber.Ctx) error {
	set, err := verificationSet(c)
	if err != nil {
		return err
	}
	return s.respondOrgUpdated(c, bson.D{{Key: "$set", Value: set}})
}

// handleOrgConsent replaces which audiences see the leader's name and
// phone and the address: staff's or the leader's (signed in with the
// leader's phone) to decide, as a person decides for themself. A field
// left out is shared with nobody.
func (s *Service) handleOrgConsent(c *fiber.Ctx) error {
	o, err := s.findOrg(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	if !viewerOfUser(farmers.CurrentUser(c)).owns(o.LeaderPhone) {
		return httpx.Errorf(fiber.StatusForbidden, "forbidden", "only staff and the organisation's leader set its consent")
	}
	var in Consent
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	if err := in.validate(); err != nil {
		return err
	}
	set := bson.D{{Key: "consent", Value: in.normalised()}, {Key: "updatedAt", Value: time.Now()}}
	return s.respondOrgUpdated(c, bson.D{{Key: "$set", Value: set}})
}

// decodeOrgInput decodes a body into a checked organisation profile.
func decodeOrgInput(c *fiber.Ctx) (Organisation, error) {
	var in orgInput
	if err := httpx.Decode(c, &in); err != nil {
		return Organisation{}, err
	}
	return in.organisation()
}

// respondOrgUpdated applies update to the organisation of the route's id
// and answers it as the (staff or leader) caller sees it. A plain update
// of the given fields, not a read-modify-write (see updatePerson).
func (s *Service) respondOrgUpdated(c *fiber.Ctx, update bson.D) error {
	var o Organisation
	err := s.orgs.FindOneAndUpdate(c.UserContext(), bson.D{{Key: "_id", Value: c.Params("id")}}, update,
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&o)
	switch {
	case store.IsNotFound(err):
		return httpx.ErrNotFound
	case store.IsDuplicate(err):
		return ErrOrgExists
	case err != nil:
		return fmt.Errorf("update organisation: %w", err)
	}
	ov, _, _ := viewerOfUser(farmers.CurrentUser(c)).showOrg(o)
	return c.JSON(ov)
}

// findOrg reads one organisation (404 if none).
func (s *Service) findOrg(ctx context.Context, id string) (*Organisation, error) {
	var o Organisation
	err := s.orgs.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&o)
	if store.IsNotFound(err) {
		return nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find organisation: %w", err)
	}
	return &o, nil
}
