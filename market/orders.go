package market

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// orderView is an order as one of its parties sees it: with the other
// party's contact, which nobody else ever sees.
type orderView struct {
	*Order
	Counterparty farmers.Contact `json:"counterparty"`
}

// handleOrders lists the caller's orders, as seller or buyer, newest first.
func (s *Service) handleOrders(c *fiber.Ctx) error {
	limit, err := httpx.Limit(c)
	if err != nil {
		return err
	}
	me := farmers.CurrentUser(c).ID
	f := bson.D{{Key: "$or", Value: bson.A{bson.D{{Key: "seller", Value: me}}, bson.D{{Key: "buyer", Value: me}}}}}
	if cur := c.Query("cursor"); cur != "" {
		f = append(f, bson.E{Key: "_id", Value: bson.D{{Key: "$lt", Value: cur}}})
	}
	ctx := c.UserContext()
	os, err := store.FindAll[Order](ctx, s.orders, "orders", f, newestFirst(limit))
	if err != nil {
		return err
	}
	for i := range os {
		os[i].CreatedAt = tz.In(os[i].CreatedAt)
	}
	out := httpx.List[Order]{Items: os}
	if out.Items == nil {
		out.Items = []Order{}
	}
	if len(os) == limit {
		out.Next = os[len(os)-1].ID
	}
	return c.JSON(out)
}

// handleOrder shows one order, with the counterparty's contact, to its
// parties only.
func (s *Service) handleOrder(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var o Order
	err := s.orders.FindOne(ctx, bson.D{{Key: "_id", Value: c.Params("id")}}).Decode(&o)
	if store.IsNotFound(err) {
		return httpx.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("find order: %w", err)
	}
	me := farmers.CurrentUser(c).ID
	other := ""
	switch me {
	case o.Seller:
		other = o.Buyer
	case o.Buyer:
		other = o.Seller
	default:
		return httpx.ErrForbidden
	}
	o.CreatedAt = tz.In(o.CreatedAt)
	u, err := s.accounts.Get(ctx, other)
	if err != nil {
		return err
	}
	return c.JSON(orderView{Order: &o, Counterparty: u.Contact()})
}
