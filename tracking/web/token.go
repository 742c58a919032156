package web

import (
	"net/url"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerTokenRoutes adds the API for device and integration tokens, for
// administrators only; the /admin page does the same.
func (s *Server) registerTokenRoutes(r fiber.Router) {
	admin := require(tracking.PermAdmin)
	r.Get("/tokens", admin, s.listTokens)
	r.Post("/tokens", admin, s.submitToken)
	r.Post("/tokens/:name/revoke", admin, s.submitRevokeToken)
}

// authenticateAPI lets a request through only with a valid bearer token,
// or a signed-in page session (the pages call the API too).
func (s *Server) authenticateAPI(c *fiber.Ctx) error {
	if why := c.Get(refusedHeader); why == refusedNoCredentials || why == refusedBadToken {
		return refused(c, why)
	}
	auth := c.Get(fiber.HeaderAuthorization)
	if auth == "" {
		a, err := s.sessionActor(c)
		if err != nil {
			return err
		}
		if a != nil {
			c.Locals(actorKey, *a)
			return c.Next()
		}
	}
	token, ok := bearer(auth)
	if !ok {
		return refused(c, refusedNoCredentials)
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	a, err := s.Service.CheckToken(ctx, token)
	if tracking.ErrorCode(err) == tracking.EUNAUTHORIZED {
		return refused(c, refusedBadToken)
	}
	if err != nil {
		return err
	}
	c.Locals(actorKey, a)
	return c.Next()
}

// errNoCredentials answers an API request that showed no credentials.
var errNoCredentials = tracking.Errorf(tracking.EUNAUTHORIZED, "Sign in: send Authorization: Bearer TOKEN.")

// refused answers 401 saying how to authenticate, and ends the connection:
// a client without credentials keeps none open. A body the request had is
// never read (closeUnread lingers for it).
func refused(c *fiber.Ctx, why string) error {
	c.Context().SetConnectionClose()
	if why == refusedBadToken {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="casetrack", error="invalid_token"`)
		return tracking.ErrBadToken
	}
	c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="casetrack"`)
	return errNoCredentials
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

// revokeToken asks the service to end a token.
func (s *Server) revokeToken(c *fiber.Ctx, name string) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	return s.Service.RevokeToken(ctx, actor(c), name)
}

func (s *Server) submitTokenForm(c *fiber.Ctx) error {
	f := newTokenForm{Name: strings.TrimSpace(c.FormValue("name")), Role: tracking.Role(c.FormValue("role"))}
	t, err := s.createToken(c, f)
	if err != nil {
		return s.formProblem(c, err, adminPage{UserForm: blankUserForm, TokenForm: f}, "token")
	}
	return s.render(c, fiber.StatusCreated, "admin_token", s.newPage(c, "Token created", t))
}

func (s *Server) submitRevokeTokenForm(c *fiber.Ctx) error {
	name := param(c, "name")
	if err := s.revokeToken(c, name); err != nil {
		return s.formProblem(c, err, adminPage{UserForm: blankUserForm, TokenForm: blankTokenForm}, "")
	}
	return c.Redirect("/admin?done=token-revoked&name="+url.QueryEscape(name), fiber.StatusSeeOther)
}
