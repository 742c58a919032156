package tracking

import (
	"context"
	"strings"
	"testing"
)

// A checked token is trusted for TokenTTL without asking the store again;
// an unknown or revoked one is refused in words a device's owner can act on.
func TestCheckToken(t *testing.T) {
	t.Parallel()
	s, m := newTestService()
	ctx := context.Background()
	tok, secret, err := s.CreateToken(ctx, Actor{Name: "ann", Role: RoleAdmin}, " ward7-handheld ", RoleDevice)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Name != "ward7-handheld" || !strings.HasPrefix(secret, "ct_") || tok.Hash != HashToken(secret) {
		t.Fatalf("token %+v, secret %q", tok, secret)
	}
	for range 3 {
		a, err := s.CheckToken(ctx, secret)
		if err != nil || a != (Actor{Name: "ward7-handheld", Role: RoleDevice, Kind: ActorToken}) {
			t.Fatalf("CheckToken = %+v, %v", a, err)
		}
	}
	if n := m.reads["token"]; n != 1 {
		t.Errorf("the store was asked %d times for a token checked three times within its TTL", n)
	}
	for _, bad := range []string{"ct_not-a-token", ""} {
		_, err := s.CheckToken(ctx, bad)
		if ErrorCode(err) != EUNAUTHORIZED || !strings.Contains(ErrorMessage(err), "ask an administrator") {
			t.Errorf("CheckToken(%q) = %v, want unauthorized saying what to do", bad, err)
		}
	}
}

// Revoking a token stops it once its cached check has expired; a fresh
// service (another instance) refuses it at once.
func TestRevokedTokenIsRefused(t *testing.T) {
	t.Parallel()
	s, m := newTestService()
	ctx := context.Background()
	admin := Actor{Name: "ann", Role: RoleAdmin}
	_, secret, err := s.CreateToken(ctx, admin, "dock", RoleDevice)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, admin, "dock"); err != nil {
		t.Fatal(err)
	}
	other := NewService(m, testParse)
	if _, err := other.CheckToken(ctx, secret); ErrorCode(err) != EUNAUTHORIZED {
		t.Errorf("revoked token: %v, want unauthorized", err)
	}
	if err := s.RevokeToken(ctx, admin, "nobody"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("revoking no such token: %v, want not found", err)
	}
}

func TestNewTokenChecksNameAndRole(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, tokenName string
		role            Role
		fields          []string
	}{
		{"OK", "dock-1", RoleDevice, nil},
		{"ErrEmptyName", "", RoleDevice, []string{"name"}},
		{"ErrSpaceInName", "dock 1", RoleDevice, []string{"name"}},
		{"ErrUnknownRole", "dock-1", "janitor", []string{"role"}},
		{"ErrBoth", "", "janitor", []string{"name", "role"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := NewToken(tt.tokenName, tt.role, at(0))
			if got := faultyFields(err); strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("NewToken = %v, fields at fault %v, want %v", err, got, tt.fields)
			}
		})
	}
}

// faultyFields lists the fields a (joined) error names, in order.
func faultyFields(err error) []string {
	var out []string
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		if te, ok := e.(*Error); ok {
			out = append(out, te.Field)
		}
	}
	return out
}
