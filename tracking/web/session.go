package web

import (
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

const (
	sessionCookie = "casetrack_session"
	sessionKey    = "casetrack.session"
	csrfHeader    = "X-CSRF-Token"
)

// currentSession returns the request's live session, or nil when there is
// none (no cookie, unknown, expired). The service reads it once per
// request.
func (s *Server) currentSession(c *fiber.Ctx) (*tracking.Session, error) {
	if sess, ok := c.Locals(sessionKey).(*tracking.Session); ok {
		return sess, nil
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	sess, err := s.Service.CheckSession(ctx, c.Cookies(sessionCookie))
	if err != nil || sess == nil {
		return nil, err
	}
	c.Locals(sessionKey, sess)
	return sess, nil
}

// sessionActor lets the pages' own scripts call the JSON API with the
// session cookie. A cookie is sent by the browser whatever page asks, so
// any call that changes something must also carry the session's CSRF token
// in a header, which only our pages can read.
func (s *Server) sessionActor(c *fiber.Ctx) (*tracking.Actor, error) {
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

// endSession signs out and deletes the cookie.
func (s *Server) endSession(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	if err := s.Service.EndSession(ctx, c.Cookies(sessionCookie)); err != nil {
		return err
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

func (s *Server) registerLoginRoutes(r fiber.Router) {
	r.Get("/login", s.showLogin)
	r.Post("/login", s.submitLogin)
	r.Post("/logout", s.checkCSRF, s.submitLogout)
}

// loginForm is what the login page shows.
type loginForm struct {
	Name, Next, Token, Error string
}

func (s *Server) showLogin(c *fiber.Ctx) error {
	sess, err := s.currentSession(c)
	if err != nil {
		return err
	}
	if sess != nil {
		return c.Redirect(afterLogin(c.Query("next"), sess.Role), fiber.StatusSeeOther)
	}
	return s.renderLogin(c, fiber.StatusOK, loginForm{Next: c.Query("next")})
}

func (s *Server) renderLogin(c *fiber.Ctx, status int, f loginForm) error {
	f.Token = s.loginCSRF(c)
	return s.render(c, status, "login", s.newPage(c, "Sign in", f))
}

func (s *Server) submitLogin(c *fiber.Ctx) error {
	f := loginForm{Name: strings.TrimSpace(c.FormValue("name")), Next: c.FormValue("next")}
	if !checkLoginCSRF(c) {
		f.Error = "The sign-in form had expired. Please try again."
		return s.renderLogin(c, fiber.StatusForbidden, f)
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	sess, secret, err := s.Service.SignIn(ctx, tracking.Credentials{Name: f.Name, Password: c.FormValue("password"),
		Addr: s.clientAddr(c)})
	switch tracking.ErrorCode(err) {
	case "":
	case tracking.ETOOMANY, tracking.EUNAUTHORIZED:
		f.Error = tracking.ErrorMessage(err)
		return s.renderLogin(c, statusOf(err), f)
	default:
		return err
	}
	s.setCookie(c, sessionCookie, secret, "/", s.Service.SessionMaxAge)
	s.setCookie(c, loginCSRFCookie, "", "/login", -1)
	return c.Redirect(afterLogin(f.Next, sess.Role), fiber.StatusSeeOther)
}

// afterLogin is where a person goes once signed in: where they were going
// (next, if it is a path on this site), else where their role's work is:
// porters and devices to the scan station, clerks to finding notes,
// everyone else to the home page.
func afterLogin(next string, r tracking.Role) string {
	if next != "" {
		return safeNext(next)
	}
	switch r {
	case tracking.RolePorter, tracking.RoleDevice:
		return "/scan"
	case tracking.RoleClerk:
		return "/lookup"
	}
	return "/"
}

func (s *Server) submitLogout(c *fiber.Ctx) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// safeNext keeps the after-login redirect on this site: a path, never
// "//other.example" or a full URL.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.HasPrefix(next, "/login") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}
