package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

func TestSessions(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			d := dbtest.Open(t, dialect)
			at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
			u := &tracking.User{Name: "porter1", Role: tracking.RolePorter, PasswordHash: "x", CreatedAt: at}
			if err := d.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			s := &tracking.Session{Hash: "h1", UserID: u.ID, CSRF: "c1", CreatedAt: at, LastSeen: at}
			if err := d.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
			if err := d.TouchSession(ctx, "h1", at.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			got, err := d.FindSession(ctx, "h1")
			if err != nil {
				t.Fatal(err)
			}
			if got.User != "porter1" || got.Role != tracking.RolePorter || got.CSRF != "c1" ||
				!got.CreatedAt.Equal(at) || !got.LastSeen.Equal(at.Add(time.Minute)) {
				t.Errorf("FindSession = %+v", got)
			}
			if err := d.DeleteSessionsBefore(ctx, at.Add(2*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if _, err := d.FindSession(ctx, "h1"); tracking.ErrorCode(err) != tracking.ENOTFOUND {
				t.Errorf("after DeleteSessionsBefore: err = %v, want not found", err)
			}
		})
	}
}

func TestLoginFailures(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			d := dbtest.Open(t, dialect)
			at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
			for i := 0; i < 3; i++ {
				if err := d.AddLoginFailure(ctx, []string{"user:a", "ip:1"}, at.Add(time.Duration(i)*time.Minute)); err != nil {
					t.Fatal(err)
				}
			}
			count := func(key string, since time.Time) int {
				n, err := d.CountLoginFailures(ctx, key, since)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			if n := count("user:a", at.Add(time.Minute)); n != 2 {
				t.Errorf("failures since 09:01 = %d, want 2", n)
			}
			if err := d.ClearLoginFailures(ctx, "user:a", at.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			if n := count("user:a", at); n != 0 {
				t.Errorf("after clear: user failures = %d, want 0", n)
			}
			if n := count("ip:1", at); n != 2 {
				t.Errorf("after clear: ip failures = %d, want 2 (the older one purged)", n)
			}
		})
	}
}
