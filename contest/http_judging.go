package contest

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

func (s *Service) handleRunAssignment(c *fiber.Ctx) error {
	v, err := s.runAssignment(c.UserContext(), me(c).ID, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Service) handleGetAssignment(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if _, err := s.round(ctx, c.Params("id")); err != nil {
		return err
	}
	a, err := s.assignment(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	if a == nil {
		return httpx.Errorf(404, "not_assigned", "the round has not been assigned yet")
	}
	return c.JSON(a.view())
}

func (s *Service) handleSetLock(c *fiber.Ctx) error {
	var req lockReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	v, err := s.setLock(c.UserContext(), me(c).ID, c.Params("id"), &req)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Service) handleMyAssignments(c *fiber.Ctx) error {
	as, err := s.myAssignments(c.UserContext(), me(c).ID, c.Params("id"))
	if err != nil {
		return err
	}
	return page(c, as, func(a AssignedEntry) string { return a.Entry.ID })
}

func (s *Service) handleGetSheet(c *fiber.Ctx) error {
	v, err := s.getSheet(c.UserContext(), me(c).ID, c.Params("id"), c.Params("entryId"))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Service) handleSaveSheet(c *fiber.Ctx) error {
	var req sheetReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	v, err := s.saveDraft(c.UserContext(), me(c).ID, c.Params("id"), c.Params("entryId"), &req)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Service) handleSubmitSheet(c *fiber.Ctx) error {
	var req sheetReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	v, err := s.submitSheet(c.UserContext(), me(c).ID, c.Params("id"), c.Params("entryId"), &req)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(v)
}

func (s *Service) handleReopen(c *fiber.Ctx) error {
	var req reasonReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	v, err := s.reopenSheet(c.UserContext(), me(c).ID, c.Params("id"), c.Params("entryId"), c.Params("judgeId"), req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Service) handleNextPair(c *fiber.Ctx) error {
	v, err := s.nextPair(c.UserContext(), me(c).ID, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Service) handleVote(c *fiber.Ctx) error {
	var req voteReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	v, err := s.vote(c.UserContext(), me(c).ID, c.Params("id"), &req)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(v)
}

func (s *Service) handleUndo(c *fiber.Ctx) error {
	var req undoReq
	if err := decodeOptional(c, &req); err != nil {
		return err
	}
	v, err := s.undoVote(c.UserContext(), me(c).ID, c.Params("id"), req.Seq)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Service) handleRoundResults(c *fiber.Ctx) error {
	res, err := s.roundResults(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (s *Service) handleAdvance(c *fiber.Ctx) error {
	res, err := s.advance(c.UserContext(), me(c).ID, c.Params("id"))
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(res)
}

func (s *Service) handleAwards(c *fiber.Ctx) error {
	res, err := s.award(c.UserContext(), me(c).ID, c.Params("id"))
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(res)
}

func (s *Service) handleDeclareConflict(c *fiber.Ctx) error {
	var req conflictReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	j, err := s.declareConflict(c.UserContext(), me(c).ID, c.Params("id"), &req)
	if err != nil {
		return err
	}
	return c.JSON(j)
}
