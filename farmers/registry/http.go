package registry

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// ErrPhoneTaken: another entry has this phone (one person, one number).
var ErrPhoneTaken = httpx.Errorf(409, "phone_taken", "another registry entry has this phone number")

// handleList lists entries, masked for the caller (see respondList).
func (s *Service) handleList(c *fiber.Ctx) error {
	v := viewerOf(access.CallerFrom(c))
	f, err := peopleFilter(c, v)
	if err != nil {
		return err
	}
	link, err := s.coopLinkerFor(c, f)
	if err != nil {
		return err
	}
	return s.respondList(c, s.peopleListing(link), f, v)
}

// handleGet shows one entry, masked for the caller, logged for a key caller.
func (s *Service) handleGet(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := s.findPerson(ctx, bson.D{{Key: "_id", Value: c.Params("id")}})
	if err != nil {
		return err
	}
	caller := access.CallerFrom(c)
	pv, _, masked := viewerOf(caller).show(*p)
	if err := s.linkCoops(ctx, &pv); err != nil {
		return err
	}
	d := newDisclosures(c, caller)
	d.add(disclosure{person: p.ID, masked: masked})
	if err := s.writeLog(ctx, d); err != nil {
		return err
	}
	return c.JSON(pv)
}

// handleCreate adds an entry (staff).
func (s *Service) handleCreate(c *fiber.Ctx) error {
	var in personInput
	if err := decodeInput(c, &in); err != nil {
		return err
	}
	if in.Phone == "" {
		return httpx.Invalid(map[string]string{"phone": "is required"})
	}
	p := newPerson(&in, SourceStaff, tz.In(time.Now()))
	if _, err := s.people.InsertOne(c.UserContext(), p); err != nil {
		if store.IsDuplicate(err) {
			return ErrPhoneTaken
		}
		return fmt.Errorf("insert registry entry: %w", err)
	}
	return c.Status(fiber.StatusCreated).JSON(viewerOfUser(farmers.CurrentUser(c)).view(p))
}

// handleUpdate replaces an entry's profile (staff); consent, verification
// and source stay.
func (s *Service) handleUpdate(c *fiber.Ctx) error {
	var in personInput
	if err := decodeInput(c, &in); err != nil {
		return err
	}
	if in.Phone == "" {
		return httpx.Invalid(map[string]string{"phone": "is required"})
	}
	p := in.person()
	set := append(profileFields(&p), bson.E{Key: "updatedAt", Value: time.Now()})
	return s.respondUpdated(c, bson.D{{Key: "_id", Value: c.Params("id")}}, set)
}

// handleVerify records staff's verification of an entry.
func (s *Service) handleVerify(c *fiber.Ctx) error {
	set, err := verificationSet(c)
	if err != nil {
		return err
	}
	return s.respondUpdated(c, bson.D{{Key: "_id", Value: c.Params("id")}}, set)
}

// respondUpdated $sets fields of the entry matching f and answers it as
// the (staff or own) caller sees it.
func (s *Service) respondUpdated(c *fiber.Ctx, f, set bson.D) error {
	p, err := s.updatePerson(c.UserContext(), f, set)
	if err != nil {
		return err
	}
	return c.JSON(viewerOfUser(farmers.CurrentUser(c)).view(*p))
}

// updatePerson $sets fields of the entry matching f and returns it after.
// A plain $set of the changed fields, not a read-modify-write: two staff
// edits at once each land whole, the later one winning field by field.
func (s *Service) updatePerson(ctx context.Context, f, set bson.D) (*Person, error) {
	var p Person
	err := s.people.FindOneAndUpdate(ctx, f, bson.D{{Key: "$set", Value: set}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&p)
	switch {
	case store.IsNotFound(err):
		return nil, httpx.ErrNotFound
	case store.IsDuplicate(err):
		return nil, ErrPhoneTaken
	case err != nil:
		return nil, fmt.Errorf("update registry entry: %w", err)
	}
	return &p, nil
}

// findPerson reads the one entry matching f (404 if none).
func (s *Service) findPerson(ctx context.Context, f bson.D) (*Person, error) {
	var p Person
	err := s.people.FindOne(ctx, f).Decode(&p)
	if store.IsNotFound(err) {
		return nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find registry entry: %w", err)
	}
	return &p, nil
}

// verificationSet reads a verification body (staff) into the $set that
// records it, with who and when; people and organisations share it.
func verificationSet(c *fiber.Ctx) (bson.D, error) {
	var in verificationInput
	if err := httpx.Decode(c, &in); err != nil {
		return nil, err
	}
	now := time.Now()
	ver := Verification{Status: in.Status, By: farmers.CurrentUser(c).ID, At: now, Note: in.Note}
	return bson.D{{Key: "verification", Value: ver}, {Key: "updatedAt", Value: now}}, nil
}

// decodeInput decodes and checks a profile body.
func decodeInput(c *fiber.Ctx, in *personInput) error {
	if err := httpx.Decode(c, in); err != nil {
		return err
	}
	return in.check()
}

// newID is a random entry id: never derived from the phone, which is
// personal data and may change.
func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
