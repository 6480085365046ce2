package supply

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

var errNotFound = httpx.ErrNotFound

// postReq is the body of POST /supply and PUT /supply/{id}. Price is fen
// per unit (absent: 面议). A platform user's contact defaults to their own
// name and phone; an organisation must give one.
type postReq struct {
	Kind        string   `json:"kind" validate:"required"`
	Title       string   `json:"title" validate:"required"`
	Commodity   string   `json:"commodity" validate:"required"`
	Variety     string   `json:"variety"`
	Quantity    Quantity `json:"quantity"`
	Price       *int64   `json:"price"`
	Region      string   `json:"region" validate:"required"`
	ValidUntil  string   `json:"validUntil" validate:"required"`
	Contact     *Contact `json:"contact"`
	Description string   `json:"description"`
}

// apply copies the request onto p, filling the contact from the caller.
func (r *postReq) apply(p *Post, cl *access.Caller) {
	p.Kind, p.Title, p.Commodity, p.Variety = r.Kind, r.Title, r.Commodity, r.Variety
	p.Quantity, p.Price, p.Region, p.ValidUntil, p.Description = r.Quantity, r.Price, r.Region, r.ValidUntil, r.Description
	switch {
	case r.Contact != nil:
		p.Contact = *r.Contact
	case cl.User != nil:
		p.Contact = Contact{Name: cl.User.Name, Phone: cl.User.Phone}
	}
}

func (s *Service) handleCreate(c *fiber.Ctx) error {
	var req postReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	cl := access.CallerFrom(c)
	id := bson.NewObjectID().Hex()
	p := &Post{ID: id, Key: "p:" + id, Status: StatusOpen, CreatedAt: time.Now().Truncate(time.Second), Author: authorOf(cl)}
	req.apply(p, cl)
	if bad := p.normalise(); len(bad) > 0 {
		return httpx.Invalid(bad)
	}
	doc := append(bson.D{{Key: "_id", Value: p.ID}}, p.fields()...)
	doc = append(doc, bson.E{Key: "author", Value: p.Author})
	if _, err := s.posts.InsertOne(c.UserContext(), doc); err != nil {
		return fmt.Errorf("insert supply post: %w", err)
	}
	s.cat.Touch(c.UserContext(), Dataset.Name)
	return c.Status(fiber.StatusCreated).JSON(p.view(cl, datasets.Today()))
}

func (s *Service) handleGet(c *fiber.Ctx) error {
	p, err := s.get(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(p.view(access.CallerFrom(c), datasets.Today()))
}

// editable reads a post the caller may change: 404 unknown, 403 not
// theirs, 409 closed.
func (s *Service) editable(c *fiber.Ctx) (*Post, *access.Caller, error) {
	cl := access.CallerFrom(c)
	p, err := s.get(c.UserContext(), c.Params("id"))
	if err != nil {
		return nil, nil, err
	}
	if !mayEdit(cl, p) {
		return nil, nil, httpx.Errorf(fiber.StatusForbidden, "forbidden", "only the post's author or staff may change it")
	}
	return p, cl, nil
}

func (s *Service) handleUpdate(c *fiber.Ctx) error {
	p, cl, err := s.editable(c)
	if err != nil {
		return err
	}
	var req postReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	if p.Status == StatusClosed {
		return httpx.Errorf(fiber.StatusConflict, "closed", "a closed post cannot be changed")
	}
	if req.Contact == nil {
		req.Contact = &p.Contact // an edit keeps the contact unless it names one
	}
	req.apply(p, cl)
	if bad := p.normalise(); len(bad) > 0 {
		return httpx.Invalid(bad)
	}
	if err := s.set(c, p.ID, p.fields()); err != nil {
		return err
	}
	return c.JSON(p.view(cl, datasets.Today()))
}

// handleClose closes a post; closing a closed post changes nothing.
func (s *Service) handleClose(c *fiber.Ctx) error {
	p, cl, err := s.editable(c)
	if err != nil {
		return err
	}
	if p.Status != StatusClosed {
		p.Status = StatusClosed
		if err := s.set(c, p.ID, bson.D{{Key: "status", Value: StatusClosed}}); err != nil {
			return err
		}
	}
	return c.JSON(p.view(cl, datasets.Today()))
}

// set writes fields of one post. The last writer wins: edits of one post
// by its author and staff at the same moment are rare, and either result
// is a valid post.
func (s *Service) set(c *fiber.Ctx, id string, fields bson.D) error {
	res, err := s.posts.UpdateOne(c.UserContext(), bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: fields}})
	if err != nil {
		return fmt.Errorf("update supply post: %w", err)
	}
	if res.MatchedCount == 0 {
		return errNotFound
	}
	s.cat.Touch(c.UserContext(), Dataset.Name)
	return nil
}
