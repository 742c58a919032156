package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

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
