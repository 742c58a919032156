package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// serveDemo runs serve --demo on the database and returns what it printed.
func serveDemo(t *testing.T, dsn string) string {
	t.Helper()
	var out bytes.Buffer
	m := NewMain()
	m.Stdout, m.Stderr = &out, io.Discard
	m.Getenv = func(string) string { return "" }
	if err := m.ParseFlags([]string{"serve", "--addr", "127.0.0.1:0", "--db", dsn, "--demo"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	m.Close()
	return out.String()
}

// The demo loads into an empty database; on one that holds data it loads
// nothing and says how to sign in anyway.
func TestDemoOnlyIntoAnEmptyDatabase(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "trust.db")
	if out := serveDemo(t, dsn); !strings.Contains(out, "Demo trust loaded") {
		t.Fatalf("first --demo printed %q, want the demo accounts", out)
	}
	out := serveDemo(t, dsn)
	for _, w := range []string{"already holds data", "casetrack user create --name NAME --role admin --db DSN",
		"casetrack token create", "delete " + dsn + ", " + dsn + "-wal and " + dsn + "-shm"} {
		if !strings.Contains(out, w) {
			t.Errorf("second --demo printed %q, want it to say %q", out, w)
		}
	}
	if strings.Contains(out, "Demo trust loaded") {
		t.Errorf("the demo was loaded again into a database holding data")
	}
}

func TestDemoRefusedSaysHowIn(t *testing.T) {
	tests := []struct {
		name, dsn, dialect string
		want, not          string
	}{
		{"DefaultFile", "casetrack.db", "sqlite", "delete casetrack.db, casetrack.db-wal and casetrack.db-shm", "--db DSN"},
		{"SQLiteDSN", "sqlite:/var/lib/ct.db", "sqlite", "delete /var/lib/ct.db, /var/lib/ct.db-wal", "sqlite:"},
		{"PostgreSQLHidesItsURL", "postgres://ct:secret@db/ct", "postgres", "--db naming an empty database", "secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			demoRefused(&b, tt.dsn, tt.dialect)
			if !strings.Contains(b.String(), tt.want) || strings.Contains(b.String(), tt.not) {
				t.Errorf("demoRefused printed %q, want %q and not %q", b.String(), tt.want, tt.not)
			}
		})
	}
}
