package tracking

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a user or device token may do.
type Role string

// The roles of API.md, from least to most trusted.
const (
	RoleDevice  Role = "device"
	RolePorter  Role = "porter"
	RoleClerk   Role = "clerk"
	RoleLibrary Role = "library"
	RoleRecords Role = "records"
	RoleAdmin   Role = "admin"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleRecords, RoleLibrary, RoleClerk, RolePorter, RoleDevice}

// Permission is one thing a role may be allowed.
type Permission int

// The permissions, each granted to a set of roles in Role.Can.
const (
	PermScan    Permission = iota // record scans, read volumes and locations
	PermLookup                    // look up patients and where their notes are
	PermRequest                   // request notes
	PermManage                    // manage patients, volumes, locations, labels, printing
	PermReport                    // reports and the review of scans
	PermAdmin                     // users and tokens
)

// ValidRole reports whether r is a role casetrack knows.
func ValidRole(r Role) bool {
	for _, v := range Roles {
		if v == r {
			return true
		}
	}
	return false
}

// Can reports whether the role has the permission.
func (r Role) Can(p Permission) bool {
	switch p {
	case PermScan, PermLookup:
		return ValidRole(r)
	case PermRequest:
		return r == RoleClerk || r == RoleLibrary || r == RoleRecords || r == RoleAdmin
	case PermManage:
		return r == RoleLibrary || r == RoleRecords || r == RoleAdmin
	case PermReport:
		return r == RoleRecords || r == RoleAdmin
	case PermAdmin:
		return r == RoleAdmin
	}
	return false
}

// Actor is who is doing something: a signed-in user, a token, or
// casetrack itself (the command line, the TCP listener).
type Actor struct {
	Name string
	Role Role
	// Kind says which of those the actor is; the access log records it.
	Kind ActorKind
}

// ActorKind is what kind of actor acted. The values are stored in the
// access log and shown by its API.
type ActorKind string

// The kinds of actor. An Actor made without a Kind is casetrack itself:
// only a session makes a user and only a checked token makes a token.
const (
	ActorUser   ActorKind = "user"
	ActorToken  ActorKind = "token"
	ActorSystem ActorKind = "system"
)

// KindOf is the actor's kind as recorded: ActorSystem when none was set.
func (a Actor) KindOf() ActorKind {
	if a.Kind == "" {
		return ActorSystem
	}
	return a.Kind
}

// IsDeviceToken reports whether the actor is a device-role token, which
// scans as its own device.
func (a Actor) IsDeviceToken() bool { return a.Kind == ActorToken && a.Role == RoleDevice }

// User is a person who signs in to the pages.
type User struct {
	ID           int64
	Name         string
	Role         Role
	PasswordHash string
	CreatedAt    time.Time
	// Disabled users cannot sign in, and their sessions end at once. They
	// are kept, not deleted, so their name in history still means them.
	Disabled bool
}

// passwordIterations follows current guidance for PBKDF2-HMAC-SHA256.
const passwordIterations = 600_000

// HashPassword returns a salted PBKDF2 hash of the password.
func HashPassword(password string) (string, error) {
	if err := ValidatePassword(password); err != nil {
		return "", err
	}
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key, err := pbkdf2.Key(sha256.New, password, salt, passwordIterations, 32)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return fmt.Sprintf("pbkdf2-sha256$%d$%x$%x", passwordIterations, salt, key), nil
}

