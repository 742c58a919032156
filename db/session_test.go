package db_test

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db"
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

// Twenty attempts at once at one name from one address: exactly five are
// counted (and so may have their password checked), the others refused
// without being counted. The address's own limit counts every name.
func TestClaimSignInCountsBeforeChecking(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		d := dbtest.Open(t, dialect)
		now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
		limits := tracking.SignInLimits{Since: now.Add(-15 * time.Minute), PerNameAddr: 5, PerAddr: 50}
		claim := func(name, addr string) error {
			return d.ClaimSignIn(ctx, tracking.SignInAttempt{NameKey: name, Addr: addr, At: now}, limits)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		codes := map[string]int{}
		for range 20 {
			wg.Go(func() {
				err := claim("jo", "10.0.0.1")
				mu.Lock()
				codes[tracking.ErrorCode(err)]++
				mu.Unlock()
				if err != nil && tracking.ErrorCode(err) != tracking.ETOOMANY {
					t.Errorf("claim: %v", err)
				}
			})
		}
		wg.Wait()
		if codes[""] != 5 || codes[tracking.ETOOMANY] != 15 {
			t.Fatalf("20 attempts at once: %v, want 5 counted and 15 refused", codes)
		}
		if err := claim("jo", "10.0.0.2"); err != nil {
			t.Errorf("jo from another address: %v, want counted", err)
		}
		for i := range 45 {
			if err := claim(fmt.Sprintf("guess%d", i), "10.0.0.1"); err != nil {
				t.Fatalf("name %d from 10.0.0.1: %v", i, err)
			}
		}
		if err := claim("kim", "10.0.0.1"); tracking.ErrorCode(err) != tracking.ETOOMANY {
			t.Errorf("a 51st attempt from 10.0.0.1: %v, want ETOOMANY", err)
		}
		checkSignInLocks(t, d, now, map[string]int{"jo": 1})
		forgiveAndClear(t, d, now, limits)
	})
}

func checkSignInLocks(t *testing.T, d *db.DB, now time.Time, want map[string]int) {
	t.Helper()
	locks, err := d.FindSignInLocks(context.Background(), now.Add(-15*time.Minute), 5)
	if err != nil || !maps.Equal(locks, want) {
		t.Errorf("locks %v, %v; want %v", locks, err, want)
	}
}

// forgiveAndClear: a good sign-in forgets the name's failures from its
// address and old ones; clearing forgets the name's from everywhere.
func forgiveAndClear(t *testing.T, d *db.DB, now time.Time, limits tracking.SignInLimits) {
	t.Helper()
	ctx := context.Background()
	g := d.Gorm()
	must(t, g.Exec("INSERT INTO sign_in_failures (name_key, addr, at) VALUES ('old', '10.9.9.9', ?)", now.Add(-time.Hour)).Error)
	count := func(where string) (n int64) {
		must(t, g.Raw("SELECT count(*) FROM sign_in_failures WHERE "+where).Scan(&n).Error)
		return n
	}
	if err := d.ForgiveSignIn(ctx, tracking.SignInAttempt{NameKey: "jo", Addr: "10.0.0.1"}, limits.Since); err != nil {
		t.Fatal(err)
	}
	if a, b, old := count("name_key = 'jo' AND addr = '10.0.0.1'"), count("name_key = 'jo'"), count("name_key = 'old'"); a != 0 || b != 1 || old != 0 {
		t.Errorf("after forgiving jo at 10.0.0.1: %d there, %d of jo, %d old; want 0, 1, 0", a, b, old)
	}
	if err := d.ClearSignInFailures(ctx, "jo"); err != nil {
		t.Fatal(err)
	}
	if n, all := count("name_key = 'jo'"), count("true"); n != 0 || all != 45 {
		t.Errorf("after clearing jo: %d of jo, %d in all; want 0, 45", n, all)
	}
}
