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
			disable := tracking.UserUpdate{Disabled: new(true), EndSessions: true}
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
