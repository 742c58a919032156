package tracking

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
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

// Actor is who is doing something: a signed-in user or a device token.
type Actor struct {
	Name string
	Role Role
}

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

// Token is a bearer token for a device app or integration. Only a hash of
// the secret is stored, so a copy of the database gives no one access.
type Token struct {
	ID        int64
	Name      string
	Role      Role
	Hash      string
	CreatedAt time.Time
	// RevokedAt is when the token was revoked; nil while it is valid.
	RevokedAt *time.Time
}

// ValidateName checks a user or token name.
func ValidateName(name string) error {
	if name == "" || len(name) > 64 {
		return FieldError("name", "Name must be 1 to 64 characters.")
	}
	for _, r := range name {
		if r <= ' ' || r == 0x7f {
			return FieldError("name", "Name may not contain spaces or control characters.")
		}
	}
	return nil
}

// NewTokenSecret returns a fresh random token and the hash to store.
func NewTokenSecret() (secret, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	secret = "ct_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return secret, HashToken(secret)
}

// HashToken returns the stored form of a token. Tokens carry 256 random
// bits, so one fast hash is enough and keeps every API call cheap.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
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

// ValidatePassword checks a new password: long enough to resist guessing.
func ValidatePassword(password string) error {
	if len(password) < 8 {
		return FieldError("password", "Password must be at least 8 characters.")
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

// NewToken checks a new token's name and role and returns the token to
// store and its secret, which is shown once and never stored.
func NewToken(name string, role Role, now time.Time) (t *Token, secret string, err error) {
	if err := errors.Join(ValidateName(name), ValidateRole(role)); err != nil {
		return nil, "", err
	}
	secret, hash := NewTokenSecret()
	return &Token{Name: name, Role: role, Hash: hash, CreatedAt: now}, secret, nil
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
// already hashed.
type UserUpdate struct {
	Role         *Role
	Disabled     *bool
	PasswordHash *string
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
	u := UserUpdate{Role: ch.Role, Disabled: ch.Disabled}
	if ch.Password != nil {
		hash, err := HashPassword(*ch.Password)
		if err != nil {
			return UserUpdate{}, err
		}
		u.PasswordHash = &hash
	}
	return u, nil
}

// AuthStore is the part of Store that keeps users and tokens.
type AuthStore interface {
	CreateUser(ctx context.Context, u *User) error
	FindUserByName(ctx context.Context, name string) (*User, error)
	CreateToken(ctx context.Context, t *Token) error
	FindTokenByHash(ctx context.Context, hash string) (*Token, error)
	// FindUsers lists every user, disabled ones too, by name.
	FindUsers(ctx context.Context) ([]*User, error)
	// UpdateUser applies a checked change and returns the user as it now
	// is. It is ENOTFOUND for no such user. Disabling a user (again, or
	// for the first time) or setting their password ends their sessions; a new role applies to their
	// sessions from their next request.
	UpdateUser(ctx context.Context, name string, u UserUpdate) (*User, error)
	// FindTokens lists every token, revoked ones too, by name; never the
	// secrets, which are not stored.
	FindTokens(ctx context.Context) ([]*Token, error)
	// RevokeToken ends a token for good. It is ENOTFOUND for no such
	// token, and keeps the first revocation time of one already revoked.
	RevokeToken(ctx context.Context, name string) error
}
