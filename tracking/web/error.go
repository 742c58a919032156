package web

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// Codes for errors that arise in the HTTP layer itself.
const (
	codeBadRequest  = "bad_request"
	codeTooLarge    = "too_large"
	codeUnsupported = "unsupported_media_type"
	codeNotAllowed  = "method_not_allowed"
)

var statusByCode = map[string]int{
	tracking.EINVALID:      fiber.StatusUnprocessableEntity,
	tracking.ENOTFOUND:     fiber.StatusNotFound,
	tracking.ECONFLICT:     fiber.StatusConflict,
	tracking.EUNAUTHORIZED: fiber.StatusUnauthorized,
	tracking.EFORBIDDEN:    fiber.StatusForbidden,
	tracking.ETOOMANY:      fiber.StatusTooManyRequests,
	tracking.EINTERNAL:     fiber.StatusInternalServerError,
	tracking.EUNAVAILABLE:  fiber.StatusServiceUnavailable,
	codeBadRequest:         fiber.StatusBadRequest,
	codeTooLarge:           fiber.StatusRequestEntityTooLarge,
	codeUnsupported:        fiber.StatusUnsupportedMediaType,
	codeNotAllowed:         fiber.StatusMethodNotAllowed,
	codePrinter:            fiber.StatusBadGateway,
}

// httpError is an error of the HTTP layer with a status of its own.
func httpError(code, message string) *tracking.Error {
	return &tracking.Error{Code: code, Message: message}
}

// errorBody is the JSON error of API.md.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

// asError turns any error into the one error model: ours pass through,
// Fiber's keep their status, anything else is internal.
func asError(err error) *tracking.Error {
	var te *tracking.Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &te):
		return te
	case errors.As(err, &fe):
		return fiberError(fe)
	}
	return &tracking.Error{Code: tracking.EINTERNAL, Message: "Internal error."}
}

func fiberError(fe *fiber.Error) *tracking.Error {
	switch fe.Code {
	case fiber.StatusRequestEntityTooLarge:
		return httpError(codeTooLarge, "The request body is too large.")
	case fiber.StatusNotFound:
		return tracking.Errorf(tracking.ENOTFOUND, "Not found.")
	case fiber.StatusMethodNotAllowed:
		return httpError(codeNotAllowed, "Method not allowed.")
	case fiber.StatusUnsupportedMediaType:
		return httpError(codeUnsupported, fe.Message)
	}
	if fe.Code >= 400 && fe.Code < 500 {
		return httpError(codeBadRequest, fe.Message)
	}
	return &tracking.Error{Code: tracking.EINTERNAL, Message: "Internal error."}
}

func statusOf(err error) int {
	if st, ok := statusByCode[asError(err).Code]; ok {
		return st
	}
	return fiber.StatusInternalServerError
}

// handleError is Fiber's one error handler: it logs internal causes and
// answers JSON under /api and an HTML page elsewhere.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	e := asError(err)
	status := statusOf(e)
	if status >= 500 {
		s.Logger.Error("internal error", "route", c.Route().Path, "err", err)
	}
	if e.Code == tracking.EUNAVAILABLE {
		// Scan stations keep the scan queued and send it again; the
		// header says when it is worth trying.
		c.Set(fiber.HeaderRetryAfter, "5")
	}
	if !strings.HasPrefix(c.Path(), "/api/") && c.Path() != "/healthz" {
		return s.showErrorPage(c, status, e)
	}
	var body errorBody
	body.Error.Code, body.Error.Message, body.Error.Field = e.Code, e.Message, e.Field
	return c.Status(status).JSON(body)
}

// decodeJSON reads a JSON body of at most limit bytes into v.
func decodeJSON(c *fiber.Ctx, limit int, v any) error {
	body, err := requestBody(c, limit)
	if err != nil {
		return err
	}
	if len(body) == 0 {
		return httpError(codeBadRequest, "The request has no JSON body.")
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *tracking.Error
		if errors.As(err, &te) {
			return te
		}
		return httpError(codeBadRequest, "The body is not valid JSON: "+jsonProblem(err))
	}
	return nil
}

func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "syntax error."
	case errors.As(err, &typ) && typ.Field != "":
		return "field " + typ.Field + " has the wrong type."
	case errors.As(err, &typ):
		return "expected a JSON object."
	}
	return "it could not be read."
}
