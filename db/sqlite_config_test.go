package db

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The statement journal setting is made before SQLite opens its first
// database, and it goes through SQLite's own configuration call: once a
// database is open, SQLite refuses the same call.
func TestSQLiteProcessSettings(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "casetrack.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := sqliteSettings(); err != nil {
		t.Fatalf("SQLite's process-wide settings were not made: %v", err)
	}
	err = configureSQLite()
	if err == nil || !strings.Contains(err.Error(), "result code 21") {
		t.Fatalf("configuring a running SQLite gave %v, want SQLITE_MISUSE (21)", err)
	}
}
