package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

func TestUsers(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			d := dbtest.Open(t, dialect)
			at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
			ids := map[string]int64{}
			for _, name := range []string{"zara", "amir"} {
				u := &tracking.User{Name: name, Role: tracking.RoleClerk, PasswordHash: "x", CreatedAt: at}
				if err := d.CreateUser(ctx, u); err != nil {
					t.Fatal(err)
				}
				ids[name] = u.ID
			}
			s := &tracking.Session{Hash: "h1", UserID: ids["zara"], CSRF: "c1", CreatedAt: at, LastSeen: at}
			if err := d.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
			disable := tracking.UserUpdate{Disabled: new(true)}
			if _, err := d.UpdateUser(ctx, "zara", disable); err != nil {
				t.Fatal(err)
			}
			if _, err := d.UpdateUser(ctx, "zara", disable); err != nil {
				t.Errorf("disable again: %v, want no error", err)
			}
			if _, err := d.UpdateUser(ctx, "nobody", disable); tracking.ErrorCode(err) != tracking.ENOTFOUND {
				t.Errorf("disable nobody: %v, want not found", err)
			}
			if _, err := d.FindUserByName(ctx, "zara"); tracking.ErrorCode(err) != tracking.ENOTFOUND {
				t.Errorf("FindUserByName of a disabled user: %v, want not found", err)
			}
			if _, err := d.FindSession(ctx, "h1"); tracking.ErrorCode(err) != tracking.ENOTFOUND {
				t.Errorf("session of a disabled user: %v, want not found", err)
			}
			checkUsers(t, d, at)
		})
	}
}

// checkUsers expects amir enabled and zara disabled, in name order.
func checkUsers(t *testing.T, d *db.DB, at time.Time) {
	t.Helper()
	us, err := d.FindUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 2 || us[0].Name != "amir" || us[1].Name != "zara" {
		t.Fatalf("FindUsers = %+v, want amir then zara", us)
	}
	if us[0].Disabled || !us[1].Disabled {
		t.Errorf("disabled = %v, %v; want false, true", us[0].Disabled, us[1].Disabled)
	}
	if us[0].Role != tracking.RoleClerk || !us[0].CreatedAt.Equal(at) {
		t.Errorf("FindUsers[0] = %+v", us[0])
	}
}

func TestTokens(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			d := dbtest.Open(t, dialect)
			at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
			for _, name := range []string{"ward-7-handheld", "pas-feed"} {
				tok := &tracking.Token{Name: name, Role: tracking.RoleDevice, Hash: "hash-" + name, CreatedAt: at}
				if err := d.CreateToken(ctx, tok); err != nil {
					t.Fatal(err)
				}
			}
			before := time.Now().Add(-time.Second)
			if err := d.RevokeToken(ctx, "pas-feed"); err != nil {
				t.Fatal(err)
			}
			if _, err := d.FindTokenByHash(ctx, "hash-pas-feed"); tracking.ErrorCode(err) != tracking.EUNAUTHORIZED {
				t.Errorf("revoked token: %v, want unauthorized", err)
			}
			ts := findTokens(t, d)
			if len(ts) != 2 || ts[0].Name != "pas-feed" || ts[1].Name != "ward-7-handheld" {
				t.Fatalf("FindTokens = %+v, want pas-feed then ward-7-handheld", ts)
			}
			first := ts[0].RevokedAt
			if first == nil || first.Before(before) || ts[1].RevokedAt != nil || !ts[1].CreatedAt.Equal(at) {
				t.Fatalf("after revoke: %+v, %+v", ts[0], ts[1])
			}
			if err := d.RevokeToken(ctx, "pas-feed"); err != nil {
				t.Errorf("revoke again: %v, want no error", err)
			}
			if again := findTokens(t, d)[0].RevokedAt; again == nil || !again.Equal(*first) {
				t.Errorf("revoked at %v after a second revoke, want the first %v kept", again, first)
			}
			if err := d.RevokeToken(ctx, "nothing"); tracking.ErrorCode(err) != tracking.ENOTFOUND {
				t.Errorf("revoke nothing: %v, want not found", err)
			}
		})
	}
}

func findTokens(t *testing.T, d *db.DB) []*tracking.Token {
	t.Helper()
	ts, err := d.FindTokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ts
}
