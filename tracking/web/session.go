package web

import (
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// Default session lifetimes. Ward PCs are shared, so an idle session ends
// soon; a scan station in use stays signed in, but not past one long
// shift. A site may set its own (Server.SessionIdle, SessionMaxAge).
const (
	DefaultSessionIdle   = 30 * time.Minute
	DefaultSessionMaxAge = 12 * time.Hour
	// sessionTouchEvery limits writes: a busy scan station would otherwise
	// update its session row on every scan.
	sessionTouchEvery = time.Minute
)

const (
	sessionCookie = "casetrack_session"
	sessionKey    = "casetrack.session"
	csrfHeader    = "X-CSRF-Token"
)

func (s *Server) sessionIdle() time.Duration {
	if s.SessionIdle > 0 {
		return s.SessionIdle
	}
	return DefaultSessionIdle
}

func (s *Server) sessionMaxAge() time.Duration {
	if s.SessionMaxAge > 0 {
		return s.SessionMaxAge
	}
	return DefaultSessionMaxAge
}

// now is the time for sessions, from the service's injected clock.
func (s *Server) now() time.Time {
	if s.Service != nil && s.Service.Now != nil {
		return s.Service.Now().UTC()
	}
	return time.Now().UTC()
}

// currentSession returns the request's live session, or nil when there is
// none (no cookie, unknown, expired). It reads the database once per
// request and extends the session's idle time.
func (s *Server) currentSession(c *fiber.Ctx) (*tracking.Session, error) {
	if sess, ok := c.Locals(sessionKey).(*tracking.Session); ok {
		return sess, nil
	}
	secret := c.Cookies(sessionCookie)
	if secret == "" {
		return nil, nil
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	sess, err := s.Store.FindSession(ctx, tracking.HashToken(secret))
	if tracking.ErrorCode(err) == tracking.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if sess.Expired(now, s.sessionIdle(), s.sessionMaxAge()) {
		return nil, s.Store.DeleteSession(ctx, sess.Hash)
	}
	if now.Sub(sess.LastSeen) >= sessionTouchEvery {
		if err := s.Store.TouchSession(ctx, sess.Hash, now); err != nil {
			return nil, err
		}
	}
	c.Locals(sessionKey, sess)
	return sess, nil
}

// sessionActor lets the pages' own scripts call the JSON API with the
// session cookie. A cookie is sent by the browser whatever page asks, so
// any call that changes something must also carry the session's CSRF token
// in a header, which only our pages can read.
func (s *Server) sessionActorOf(c *fiber.Ctx) (*tracking.Actor, error) {
	sess, err := s.currentSession(c)
	if err != nil || sess == nil {
		return nil, err
	}
	if !safeMethod(c.Method()) && (!tokensEqual(c.Get(csrfHeader), sess.CSRF) || !sameOrigin(c)) {
		return nil, tracking.Errorf(tracking.EFORBIDDEN, "This request did not carry the page's security token: reload the page and try again.")
	}
	a := sess.Actor()
	return &a, nil
}

// requirePage lets a page request through only for a signed-in user whose
// role has p. People who are not signed in are sent to the login page and
// brought back afterwards.
func (s *Server) requirePage(p tracking.Permission) fiber.Handler {
	return func(c *fiber.Ctx) error {
		sess, err := s.currentSession(c)
		if err != nil {
			return err
		}
		if sess == nil {
			return s.toLogin(c)
		}
		c.Locals(actorKey, sess.Actor())
		if !sess.Role.Can(p) {
			return tracking.Errorf(tracking.EFORBIDDEN, "Your role (%s) may not use this page.", sess.Role)
		}
		return c.Next()
	}
}

// toLogin sends a browser to sign in, remembering where it was going.
func (s *Server) toLogin(c *fiber.Ctx) error {
	if !safeMethod(c.Method()) {
		return tracking.Errorf(tracking.EUNAUTHORIZED, "Your session has ended: sign in again.")
	}
	return c.Redirect("/login?next="+urlQueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
}

// startSession signs the user in: a new secret every time, so a session id
// planted before login is worth nothing after it.
func (s *Server) startSession(c *fiber.Ctx, u *tracking.User) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	now := s.now()
	if err := s.Store.DeleteSessionsBefore(ctx, now.Add(-s.sessionIdle())); err != nil {
		s.Logger.Warn("purge old sessions", "err", err)
	}
	secret := tracking.NewSessionSecret()
	sess := &tracking.Session{Hash: tracking.HashToken(secret), UserID: u.ID, User: u.Name, Role: u.Role,
		CSRF: tracking.NewSessionSecret(), CreatedAt: now, LastSeen: now}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, secret, "/", s.sessionMaxAge())
	return nil
}

// endSession signs out: the row goes, so a copied cookie is dead too.
func (s *Server) endSession(c *fiber.Ctx) error {
	if secret := c.Cookies(sessionCookie); secret != "" {
		ctx, cancel := s.ctx(c)
		defer cancel()
		if err := s.Store.DeleteSession(ctx, tracking.HashToken(secret)); err != nil {
			return err
		}
	}
	s.setCookie(c, sessionCookie, "", "/", -1)
	return nil
}

// setCookie writes a cookie scripts cannot read, that other sites' pages
// cannot make the browser send on a POST, and that travels only over TLS
// when the server is behind it. maxAge < 0 deletes it.
func (s *Server) setCookie(c *fiber.Ctx, name, value, path string, maxAge time.Duration) {
	ck := &fiber.Cookie{Name: name, Value: value, Path: path, HTTPOnly: true, Secure: s.SecureCookies,
		SameSite: fiber.CookieSameSiteLaxMode}
	if maxAge < 0 {
		ck.Expires = time.Unix(1, 0)
		ck.MaxAge = -1
	} else {
		ck.MaxAge = int(maxAge / time.Second)
	}
	c.Cookie(ck)
}

func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}
