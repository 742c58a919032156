package web

import (
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

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
	next := safeNext(c.Query("next"))
	if sess != nil {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	return s.renderLogin(c, fiber.StatusOK, loginForm{Next: next})
}

func (s *Server) renderLogin(c *fiber.Ctx, status int, f loginForm) error {
	f.Token = s.loginCSRF(c)
	return s.render(c, status, "login", s.newPage(c, "Sign in", f))
}

func (s *Server) submitLogin(c *fiber.Ctx) error {
	f := loginForm{Name: strings.TrimSpace(c.FormValue("name")), Next: safeNext(c.FormValue("next"))}
	if !checkLoginCSRF(c) {
		f.Error = "The sign-in form had expired. Please try again."
		return s.renderLogin(c, fiber.StatusForbidden, f)
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	_, secret, err := s.Service.SignIn(ctx, tracking.Credentials{Name: f.Name, Password: c.FormValue("password"), Addr: c.IP()})
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
	return c.Redirect(f.Next, fiber.StatusSeeOther)
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
