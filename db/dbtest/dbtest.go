// Package dbtest gives each test a fresh, migrated database on SQLite and,
// when CASETRACK_TEST_POSTGRES names a server, on PostgreSQL, so that every
// store and API test runs on both dialects.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db"
)

// PostgresEnv names the environment variable holding the PostgreSQL URL.
const PostgresEnv = "CASETRACK_TEST_POSTGRES"

// Dialects returns the dialects to test on. Without PostgreSQL it says so
// and returns SQLite alone; under CI=true a missing PostgreSQL fails.
func Dialects(tb testing.TB) []string {
	tb.Helper()
	if os.Getenv(PostgresEnv) != "" {
		return []string{db.SQLite, db.Postgres}
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s is not set: CI must test on PostgreSQL", PostgresEnv)
	}
	tb.Logf("skipping PostgreSQL: set %s to a postgres:// URL to test on it", PostgresEnv)
	return []string{db.SQLite}
}

// DSN returns the DSN of a fresh, empty database of the dialect, removed
// when the test ends: a file in a temporary folder for SQLite, a schema of
// its own for PostgreSQL.
func DSN(tb testing.TB, dialect string) string {
	tb.Helper()
	if dialect == db.SQLite {
		return filepath.Join(tb.TempDir(), "casetrack.db")
	}
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skipf("%s is not set", PostgresEnv)
	}
	schema := "t_" + randomHex(8)
	admin := MustOpen(tb, base)
	if err := admin.Gorm().Exec("CREATE SCHEMA " + schema).Error; err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin.Gorm().Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a fresh migrated database of the dialect, closed at the end.
func Open(tb testing.TB, dialect string) *db.DB {
	tb.Helper()
	d := MustOpen(tb, DSN(tb, dialect))
	tb.Cleanup(func() { d.Close() })
	return d
}

// MustOpen opens a DSN or fails the test.
func MustOpen(tb testing.TB, dsn string) *db.DB {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open database: %v", err)
	}
	return d
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// PostgresAvailable reports whether CASETRACK_TEST_POSTGRES is set.
func PostgresAvailable() bool { return os.Getenv(PostgresEnv) != "" }