// CheckPassword reports whether password matches a HashPassword hash.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false
	}
	iter, err1 := strconv.Atoi(parts[1])
	salt, err2 := hex.DecodeString(parts[2])
	want, err3 := hex.DecodeString(parts[3])
	if err1 != nil || err2 != nil || err3 != nil || iter < 1 {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// minPasswordLen is the fewest characters a password may have.
const minPasswordLen = 8

// ValidatePassword checks a new password: long enough to resist guessing.
// Length is all it asks: rules about kinds of character make people
// write passwords down and add nothing a longer password does not, so any
// password of 12 characters or more always passes. Characters, not
// bytes, are counted: 8 accented letters are 8 characters.
func ValidatePassword(password string) error {
	if utf8.RuneCountInString(password) < minPasswordLen {
		return FieldError("password", "Password must be at least %d characters.", minPasswordLen)
	}
	return nil
}

// ValidateRole checks that a role is one casetrack knows.
func ValidateRole(r Role) error {
	if !ValidRole(r) {
		return FieldError("role", "Role must be one of admin, records, library, clerk, porter or device.")
	}
	return nil
}

// ValidateNewUser checks a new user's name, role and password. Every
// problem found is returned, joined, so a form can mark each field at
// fault.
func ValidateNewUser(name string, role Role, password string) error {
	return errors.Join(ValidateName(name), ValidateRole(role), ValidatePassword(password))
}

// NewUser checks a new user (see ValidateNewUser) and returns the user to
// store, with only a hash of the password.
func NewUser(name string, role Role, password string, now time.Time) (*User, error) {
	if err := ValidateNewUser(name, role, password); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	return &User{Name: name, Role: role, PasswordHash: hash, CreatedAt: now}, nil
}

// CheckDisable refuses an administrator disabling their own account: it
// would lock them out, and perhaps everyone out of administration.
func CheckDisable(a Actor, name string) error {
	if a.Name == name {
		return Errorf(EINVALID, "You cannot disable your own account: ask another administrator.")
	}
	return nil
}

// UserChange is what an administrator changes about a user: a new role,
// disabling or enabling them, a new password. Fields left nil stay.
type UserChange struct {
	Role     *Role   `json:"role"`
	Disabled *bool   `json:"disabled"`
	Password *string `json:"password"`
}

// UserUpdate is a checked UserChange as the store takes it: the password
// already hashed, and whether the user's sessions end.
type UserUpdate struct {
	Role         *Role
	Disabled     *bool
	PasswordHash *string
	// EndSessions signs the user out everywhere: they are disabled, or
	// have a new password (whoever knew the old one is signed out too).
	EndSessions bool
	// ClearSignInFailures forgets the user's failed sign-ins from every
	// address: they have a new password, or were unlocked.
	ClearSignInFailures bool
}

// PrepareUserChange checks a change administrator a asks for to user name
// and hashes its password. Every problem found is returned, joined. An
// administrator may set their own password, but not their own role or
// disabling: they could lock themselves, and perhaps everyone, out of
// administration, so another administrator must do it.
func PrepareUserChange(a Actor, name string, ch UserChange) (UserUpdate, error) {
	if ch.Role == nil && ch.Disabled == nil && ch.Password == nil {
		return UserUpdate{}, Errorf(EINVALID, "Nothing to change: give a role, disabled, or a password.")
	}
	var errs []error
	if ch.Role != nil {
		errs = append(errs, ValidateRole(*ch.Role))
		if a.Name == name {
			errs = append(errs, FieldError("role", "You cannot change your own role: ask another administrator."))
		}
	}
	if ch.Disabled != nil && *ch.Disabled {
		errs = append(errs, CheckDisable(a, name))
	}
	if ch.Password != nil {
		errs = append(errs, ValidatePassword(*ch.Password))
	}
	if err := errors.Join(errs...); err != nil {
		return UserUpdate{}, err
	}
	u := UserUpdate{Role: ch.Role, Disabled: ch.Disabled, EndSessions: ch.Password != nil || ch.Disabled != nil && *ch.Disabled,
		ClearSignInFailures: ch.Password != nil}
	if ch.Password != nil {
		hash, err := HashPassword(*ch.Password)
		if err != nil {
			return UserUpdate{}, err
		}
		u.PasswordHash = &hash
	}
	return u, nil
}

// UserStore is the part of Store that keeps users.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	// FindUserByName finds an enabled user.
	FindUserByName(ctx context.Context, name string) (*User, error)
	// FindUsers lists every user, disabled ones too, by name.
	FindUsers(ctx context.Context) ([]*User, error)
	// UpdateUser applies a checked change, ending the user's sessions and
	// forgetting their failed sign-ins (by NameKey) if it says so, and
	// returns the user as they now are. It is ENOTFOUND
	// for no such user. A new role applies to their sessions from their
	// next request.
	UpdateUser(ctx context.Context, name string, u UserUpdate) (*User, error)
}

// CreateUser adds a user who signs in to the pages, as administrator a,
// with only a hash of the password kept. A failed check returns every
// field's problem joined (see ValidateNewUser).
func (s *Service) CreateUser(ctx context.Context, a Actor, name string, role Role, password string) (*User, error) {
	u, err := NewUser(strings.TrimSpace(name), role, password, s.now())
	if err != nil {
		return nil, err
	}
	err = s.administer(ctx, a, "create_user", u.Name, "", func() error { return s.Store.CreateUser(ctx, u) })
	return u, err
}

// ChangeUser checks and applies a change administrator a asks for to the
// user (see PrepareUserChange) and returns the user as they now are. The
// records say what changed, never the password.
func (s *Service) ChangeUser(ctx context.Context, a Actor, name string, ch UserChange) (*User, error) {
	upd, err := PrepareUserChange(a, name, ch)
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.administer(ctx, a, "change_user", name, describeChange(ch), func() (err error) {
		u, err = s.Store.UpdateUser(ctx, name, upd)
		return err
	})
	return u, err
}

// describeChange names a change for the records, e.g. "role clerk, password".
func describeChange(ch UserChange) string {
	var parts []string
	if ch.Role != nil {
		parts = append(parts, "role "+string(*ch.Role))
	}
	if ch.Disabled != nil {
		parts = append(parts, map[bool]string{true: "disable", false: "enable"}[*ch.Disabled])
	}
	if ch.Password != nil {
		parts = append(parts, "password")
	}
	return strings.Join(parts, ", ")
}

// FindUsers lists every user, disabled ones too, by name.
func (s *Service) FindUsers(ctx context.Context) ([]*User, error) { return s.Store.FindUsers(ctx) }
