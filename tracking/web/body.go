package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// Request bodies are streamed: the server reads a request's headers and
// hands it on with at most the first 8 KiB of its body read. A request
// with a body but no credentials, or with a token that is not valid, is
// refused on its headers alone, before any of the body is read, and its
// connection closed (screenHeader); an accepted one is read by its
// handler, through requestBody, only after authentication, and never
// past the route's limit. So no one can make casetrack hold memory for a
// body without first showing who they are.

// refusedHeader carries screenHeader's refusal to the handlers. Any copy
// a client sends is removed first, so it only ever says what the server
// decided.
const refusedHeader = "X-Casetrack-Refused"

// Why screenHeader refused a request: no credentials, a bad token, or a
// body longer than any route takes.
const (
	refusedNoCredentials = "no-credentials"
	refusedBadToken      = "invalid-token"
	refusedTooLarge      = "too-large"
)

// Reading bodies: a request's headers must arrive within headerTimeout;
// an accepted body then has bodyGrace and as long again as it takes at
// bodyRate, so a slow network is served and a trickle is cut off.
const (
	headerTimeout = 10 * time.Second
	bodyGrace     = 10 * time.Second
	bodyRate      = 64 << 10 // bytes a second
)

// screenHeader runs as each request's headers arrive, before any of its
// body is read: a request that would send a body (a Content-Length above
// 0, or chunks) without credentials, or with a bearer token that is not
// valid, or declaring more than any route takes, is marked refused, its
// body is dropped unread (its length taken as 0, its 100-continue
// unanswered) and its connection will close after the answer, since what
// it sends next is the body, not a request. The session cookie is checked
// by the handler: a bad one costs at most the first 8 KiB, as does a body
// over its own route's limit. POST /login is the one form taken without
// credentials.
func (s *Server) screenHeader(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	h.Del(refusedHeader)
	if n := h.ContentLength(); n == 0 || n == -2 {
		return fasthttp.RequestConfig{}
	}
	why := s.refusal(h)
	if why == "" && h.ContentLength() > largestBody(h) {
		why = refusedTooLarge
	}
	if why != "" {
		h.Set(refusedHeader, why)
		h.Del(fiber.HeaderExpect)
		h.SetContentLength(0)
		h.SetConnectionClose()
	}
	return fasthttp.RequestConfig{}
}

// largestBody is the most any route at the request's address takes: a
// body declared longer is refused on its headers. A route that streams a
// larger body itself (reading c.Request().BodyStream() through its own
// limit) raises it here for its address: a bulk import's file.
func largestBody(h *fasthttp.RequestHeader) int {
	path, _, _ := strings.Cut(string(h.RequestURI()), "?")
	if streamsBody(path) {
		return importLimit + 1<<20
	}
	return serverLimit
}

// refusal says why a request with a body is refused on its headers, or
// "" to let it through.
func (s *Server) refusal(h *fasthttp.RequestHeader) string {
	path, _, _ := strings.Cut(string(h.RequestURI()), "?")
	path = strings.ToLower(path)
	if auth := string(h.Peek(fiber.HeaderAuthorization)); auth != "" && strings.HasPrefix(path, "/api/") {
		token, ok := bearer(auth)
		if !ok {
			return refusedNoCredentials
		}
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		if _, err := s.Service.CheckToken(ctx, token); tracking.ErrorCode(err) == tracking.EUNAUTHORIZED {
			return refusedBadToken
		}
		return "" // valid, or the database did not answer: the handler will say
	}
	if len(h.Cookie(sessionCookie)) > 0 || h.IsPost() && strings.TrimSuffix(path, "/") == "/login" {
		return ""
	}
	return refusedNoCredentials
}

