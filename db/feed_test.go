package db_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

func feedMessage(control string) *tracking.FeedMessage {
	return &tracking.FeedMessage{ReceivedAt: time.Now(), Remote: "127.0.0.1:5000", Sender: "PAS", Facility: "RX1",
		ControlID: control, Type: "ADT^A08", Status: "AA", Raw: "MSH|^~\\&|PAS|RX1\rPID|||RX9\r\x00", ACK: "MSH|...\rMSA|AA|" + control + "\r"}
}

// TestFeedStored applies a message once however often it is sent, also
// when copies arrive at once, and keeps every copy.
func TestFeedStored(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, dialect)
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make([]error, 4)
			for i := range errs {
				wg.Go(func() {
					errs[i] = f.svc.ApplyFeedPatient(ctx, feedMessage("M1"), "RX9",
						tracking.PatientChange{FamilyName: tracking.SetTo("O'Neill"), GivenName: tracking.SetTo("Siobhan")})
				})
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			ms, err := f.svc.FindFeedMessages(ctx, librarian, tracking.FeedFilter{})
			applied := 0
			for _, m := range ms {
				if m.Applied {
					applied++
				} else if m.RepeatOf == 0 {
					t.Errorf("a copy that is no repeat: %+v", m)
				}
			}
			if err != nil || len(ms) != 4 || applied != 1 || ms[0].PatientID == 0 || !strings.HasSuffix(ms[0].Raw, "\u2400") {
				t.Fatalf("messages %+v %v", ms, err)
			}
			ps, err := f.svc.FindPatients(ctx, librarian, tracking.PatientFilter{HospitalNumber: "RX9"})
			if err != nil || len(ps) != 1 || ps[0].GivenName != "Siobhan" || len(ps[0].Volumes) != 0 {
				t.Errorf("patient from the feed: %+v %v", ps, err)
			}
			checkFeedRefused(t, f)
			checkFeedRepeatRefused(t, f)
		})
	}
}

// checkFeedRefused: a message refused for its identity changes nothing
// and, once kept, is listed by its status.
func checkFeedRefused(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	m := feedMessage("M2")
	err := f.svc.ApplyFeedPatient(ctx, m, "H123456", tracking.PatientChange{FamilyName: tracking.SetTo("Jones"),
		NHSNumber: tracking.SetTo("4010232137")})
	if tracking.ErrorCode(err) != tracking.ECONFLICT || m.PatientID != f.patient.ID {
		t.Fatalf("a different NHS number: %v (patient %d)", err, m.PatientID)
	}
	m.Status, m.Code, m.Where, m.Reason = "AE", 205, "PID-3", tracking.ErrorMessage(err)
	if err := f.svc.KeepFeedMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	ms, err := f.svc.FindFeedMessages(ctx, librarian, tracking.FeedFilter{Status: "AE"})
	if err != nil || len(ms) != 1 || ms[0].ControlID != "M2" || ms[0].Applied || ms[0].Where != "PID-3" {
		t.Errorf("refused messages %+v %v", ms, err)
	}
	ps, _ := f.svc.FindPatients(ctx, librarian, tracking.PatientFilter{HospitalNumber: "H123456"})
	if ps[0].FamilyName != "Smith" {
		t.Errorf("a refused message changed the patient: %+v", ps[0])
	}
}

// checkFeedRepeatRefused: a resend of a message applied before is
// answered as the first was, even when what it carries would now be
// refused (its birth date was corrected since).
func checkFeedRepeatRefused(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	born := tracking.SetTo(*mustDate(t, "1950-02-03"))
	if err := f.svc.ApplyFeedPatient(ctx, feedMessage("M9"), "RX9", tracking.PatientChange{BirthDate: born}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UpdatePatient(ctx, librarian, "RX9", tracking.PatientChange{BirthDate: tracking.SetTo(*mustDate(t, "1950-03-02"))}); err != nil {
		t.Fatal(err)
	}
	again := feedMessage("M9")
	if err := f.svc.ApplyFeedPatient(ctx, again, "RX9", tracking.PatientChange{BirthDate: born}); err != nil || again.RepeatOf == 0 || again.Applied {
		t.Errorf("resend of an applied message: %v, %+v", err, again)
	}
	if err := f.svc.ApplyFeedPatient(ctx, feedMessage("M10"), "RX9", tracking.PatientChange{BirthDate: born}); tracking.ErrorCode(err) != tracking.ECONFLICT {
		t.Errorf("a new message with the old birth date: %v, want conflict", err)
	}
}

// TestLocationGeneration: every write to locations moves the number the
// instances' caches watch.
func TestLocationGeneration(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := dbtest.Open(t, dialect)
			ctx := context.Background()
			before, err := d.LocationGeneration(ctx)
			if err != nil {
				t.Fatal(err)
			}
			svc := tracking.NewService(d, nil)
			if err := svc.CreateLocation(ctx, &tracking.Location{Code: "LIB", Name: "Library", Kind: tracking.KindLibrary}); err != nil {
				t.Fatal(err)
			}
			if after, err := d.LocationGeneration(ctx); err != nil || after <= before {
				t.Errorf("generation %d after a new location, was %d (%v)", after, before, err)
			}
		})
	}
}
