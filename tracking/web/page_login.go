package web

import (
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// Login throttling: after this many failures in the window, sign-ins for
// that user name (or from that address) are refused without checking the
// password, which makes guessing slow whichever instance is asked.
const (
	throttleWindow  = 15 * time.Minute
	maxUserFailures = 5
	maxAddrFailures = 50
)

// dummyHash is checked against when the user does not exist, so a wrong
// name takes as long as a wrong password and names cannot be probed.
var dummyHash, _ = tracking.HashPassword("casetrack-no-such-user")

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
	keys := []string{"user:" + strings.ToLower(f.Name), "addr:" + c.IP()}
	if ok, err := s.loginAllowed(c, keys); err != nil || !ok {
		f.Error = "Too many failed sign-ins. Wait 15 minutes, or ask your supervisor to check your account."
		return firstErr(err, func() error { return s.renderLogin(c, fiber.StatusTooManyRequests, f) })
	}
	u, err := s.checkLogin(c, f.Name, c.FormValue("password"))
	if err != nil {
		return err
	}
	if u == nil {
		f.Error = "That user name and password do not match. Check them and try again."
		return firstErr(s.recordLoginFailure(c, keys), func() error { return s.renderLogin(c, fiber.StatusUnauthorized, f) })
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.forgetLoginFailures(c, keys[0])
	s.setCookie(c, loginCSRFCookie, "", "/login", -1)
	s.Logger.Info("signed in", "user", u.Name, "role", u.Role)
	return c.Redirect(f.Next, fiber.StatusSeeOther)
}

// checkLogin returns the user when the password is theirs, nil when the
// name or password is wrong.
func (s *Server) checkLogin(c *fiber.Ctx, name, password string) (*tracking.User, error) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	u, err := s.Store.FindUserByName(ctx, name)
	if tracking.ErrorCode(err) == tracking.ENOTFOUND {
		tracking.CheckPassword(dummyHash, password)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !tracking.CheckPassword(u.PasswordHash, password) {
		return nil, nil
	}
	return u, nil
}

// loginAllowed reports whether every key is under its failure limit.
func (s *Server) loginAllowed(c *fiber.Ctx, keys []string) (bool, error) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	since := s.now().Add(-throttleWindow)
	for _, k := range keys {
		n, err := s.Store.CountLoginFailures(ctx, k, since)
		if err != nil {
			return false, err
		}
		limit := maxUserFailures
		if strings.HasPrefix(k, "addr:") {
			limit = maxAddrFailures
		}
		if n >= limit {
			return false, nil
		}
	}
	return true, nil
}

func (s *Server) recordLoginFailure(c *fiber.Ctx, keys []string) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	s.Logger.Warn("failed sign-in", "addr", c.IP())
	return s.Store.AddLoginFailure(ctx, keys, s.now())
}

// forgetLoginFailures clears a user's failures after a good sign-in; a
// failure to do so only leaves the user less allowance, so it is logged.
func (s *Server) forgetLoginFailures(c *fiber.Ctx, key string) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	if err := s.Store.ClearLoginFailures(ctx, key, s.now().Add(-throttleWindow)); err != nil {
		s.Logger.Warn("clear login failures", "err", err)
	}
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

// firstErr returns err, or else what then returns.
func firstErr(err error, then func() error) error {
	if err != nil {
		return err
	}
	return then()
}
