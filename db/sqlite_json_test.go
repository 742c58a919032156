package db

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The rows' JSONB, read back by SQLite itself: every kind of value and
// every header width, and text that JSON would have to escape, come out as
// the same values went in.
func TestSQLiteRowsJSONB(t *testing.T) {
	d, err := Open(context.Background(), t.TempDir()+"/rows.db")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	at := time.Date(2026, 12, 1, 9, 30, 0, 123456789, time.UTC)
	texts := []string{"", "a", "11 chars ok", "12 chars now", `quote " back \ slash`, "tab\tnew\nline\x01",
		"Zoë Ångström 患者", strings.Repeat("x", 255), strings.Repeat("y", 256), strings.Repeat("z", 70000)}
	r := newSQLiteRows(0)
	var want [][]any
	for i, s := range texts {
		id := int64(i*1_000_003 - 5)
		r.row().str(s).int(id).intOrNull(nil).intOrNull(&id).time(at)
		want = append(want, []any{s, float64(id), nil, float64(id), at.Format(sqliteTimeLayout)})
	}
	var text string
	err = d.gorm.Statement.ConnPool.QueryRowContext(context.Background(), "SELECT json(?)", r.jsonb()).Scan(&text)
	if err != nil {
		t.Fatalf("SQLite did not take the JSONB: %v", err)
	}
	var got [][]any
	if err := json.Unmarshal([]byte(text), &got); err != nil {
		t.Fatalf("SQLite rendered %q: %v", text[:min(len(text), 200)], err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows back, want %d", len(got), len(want))
	}
	for i := range want {
		for c := range want[i] {
			if got[i][c] != want[i][c] {
				t.Errorf("row %d column %d: got %v, want %v", i, c, got[i][c], want[i][c])
			}
		}
	}
	// value->>n, as the statements read them, gives text and integers.
	var s string
	var n int64
	err = d.gorm.Statement.ConnPool.QueryRowContext(context.Background(),
		"SELECT value->>0, value->>1 FROM jsonb_each(?) WHERE key = 4", r.jsonb()).Scan(&s, &n)
	if err != nil || s != texts[4] || n != 4*1_000_003-5 {
		t.Errorf("value->>n: %q %d %v", s, n, err)
	}
}
