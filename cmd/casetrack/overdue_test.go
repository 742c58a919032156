package main

import (
	"strings"
	"testing"
	"time"
)

type overdueAnswer struct {
	Volumes []struct {
		Volume     volume
		Patient    patient
		Location   location
		Since      string
		OverdueBy  int64  `json:"overdue_by"`
		LoanPeriod string `json:"loan_period"`
		BookedBy   string `json:"booked_by"`
	}
}

// Overdue notes over HTTP with the loan periods given on the command
// line: a clinic's two-second period, a ward's own override, JSON and
// CSV, and the access log.
func TestOverdueOverHTTP(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect, "--loan", "clinic=2s,ward=30d")
		lib := s.token("library")
		vols, _ := seed(t, s, lib, 3)
		for i, to := range []string{"CLINIC1", "CLINIC1", "WARD7"} {
			s.call(lib, "POST", "/api/v1/scans", `{"barcode":"`+vols[i]+`","location":"`+to+`"}`, nil)
		}
		s.call(lib, "PATCH", "/api/v1/volumes/"+vols[1], `{"status":"missing","note":"not at the clinic"}`, nil)
		var l location
		if st := s.call(lib, "PATCH", "/api/v1/locations/WARD7", `{"loan_period":"1s","name":"Ward 7 Cardiology"}`, &l); st != 200 || l.Name != "Ward 7 Cardiology" {
			t.Errorf("PATCH location: %d %+v", st, l)
		}
		var e apiError
		if st := s.call(lib, "PATCH", "/api/v1/locations/WARD7", `{"loan_period":"soon"}`, &e); st != 422 || e.Error.Field != "loan_period" {
			t.Errorf("PATCH a bad loan period: %d %+v", st, e)
		}
		time.Sleep(2100 * time.Millisecond)
		var o overdueAnswer
		if st := s.call(lib, "GET", "/api/v1/overdue", nil, &o); st != 200 || len(o.Volumes) != 2 {
			t.Fatalf("overdue: %d %+v", st, o)
		}
		first := o.Volumes[0]
		if first.Volume.Barcode != vols[2] || first.Location.Code != "WARD7" || first.OverdueBy < 1 || first.LoanPeriod != "1s" ||
			first.Patient.HospitalNumber != "H000002" || first.BookedBy == "" || first.Since == "" {
			t.Errorf("longest overdue first: %+v", first)
		}
		csv := s.download(lib, "/api/v1/overdue?format=csv", "text/csv")
		if !strings.HasPrefix(csv, "barcode,volume_number,hospital_number,nhs_number,family_name,given_name,location,") ||
			strings.Count(csv, "\n") != 3 {
			t.Errorf("overdue CSV:\n%s", csv)
		}
		if st := s.call(s.token("porter"), "GET", "/api/v1/overdue", nil, nil); st != 403 {
			t.Errorf("porter reads overdue: %d", st)
		}
		if n := s.accessEntries(t, "list_overdue"); n != 4 {
			t.Errorf("%d access-log entries for two lists of two patients, want 4", n)
		}
		var m struct{ Volumes []struct{ Note, By string } }
		if st := s.call(lib, "GET", "/api/v1/missing", nil, &m); st != 200 || len(m.Volumes) != 1 || m.Volumes[0].Note != "not at the clinic" {
			t.Errorf("missing: %d %+v", st, m)
		}
	})
}
