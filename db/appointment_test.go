package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

var pas = tracking.Actor{Name: "pas", Role: tracking.RoleLibrary}

func (f *fixture) appointment(t *testing.T, in tracking.AppointmentInput) tracking.AppointmentOutcome {
	t.Helper()
	out, err := f.svc.BookAppointment(context.Background(), pas, in)
	if err != nil {
		t.Fatalf("appointment %+v: %v", in, err)
	}
	return out
}

// clinicRequest is the live request of the fixture patient's appointment
// on the fixture's day, or nil.
func (f *fixture) clinicRequest(t *testing.T) *tracking.Request {
	t.Helper()
	pl, err := f.svc.PullList(context.Background(), clerk, tracking.PullListFilter{Date: tracking.DateOf(f.now)})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Lines) == 0 {
		return nil
	}
	return f.findRequest(t, pl.Lines[0].Request)
}

func TestAppointmentsHoldRequests(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		mustLocation(t, f.svc, "OPD", tracking.KindClinic)
		mustLocation(t, f.svc, "ENT", tracking.KindClinic)
		start := f.now.Add(4 * time.Hour)
		in := tracking.AppointmentInput{ID: "A1", Clinic: "OPD", Patient: "H123456", Start: start.Format(time.RFC3339)}
		if out := f.appointment(t, in); out != tracking.OutcomeAccepted {
			t.Fatalf("new appointment: %s", out)
		}
		r := f.clinicRequest(t)
		if r == nil || r.Location.Code != "OPD" || !r.NeededBy.Equal(start.Add(-time.Hour)) || r.Appointment != "A1" || r.Status != tracking.RequestOpen {
			t.Fatalf("its request = %+v", r)
		}
		if out := f.appointment(t, in); out != tracking.OutcomeUnchanged {
			t.Errorf("sent again: %s", out)
		}
		in.Start = start.Add(30 * time.Minute).Format(time.RFC3339)
		if out := f.appointment(t, in); out != tracking.OutcomeUpdated {
			t.Errorf("new time: %s", out)
		}
		moved := f.clinicRequest(t)
		if moved.ID != r.ID || !moved.NeededBy.Equal(start.Add(-30*time.Minute)) {
			t.Errorf("the request did not follow the new time: %+v", moved)
		}
		f.book(t, "to-opd", f.vol.Barcode, "OPD")
		if got := f.findRequest(t, r.ID); got.Status != tracking.RequestFulfilled {
			t.Fatalf("notes at the clinic: request %s", got.Status)
		}
		in.Clinic = "ENT"
		f.appointment(t, in)
		if got := f.findRequest(t, r.ID); got.Status != tracking.RequestOpen || got.Location.Code != "ENT" {
			t.Errorf("moved to another clinic: %s at %s, want open at ENT", got.Status, got.Location.Code)
		}
		f.book(t, "to-ent", f.vol.Barcode, "ENT")
		in.Clinic = "OPD"
		f.appointment(t, in)
		in.Clinic = "ENT"
		f.appointment(t, in)
		if got := f.findRequest(t, r.ID); got.Status != tracking.RequestFulfilled {
			t.Errorf("moved to the clinic the notes are at: %s, want fulfilled", got.Status)
		}
		in.Status = tracking.AppointmentCancelled
		if out := f.appointment(t, in); out != tracking.OutcomeCancelled {
			t.Errorf("cancelled: %s", out)
		}
		if got := f.findRequest(t, r.ID); got.Status != tracking.RequestCancelled || f.clinicRequest(t) != nil {
			t.Errorf("after cancelling: request %s", got.Status)
		}
		in.Status = tracking.AppointmentBooked
		if out := f.appointment(t, in); out != tracking.OutcomeUpdated {
			t.Errorf("booked again: %s", out)
		}
		if again := f.clinicRequest(t); again == nil || again.ID == r.ID {
			t.Errorf("booked again holds no new request: %+v", again)
		}
		// As the HL7 feed sends them: the start a time, then S15.
		if out := f.appointment(t, tracking.AppointmentInput{ID: "A1", Clinic: "ENT", Patient: "H123456", StartAt: start.Add(time.Hour)}); out != tracking.OutcomeUpdated {
			t.Errorf("moved by the feed: %s", out)
		}
		if out, err := f.svc.CancelAppointment(context.Background(), pas, "A1"); err != nil || out != tracking.OutcomeCancelled {
			t.Errorf("CancelAppointment = %s, %v", out, err)
		}
		if out, err := f.svc.CancelAppointment(context.Background(), pas, "NEVER"); err != nil || out != tracking.OutcomeUnchanged {
			t.Errorf("cancel an unknown appointment = %s, %v; want unchanged", out, err)
		}
	})
}

func TestImportAppointmentsReport(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		mustLocation(t, f.svc, "OPD", tracking.KindClinic)
		other := &tracking.Patient{HospitalNumber: "H2", NHSNumber: "4010232137", FamilyName: "Other"}
		if err := f.svc.CreatePatient(context.Background(), porter, other, ""); err != nil {
			t.Fatal(err)
		}
		start := f.now.Add(24 * time.Hour).Format(time.RFC3339)
		ins := []tracking.AppointmentInput{
			{ID: "1", Clinic: "OPD", Patient: "H123456", Start: start},
			{ID: "2", Clinic: "OPD", NHSNumber: "401 023 2137", Start: start, Status: tracking.AppointmentCancelled},
			{ID: "3", Clinic: "NOWHERE", Patient: "H123456", Start: start},
			{ID: "4", Clinic: "OPD", Patient: "H123456", NHSNumber: "4010232137", Start: start},
			{ID: "1", Clinic: "OPD", Patient: "H123456", Start: start},
			{ID: "5", Clinic: "OPD", Patient: "H123456", Start: "soon"},
		}
		rep, err := f.svc.ImportAppointments(context.Background(), pas, ins)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Accepted != 1 || rep.Cancelled != 1 || rep.Updated != 0 || len(rep.Errors) != 3 {
			t.Fatalf("report %+v", rep)
		}
		for i, want := range []struct {
			index int
			field string
		}{{2, "clinic"}, {3, "nhs_number"}, {5, "start"}} {
			e := rep.Errors[i]
			if e.Index == nil || *e.Index != want.index || e.Field != want.field {
				t.Errorf("error %d = %+v, want index %d on %s", i, e, want.index, want.field)
			}
		}
	})
}
