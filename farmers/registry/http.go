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
	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// ErrPhoneTaken: another entry has this phone (one person, one number).
var ErrPhoneTaken = httpx.Errorf(409, "phone_taken", "another registry entry has this phone number")

// handleList lists entries (a page, or the whole set as CSV or JSON),
// masked for the caller, and logs what a key caller received before any
// of it leaves the server.
func (s *Service) handleList(c *fiber.Ctx) error {
	caller := access.CallerFrom(c)
	v := viewerOf(caller)
	f, err := peopleFilter(c, v)
	if err != nil {
		return err
	}
	d := newDisclosures(c, caller)
	if c.Query("format") != "" {
		return s.download(c, f, v, d)
	}
	err = datasets.RespondList(c, s.people, f, Dataset, personView(v, func(id string, masked []string) error {
		d.add(id, masked)
		return nil
	}))
	if err != nil {
		return err
	}
	// The page is only buffered until the handler returns: if its log
	// cannot be written, the client gets the error instead of the page.
	if err := s.writeLog(c.UserContext(), d); err != nil {
		c.Response().ResetBody()
		c.Response().Header.Del(fiber.HeaderETag)
		return err
	}
	return nil
}

// download streams the whole filtered set. Rows leave as they are read,
// after the handler returned, so a key caller's disclosures are logged
// ahead: one read of the matching entries' consent, logged in batches,
// then the stream. A row whose disclosure differs from what was logged
// (an entry added, or its consent changed, in between) is logged on its
// own before it is written; if that fails the download stops short of it.
func (s *Service) download(c *fiber.Ctx, f bson.D, v viewer, d *disclosures) error {
	logged := map[string]string{}
	if d.caller != nil {
		var err error
		if logged, err = s.logAhead(c.UserContext(), f, v, d); err != nil {
			return err
		}
	}
	return datasets.RespondList(c, s.people, f, Dataset, personView(v, func(id string, masked []string) error {
		if d.caller == nil || logged[id] == signature(masked) {
			return nil
		}
		d.add(id, masked)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // the request's context is gone
		defer cancel()
		return s.writeLog(ctx, d)
	}))
}

// logAheadBatch bounds one insert of a download's log.
const logAheadBatch = 1000

// logAhead logs the disclosure of every entry matching f to d's caller and
// returns each entry's masked-fields signature.
func (s *Service) logAhead(ctx context.Context, f bson.D, v viewer, d *disclosures) (map[string]string, error) {
	proj := bson.D{{Key: "_id", Value: 1}, {Key: "phone", Value: 1}, {Key: "consent", Value: 1}}
	ps, err := store.FindAll[Person](ctx, s.people, "registry entries to log", f, options.Find().SetProjection(proj))
	if err != nil {
		return nil, err
	}
	sigs := make(map[string]string, len(ps))
	for _, p := range ps {
		_, masked := v.mask(p)
		sigs[p.ID] = signature(masked)
		d.add(p.ID, masked)
		if len(d.entries) == logAheadBatch {
			if err := s.writeLog(ctx, d); err != nil {
				return nil, err
			}
		}
	}
	return sigs, s.writeLog(ctx, d)
}

// personView is the list view for v; seen is told what each row masks
// before the row is handed out, and may refuse it.
func personView(v viewer, seen func(id string, masked []string) error) datasets.View {
	return func(raw bson.Raw) (any, []string, error) {
		var p Person
		if err := bson.Unmarshal(raw, &p); err != nil {
			return nil, nil, fmt.Errorf("decode registry entry: %w", err)
		}
		pv, cells, masked := v.show(p)
		if err := seen(p.ID, masked); err != nil {
			return nil, nil, err
		}
		return pv, cells, nil
	}
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
	d := newDisclosures(c, caller)
	d.add(p.ID, masked)
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
	var in verificationInput
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	now := time.Now()
	ver := Verification{Status: in.Status, By: farmers.CurrentUser(c).ID, At: now, Note: in.Note}
	set := bson.D{{Key: "verification", Value: ver}, {Key: "updatedAt", Value: now}}
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
