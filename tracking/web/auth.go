package web

import (
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

const actorKey = "casetrack.actor"

// authenticateAPI lets a request through only with a valid bearer token,
// or a signed-in page session (the pages call the API too).
func (s *Server) authenticateAPI(c *fiber.Ctx) error {
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
	scheme, token, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="casetrack"`)
		return tracking.Errorf(tracking.EUNAUTHORIZED, "Sign in: send Authorization: Bearer TOKEN.")
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	a, err := s.Service.CheckToken(ctx, strings.TrimSpace(token))
	if tracking.ErrorCode(err) == tracking.EUNAUTHORIZED {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="casetrack", error="invalid_token"`)
	}
	if err != nil {
		return err
	}
	c.Locals(actorKey, a)
	return c.Next()
}

// actor returns who is making the request; only routes behind an
// authenticating middleware call it.
func actor(c *fiber.Ctx) tracking.Actor {
	a, _ := c.Locals(actorKey).(tracking.Actor)
	return a
}

// require lets a request through only when the actor's role has p.
func require(p tracking.Permission) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !actor(c).Role.Can(p) {
			return tracking.Errorf(tracking.EFORBIDDEN, "Your role (%s) may not do this.", actor(c).Role)
		}
		return c.Next()
	}
}
