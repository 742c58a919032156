package tracking

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
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
}

// Token is a bearer token for a device app or integration. Only a hash of
// the secret is stored, so a copy of the database gives no one access.
type Token struct {
	ID        int64
	Name      string
	Role      Role
	Hash      string
	CreatedAt time.Time
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
	if len(password) < 8 {
		return "", FieldError("password", "Password must be at least 8 characters.")
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

// AuthStore is the part of Store that keeps users and tokens.
type AuthStore interface {
	CreateUser(ctx context.Context, u *User) error
	FindUserByName(ctx context.Context, name string) (*User, error)
	CreateToken(ctx context.Context, t *Token) error
	FindTokenByHash(ctx context.Context, hash string) (*Token, error)
}
