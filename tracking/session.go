package tracking

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"time"
)

// Session is a person signed in to the pages. The browser holds the
// secret in a cookie; the database holds only its hash, so any instance
// can check it and a copy of the database signs no one in.
type Session struct {
	// Hash is HashToken of the cookie's secret.
	Hash   string
	UserID int64
	// User and Role are read from the user on every lookup, so a changed
	// role or a disabled user takes effect at once.
	User string
	Role Role
	// CSRF is the token every form and page API call must carry: a
	// cross-site page can make the browser send the cookie, never this.
	CSRF      string
	CreatedAt time.Time
	// LastSeen moves on with use; a session idle too long ends.
	LastSeen time.Time
}

// Actor is who the session acts as.
func (s *Session) Actor() Actor { return Actor{Name: s.User, Role: s.Role} }

// Expired reports whether the session has ended at now: idle for longer
// than idle, or older than maxAge however busy it was.
func (s *Session) Expired(now time.Time, idle, maxAge time.Duration) bool {
	return now.Sub(s.LastSeen) > idle || now.Sub(s.CreatedAt) > maxAge
}

// NewSessionSecret returns a fresh random secret for a cookie or a CSRF
// token: 256 bits, URL-safe.
func NewSessionSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// SessionStore is the part of Store that keeps page sessions and failed
// sign-ins. Both live in the database because instances are stateless: a
// session made on one must work on the next, and a password guesser must
// not get a fresh allowance from each.
type SessionStore interface {
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session with the hash and its user's
	// current name and role; ENOTFOUND if there is none or the user is
	// disabled.
	FindSession(ctx context.Context, hash string) (*Session, error)
	// TouchSession records use of the session at the time.
	TouchSession(ctx context.Context, hash string, at time.Time) error
	DeleteSession(ctx context.Context, hash string) error
	// DeleteSessionsBefore removes sessions last seen before the time.
	DeleteSessionsBefore(ctx context.Context, before time.Time) error

	// AddLoginFailure records a failed sign-in against each key (a user
	// name, an address) at the time.
	AddLoginFailure(ctx context.Context, keys []string, at time.Time) error
	// CountLoginFailures counts the key's failures since the time.
	CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	// ClearLoginFailures forgets the key's failures, and every failure
	// older than before, so the table stays small.
	ClearLoginFailures(ctx context.Context, key string, before time.Time) error
}
