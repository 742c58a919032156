package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// Users and tokens share one namespace, ignoring case; a refused name
// makes nothing.
func TestNamesAreOneNamespace(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		d := dbtest.Open(t, dialect)
		at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
		if err := d.CreateUser(ctx, &tracking.User{Name: "Jo", Role: tracking.RoleClerk, PasswordHash: "x", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		if err := d.CreateToken(ctx, &tracking.Token{Name: "ward7", Role: tracking.RoleDevice, Hash: "h1", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		clashes := []struct {
			name string
			err  error
		}{
			{"TokenLikeUser", d.CreateToken(ctx, &tracking.Token{Name: "jo", Role: tracking.RoleDevice, Hash: "h2", CreatedAt: at})},
			{"UserLikeToken", d.CreateUser(ctx, &tracking.User{Name: "WARD7", Role: tracking.RoleClerk, PasswordHash: "x", CreatedAt: at})},
			{"UserLikeUser", d.CreateUser(ctx, &tracking.User{Name: "jO", Role: tracking.RoleClerk, PasswordHash: "x", CreatedAt: at})},
			{"TokenLikeToken", d.CreateToken(ctx, &tracking.Token{Name: "Ward7", Role: tracking.RoleDevice, Hash: "h3", CreatedAt: at})},
		}
		for _, c := range clashes {
			if tracking.ErrorCode(c.err) != tracking.ECONFLICT {
				t.Errorf("%s: %v, want ECONFLICT", c.name, c.err)
			}
		}
		users, _ := d.FindUsers(ctx)
		tokens, _ := d.FindTokens(ctx)
		if len(users) != 1 || len(tokens) != 1 {
			t.Errorf("after refused names: %d users, %d tokens; want 1 of each", len(users), len(tokens))
		}
	})
}

// Names made before the rule (a space in one, users differing only in
// case, a user and a token of one name) keep working after the migration
// that made the namespace: each still signs in or authenticates, and the
// first made holds the name against new ones.
func TestNamesBeforeTheRuleKeepWorking(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		d := dbtest.Open(t, dialect)
		g := d.Gorm()
		at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
		for _, name := range []string{"nurse jo", "Kim", "kim"} {
			must(t, g.Exec("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, 'clerk', 'x', ?)", name, at).Error)
		}
		must(t, g.Exec("INSERT INTO tokens (name, role, hash, created_at) VALUES ('KIM', 'device', 'old-hash', ?)", at).Error)
		// Run the migration again over names made without it.
		must(t, g.Exec("DROP TABLE account_names").Error)
		must(t, g.Exec("DELETE FROM schema_migrations WHERE version = 11").Error)
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"nurse jo", "Kim", "kim"} {
			if u, err := d.FindUserByName(ctx, name); err != nil || u.Name != name {
				t.Errorf("user %q after the migration: %+v, %v", name, u, err)
			}
		}
		if tok, err := d.FindTokenByHash(ctx, "old-hash"); err != nil || tok.Name != "KIM" {
			t.Errorf("token KIM after the migration: %+v, %v", tok, err)
		}
		err := d.CreateToken(ctx, &tracking.Token{Name: "kIm", Role: tracking.RoleDevice, Hash: "new", CreatedAt: at})
		if tracking.ErrorCode(err) != tracking.ECONFLICT {
			t.Errorf("a new token named kIm: %v, want ECONFLICT", err)
		}
		var holder struct{ Kind, Name string }
		must(t, g.Raw("SELECT kind, name FROM account_names WHERE name_key = 'kim'").Scan(&holder).Error)
		if holder.Kind != "user" || holder.Name != "Kim" {
			t.Errorf("the name kim is held by %+v, want the first user made, Kim", holder)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
