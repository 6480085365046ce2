package contest

import (
	"fmt"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

func (s *Service) handleCreateEdition(c *fiber.Ctx) error {
	var req editionReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	e, err := s.createEdition(c.UserContext(), me(c).ID, &req)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(e)
}

func (s *Service) handleListEditions(c *fiber.Ctx) error {
	es, err := s.listEditions(c.UserContext())
	if err != nil {
		return err
	}
	return page(c, es, func(e Edition) string { return e.ID })
}

func (s *Service) handleGetEdition(c *fiber.Ctx) error {
	e, err := s.edition(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (s *Service) handleUpdateEdition(c *fiber.Ctx) error {
	var req editionReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	e, err := s.updateEdition(c.UserContext(), me(c).ID, c.Params("id"), &req)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (s *Service) handleCreateRound(c *fiber.Ctx) error {
	var req roundReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	r, err := s.createRound(c.UserContext(), me(c).ID, c.Params("id"), &req)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(r)
}

func (s *Service) handleListRounds(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if _, err := s.edition(ctx, c.Params("id")); err != nil {
		return err
	}
	rs, err := s.editionRounds(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	return page(c, rs, func(r Round) string { return fmt.Sprintf("%04d", r.Seq) })
}

func (s *Service) handleGetRound(c *fiber.Ctx) error {
	r, err := s.round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Service) handleUpdateRound(c *fiber.Ctx) error {
	var req roundReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	r, err := s.updateRound(c.UserContext(), me(c).ID, c.Params("id"), &req)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Service) handleListJudges(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if _, err := s.edition(ctx, c.Params("id")); err != nil {
		return err
	}
	js, err := s.pool(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	return page(c, js, func(j PoolJudge) string { return j.ID })
}

func (s *Service) handleSaveJudge(c *fiber.Ctx) error {
	var req judgeReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	j, err := s.saveJudge(c.UserContext(), me(c).ID, c.Params("id"), c.Params("userId"), &req)
	if err != nil {
		return err
	}
	return c.JSON(j)
}

func (s *Service) handlePublish(c *fiber.Ctx) error {
	res, err := s.publish(c.UserContext(), me(c).ID, c.Params("id"))
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(res)
}

func (s *Service) handlePublicResults(c *fiber.Ctx) error {
	res, err := s.publicResults(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// handleAudit lists the log in order; ?kind= and ?entry= filter it.
func (s *Service) handleAudit(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if _, err := s.edition(ctx, c.Params("id")); err != nil {
		return err
	}
	evs, err := s.loadAudit(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	return page(c, auditView(evs, c.Query("kind"), c.Query("entry")), func(ev AuditEvent) string {
		return fmt.Sprintf("%020d/%s", ev.TS, ev.ID)
	})
}
