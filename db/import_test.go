package db_test

import (
	"context"
	"testing"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

func counts(c tracking.ImportCounts) [4]int {
	return [4]int{c.Accepted, c.Updated, c.Unchanged, len(c.Errors)}
}

// TestImportStored imports locations, patients and volumes into the
// fixture's database on both dialects: a dry run first (nothing stored),
// then the run, then the same lines again (all unchanged).
func TestImportStored(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, dialect)
			ctx := context.Background()
			steps := []struct {
				name string
				run  func(im *tracking.Import) (tracking.ImportCounts, error)
				want [4]int
			}{
				{"locations", func(im *tracking.Import) (tracking.ImportCounts, error) { return im.Locations(ctx, locationLines) }, [4]int{2, 1, 0, 0}},
				{"patients", func(im *tracking.Import) (tracking.ImportCounts, error) { return im.Patients(ctx, patientLines(t)) }, [4]int{2, 1, 0, 1}},
				{"volumes", func(im *tracking.Import) (tracking.ImportCounts, error) { return im.Volumes(ctx, volumeLines) }, [4]int{3, 1, 0, 1}},
			}
			for _, st := range steps {
				for _, run := range []struct {
					dry  bool
					want [4]int
				}{{true, st.want}, {false, st.want}, {false, [4]int{0, 0, st.want[0] + st.want[1] + st.want[2], st.want[3]}}} {
					c, err := st.run(f.svc.NewImport(librarian, run.dry))
					if err != nil || counts(c) != run.want {
						t.Fatalf("%s (dry run %v): %+v %v, want %v", st.name, run.dry, c, err, run.want)
					}
				}
			}
			checkImported(t, f)
		})
	}
}

var locationLines = []tracking.LocationLine{
	{Line: 2, Location: tracking.Location{Code: "BAY1", Name: "Bay 1", Kind: tracking.KindLibrary, ParentCode: "LIB", LegacyBarcode: "b1"}},
	{Line: 3, Location: tracking.Location{Code: "SHELF1", Name: "Shelf 1", Kind: tracking.KindLibrary, ParentCode: "BAY1"}, ParentLine: 2},
	{Line: 4, Location: tracking.Location{Code: "WARD7", Name: "Ward 7 Cardiology", Kind: tracking.KindWard}},
}

func patientLines(t *testing.T) []tracking.PatientLine {
	return []tracking.PatientLine{
		{Line: 2, Patient: tracking.Patient{HospitalNumber: "RX1", NHSNumber: "4010232137", FamilyName: "O'Neill", GivenName: "Siân",
			BirthDate: mustDate(t, "1950-02-03")}},
		{Line: 3, Patient: tracking.Patient{HospitalNumber: "RX2", FamilyName: "Ó'Brien"}},
		{Line: 4, Patient: tracking.Patient{HospitalNumber: "H123456", FamilyName: "Smith", GivenName: "Zoe"}},
		{Line: 5, Patient: tracking.Patient{HospitalNumber: "RX3", NHSNumber: "9434765919", FamilyName: "Taken"}},
	}
}

var volumeLines = []tracking.VolumeLine{
	{Line: 2, HospitalNumber: "RX1", Number: 1, LegacyBarcode: "old/1", Home: "SHELF1", Location: "WARD9"},
	{Line: 3, HospitalNumber: "RX1", Number: 2, Status: tracking.StatusClosed},
	{Line: 4, HospitalNumber: "RX2", Number: 1},
	{Line: 5, HospitalNumber: "H123456", Number: 1, Status: tracking.StatusArchived},
	{Line: 6, HospitalNumber: "NOBODY", Number: 1},
}

func checkImported(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	bay, err := f.svc.FindLocation(ctx, "b1")
	if err != nil || bay.Code != "BAY1" || bay.ParentCode != "LIB" {
		t.Errorf("location by legacy barcode: %+v %v", bay, err)
	}
	if shelf, err := f.svc.FindLocation(ctx, "SHELF1"); err != nil || shelf.ParentCode != "BAY1" {
		t.Errorf("shelf: %+v %v", shelf, err)
	}
	v, err := f.svc.FindVolume(ctx, librarian, "old/1")
	if err != nil || v.Patient.HospitalNumber != "RX1" || v.Current.Code != "WARD9" || v.Home.Code != "SHELF1" || v.Count != 2 {
		t.Fatalf("imported volume: %+v %v", v, err)
	}
	if ms, err := f.svc.FindMovements(ctx, librarian, v.Barcode); err != nil || len(ms) != 0 {
		t.Errorf("an imported position is not a movement: %+v %v", ms, err)
	}
	ps, err := f.svc.FindPatients(ctx, librarian, tracking.PatientFilter{HospitalNumber: "RX2"})
	if err != nil || len(ps) != 1 || ps[0].Volumes[0].Home.Code != "LIB" || ps[0].Volumes[0].Status != tracking.StatusActive {
		t.Errorf("defaults: %+v %v", ps, err)
	}
	ps, err = f.svc.FindPatients(ctx, librarian, tracking.PatientFilter{HospitalNumber: "H123456"})
	if err != nil || ps[0].GivenName != "Zoe" || ps[0].NHSNumber != "9434765919" || ps[0].Volumes[0].Status != tracking.StatusArchived {
		t.Errorf("updated patient: %+v %v", ps, err)
	}
}
