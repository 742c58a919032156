package db_test

import (
	"context"
	"testing"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

var librarian = tracking.Actor{Name: "lib1", Role: tracking.RoleLibrary}

func mustDate(t *testing.T, s string) *tracking.Date {
	t.Helper()
	d, err := tracking.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

// TestUpdatePatientStored changes and clears details on both databases,
// and refuses another patient's NHS number.
func TestUpdatePatientStored(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, dialect)
			ctx := context.Background()
			p, err := f.svc.UpdatePatient(ctx, librarian, "h123456", tracking.PatientChange{
				FamilyName: tracking.SetTo("Smith-Jones"), NHSNumber: tracking.Cleared[string](),
				BirthDate: tracking.SetTo(*mustDate(t, "1931-12-24")), DeathDate: tracking.SetTo(*mustDate(t, "2020-02-29"))})
			if err != nil {
				t.Fatal(err)
			}
			ps, err := f.svc.FindPatients(ctx, librarian, tracking.PatientFilter{Query: "smith-j"})
			if err != nil || len(ps) != 1 || ps[0].NHSNumber != "" || ps[0].BirthDate.String() != "1931-12-24" ||
				ps[0].DeathDate.String() != "2020-02-29" || len(ps[0].Volumes) != 1 || p.ID != ps[0].ID {
				t.Fatalf("after update: %+v %v", ps, err)
			}
			other := &tracking.Patient{HospitalNumber: "H2", FamilyName: "Jones", NHSNumber: "4010232137"}
			if err := f.svc.CreatePatient(ctx, librarian, other, ""); err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.UpdatePatient(ctx, librarian, "H123456", tracking.PatientChange{NHSNumber: tracking.SetTo("4010232137")})
			if tracking.ErrorCode(err) != tracking.ECONFLICT {
				t.Errorf("another's NHS number: %v, want conflict", err)
			}
		})
	}
}

// TestMergeStored merges a duplicate with two volumes into the fixture's
// patient on both databases: the volumes become 2 and 3, the old numbers
// find the survivor, searches by name no longer list the duplicate, and
// the merge is an open task until finished.
func TestMergeStored(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, dialect)
			ctx := context.Background()
			if _, err := f.svc.UpdatePatient(ctx, librarian, "H123456", tracking.PatientChange{NHSNumber: tracking.Cleared[string]()}); err != nil {
				t.Fatal(err)
			}
			dup := &tracking.Patient{HospitalNumber: "D1", FamilyName: "Smyth", NHSNumber: "9434765919"}
			if err := f.svc.CreatePatient(ctx, librarian, dup, "WARD7"); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.AddVolume(ctx, librarian, "D1", tracking.VolumeInput{LegacyBarcode: "OLD-9"}); err != nil {
				t.Fatal(err)
			}
			res, err := f.svc.MergePatient(ctx, librarian, "D1", "H123456", tracking.MergeByAPI)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Survivor.Volumes) != 3 || res.Survivor.Volumes[2].Number != 3 || res.Survivor.Volumes[1].Current.Code != "WARD7" ||
				len(res.Relabel) != 3 || res.Survivor.NHSNumber != "9434765919" {
				t.Fatalf("merge answer %+v", res)
			}
			checkMergedFinds(t, f.svc)
			checkMergeRecord(t, f.svc, res.MergeID)
			if _, err := f.svc.MergePatient(ctx, librarian, "D1", "H123456", tracking.MergeByAPI); tracking.ErrorCode(err) != tracking.ECONFLICT {
				t.Errorf("merging again: %v, want conflict", err)
			}
		})
	}
}

func checkMergedFinds(t *testing.T, svc *tracking.Service) {
	t.Helper()
	ctx := context.Background()
	for _, f := range []tracking.PatientFilter{{HospitalNumber: "d1"}, {NHSNumber: "9434765919"}} {
		ps, err := svc.FindPatients(ctx, librarian, f)
		if err != nil || len(ps) != 1 || ps[0].HospitalNumber != "H123456" || len(ps[0].Volumes) != 3 {
			t.Errorf("find %+v: %+v %v, want the survivor", f, ps, err)
		}
	}
	if ps, err := svc.FindPatients(ctx, librarian, tracking.PatientFilter{Query: "smyth"}); err != nil || len(ps) != 0 {
		t.Errorf("a name search lists the merged record: %+v %v", ps, err)
	}
	v, err := svc.FindVolume(ctx, librarian, "OLD-9")
	if err != nil || v.Patient.HospitalNumber != "H123456" || v.Number != 3 || v.Count != 3 {
		t.Errorf("the duplicate's volume: %+v %v", v, err)
	}
}

func checkMergeRecord(t *testing.T, svc *tracking.Service, id int64) {
	t.Helper()
	ctx := context.Background()
	ms, err := svc.FindMerges(ctx, librarian, tracking.MergeFilter{Open: true})
	if err != nil || len(ms) != 1 || ms[0].ID != id || ms[0].Duplicate.HospitalNumber != "D1" || ms[0].Duplicate.NHSNumber != "9434765919" ||
		ms[0].Survivor.HospitalNumber != "H123456" || len(ms[0].Relabel) != 3 || ms[0].Relabel[0].Patient == nil || ms[0].By != "lib1" {
		t.Fatalf("open merges %+v %v", ms, err)
	}
	if _, err := svc.FinishMerge(ctx, librarian, id); err != nil {
		t.Fatal(err)
	}
	if ms, err := svc.FindMerges(ctx, librarian, tracking.MergeFilter{Open: true}); err != nil || len(ms) != 0 {
		t.Errorf("open merges after finishing: %+v %v", ms, err)
	}
}
