package contest

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

func (s *Service) handleCreateEntry(c *fiber.Ctx) error {
	var req entryReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	ctx := c.UserContext()
	e, err := s.createEntry(ctx, me(c).ID, &req)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(e.view(newLedger(nil), nil))
}

func (s *Service) handleGetEntry(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.entry(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	u := me(c)
	if err := s.canSeeEntry(ctx, u, e); err != nil {
		return err
	}
	if !isTeam(u, e) && !isOrganiser(u) {
		e.hideContacts() // a judge needs the organisations, not phones
	}
	return s.respondEntry(c, e, nil)
}

// respondEntry shows one entry with its status and attachments.
func (s *Service) respondEntry(c *fiber.Ctx, e *entryDoc, l *ledger) error {
	ctx := c.UserContext()
	var err error
	if l == nil {
		if l, err = s.ledger(ctx, e.Edition); err != nil {
			return err
		}
	}
	files, err := s.entryFiles(ctx, bson.D{{Key: "metadata.entry", Value: e.ID}})
	if err != nil {
		return err
	}
	return c.JSON(e.view(l, files))
}

func (s *Service) handleEditEntry(c *fiber.Ctx) error {
	var req entryReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	e, l, err := s.editEntry(c.UserContext(), me(c).ID, c.Params("id"), &req)
	if err != nil {
		return err
	}
	return s.respondEntry(c, e, l)
}

func (s *Service) handleSubmit(c *fiber.Ctx) error {
	if err := s.submitEntry(c.UserContext(), me(c).ID, c.Params("id")); err != nil {
		return err
	}
	return s.respondFresh(c)
}

// respondFresh answers with the entry as it now is.
func (s *Service) respondFresh(c *fiber.Ctx) error {
	e, err := s.entry(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return s.respondEntry(c, e, nil)
}

func (s *Service) handleWithdraw(c *fiber.Ctx) error {
	var req optionalReason
	if err := decodeOptional(c, &req); err != nil {
		return err
	}
	if err := s.withdrawEntry(c.UserContext(), me(c).ID, c.Params("id"), req.Reason); err != nil {
		return err
	}
	return s.respondFresh(c)
}

func (s *Service) handleReview(c *fiber.Ctx) error {
	var req reviewReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	if req.Verdict == VerdictIneligible && req.Reason == "" {
		return httpx.Invalid(map[string]string{"reason": "is required for an ineligible verdict"})
	}
	if err := s.reviewEntry(c.UserContext(), me(c).ID, c.Params("id"), req.Verdict, req.Reason); err != nil {
		return err
	}
	return s.respondFresh(c)
}

func (s *Service) handleVeto(c *fiber.Ctx) error {
	var req reasonReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	if err := s.vetoEntry(c.UserContext(), me(c).ID, c.Params("id"), req.Reason); err != nil {
		return err
	}
	return s.respondFresh(c)
}

func (s *Service) handleTeamResult(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.entry(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	if u := me(c); !isTeam(u, e) && !isOrganiser(u) {
		return httpx.ErrForbidden
	}
	res, err := s.teamResult(ctx, e)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// handleListEntries: an edition's entries for organisers; ?status=
// filters by draft, submitted or withdrawn.
func (s *Service) handleListEntries(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id := c.Params("id")
	if _, err := s.edition(ctx, id); err != nil {
		return err
	}
	status := c.Query("status")
	if status != "" && status != StatusDraft && status != StatusSubmitted && status != StatusWithdrawn {
		return httpx.Invalid(map[string]string{"status": "must be one of: draft submitted withdrawn"})
	}
	docs, err := s.editionEntries(ctx, id)
	if err != nil {
		return err
	}
	return s.respondEntries(c, id, docs, status)
}

func (s *Service) respondEntries(c *fiber.Ctx, edition string, docs []entryDoc, status string) error {
	ctx := c.UserContext()
	l, err := s.ledger(ctx, edition)
	if err != nil {
		return err
	}
	files, err := s.entryFiles(ctx, bson.D{{Key: "metadata.edition", Value: edition}})
	if err != nil {
		return err
	}
	views := []*EntryView{}
	for i := range docs {
		if v := docs[i].view(l, files); status == "" || v.Status == status {
			views = append(views, v)
		}
	}
	return page(c, views, func(v *EntryView) string { return v.ID })
}

// handleMyEntries lists the entries the caller leads, in every edition.
func (s *Service) handleMyEntries(c *fiber.Ctx) error {
	ctx := c.UserContext()
	docs, err := s.leaderEntries(ctx, me(c).ID)
	if err != nil {
		return err
	}
	views := []*EntryView{}
	ledgers := map[string]*ledger{}
	for i := range docs {
		l := ledgers[docs[i].Edition]
		if l == nil {
			if l, err = s.ledger(ctx, docs[i].Edition); err != nil {
				return err
			}
			ledgers[docs[i].Edition] = l
		}
		views = append(views, docs[i].view(l, nil))
	}
	return page(c, views, func(v *EntryView) string { return v.ID })
}
