package market

import (
	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// Routes mounts the market's HTTP routes under /api/v1.
func (s *Service) Routes(api fiber.Router) {
	auth := s.accounts.RequireUser
	api.Post("/auctions", auth, s.handleCreate)
	api.Get("/auctions", s.optionalUser, s.handleList)
	api.Get("/auctions/:id", s.optionalUser, s.handleGet)
	api.Post("/auctions/:id/cancel", auth, s.handleCancel)
	api.Post("/auctions/:id/bids", auth, s.handleBid)
	api.Get("/auctions/:id/bids", s.handleBids)
	api.Put("/auctions/:id/proxy", auth, s.handleProxy)
	api.Post("/auctions/:id/photos", auth, s.handleAddPhoto)
	api.Get("/photos/:id", s.handleGetPhoto)
	api.Get("/me/auctions", auth, s.handleMyAuctions)
	api.Get("/me/bids", auth, s.handleMyBids)
	api.Get("/me/won", auth, s.handleMyWon)
	api.Get("/orders", auth, s.handleOrders)
	api.Get("/orders/:id", auth, s.handleOrder)
}

// optionalUser identifies the caller when a token is given, so the owner
// sees owner-only fields; a bad token is still an error.
func (s *Service) optionalUser(c *fiber.Ctx) error {
	if c.Get(fiber.HeaderAuthorization) == "" {
		return c.Next()
	}
	return s.accounts.RequireUser(c)
}

func viewerID(c *fiber.Ctx) string {
	if u := farmers.CurrentUser(c); u != nil {
		return u.ID
	}
	return ""
}

func (s *Service) handleCreate(c *fiber.Ctx) error {
	var req createReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	a, err := s.create(c.UserContext(), farmers.CurrentUser(c), &req)
	if err != nil {
		return err
	}
	st := initialState(a)
	return c.Status(fiber.StatusCreated).JSON(a.view(&st, a.Owner))
}

func (s *Service) handleGet(c *fiber.Ctx) error {
	r, err := s.runnerFor(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	st := r.hub.state()
	v := r.a.view(&st, viewerID(c))
	if v.Owner == viewerID(c) {
		n := r.hub.count()
		v.Watchers = &n
	}
	for _, id := range r.hub.photoIDs() {
		v.Photos = append(v.Photos, photoURL(id))
	}
	return c.JSON(v)
}

func (s *Service) handleCancel(c *fiber.Ctx) error {
	out := s.do(c.UserContext(), c.Params("id"), newRequest(reqCancel, farmers.CurrentUser(c).ID, 0, ""))
	if out.err != nil {
		return out.err
	}
	r, err := s.runnerFor(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(r.a.view(&out.st, viewerID(c)))
}
