package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

// siu is an SIU message of the trigger: the appointment's SCH (id and
// start), then PID, then the AIL naming its clinic when one is given.
func siu(trigger, control, id, start, pid, clinic string) string {
	segs := []string{"MSH|^~\\&|PAS|RX1|CASETRACK|RX1|20261203120000||SIU^" + trigger + "^SIU_S12|" + control + "|P|2.4",
		"SCH|" + id + "^PAS||||||||||^^^" + start, pid}
	if clinic != "" {
		segs = append(segs, "AIL|1||"+clinic+"^^^RX1|||"+start)
	}
	return strings.Join(segs, "\r") + "\r"
}

// appointmentRequest is what the test reads of an appointment's request.
type appointmentRequest struct {
	ID          int64
	Status      string
	Appointment string
	NeededBy    string `json:"needed_by"`
	Location    struct{ Code string }
	Patient     struct {
		HospitalNumber string `json:"hospital_number"`
	}
}

// TestFeedAppointments: SIU messages over MLLP book, move and cancel
// clinic appointments and the requests for notes they hold, each kept
// with its ACK; a resend changes nothing; an unknown clinic is refused
// naming AIL-3, and kept.
func TestFeedAppointments(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect, "--hl7-listen", "127.0.0.1:0")
		lib := s.token("library")
		for _, l := range [][2]string{{"LIB", "library"}, {"OPD1", "clinic"}, {"OPD2", "clinic"}} {
			s.call(lib, "POST", "/api/v1/locations", map[string]string{"code": l[0], "name": l[0], "kind": l[1]}, nil)
		}
		s.call(lib, "POST", "/api/v1/patients", map[string]string{"hospital_number": "RX300", "family_name": "Evans", "home": "LIB"}, nil)
		f := dialFeed(t, s)
		pid := "PID|1||RX300^^^RX1^MR||EVANS^Gwen"
		book := siu("S12", "S1", "APT1", "202612150930+0000", pid, "OPD1")
		if got := f.send(book); got[0] != "AA S1" {
			t.Fatalf("S12: %v", got)
		}
		r := onlyRequest(t, s, lib, "APT1")
		if r.Status != "open" || r.Location.Code != "OPD1" || r.NeededBy != "2026-12-15T08:30:00.000Z" || r.Patient.HospitalNumber != "RX300" {
			t.Fatalf("the S12's request: %+v", r)
		}
		move := siu("S13", "S2", "APT1", "202612161000+0000", pid, "OPD2")
		if got := f.send(move, book, move); strings.Join(got, ",") != "AA S2,AA S1,AA S2" {
			t.Fatalf("S13 and resends: %v", got)
		}
		if moved := onlyRequest(t, s, lib, "APT1"); moved.ID != r.ID || moved.Location.Code != "OPD2" || moved.NeededBy != "2026-12-16T09:00:00.000Z" {
			t.Errorf("after the S13 and a resent S12: %+v", moved)
		}
		checkFeedNewPatient(t, s, f, lib)
		checkFeedUnknownClinic(t, s, f)
		cancel := siu("S15", "S3", "APT1", "", pid, "")
		if got := f.send(cancel, cancel, siu("S17", "S4", "NOSUCH", "", pid, "")); strings.Join(got, ",") != "AA S3,AA S3,AA S4" {
			t.Fatalf("S15, its resend and an S17 of an unknown appointment: %v", got)
		}
		var cancelled appointmentRequest
		s.call(lib, "GET", "/api/v1/requests/"+strconv.FormatInt(r.ID, 10), nil, &cancelled)
		if cancelled.Status != "cancelled" {
			t.Errorf("the request after the S15: %+v", cancelled)
		}
		checkFeedRepeats(t, s, map[string]int{"S1": 2, "S2": 2, "S3": 2, "S4": 1})
	})
}

// onlyRequest is the one request an appointment holds, open or fulfilled.
func onlyRequest(t *testing.T, s *testServer, token, appointment string) appointmentRequest {
	t.Helper()
	var list struct{ Requests []appointmentRequest }
	s.call(token, "GET", "/api/v1/requests", nil, &list)
	var out []appointmentRequest
	for _, r := range list.Requests {
		if r.Appointment == appointment && r.Status != "cancelled" {
			out = append(out, r)
		}
	}
	if len(out) != 1 {
		t.Fatalf("requests of appointment %s: %+v", appointment, out)
	}
	return out[0]
}

// checkFeedNewPatient: an SIU for a patient casetrack does not hold makes
// the patient from PID, with no volume, and the request waits for notes.
func checkFeedNewPatient(t *testing.T, s *testServer, f *feedClient, lib string) {
	t.Helper()
	if got := f.send(siu("S12", "S5", "APT2", "202612150945+0000", "PID|1||RX301^^^RX1^MR||PRICE^Alun||19620101", "OPD1")); got[0] != "AA S5" {
		t.Fatalf("S12 for a new patient: %v", got)
	}
	var found struct{ Patients []patientAnswer }
	s.call(lib, "GET", "/api/v1/patients?hospital_number=RX301", nil, &found)
	if len(found.Patients) != 1 || found.Patients[0].FamilyName != "PRICE" || len(found.Patients[0].Volumes) != 0 {
		t.Fatalf("patient from the S12: %+v", found)
	}
	if r := onlyRequest(t, s, lib, "APT2"); r.Status != "open" || r.Patient.HospitalNumber != "RX301" {
		t.Errorf("request of the new patient's appointment: %+v", r)
	}
}

// checkFeedUnknownClinic: an SIU naming a clinic casetrack does not hold
// is AE, says which field, and is kept.
func checkFeedUnknownClinic(t *testing.T, s *testServer, f *feedClient) {
	t.Helper()
	if got := f.send(siu("S12", "S6", "APT3", "202612150930+0000", "PID|1||RX300^^^RX1^MR||EVANS^Gwen", "NOWHERE")); got[0] != "AE S6" {
		t.Fatalf("unknown clinic: %v", got)
	}
	ms, err := s.m.Service.FindFeedMessages(context.Background(), tracking.Actor{Name: "test", Role: tracking.RoleRecords},
		tracking.FeedFilter{Status: "AE", Limit: 1})
	if err != nil || len(ms) != 1 || ms[0].ControlID != "S6" || ms[0].Where != "AIL-3" || !strings.Contains(ms[0].Reason, "AIL-3") ||
		!strings.Contains(ms[0].ACK, "ERR|") {
		t.Errorf("the refused SIU as kept: %+v, %v", ms, err)
	}
}

// checkFeedRepeats: every copy of each control id is kept, the first
// applied and the others its repeats, with the same answer.
func checkFeedRepeats(t *testing.T, s *testServer, copies map[string]int) {
	t.Helper()
	ms, err := s.m.Service.FindFeedMessages(context.Background(), tracking.Actor{Name: "test", Role: tracking.RoleRecords},
		tracking.FeedFilter{Status: "AA", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, m := range ms {
		got[m.ControlID]++
		if m.Applied == (m.RepeatOf != 0) || !strings.Contains(m.ACK, "MSA|AA|"+m.ControlID) {
			t.Errorf("message %s kept as %+v", m.ControlID, m)
		}
	}
	for id, n := range copies {
		if got[id] != n {
			t.Errorf("%s kept %d times, want %d", id, got[id], n)
		}
	}
}
