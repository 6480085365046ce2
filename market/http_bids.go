package market

import (
	"context"
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

type bidReq struct {
	Amount *int64 `json:"amount" validate:"required,gte=1"`
}

type proxyReq struct {
	Max *int64 `json:"max" validate:"required,gte=1"`
}

type bidResp struct {
	Bid     Bid   `json:"bid"`
	Auction *View `json:"auction"`
}

const maxKeyLen = 128

// placeBid checks who may bid and hands the bid to the auction's runner.
// The owner check comes before the role check, as the contract says.
func (s *Service) placeBid(ctx context.Context, u *farmers.User, id string, amount int64, key string) (*runner, outcome) {
	if !s.storeHealthy() {
		return nil, outcome{err: httpx.ErrUnavailable}
	}
	r, err := s.runnerFor(ctx, id)
	if err != nil {
		return nil, outcome{err: err}
	}
	if u.ID == r.a.Owner {
		return r, outcome{err: errOwn}
	}
	if !u.HasRole(bidRole(r.a.Kind)) {
		return r, outcome{err: httpx.Errorf(403, "forbidden", "bidding on a %s auction needs the %s role", r.a.Kind, bidRole(r.a.Kind))}
	}
	return r, s.do(ctx, id, newRequest(reqBid, u.ID, amount, key))
}

func (s *Service) handleBid(c *fiber.Ctx) error {
	key := c.Get("Idempotency-Key")
	if len(key) > maxKeyLen {
		return httpx.Invalid(map[string]string{"Idempotency-Key": "must be at most 128 characters"})
	}
	var req bidReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	u := farmers.CurrentUser(c)
	r, out := s.placeBid(c.UserContext(), u, c.Params("id"), *req.Amount, key)
	if out.err != nil {
		return out.err
	}
	return c.Status(fiber.StatusCreated).JSON(bidResp{Bid: bidOf(out.ev), Auction: r.a.view(&out.st, u.ID)})
}

func (s *Service) handleProxy(c *fiber.Ctx) error {
	var req proxyReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	u := farmers.CurrentUser(c)
	r, err := s.runnerFor(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	switch {
	case u.ID == r.a.Owner:
		return errOwn
	case !u.HasRole(bidRole(r.a.Kind)):
		return httpx.ErrForbidden
	}
	out := s.do(c.UserContext(), r.a.ID, newRequest(reqProxy, u.ID, *req.Max, ""))
	if out.err != nil {
		return out.err
	}
	return c.JSON(fiber.Map{"proxy": fiber.Map{"max": *req.Max}, "auction": r.a.view(&out.st, u.ID)})
}

// handleBids lists accepted bids in seq order: ?after=<seq> or ?cursor=<next>.
func (s *Service) handleBids(c *fiber.Ctx) error {
	limit, err := httpx.Limit(c)
	if err != nil {
		return err
	}
	after, err := httpx.QueryInt(c, "after", 0, 0)
	if err != nil {
		return err
	}
	if cur := c.Query("cursor"); cur != "" {
		if after, err = strconv.ParseInt(cur, 10, 64); err != nil || after < 0 {
			return httpx.Invalid(map[string]string{"cursor": "is not a cursor this list gave"})
		}
	}
	r, err := s.runnerFor(c.UserContext(), c.Params("id"))
	if err != nil {
		return err // 404 for unknown auctions
	}
	evs := r.hub.entries(after, math.MaxInt64, limit, true)
	out := httpx.List[Bid]{Items: make([]Bid, len(evs))}
	for i, ev := range evs {
		out.Items[i] = bidOf(ev)
	}
	if len(evs) == limit {
		out.Next = strconv.FormatInt(evs[len(evs)-1].Seq, 10)
	}
	return c.JSON(out)
}
