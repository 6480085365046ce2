package access

import (
	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// Routes mounts open access under /api/v1. It registers method values
// only, so it needs no database (the OpenAPI test builds routes over a
// zero Service).
func (s *Service) Routes(api fiber.Router) {
	api.Post("/developer/applications", s.requireUser, s.handleApply)
	api.Get("/developer/applications", s.requireUser, s.handleListApplications)
	api.Post("/developer/applications/:id/approve", s.requireAdmin, s.handleApprove)
	api.Post("/developer/applications/:id/reject", s.requireAdmin, s.handleReject)
	api.Get("/developer/whoami", s.requireAny, s.handleWhoami)
	api.Get("/developer/scopecheck/:scope", s.handleScopeCheck)
	api.Get("/orgs/:id", s.requireUser, s.handleGetOrg)
	api.Put("/orgs/:id", s.requireAdmin, s.handleUpdateOrg)
	api.Post("/orgs/:id/keys", s.requireUser, s.handleCreateKey)
	api.Get("/orgs/:id/keys", s.requireUser, s.handleListKeys)
	api.Post("/orgs/:id/keys/:keyId/rotate", s.requireUser, s.handleRotateKey)
	api.Delete("/orgs/:id/keys/:keyId", s.requireUser, s.handleRevokeKey)
	api.Get("/orgs/:id/usage", s.requireUser, s.handleUsage)
}

func (s *Service) requireUser(c *fiber.Ctx) error { return s.accounts.RequireUser(c) }

func (s *Service) requireAdmin(c *fiber.Ctx) error {
	return s.accounts.RequireRole(farmers.RoleAdmin)(c)
}

// requireAny is Require(""): any valid key or session.
func (s *Service) requireAny(c *fiber.Ctx) error { return s.Require("")(c) }

// ---- applications ----------------------------------------------------------

func (s *Service) handleApply(c *fiber.Ctx) error {
	var req applyReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	a, err := s.apply(c.UserContext(), farmers.CurrentUser(c), req)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}

// handleListApplications lists the caller's own applications, or every
// application for an administrator; ?status= filters.
func (s *Service) handleListApplications(c *fiber.Ctx) error {
	f := bson.D{}
	if u := farmers.CurrentUser(c); !u.HasRole(farmers.RoleAdmin) {
		f = append(f, bson.E{Key: "applicant", Value: u.ID})
	}
	switch st := c.Query("status"); st {
	case "":
	case StatusPending, StatusApproved, StatusRejected:
		f = append(f, bson.E{Key: "status", Value: st})
	default:
		return httpx.Invalid(map[string]string{"status": "must be one of: pending approved rejected"})
	}
	return respondPage(c, s.apps, "applications", f, func(a *Application) string { a.localize(); return a.ID })
}

type rejectReq struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

func (s *Service) handleApprove(c *fiber.Ctx) error {
	var g Grant
	if err := httpx.Decode(c, &g); err != nil {
		return err
	}
	d := decision{Outcome: StatusApproved, By: farmers.CurrentUser(c).ID, Grant: &g}
	o, err := s.decide(c.UserContext(), c.Params("id"), d)
	if err != nil {
		return err
	}
	return c.JSON(orgResp{Organisation: o})
}

func (s *Service) handleReject(c *fiber.Ctx) error {
	var req rejectReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	d := decision{Outcome: StatusRejected, By: farmers.CurrentUser(c).ID, Reason: req.Reason}
	if _, err := s.decide(c.UserContext(), c.Params("id"), d); err != nil {
		return err
	}
	a, err := s.getApplication(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(a)
}

// ---- the caller ------------------------------------------------------------

func (s *Service) handleWhoami(c *fiber.Ctx) error {
	return c.JSON(CallerFrom(c).view())
}

// scopeCheck is the answer of the scope self-test.
type scopeCheck struct {
	Scope   string `json:"scope"`
	Granted bool   `json:"granted"`
}

// handleScopeCheck lets a developer test a key against one scope: it runs
// exactly Require(scope)'s check (and so counts as a call with that scope).
func (s *Service) handleScopeCheck(c *fiber.Ctx) error {
	scope := c.Params("scope")
	if !KnownScope(scope) {
		return httpx.Errorf(404, "not_found", "no such scope: %s", scope)
	}
	if _, err := s.admit(c, scope); err != nil {
		return err
	}
	return c.JSON(scopeCheck{Scope: scope, Granted: true})
}

// ---- organisations ---------------------------------------------------------

type orgResp struct {
	Organisation *Org `json:"organisation"`
}

func (s *Service) handleGetOrg(c *fiber.Ctx) error {
	o, err := s.orgFor(c.UserContext(), c.Params("id"), farmers.CurrentUser(c), true)
	if err != nil {
		return err
	}
	return c.JSON(orgResp{Organisation: o})
}

func (s *Service) handleUpdateOrg(c *fiber.Ctx) error {
	var ch orgChange
	if err := httpx.Decode(c, &ch); err != nil {
		return err
	}
	o, err := s.updateOrg(c.UserContext(), c.Params("id"), ch)
	if err != nil {
		return err
	}
	return c.JSON(orgResp{Organisation: o})
}

// respondPage answers a list of coll's documents matching f, newest first
// (ids are ObjectIDs, which grow with time), paged by ?limit= and
// ?cursor=. prepare readies each item for the answer and returns its id.
func respondPage[T any](c *fiber.Ctx, coll *mongo.Collection, what string, f bson.D, prepare func(*T) string) error {
	limit, err := httpx.Limit(c)
	if err != nil {
		return err
	}
	if cur := c.Query("cursor"); cur != "" {
		f = append(f, bson.E{Key: "_id", Value: bson.D{{Key: "$lt", Value: cur}}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(limit))
	items, err := store.FindAll[T](c.UserContext(), coll, what, f, opts)
	if err != nil {
		return err
	}
	out := httpx.List[T]{Items: items}
	if out.Items == nil {
		out.Items = []T{}
	}
	var last string
	for i := range out.Items {
		last = prepare(&out.Items[i])
	}
	if len(items) == limit {
		out.Next = last
	}
	return c.JSON(out)
}
