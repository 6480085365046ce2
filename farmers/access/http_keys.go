package access

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
)

type createKeyReq struct {
	Name string `json:"name" validate:"required,max=100"`
}

// rotateReq is optional: no body rotates with no grace.
type rotateReq struct {
	GraceSeconds int `json:"graceSeconds" validate:"min=0,max=86400"`
}

// keyResp shows a new key with its secret, the only time the secret is shown.
type keyResp struct {
	Key    *Key   `json:"key"`
	Secret string `json:"secret"`
}

// memberOrg reads the organisation of the route for one of its members;
// keys are the organisation's own business, so administrators get 403.
// A suspended organisation gets no new keys.
func (s *Service) memberOrg(c *fiber.Ctx) (*Org, error) {
	o, err := s.orgFor(c.UserContext(), c.Params("id"), farmers.CurrentUser(c), false)
	if err != nil {
		return nil, err
	}
	if o.Suspended {
		return nil, errOrgSuspended
	}
	return o, nil
}

func (s *Service) handleCreateKey(c *fiber.Ctx) error {
	var req createKeyReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	o, err := s.memberOrg(c)
	if err != nil {
		return err
	}
	k, secret, err := s.createKey(c.UserContext(), o.ID, req.Name, farmers.CurrentUser(c), "")
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(keyResp{Key: k, Secret: secret})
}

func (s *Service) handleRotateKey(c *fiber.Ctx) error {
	var req rotateReq
	if len(c.Body()) > 0 {
		if err := httpx.Decode(c, &req); err != nil {
			return err
		}
	}
	o, err := s.memberOrg(c)
	if err != nil {
		return err
	}
	grace := time.Duration(req.GraceSeconds) * time.Second
	k, secret, err := s.rotate(c.UserContext(), o.ID, c.Params("keyId"), grace, farmers.CurrentUser(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(keyResp{Key: k, Secret: secret})
}

// handleRevokeKey revokes a key at once; members and administrators (who
// may need to stop a leaked key) may. Revoking a revoked key is a no-op.
func (s *Service) handleRevokeKey(c *fiber.Ctx) error {
	o, err := s.orgFor(c.UserContext(), c.Params("id"), farmers.CurrentUser(c), true)
	if err != nil {
		return err
	}
	k, err := s.getKey(c.UserContext(), o.ID, c.Params("keyId"))
	if err != nil {
		return err
	}
	if err := s.revokeAt(c.UserContext(), k, time.Now(), ""); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Service) handleListKeys(c *fiber.Ctx) error {
	o, err := s.orgFor(c.UserContext(), c.Params("id"), farmers.CurrentUser(c), true)
	if err != nil {
		return err
	}
	return respondPage(c, s.keys, "keys", bson.D{{Key: "org", Value: o.ID}}, func(k *Key) string { k.localize(); return k.ID })
}
