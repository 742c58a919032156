package web

import (
	"bytes"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// param returns a path parameter decoded and copied out of Fiber's reused
// buffer. Hospital numbers may hold '/' and legacy barcodes other
// reserved characters, so clients escape them and we unescape here.
func param(c *fiber.Ctx, name string) string {
	raw := c.Params(name)
	s, err := url.PathUnescape(raw)
	if err != nil {
		s = raw
	}
	return strings.Clone(s)
}

// checkInputText refuses a request whose path or query holds a NUL byte,
// another control character or invalid UTF-8: nothing casetrack stores
// may contain them, and the databases would refuse them less politely.
func checkInputText(c *fiber.Ctx) error {
	path, err := url.PathUnescape(c.Path())
	if err != nil || !cleanText([]byte(path)) {
		return httpError(codeBadRequest, "The address contains characters that are not allowed.")
	}
	var bad []byte
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		if bad == nil && (!cleanText(k) || !cleanText(v)) {
			bad = k
		}
	})
	if bad != nil {
		return tracking.FieldError(string(bad), "The query parameter %q contains characters that are not allowed.", bad)
	}
	return c.Next()
}

func cleanText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	return bytes.IndexFunc(b, func(r rune) bool { return r < ' ' || r == 0x7f }) < 0
}
