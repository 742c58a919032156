package tracking

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"sync"
	"time"
)

// Default session lifetimes. Ward PCs are shared, so an idle session ends
// soon; a scan station in use stays signed in, but not past one long
// shift. A site may set its own (Service.SessionIdle, SessionMaxAge).
const (
	DefaultSessionIdle   = 30 * time.Minute
	DefaultSessionMaxAge = 12 * time.Hour
	// sessionTouchEvery limits writes: a busy scan station would otherwise
	// write its session's row on every scan. A short idle limit records
	// use more often (see touchEvery).
	sessionTouchEvery = time.Minute
)

// touchEvery is how stale a session's recorded use may grow before a
// request records it again: a tenth of the idle limit, at most a minute.
// Use is recorded late by less than this, so a session ends after at
// least nine tenths of the idle limit without use, never sooner: with
// --session-idle 1m a person working every 50 s stays signed in.
func touchEvery(idle time.Duration) time.Duration {
	return min(sessionTouchEvery, idle/10)
}

// Sign-in throttling. Failures are counted per user name and address
// together, and per address, over a sliding window. Guessing at one
// account from one place is stopped after a few tries without locking its
// owner out anywhere else; one place guessing at many accounts is stopped
// by the address's own, larger allowance.
const (
	throttleWindow      = 15 * time.Minute
	maxNameAddrFailures = 5
	maxAddrFailures     = 50
)

// The answers to a sign-in that fails, worded for the person at the form.
var (
	errThrottled = Errorf(ETOOMANY, "Too many failed sign-ins from here. Wait 15 minutes, or ask an administrator to unlock your account.")
	errSignIn    = Errorf(EUNAUTHORIZED, "That user name and password do not match. Check them and try again.")
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
func (s *Session) Actor() Actor { return Actor{Name: s.User, Role: s.Role, Kind: ActorUser} }

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

	// ClaimSignIn counts an attempt as a failure before its password is
	// checked, unless the name and address together, or the address, have
	// had as many failures since the limits' Since as they allow: then it
	// counts nothing and is ETOOMANY. Counting and the check of the count
	// are one step for every instance at once, so guesses sent together
	// cannot all slip under the limit.
	ClaimSignIn(ctx context.Context, a SignInAttempt, l SignInLimits) error
	// ForgiveSignIn forgets the failures of the name from the address,
	// the attempt that has just succeeded among them, and every failure
	// older than before, so the table stays small.
	ForgiveSignIn(ctx context.Context, a SignInAttempt, before time.Time) error
	// ClearSignInFailures forgets every failure of the name (a NameKey),
	// from any address: its user was unlocked or given a new password.
	ClearSignInFailures(ctx context.Context, nameKey string) error
	// FindSignInLocks returns the names (NameKeys) with at least limit
	// failures from one address since the time, with how many addresses
	// each is locked out from.
	FindSignInLocks(ctx context.Context, since time.Time, limit int) (map[string]int, error)
}

// Credentials are what a person gives to sign in, and the address they
// give them from: failures are counted per user name and address
// together, and per address.
type Credentials struct {
	Name, Password string
	// Addr is the client's address as the HTTP layer trusts it.
	Addr string
}

// SignInAttempt is one sign-in as the throttle counts it.
type SignInAttempt struct {
	// NameKey is the name given, as NameKey makes it (cut to a name's
	// longest), whether or not a user has it.
	NameKey string
	Addr    string
	At      time.Time
}

// SignInLimits is how many failures in the window a sign-in may follow.
type SignInLimits struct {
	Since time.Time
	// PerNameAddr counts failures of the name from the address; PerAddr
	// those of every name from the address.
	PerNameAddr, PerAddr int
}

// SignIn checks credentials and starts a session (see StartSession). It
// is throttled (see ClaimSignIn): the attempt is counted as a failure
// before the password is checked, and an attempt over the limit is
// refused (ETOOMANY) without checking it or being counted. A wrong name
// or password is EUNAUTHORIZED either way, and takes as long, so that
// names cannot be probed. A good sign-in forgets the name's failures
// from the address.
func (s *Service) SignIn(ctx context.Context, c Credentials) (*Session, string, error) {
	name := strings.TrimSpace(c.Name)
	now := s.now()
	attempt := SignInAttempt{NameKey: signInKey(name), Addr: signInKey(c.Addr), At: now}
	limits := SignInLimits{Since: now.Add(-throttleWindow), PerNameAddr: maxNameAddrFailures, PerAddr: maxAddrFailures}
	if err := s.Store.ClaimSignIn(ctx, attempt, limits); err != nil {
		if ErrorCode(err) == ETOOMANY {
			s.Logger.Warn("sign-in throttled", "addr", c.Addr)
			return nil, "", errThrottled
		}
		return nil, "", err
	}
	u, err := s.checkPassword(ctx, name, c.Password)
	if err != nil {
		return nil, "", err
	}
	if u == nil {
		s.Logger.Warn("failed sign-in", "addr", c.Addr)
		return nil, "", errSignIn
	}
	sess, secret, err := s.StartSession(ctx, u)
	if err != nil {
		return nil, "", err
	}
	// A failure to forget the failures only leaves the person less
	// allowance, so it is logged, not answered.
	if err := s.Store.ForgiveSignIn(ctx, attempt, now.Add(-throttleWindow)); err != nil {
		s.Logger.Warn("forget sign-in failures", "err", err)
	}
	s.Logger.Info("signed in", "user", u.Name, "role", u.Role)
	return sess, secret, nil
}

