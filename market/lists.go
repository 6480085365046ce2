package market

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// Lists show the cached state of each auction (written by its runner after
// every batch); GET /auctions/{id} shows the live one.

// handleList: GET /auctions?status=&kind=&commodity=&region=. Live and
// upcoming auctions are found through the open-auction markers (see open.go).
func (s *Service) handleList(c *fiber.Ctx) error {
	status := c.Query("status")
	open := status == StatusLive || status == StatusScheduled
	originField := "lot.origin"
	if open {
		originField = "origin"
	}
	f, err := listFilter(c, originField)
	if err != nil {
		return err
	}
	now := time.Now()
	switch status {
	case "":
	case StatusLive:
		f = append(f, bson.E{Key: "startsAt", Value: bson.D{{Key: "$lte", Value: now}}})
	case StatusScheduled:
		f = append(f, bson.E{Key: "startsAt", Value: bson.D{{Key: "$gt", Value: now}}})
	case StatusClosed:
		f = append(f, bson.E{Key: "cache.state", Value: stateClosed})
	case StatusCancelled:
		f = append(f, bson.E{Key: "cache.state", Value: stateCancelled})
	default:
		return httpx.Invalid(map[string]string{"status": "must be one of: scheduled live closed cancelled"})
	}
	if open {
		return s.respondOpen(c, f, status)
	}
	return s.respondAuctions(c, f)
}

// listFilter reads kind, commodity and region; originField names where the
// lot's origin is kept in the collection queried.
func listFilter(c *fiber.Ctx, originField string) (bson.D, error) {
	f := bson.D{}
	switch k := c.Query("kind"); k {
	case "":
	case KindSell, KindBuy:
		f = append(f, bson.E{Key: "kind", Value: k})
	default:
		return nil, httpx.Invalid(map[string]string{"kind": "must be one of: sell buy"})
	}
	if v := c.Query("commodity"); v != "" {
		f = append(f, bson.E{Key: "commodity", Value: v})
	}
	if v := c.Query("region"); v != "" {
		if !farmers.ValidArea(v) {
			return nil, httpx.Invalid(map[string]string{"region": "must be the GB/T 2260 code of Liaoning (210000) or of one of its cities or counties"})
		}
		f = append(f, bson.E{Key: originField, Value: bson.D{{Key: "$regex", Value: "^" + regionPrefix(v)}}})
	}
	return f, nil
}

// respondOpen lists open auctions: ids from the markers, each shown with the
// live state when this process runs it, else its cached state.
// A marker lives on for a moment after its close; such auctions are skipped.
func (s *Service) respondOpen(c *fiber.Ctx, f bson.D, status string) error {
	limit, err := httpx.Limit(c)
	if err != nil {
		return err
	}
	if cur := c.Query("cursor"); cur != "" {
		f = append(f, bson.E{Key: "_id", Value: bson.D{{Key: "$lt", Value: cur}}})
	}
	ctx := c.UserContext()
	ids, err := s.openIDs(ctx, f, limit)
	if err != nil {
		return err
	}
	out := httpx.List[*View]{Items: make([]*View, 0, len(ids))}
	for _, id := range ids {
		v, err := s.listView(ctx, id, viewerID(c))
		if errors.Is(err, httpx.ErrNotFound) {
			continue // a marker whose auction insert failed
		}
		if err != nil {
			return err
		}
		if v.Status == status {
			out.Items = append(out.Items, v)
		}
	}
	if len(ids) == limit {
		out.Next = ids[len(ids)-1]
	}
	return c.JSON(out)
}

func (s *Service) listView(ctx context.Context, id, viewer string) (*View, error) {
	s.mu.Lock()
	r := s.runners[id]
	s.mu.Unlock()
	if r != nil {
		st := r.hub.state()
		return r.a.view(&st, viewer), nil
	}
	a, err := s.getAuction(ctx, id)
	if err != nil {
		return nil, err
	}
	st := stateOfCache(a)
	return a.view(&st, viewer), nil
}

// regionPrefix makes a city's code (xxxx00) include its counties, and the
// province's (210000) everything.
func regionPrefix(code string) string {
	switch {
	case code[2:] == "0000":
		return code[:2]
	case code[4:] == "00":
		return code[:4]
	}
	return code
}

func (s *Service) handleMyAuctions(c *fiber.Ctx) error {
	return s.respondAuctions(c, bson.D{{Key: "owner", Value: farmers.CurrentUser(c).ID}})
}

func (s *Service) handleMyWon(c *fiber.Ctx) error {
	return s.respondAuctions(c, bson.D{{Key: "cache.state", Value: stateClosed}, {Key: "cache.result.winner", Value: farmers.CurrentUser(c).ID}})
}

// handleMyBids lists the auctions the caller has bid on.
func (s *Service) handleMyBids(c *fiber.Ctx) error {
	ctx := c.UserContext()
	ids, err := s.auctionsBidOn(ctx, farmers.CurrentUser(c).ID)
	if err != nil {
		return err
	}
	return s.respondAuctions(c, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
}

// respondAuctions pages through auctions matching f, newest first.
func (s *Service) respondAuctions(c *fiber.Ctx, f bson.D) error {
	limit, err := httpx.Limit(c)
	if err != nil {
		return err
	}
	if cur := c.Query("cursor"); cur != "" {
		f = append(f, bson.E{Key: "_id", Value: bson.D{{Key: "$lt", Value: cur}}})
	}
	as, err := s.findAuctions(c.UserContext(), f, limit)
	if err != nil {
		return err
	}
	out := httpx.List[*View]{Items: make([]*View, len(as))}
	viewer := viewerID(c)
	for i := range as {
		st := stateOfCache(&as[i])
		out.Items[i] = as[i].view(&st, viewer)
	}
	if len(as) == limit {
		out.Next = as[len(as)-1].ID
	}
	return c.JSON(out)
}

// newestFirst sorts by _id descending (ids grow with time) and limits.
func newestFirst(limit int) *options.FindOptionsBuilder {
	return options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(limit))
}

func (s *Service) findAuctions(ctx context.Context, f bson.D, limit int) ([]Auction, error) {
	return store.FindAll[Auction](ctx, s.auctions, "auctions", f, newestFirst(limit))
}
