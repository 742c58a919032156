package web

import (
	"crypto/subtle"
	"net/url"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// Names of the CSRF form field and of the cookie that protects the login
// form, which is posted before any session exists.
const (
	csrfField       = "csrf"
	loginCSRFCookie = "casetrack_login"
	loginCSRFAge    = 2 * time.Hour
)

// errCSRF is what a forged or stale form gets. The message tells a real
// person what to do: their page was open too long or they signed out.
var errCSRF = tracking.Errorf(tracking.EFORBIDDEN, "This form has expired or did not come from casetrack: go back, reload the page and try again.")

// checkCSRF guards every page form that changes something: the form (or
// the page's script, in a header) must send back the session's token, and
// a browser that says where the request came from must say it came from
// here.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	if safeMethod(c.Method()) {
		return c.Next()
	}
	sess, err := s.currentSession(c)
	if err != nil {
		return err
	}
	if sess == nil {
		return s.toLogin(c)
	}
	sent := c.FormValue(csrfField)
	if sent == "" {
		sent = c.Get(csrfHeader)
	}
	if !tokensEqual(sent, sess.CSRF) || !sameOrigin(c) {
		return errCSRF
	}
	return c.Next()
}

// loginCSRF returns the token for the login form, setting a fresh one as
// a cookie when the browser has none: the form must send back the same
// value, which a page on another site can neither read nor set.
func (s *Server) loginCSRF(c *fiber.Ctx) string {
	if tok := c.Cookies(loginCSRFCookie); len(tok) >= 32 {
		return tok
	}
	tok := tracking.NewSessionSecret()
	s.setCookie(c, loginCSRFCookie, tok, "/login", loginCSRFAge)
	return tok
}

// checkLoginCSRF reports whether a posted login form carries its token.
func checkLoginCSRF(c *fiber.Ctx) bool {
	return tokensEqual(c.FormValue(csrfField), c.Cookies(loginCSRFCookie)) && sameOrigin(c)
}

// tokensEqual compares secrets in constant time; an empty one never
// matches.
func tokensEqual(sent, want string) bool {
	return sent != "" && want != "" && subtle.ConstantTimeCompare([]byte(sent), []byte(want)) == 1
}

// sameOrigin reports whether the request's Origin (sent by browsers on
// every POST) names this host. Requests with no Origin pass: the token
// check still applies to them.
func sameOrigin(c *fiber.Ctx) bool {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == string(c.Request().Host())
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
