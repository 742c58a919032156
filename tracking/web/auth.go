package web

import (
	"strings"
	"sync"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

const actorKey = "casetrack.actor"

// authenticateAPI lets a request through only with a valid bearer token,
// or a signed-in page session (the pages call the API too).
func (s *Server) authenticateAPI(c *fiber.Ctx) error {
	auth := c.Get(fiber.HeaderAuthorization)
	if auth == "" && s.sessionActor != nil {
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
	a, err := s.tokenActor(c, tracking.HashToken(strings.TrimSpace(token)))
	if tracking.ErrorCode(err) == tracking.EUNAUTHORIZED || tracking.ErrorCode(err) == tracking.ENOTFOUND {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="casetrack", error="invalid_token"`)
		return tracking.Errorf(tracking.EUNAUTHORIZED, "The token is not valid: ask an administrator for a new one.")
	}
	if err != nil {
		return err
	}
	c.Locals(actorKey, a)
	return c.Next()
}

// tokenTTL is how long a token, once checked, is trusted without asking
// the database again. Device apps send a request per scan, so this saves a
// query on nearly every call; a revoked token stops working within it.
const tokenTTL = 10 * time.Second

// tokenCache remembers recently checked tokens by hash (never the secret).
type tokenCache struct {
	mu      sync.Mutex
	entries map[string]cachedToken
}

type cachedToken struct {
	actor   tracking.Actor
	expires time.Time
}

func (s *Server) tokenActor(c *fiber.Ctx, hash string) (tracking.Actor, error) {
	now := time.Now()
	s.tokens.mu.Lock()
	e, ok := s.tokens.entries[hash]
	s.tokens.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.actor, nil
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	t, err := s.Store.FindTokenByHash(ctx, hash)
	if err != nil {
		return tracking.Actor{}, err
	}
	a := tracking.Actor{Name: t.Name, Role: t.Role}
	s.tokens.mu.Lock()
	if s.tokens.entries == nil || len(s.tokens.entries) > 10_000 {
		s.tokens.entries = map[string]cachedToken{}
	}
	s.tokens.entries[hash] = cachedToken{actor: a, expires: now.Add(tokenTTL)}
	s.tokens.mu.Unlock()
	return a, nil
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
