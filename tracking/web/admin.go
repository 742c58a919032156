package web

import (
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerAdminRoutes adds the API for users and tokens. Only admins may
// call it; the /admin page does the same through the same functions.
func (s *Server) registerAdminRoutes(r fiber.Router) {
	admin := require(tracking.PermAdmin)
	r.Get("/users", admin, s.listUsers)
	r.Post("/users", admin, s.submitUser)
	r.Post("/users/:name/disable", admin, s.submitDisableUser)
	r.Patch("/users/:name", admin, s.submitUserChange)
	r.Get("/tokens", admin, s.listTokens)
	r.Post("/tokens", admin, s.submitToken)
	r.Post("/tokens/:name/revoke", admin, s.submitRevokeToken)
}

// userJSON is a user as the API shows it: never the password hash.
type userJSON struct {
	Name      string             `json:"name"`
	Role      tracking.Role      `json:"role"`
	CreatedAt tracking.Timestamp `json:"created_at"`
	Disabled  bool               `json:"disabled"`
}

func userView(u *tracking.User) userJSON {
	return userJSON{Name: u.Name, Role: u.Role, CreatedAt: tracking.TimestampOf(u.CreatedAt), Disabled: u.Disabled}
}

// tokenJSON is a token as the API shows it. Secret is set only in the
// answer that creates it: it is never stored, so never shown again.
type tokenJSON struct {
	Name      string              `json:"name"`
	Role      tracking.Role       `json:"role"`
	CreatedAt tracking.Timestamp  `json:"created_at"`
	Revoked   bool                `json:"revoked"`
	RevokedAt *tracking.Timestamp `json:"revoked_at,omitempty"`
	Secret    string              `json:"token,omitempty"`
}

func tokenView(t *tracking.Token) tokenJSON {
	v := tokenJSON{Name: t.Name, Role: t.Role, CreatedAt: tracking.TimestampOf(t.CreatedAt), Revoked: t.RevokedAt != nil}
	if t.RevokedAt != nil {
		at := tracking.TimestampOf(*t.RevokedAt)
		v.RevokedAt = &at
	}
	return v
}

func (s *Server) listUsers(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	us, err := s.Service.FindUsers(ctx)
	if err != nil {
		return err
	}
	out := make([]userJSON, len(us))
	for i, u := range us {
		out[i] = userView(u)
	}
	return c.JSON(fiber.Map{"users": out})
}

// newUserForm is a new user as the API and the page send it.
type newUserForm struct {
	Name     string        `json:"name"`
	Role     tracking.Role `json:"role"`
	Password string        `json:"password"`
}

func (s *Server) submitUser(c *fiber.Ctx) error {
	var f newUserForm
	if err := decodeJSON(c, jsonLimit, &f); err != nil {
		return err
	}
	u, err := s.createUser(c, f)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(userView(u))
}

func (s *Server) submitDisableUser(c *fiber.Ctx) error {
	name := param(c, "name")
	if _, err := s.changeUser(c, name, tracking.UserChange{Disabled: new(true)}); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"name": name, "disabled": true})
}

// submitUserChange changes a user's role, enables or disables them, or
// sets their password, and answers with the user as they now are.
func (s *Server) submitUserChange(c *fiber.Ctx) error {
	var ch tracking.UserChange
	if err := decodeJSON(c, jsonLimit, &ch); err != nil {
		return err
	}
	u, err := s.changeUser(c, param(c, "name"), ch)
	if err != nil {
		return err
	}
	return c.JSON(userView(u))
}

func (s *Server) listTokens(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	ts, err := s.Service.FindTokens(ctx)
	if err != nil {
		return err
	}
	out := make([]tokenJSON, len(ts))
	for i, t := range ts {
		out[i] = tokenView(t)
	}
	return c.JSON(fiber.Map{"tokens": out})
}

// newTokenForm is a new token as the API and the page send it.
type newTokenForm struct {
	Name string        `json:"name"`
	Role tracking.Role `json:"role"`
}

func (s *Server) submitToken(c *fiber.Ctx) error {
	var f newTokenForm
	if err := decodeJSON(c, jsonLimit, &f); err != nil {
		return err
	}
	v, err := s.createToken(c, f)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

func (s *Server) submitRevokeToken(c *fiber.Ctx) error {
	name := param(c, "name")
	if err := s.revokeToken(c, name); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"name": name, "revoked": true})
}

// createUser asks the service for a new user. A failed check returns every
// field's problem joined (see tracking.NewUser).
func (s *Server) createUser(c *fiber.Ctx, f newUserForm) (*tracking.User, error) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	return s.Service.CreateUser(ctx, actor(c), f.Name, f.Role, f.Password)
}

// createToken asks the service for a new token and returns it with its
// secret, which exists only in this answer.
func (s *Server) createToken(c *fiber.Ctx, f newTokenForm) (tokenJSON, error) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	t, secret, err := s.Service.CreateToken(ctx, actor(c), f.Name, f.Role)
	if err != nil {
		return tokenJSON{}, err
	}
	v := tokenView(t)
	v.Secret = secret
	return v, nil
}

// changeUser asks the service to change a user.
func (s *Server) changeUser(c *fiber.Ctx, name string, ch tracking.UserChange) (*tracking.User, error) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	return s.Service.ChangeUser(ctx, actor(c), name, ch)
}

// revokeToken asks the service to end a token.
func (s *Server) revokeToken(c *fiber.Ctx, name string) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	return s.Service.RevokeToken(ctx, actor(c), name)
}
