package contest

import (
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// Routes mounts the contest under /api/v1/contest. It uses method values
// only and touches no field NewService sets, so it can run on a zero
// Service (the OpenAPI test builds the app that way).
func (s *Service) Routes(api fiber.Router) {
	allowUploads.Do(func() { httpx.AllowLargeBody("POST", attachmentPath) })
	auth := s.accounts.RequireUser
	org := s.accounts.RequireRole(farmers.RoleOrganizer, farmers.RoleAdmin)
	judge := s.accounts.RequireRole(farmers.RoleJudge)
	g := api.Group("/contest")

	g.Post("/editions", org, s.handleCreateEdition)
	g.Get("/editions", s.handleListEditions)
	g.Get("/editions/:id", s.handleGetEdition)
	g.Put("/editions/:id", org, s.handleUpdateEdition)
	g.Post("/editions/:id/rounds", org, s.handleCreateRound)
	g.Get("/editions/:id/rounds", s.handleListRounds)
	g.Get("/editions/:id/entries", org, s.handleListEntries)
	g.Get("/editions/:id/judges", org, s.handleListJudges)
	g.Put("/editions/:id/judges/:userId", org, s.handleSaveJudge)
	g.Post("/editions/:id/conflicts", judge, s.handleDeclareConflict)
	g.Post("/editions/:id/publish", org, s.handlePublish)
	g.Get("/editions/:id/results", s.handlePublicResults)
	g.Get("/editions/:id/audit", org, s.handleAudit)
	g.Get("/editions/:id/export/:table", org, s.handleExport)

	g.Post("/entries", auth, s.handleCreateEntry)
	g.Get("/entries/:id", auth, s.handleGetEntry)
	g.Put("/entries/:id", auth, s.handleEditEntry)
	g.Post("/entries/:id/submit", auth, s.handleSubmit)
	g.Post("/entries/:id/withdraw", auth, s.handleWithdraw)
	g.Post("/entries/:id/review", org, s.handleReview)
	g.Post("/entries/:id/veto", org, s.handleVeto)
	g.Post("/entries/:id/attachments", auth, s.handleUpload)
	g.Get("/entries/:id/result", auth, s.handleTeamResult)
	g.Get("/attachments/:id", auth, s.handleDownload)
	g.Get("/me/entries", auth, s.handleMyEntries)

	g.Get("/rounds/:id", s.handleGetRound)
	g.Put("/rounds/:id", org, s.handleUpdateRound)
	g.Post("/rounds/:id/assignment", org, s.handleRunAssignment)
	g.Get("/rounds/:id/assignment", org, s.handleGetAssignment)
	g.Post("/rounds/:id/assignment/locks", org, s.handleSetLock)
	g.Get("/rounds/:id/my-assignments", judge, s.handleMyAssignments)
	g.Get("/rounds/:id/entries/:entryId/sheet", judge, s.handleGetSheet)
	g.Put("/rounds/:id/entries/:entryId/sheet", judge, s.handleSaveSheet)
	g.Post("/rounds/:id/entries/:entryId/sheet/submit", judge, s.handleSubmitSheet)
	g.Post("/rounds/:id/entries/:entryId/sheets/:judgeId/reopen", org, s.handleReopen)
	g.Get("/rounds/:id/results", org, s.handleRoundResults)
	g.Post("/rounds/:id/advance", org, s.handleAdvance)
	g.Post("/rounds/:id/awards", org, s.handleAwards)
	g.Get("/rounds/:id/pairs/next", judge, s.handleNextPair)
	g.Post("/rounds/:id/votes", judge, s.handleVote)
	g.Post("/rounds/:id/votes/undo", judge, s.handleUndo)
}

// allowUploads registers the upload route with the body limit once per
// process, however many apps are built (tests build many).
var allowUploads sync.Once

func me(c *fiber.Ctx) *farmers.User { return farmers.CurrentUser(c) }

// page serves items (sorted by key ascending) as one page of a list:
// ?limit and ?cursor, where the cursor is the key of the last item sent.
func page[T any](c *fiber.Ctx, items []T, key func(T) string) error {
	limit, err := httpx.Limit(c)
	if err != nil {
		return err
	}
	cursor := c.Query("cursor")
	out := httpx.List[T]{Items: make([]T, 0, min(limit, len(items)))}
	for _, it := range items {
		if cursor != "" && key(it) <= cursor {
			continue
		}
		if len(out.Items) == limit {
			out.Next = key(out.Items[limit-1])
			break
		}
		out.Items = append(out.Items, it)
	}
	return c.JSON(out)
}

// reasonReq is the body of veto, withdraw and reopen.
type reasonReq struct {
	Reason string `json:"reason" validate:"required,max=500"`
}

// optionalReason is the body of withdraw: the reason may be left out.
type optionalReason struct {
	Reason string `json:"reason" validate:"max=500"`
}

type reviewReq struct {
	Verdict string `json:"verdict" validate:"oneof=eligible ineligible"`
	Reason  string `json:"reason" validate:"max=500"`
}

type undoReq struct {
	Seq int64 `json:"seq" validate:"min=0"`
}

// decodeOptional decodes a body that may be absent.
func decodeOptional(c *fiber.Ctx, v any) error {
	if len(c.Body()) == 0 {
		return httpx.Validate(v)
	}
	return httpx.Decode(c, v)
}