// signInKey is a name or address as the throttle keeps it: a name's
// NameKey, cut to the longest a name may be and made storable, so that
// whatever someone types into the form costs a small row.
func signInKey(s string) string {
	k := NameKey(s)
	if len(k) > maxNameLen {
		k = strings.ToValidUTF8(k[:maxNameLen], "")
	}
	return StorableText(k)
}

// SignInLocks returns the users locked out of signing in from some
// address (by NameKey), with how many addresses each is locked out from.
func (s *Service) SignInLocks(ctx context.Context) (map[string]int, error) {
	return s.Store.FindSignInLocks(ctx, s.now().Add(-throttleWindow), maxNameAddrFailures)
}

// UnlockUser forgets every failed sign-in of the user, from any address,
// as administrator a: a person locked out (by their own typing, or by
// someone guessing from their ward PC) may sign in again at once.
func (s *Service) UnlockUser(ctx context.Context, a Actor, name string) error {
	return s.administer(ctx, a, "unlock_user", name, "", func() error {
		_, err := s.Store.UpdateUser(ctx, name, UserUpdate{ClearSignInFailures: true})
		return err
	})
}

// dummyHash is checked against when the user does not exist, so a wrong
// name takes as long as a wrong password. It is made on first use: it
// costs what a sign-in does, which nothing should pay at start-up.
var dummyHash = sync.OnceValues(func() (string, error) { return HashPassword("casetrack-no-such-user") })

// checkPassword returns the enabled user when the password is theirs, nil
// when the name or password is wrong.
func (s *Service) checkPassword(ctx context.Context, name, password string) (*User, error) {
	u, err := s.Store.FindUserByName(ctx, name)
	if ErrorCode(err) == ENOTFOUND {
		hash, err := dummyHash()
		if err != nil {
			return nil, err
		}
		CheckPassword(hash, password)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !CheckPassword(u.PasswordHash, password) {
		return nil, nil
	}
	return u, nil
}

// StartSession signs the user in and returns the session and the secret
// for the browser's cookie: a new secret every time, so a session id
// planted before sign-in is worth nothing after it. Sessions idle too
// long are cleared out on the way.
func (s *Service) StartSession(ctx context.Context, u *User) (*Session, string, error) {
	now := s.now()
	if err := s.Store.DeleteSessionsBefore(ctx, now.Add(-s.SessionIdle)); err != nil {
		s.Logger.Warn("purge old sessions", "err", err)
	}
	secret := NewSessionSecret()
	sess := &Session{Hash: HashToken(secret), UserID: u.ID, User: u.Name, Role: u.Role,
		CSRF: NewSessionSecret(), CreatedAt: now, LastSeen: now}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return nil, "", err
	}
	return sess, secret, nil
}

// CheckSession returns the live session a cookie's secret names, or nil
// when there is none: no secret, an unknown one, a disabled user's, or an
// expired session, which is ended. Use moves the session's idle time on,
// written at most once a minute (more often for a short idle limit: see
// touchEvery).
func (s *Service) CheckSession(ctx context.Context, secret string) (*Session, error) {
	if secret == "" {
		return nil, nil
	}
	sess, err := s.Store.FindSession(ctx, HashToken(secret))
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if sess.Expired(now, s.SessionIdle, s.SessionMaxAge) {
		return nil, s.Store.DeleteSession(ctx, sess.Hash)
	}
	if now.Sub(sess.LastSeen) >= touchEvery(s.SessionIdle) {
		if err := s.Store.TouchSession(ctx, sess.Hash, now); err != nil {
			return nil, err
		}
	}
	return sess, nil
}

// EndSession signs out: the session's row goes, so a copied cookie is dead
// too. Ending a session that is gone is not an error.
func (s *Service) EndSession(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	return s.Store.DeleteSession(ctx, HashToken(secret))
}
