package tracking

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"time"
)

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

// NewToken checks a new token's name and role and returns the token to
// store and its secret, which is shown once and never stored.
func NewToken(name string, role Role, now time.Time) (t *Token, secret string, err error) {
	if err := errors.Join(ValidateName(name), ValidateRole(role)); err != nil {
		return nil, "", err
	}
	secret, hash := NewTokenSecret()
	return &Token{Name: name, Role: role, Hash: hash, CreatedAt: now}, secret, nil
}

// TokenStore is the part of Store that keeps tokens.
type TokenStore interface {
	CreateToken(ctx context.Context, t *Token) error
	// FindTokenByHash finds a token that has not been revoked.
	FindTokenByHash(ctx context.Context, hash string) (*Token, error)
	// FindTokens lists every token, revoked ones too, by name; never the
	// secrets, which are not stored.
	FindTokens(ctx context.Context) ([]*Token, error)
	// RevokeToken ends a token for good. It is ENOTFOUND for no such
	// token, and keeps the first revocation time of one already revoked.
	RevokeToken(ctx context.Context, name string) error
}

// TokenTTL is how long a token, once checked, is trusted without asking
// the database again. Device apps send a request per scan, so this saves a
// query on nearly every call; a revoked token stops working within it.
const TokenTTL = 10 * time.Second

// ErrBadToken answers a bearer token that is unknown or revoked.
var ErrBadToken = Errorf(EUNAUTHORIZED, "The token is not valid: ask an administrator for a new one.")

// tokenCache remembers recently checked tokens by hash (never the secret).
type tokenCache struct {
	mu      sync.Mutex
	entries map[string]cachedToken
}

type cachedToken struct {
	actor   Actor
	expires time.Time
}

func (c *tokenCache) get(hash string, now time.Time) (Actor, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	return e.actor, ok && now.Before(e.expires)
}

func (c *tokenCache) put(hash string, a Actor, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) > 10_000 {
		c.entries = map[string]cachedToken{}
	}
	c.entries[hash] = cachedToken{actor: a, expires: now.Add(TokenTTL)}
}

// CheckToken returns who a bearer token acts as, trusting a token checked
// within TokenTTL. An unknown or revoked token is EUNAUTHORIZED.
func (s *Service) CheckToken(ctx context.Context, secret string) (Actor, error) {
	hash, now := HashToken(secret), time.Now()
	if a, ok := s.tokens.get(hash, now); ok {
		return a, nil
	}
	t, err := s.Store.FindTokenByHash(ctx, hash)
	if code := ErrorCode(err); code == EUNAUTHORIZED || code == ENOTFOUND {
		return Actor{}, ErrBadToken
	}
	if err != nil {
		return Actor{}, err
	}
	a := Actor{Name: t.Name, Role: t.Role, Kind: ActorToken}
	s.tokens.put(hash, a, now)
	return a, nil
}

// CreateToken makes a token for a device app or integration, as
// administrator a, and returns it with its secret, which exists only in
// this answer.
func (s *Service) CreateToken(ctx context.Context, a Actor, name string, role Role) (*Token, string, error) {
	t, secret, err := NewToken(strings.TrimSpace(name), role, s.now())
	if err != nil {
		return nil, "", err
	}
	err = s.administer(ctx, a, "create_token", t.Name, "", func() error { return s.Store.CreateToken(ctx, t) })
	s.devices.forget()
	return t, secret, err
}

// RevokeToken ends a token, as administrator a. Instances trust a checked
// token for up to TokenTTL, so it stops working everywhere within that,
// and a device token's device is free for others to name as soon.
func (s *Service) RevokeToken(ctx context.Context, a Actor, name string) error {
	defer s.devices.forget()
	return s.administer(ctx, a, "revoke_token", name, "", func() error { return s.Store.RevokeToken(ctx, name) })
}

// FindTokens lists every token, revoked ones too, by name.
func (s *Service) FindTokens(ctx context.Context) ([]*Token, error) { return s.Store.FindTokens(ctx) }