// bearer reads "Bearer TOKEN".
func bearer(auth string) (string, bool) {
	scheme, token, ok := strings.Cut(auth, " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}

// requestBody reads the request's body, at most limit bytes: a body
// declared longer is refused (413) before any more of it is read, one that
// turns out longer (sent in chunks) as soon as it passes the limit, and
// a compressed one (415) before it could inflate. The body read is kept
// as the request's, so reading it again (and FormValue, FormFile) costs
// nothing. A refusal closes the connection: the rest of the body is
// still on its way.
func requestBody(c *fiber.Ctx, limit int) ([]byte, error) {
	if c.Get(refusedHeader) == refusedTooLarge {
		return nil, tooLarge(c, limit)
	}
	req := c.Request()
	if !req.IsBodyStream() {
		if b := req.Body(); len(b) > limit {
			return nil, tooLarge(c, limit)
		}
		return req.Body(), nil
	}
	if enc := c.Get(fiber.HeaderContentEncoding); enc != "" && !strings.EqualFold(enc, "identity") {
		closeAfter(c)
		return nil, httpError(codeUnsupported, "Send the body uncompressed (no Content-Encoding).")
	}
	n := req.Header.ContentLength()
	if n > limit {
		return nil, tooLarge(c, limit)
	}
	size := n
	if n < 0 {
		size = limit
	}
	_ = c.Context().Conn().SetReadDeadline(time.Now().Add(bodyGrace + time.Duration(size/bodyRate)*time.Second))
	body, err := readBody(req.BodyStream(), n, limit)
	if err != nil {
		closeAfter(c)
		if errors.Is(err, errBodyTooLarge) {
			return nil, tooLarge(c, limit)
		}
		return nil, httpError(codeBadRequest, "The request body could not be read: it was cut short or too slow.")
	}
	req.SetBodyRaw(body)
	return body, nil
}

var errBodyTooLarge = errors.New("body over its limit")

// readBody reads a body of n bytes into a buffer of exactly its size, or
// one of unknown length (n < 0) up to limit.
func readBody(stream io.Reader, n, limit int) ([]byte, error) {
	if n >= 0 {
		body := make([]byte, n)
		_, err := io.ReadFull(stream, body)
		return body, err
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(io.LimitReader(stream, int64(limit)+1)); err != nil {
		return nil, err
	}
	if b.Len() > limit {
		return nil, errBodyTooLarge
	}
	return b.Bytes(), nil
}

// tooLarge refuses a body over its route's limit.
func tooLarge(c *fiber.Ctx, limit int) error {
	closeAfter(c)
	return httpError(codeTooLarge, "The request body is too large: this address takes at most "+sizeWords(limit)+".")
}

// sizeWords says a body limit as people read it.
func sizeWords(limit int) string {
	switch {
	case limit >= 1<<20:
		return itoa(limit>>20) + " MiB"
	case limit >= 1<<10:
		return itoa(limit>>10) + " KiB"
	}
	return itoa(limit) + " bytes"
}

// readPageBody reads the body of a page form (sign-in, the admin forms)
// before its handler looks at a field, so it is held to jsonLimit like
// the API's own.
func readPageBody(c *fiber.Ctx) error {
	if safeMethod(c.Method()) || strings.HasPrefix(c.Path(), "/api/") {
		return c.Next()
	}
	if _, err := requestBody(c, jsonLimit); err != nil {
		return err
	}
	return c.Next()
}

// closeUnread ends the connection of a request whose body was not read:
// one screenHeader refused, or one whose handler took no body. The unread
// bytes would otherwise be taken for the next request.
func closeUnread(c *fiber.Ctx) error {
	err := c.Next()
	if len(c.Request().Header.Peek(refusedHeader)) > 0 ||
		c.Request().IsBodyStream() && c.Request().Header.ContentLength() != 0 {
		closeAfter(c)
	}
	return err
}

// closeAfter ends the connection once the answer is sent, lingering for
// the body still on its way (see lingerConn).
func closeAfter(c *fiber.Ctx) {
	c.Context().SetConnectionClose()
	if lc, ok := c.Context().Conn().(*lingerConn); ok {
		lc.linger.Store(true)
	}
}

// Lingering: how long, and for how many bytes, a connection closed with a
// body still arriving reads and drops it before closing. Enough for the
// largest body any route takes over a slow network.
const (
	lingerTime  = 5 * time.Second
	lingerBytes = serverLimit + 64<<10
)

// Listener wraps the listener casetrack serves on so that its connections
// close gracefully (see lingerConn).
func Listener(ln net.Listener) net.Listener { return lingerListener{ln} }

type lingerListener struct{ net.Listener }

func (l lingerListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &lingerConn{Conn: c}, nil
}

// lingerConn is a connection that, when it is closed with a request's body
// still on its way (a refusal on the headers, a body over its limit),
// first says it has finished sending and reads and drops what keeps
// arriving, for a moment and a bounded number of bytes. Closed at once,
// the unread bytes would make the kernel reset the connection, and a
// client still sending would lose the answer (401, 413) that says why.
// Dropping them costs no memory: nothing is kept.
type lingerConn struct {
	net.Conn
	linger atomic.Bool
}

// Close closes the connection, lingering first when it was asked to.
func (c *lingerConn) Close() error {
	if c.linger.Load() {
		if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok && cw.CloseWrite() == nil {
			_ = c.Conn.SetReadDeadline(time.Now().Add(lingerTime))
			_, _ = io.CopyN(io.Discard, c.Conn, lingerBytes)
		}
	}
	return c.Conn.Close()
}
