package db_test

import (
	"context"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

// A review date and a legal hold each refuse destruction on both
// databases (SAFETY.md H09); a hold placed on a record that is later
// merged still keeps the survivor's volumes that came from it; a
// destruction decided before a hold was placed is refused when it comes
// to be written.
func TestRetentionRefusesDestruction(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		destroyed := tracking.StatusDestroyed
		destroy := tracking.VolumeUpdate{Status: &destroyed, Note: "certificate 9"}
		later, _ := tracking.ParseDate("2027-01-31")

		v, err := f.svc.UpdateVolume(ctx, records, f.vol.Barcode, tracking.VolumeUpdate{RetainUntil: tracking.SetTo(later)})
		if err != nil || v.Retention == nil || v.RetainUntil == nil || v.RetainUntil.String() != "2027-01-31" {
			t.Fatalf("set review date: %+v, %v", v, err)
		}
		if _, err := f.svc.UpdateVolume(ctx, records, f.vol.Barcode, destroy); tracking.ErrorCode(err) != tracking.ECONFLICT {
			t.Fatalf("destroy before the review date: %v", err)
		}
		if _, err := f.svc.UpdateVolume(ctx, records, f.vol.Barcode, tracking.VolumeUpdate{RetainUntil: tracking.Cleared[tracking.Date]()}); err != nil {
			t.Fatal(err)
		}

		// A hold on a duplicate record follows its volumes into the survivor.
		dup := &tracking.Patient{HospitalNumber: "D1", FamilyName: "Smith", GivenName: "Zoë"}
		if err := f.svc.CreatePatient(ctx, librarian, dup, "WARD7"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.PlaceHold(ctx, records, "D1", "Claim 2026/114"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.MergePatient(ctx, librarian, "D1", f.patient.HospitalNumber, tracking.MergeByAPI); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.UpdateVolume(ctx, records, f.vol.Barcode, destroy)
		if tracking.ErrorCode(err) != tracking.ECONFLICT || !strings.Contains(err.Error(), "Claim 2026/114") {
			t.Fatalf("destroy under a merged record's hold: %v", err)
		}
		if got := f.volumeStatus(t); got != tracking.StatusActive {
			t.Fatalf("status %s after refusals", got)
		}

		// Decided with nothing in the way, written after a hold arrived.
		// Lifted through the survivor, whose record now holds the merged one's.
		if _, err := f.svc.LiftHold(ctx, records, "D1", "Claim withdrawn"); err != nil {
			t.Fatalf("lift the merged record's hold: %v", err)
		}
		if h, err := f.svc.FindHold(ctx, f.patient); err != nil || h != nil {
			t.Fatalf("hold after lifting: %+v, %v", h, err)
		}
		p, err := f.svc.PlaceHold(ctx, records, f.patient.HospitalNumber, "Inquiry 7")
		if err != nil || p.HospitalNumber != f.patient.HospitalNumber {
			t.Fatalf("place on the survivor: %+v, %v", p, err)
		}
		c := &tracking.StatusChange{Status: destroyed, From: tracking.StatusActive, By: "rita", At: tracking.TimestampOf(f.now)}
		stale := tracking.VolumeUpdate{Status: &destroyed, Change: c, Retention: &tracking.Retention{}}
		if err := f.svc.Store.UpdateVolume(ctx, f.vol.ID, stale); tracking.ErrorCode(err) != tracking.ECONFLICT {
			t.Fatalf("destruction decided before the hold: %v", err)
		}
		if got := f.volumeStatus(t); got != tracking.StatusActive {
			t.Fatalf("status %s after a stale destruction", got)
		}
	})
}

// Two-person destruction on both databases: the proposal is stored and
// shown, and the second person's approval destroys the folder and ends it.
func TestTwoPersonDestructionStored(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		f.svc.TwoPersonDestruction = true
		ctx := context.Background()
		destroyed := tracking.StatusDestroyed
		v, err := f.svc.UpdateVolume(ctx, records, f.vol.Barcode, tracking.VolumeUpdate{Status: &destroyed, Note: "review 2026"})
		if err != nil || v.Status != tracking.StatusActive || v.Retention == nil || v.Proposal == nil || v.Proposal.By != "rita" {
			t.Fatalf("proposal: %+v, %v", v, err)
		}
		sam := tracking.Actor{Name: "sam", Role: tracking.RoleRecords}
		v, err = f.svc.UpdateVolume(ctx, sam, f.vol.Barcode, tracking.VolumeUpdate{Status: &destroyed})
		if err != nil || v.Status != tracking.StatusDestroyed || (v.Retention != nil && v.Proposal != nil) {
			t.Fatalf("approval: %+v, %v", v, err)
		}
		if n := v.StatusHistory[len(v.StatusHistory)-1].Note; !strings.Contains(n, "proposed by rita") || !strings.Contains(n, "approved by sam") {
			t.Fatalf("history note %q", n)
		}
	})
}

func (f *fixture) volumeStatus(t *testing.T) tracking.VolumeStatus {
	t.Helper()
	v, err := f.svc.FindVolume(context.Background(), records, f.vol.Barcode)
	if err != nil {
		t.Fatal(err)
	}
	return v.Status
}

// The retention list on both databases: a folder whose review date has
// come, one whose destruction waits for a second person; not a folder
// whose date is still to come, nor a destroyed one.
func TestRetentionReviewStored(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		f.svc.TwoPersonDestruction = true
		ctx := context.Background()
		vols := []*tracking.Volume{f.vol}
		for range 3 {
			v, err := f.svc.AddVolume(ctx, librarian, f.patient.HospitalNumber, tracking.VolumeInput{})
			if err != nil {
				t.Fatal(err)
			}
			vols = append(vols, v)
		}
		set := func(v *tracking.Volume, d string) {
			day, _ := tracking.ParseDate(d)
			if _, err := f.svc.UpdateVolume(ctx, records, v.Barcode, tracking.VolumeUpdate{RetainUntil: tracking.SetTo(day)}); err != nil {
				t.Fatal(err)
			}
		}
		set(vols[0], "2026-11-22") // due today (the fixture's day)
		set(vols[1], "2026-11-23") // tomorrow: not yet
		destroyed := tracking.StatusDestroyed
		if _, err := f.svc.UpdateVolume(ctx, records, vols[2].Barcode, tracking.VolumeUpdate{Status: &destroyed}); err != nil {
			t.Fatal(err) // a proposal
		}
		set(vols[3], "2001-01-01")
		sam := tracking.Actor{Name: "sam", Role: tracking.RoleRecords}
		for _, a := range []tracking.Actor{records, sam} {
			if _, err := f.svc.UpdateVolume(ctx, a, vols[3].Barcode, tracking.VolumeUpdate{Status: &destroyed}); err != nil {
				t.Fatal(err)
			}
		}
		r, err := f.svc.RetentionReview(ctx, records)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Proposed) != 1 || r.Proposed[0].Volume.Barcode != vols[2].Barcode || r.Proposed[0].Patient == nil ||
			r.Proposed[0].Proposal.By != "rita" {
			t.Fatalf("proposed %+v", r.Proposed)
		}
		if len(r.Due) != 1 || r.Due[0].Volume.Barcode != vols[0].Barcode || r.Due[0].Location == nil || r.More {
			t.Fatalf("due %+v", r.Due)
		}
	})
}
