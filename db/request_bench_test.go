package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/tracking"
)

// SeedOpenRequests adds n patients, each with one volume at home and an
// open request for its notes at the location, in a few statements: the
// requests the scan benchmark runs beside.
func seedOpenRequests(tb testing.TB, d *db.DB, n int, home, at int64) {
	tb.Helper()
	now := time.Now().UTC()
	hn := "'R' || lpad(x::text, 7, '0')"
	series := "generate_series(1, ?) AS g(x)"
	if d.Dialect() == db.SQLite {
		hn, series = "printf('R%07d', x)", "(WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < ?) SELECT x FROM s) AS g"
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"INSERT INTO patients (hospital_number, family_name, given_name, created_at) SELECT " + hn + ", 'Waiting', 'Ann', ? FROM " + series, []any{now, n}},
		{`INSERT INTO volumes (patient_id, number, status, home_location_id, current_location_id, current_since, created_at)
			SELECT id, 1, 'active', ?, ?, ?, ? FROM patients WHERE family_name = 'Waiting'`, []any{home, home, now, now}},
		{`INSERT INTO requests (patient_id, location_id, needed_by, priority, whole, status, requested_by, created_at)
			SELECT id, ?, ?, 'routine', TRUE, 'open', 'bench', ? FROM patients WHERE family_name = 'Waiting'`, []any{at, now.Add(24 * time.Hour), now}},
	} {
		if err := d.Gorm().Exec(q.sql, q.args...).Error; err != nil {
			tb.Fatal(err)
		}
	}
}

// locationID is the id of a location by code.
func locationID(tb testing.TB, svc *tracking.Service, code string) int64 {
	tb.Helper()
	l, err := svc.FindLocation(context.Background(), code)
	if err != nil {
		tb.Fatal(err)
	}
	return l.ID
}

func TestSeedOpenRequests(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		seedOpenRequests(t, storeOf(f), 50, f.lib.ID, f.wardA.ID)
		rs, err := f.svc.FindRequests(context.Background(), clerk, tracking.RequestFilter{Status: tracking.RequestOpen})
		if err != nil || len(rs) != 50 || len(rs[0].Volumes) != 1 || rs[0].Location.Code != "WARD7" {
			t.Fatalf("seeded %d requests (%v)", len(rs), err)
		}
	})
}
