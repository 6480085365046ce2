package farmers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

type registerReq struct {
	Phone    string `json:"phone" validate:"required,phone"`
	Password string `json:"password" validate:"required,min=8,max=72"`
	Name     string `json:"name" validate:"required,min=1,max=50"`
	Role     string `json:"role" validate:"required,oneof=farmer buyer"`
}

type loginReq struct {
	Phone    string `json:"phone" validate:"required"`
	Password string `json:"password" validate:"required,max=72"`
}

type rolesReq struct {
	Roles []string `json:"roles" validate:"required,min=1,dive,oneof=farmer buyer organizer judge admin"`
}

type authResp struct {
	Token string `json:"token"`
	User  *User  `json:"user"`
}

type userResp struct {
	User *User `json:"user"`
}

// Routes mounts the account routes under /api/v1.
func (s *Service) Routes(api fiber.Router) {
	api.Post("/auth/register", s.handleRegister)
	api.Post("/auth/login", s.handleLogin)
	api.Post("/auth/logout", s.RequireUser, s.handleLogout)
	api.Get("/me", s.RequireUser, s.handleMe)
	api.Put("/users/:id/roles", s.RequireRole(RoleAdmin), s.handleSetRoles)
	api.Get("/users", s.RequireRole(RoleAdmin), s.handleListUsers)
}

func (s *Service) handleRegister(c *fiber.Ctx) error {
	var req registerReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	u, err := s.Register(c.UserContext(), req.Phone, req.Password, req.Name, []string{req.Role})
	if err != nil {
		return err
	}
	return s.respondToken(c, fiber.StatusCreated, u)
}

func (s *Service) handleLogin(c *fiber.Ctx) error {
	var req loginReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	u, err := s.Login(c.UserContext(), req.Phone, req.Password)
	if err != nil {
		return err
	}
	return s.respondToken(c, fiber.StatusOK, u)
}

func (s *Service) respondToken(c *fiber.Ctx, status int, u *User) error {
	tok, err := s.IssueToken(c.UserContext(), u)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(authResp{Token: tok, User: u})
}

func (s *Service) handleLogout(c *fiber.Ctx) error {
	if err := s.Logout(c.UserContext(), Bearer(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Service) handleMe(c *fiber.Ctx) error {
	return c.JSON(userResp{User: CurrentUser(c)})
}

func (s *Service) handleSetRoles(c *fiber.Ctx) error {
	var req rolesReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	u, err := s.SetRoles(c.UserContext(), c.Params("id"), req.Roles)
	if err != nil {
		return err
	}
	return c.JSON(userResp{User: u})
}
