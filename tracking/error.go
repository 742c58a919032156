package tracking

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in package web; the strings are
// part of the API's JSON error body, so they never change.
const (
	EINVALID      = "invalid"      // input that can never succeed as sent (422)
	ENOTFOUND     = "not_found"    // no such patient, volume, location... (404)
	ECONFLICT     = "conflict"     // a duplicate or a state clash (409)
	EUNAUTHORIZED = "unauthorized" // no or bad credentials (401)
	EFORBIDDEN    = "forbidden"    // authenticated, but the role may not (403)
	ETOOMANY      = "too_many"     // too many attempts: wait and try again (429)
	// EUNAVAILABLE is the database out of reach: nothing was saved, and
	// the same request may be sent again in a moment (503).
	EUNAVAILABLE = "unavailable"
	EINTERNAL    = "internal" // anything else; details go to the log only (500)
)

// Error is an error a person can act on. Message is safe to show to users;
// it never carries SQL, stack traces or another patient's data.
type Error struct {
	Code    string
	Message string
	// Field names the input field at fault, when there is one.
	Field string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error about one input field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not ours
// and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Internal errors all
// read the same, so nothing about the system's insides leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

func notFoundAsInvalid(err error, field, format string, args ...any) error {
	var e *Error
	if errors.As(err, &e) && e.Code == ENOTFOUND {
		return FieldError(field, format, args...)
	}
	return err
}
