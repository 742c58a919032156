package web

import (
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// BenchmarkPullList answers a day's pull list over HTTP for a trust of
// 250,000 patients with two volumes each (500,000 volumes), where 2,000
// appointments across 80 clinics hold requests for the day: as JSON and
// as the A4 pick list PDF, access-log entries included.
//
//	CASETRACK_TEST_POSTGRES=postgres://... go test -run '^$' -bench PullList -benchtime 10x ./tracking/web/
func BenchmarkPullList(b *testing.B) {
	dialects := []string{db.SQLite}
	if dbtest.PostgresAvailable() {
		dialects = append(dialects, db.Postgres)
	}
	for _, d := range dialects {
		ps := newPageServer(b, d, 0)
		day := seedTrust(b, ps, 250_000, 2_000, 80)
		tok := ps.apiToken(b, "bench-library", tracking.RoleLibrary)
		st, out, _ := callAPI(b, ps.URL, tok, "GET", "/api/v1/pull-list?date="+day.Format("2006-01-02"), nil)
		if lines, _ := out["lines"].([]any); st != 200 || len(lines) != 2_000 {
			b.Fatalf("the seeded pull list has %d lines (status %d), want 2,000", len(lines), st)
		}
		for _, format := range []string{"json", "pdf"} {
			b.Run(d+"/"+format, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					benchGet(b, ps.URL+"/api/v1/pull-list?format="+format+"&date="+day.Format("2006-01-02"), tok)
				}
			})
		}
	}
}

func benchGet(b *testing.B, u, tok string) {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || n < 1000 {
		b.Fatalf("status %d, %d bytes", res.StatusCode, n)
	}
}

// seedTrust fills the database in bulk: library bays and wards, clinics,
// patients with two volumes each spread over the bays and wards, and the
// appointments of tomorrow with their requests. It returns the day.
func seedTrust(tb testing.TB, ps *pageServer, patients, appointments, clinics int) time.Time {
	tb.Helper()
	ctx := tb.Context()
	var places []int64
	for i := 0; i < 10; i++ {
		kind := tracking.KindLibrary
		if i >= 8 {
			kind = tracking.KindWard
		}
		l := &tracking.Location{Code: fmt.Sprintf("BAY-%02d", i), Name: fmt.Sprintf("Place %d", i), Kind: kind}
		if err := ps.Service.CreateLocation(ctx, l); err != nil {
			tb.Fatal(err)
		}
		places = append(places, l.ID)
	}
	var clinicIDs []int64
	for i := 0; i < clinics; i++ {
		l := &tracking.Location{Code: fmt.Sprintf("OPD-%02d", i), Name: fmt.Sprintf("Clinic %d", i), Kind: tracking.KindClinic}
		if err := ps.Service.CreateLocation(ctx, l); err != nil {
			tb.Fatal(err)
		}
		clinicIDs = append(clinicIDs, l.ID)
	}
	bulkPatients(tb, ps.DB, patients, places)
	day := time.Now().AddDate(0, 0, 1)
	bulkAppointments(tb, ps.DB, day, appointments, patients, clinicIDs)
	return day
}

func bulkPatients(tb testing.TB, d *db.DB, n int, places []int64) {
	tb.Helper()
	now := time.Now().UTC()
	hn := "'T' || lpad(x::text, 7, '0')"
	series := "generate_series(1, ?) AS g(x)"
	if d.Dialect() == db.SQLite {
		hn, series = "printf('T%07d', x)", "(WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < ?) SELECT x FROM s) AS g"
	}
	stmts := []struct {
		sql  string
		args []any
	}{
		{"INSERT INTO patients (hospital_number, family_name, given_name, created_at) SELECT " + hn + ", 'Clinic', 'Pat', ? FROM " + series, []any{now, n}},
		{`INSERT INTO volumes (patient_id, number, status, home_location_id, current_location_id, current_since, created_at)
			SELECT p.id, v.n, CASE WHEN v.n = 1 THEN 'closed' ELSE 'active' END, ?, ? + p.id % ?, ?, ?
			FROM patients p CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2) v WHERE p.family_name = 'Clinic'`,
			[]any{places[0], places[0], len(places), now, now}},
		{"UPDATE volumes SET barcode = 'X' || id WHERE barcode IS NULL", nil},
	}
	for _, q := range stmts {
		if err := d.Gorm().Exec(q.sql, q.args...).Error; err != nil {
			tb.Fatal(err)
		}
	}
}

func bulkAppointments(tb testing.TB, d *db.DB, day time.Time, n, patients int, clinics []int64) {
	tb.Helper()
	var first int64
	if err := d.Gorm().Raw("SELECT MIN(id) FROM patients WHERE family_name = 'Clinic'").Scan(&first).Error; err != nil {
		tb.Fatal(err)
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, time.Local)
	now := time.Now().UTC()
	tx := d.Gorm().Begin()
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i%16) * 30 * time.Minute).UTC()
		patient, clinic := first+int64(i*(patients/n)), clinics[i%len(clinics)]
		var id int64
		if err := tx.Raw(`INSERT INTO appointments (pas_id, patient_id, clinic_id, starts_at, status, updated_at)
			VALUES (?, ?, ?, ?, 'booked', ?) RETURNING id`, fmt.Sprintf("B%05d", i), patient, clinic, at, now).Scan(&id).Error; err != nil {
			tb.Fatal(err)
		}
		if err := tx.Exec(`INSERT INTO requests (patient_id, location_id, needed_by, priority, whole, status, appointment_id, requested_by, created_at)
			VALUES (?, ?, ?, 'routine', TRUE, 'open', ?, 'bench', ?)`, patient, clinic, at.Add(-time.Hour), id, now).Error; err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit().Error; err != nil {
		tb.Fatal(err)
	}
	if err := d.Gorm().Exec("ANALYZE").Error; err != nil {
		tb.Fatal(err)
	}
}
