package tracking

import (
	"context"
	"testing"
)

func TestImportPatientLine(t *testing.T) {
	born, other := date("1950-02-03"), date("1951-02-03")
	stored := &Patient{ID: 1, HospitalNumber: "H1", NHSNumber: "9434765919", FamilyName: "Smith", GivenName: "Ann", BirthDate: &born}
	noNHS := &Patient{ID: 2, HospitalNumber: "H2", FamilyName: "Jones"}
	merged := &Patient{ID: 3, HospitalNumber: "H3", FamilyName: "Jones", MergedIntoID: 2}
	tests := []struct {
		name          string
		line          Patient
		stored, byNHS *Patient
		want          lineOutcome
		field         string
	}{
		{"New", Patient{HospitalNumber: "H9", FamilyName: "New"}, nil, nil, lineNew, ""},
		{"Unchanged", Patient{HospitalNumber: "H1", NHSNumber: "9434765919", FamilyName: "Smith", GivenName: "Ann", BirthDate: &born}, stored, stored, lineUnchanged, ""},
		{"EmptyCellsKeep", Patient{HospitalNumber: "H1", FamilyName: "Smith"}, stored, nil, lineUnchanged, ""},
		{"NewName", Patient{HospitalNumber: "H1", FamilyName: "Smith-Jones"}, stored, nil, lineUpdated, ""},
		{"DeathDateSet", Patient{HospitalNumber: "H1", FamilyName: "Smith", DeathDate: &other}, stored, nil, lineUpdated, ""},
		{"NHSNumberAdded", Patient{HospitalNumber: "H2", NHSNumber: "4010232137", FamilyName: "Jones"}, noNHS, nil, lineUpdated, ""},
		{"ErrNHSNumberDiffers", Patient{HospitalNumber: "H1", NHSNumber: "4010232137", FamilyName: "Smith"}, stored, nil, 0, "nhs_number"},
		{"ErrBirthDateDiffers", Patient{HospitalNumber: "H1", FamilyName: "Smith", BirthDate: &other}, stored, nil, 0, "birth_date"},
		{"ErrNHSNumberOfAnother", Patient{HospitalNumber: "H2", NHSNumber: "9434765919", FamilyName: "Jones"}, noNHS, stored, 0, "nhs_number"},
		{"ErrNewWithNHSNumberOfAnother", Patient{HospitalNumber: "H9", NHSNumber: "9434765919", FamilyName: "X"}, nil, stored, 0, "nhs_number"},
		{"ErrMerged", Patient{HospitalNumber: "H3", FamilyName: "Jones"}, merged, nil, 0, "hospital_number"},
	}
	s, _ := newTestService()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, p, err := s.importPatient(&tc.line, tc.stored, tc.byNHS, at(0))
			var e *Error
			switch {
			case tc.field != "" && (!asError(err, &e) || e.Field != tc.field):
				t.Errorf("error %v, want one on %s", err, tc.field)
			case tc.field == "" && (err != nil || o != tc.want):
				t.Errorf("outcome %v %v, want %v", o, err, tc.want)
			case tc.field == "" && o != lineUnchanged && p == nil:
				t.Errorf("no patient to write")
			}
		})
	}
}

// importFixture is a service over a memStore with two libraries, a ward,
// a volume of patient H1 that has a legacy barcode, and patient H2.
func importFixture(t *testing.T) (*Service, *memStore) {
	t.Helper()
	s, m := newPatientFixture(t, &Patient{HospitalNumber: "H1", FamilyName: "Smith"}, &Patient{HospitalNumber: "H2", FamilyName: "Jones"})
	ctx := context.Background()
	for _, l := range []*Location{{Code: "LIB2", Name: "Library 2", Kind: KindLibrary}, {Code: "WARD7", Name: "Ward 7", Kind: KindWard, LegacyBarcode: "W7-OLD"}} {
		if err := s.CreateLocation(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddVolume(ctx, librarian, "H1", VolumeInput{LegacyBarcode: "OLD-1"}); err != nil {
		t.Fatal(err)
	}
	return s, m
}

func TestImportVolumeLines(t *testing.T) {
	tests := []struct {
		name  string
		line  VolumeLine
		want  lineOutcome
		field string
		check func(*Volume) bool
	}{
		{"NewAtFirstLibrary", VolumeLine{HospitalNumber: "H2", Number: 2}, lineNew, "",
			func(v *Volume) bool {
				return v.HomeID == 1 && v.CurrentID == 1 && v.Status == StatusActive && v.LegacyCode == ""
			}},
		{"NewAtItsLocation", VolumeLine{HospitalNumber: "H2", Number: 2, LegacyBarcode: "abc", Status: StatusClosed, Home: "LIB2", Location: "WARD7"}, lineNew, "",
			func(v *Volume) bool {
				return v.HomeID == 2 && v.CurrentID == 3 && v.Status == StatusClosed && v.LegacyCode == "abc"
			}},
		{"StoredUnchanged", VolumeLine{HospitalNumber: "H1", Number: 2}, lineUnchanged, "", nil},
		{"StoredSameBarcode", VolumeLine{HospitalNumber: "H1", Number: 2, LegacyBarcode: "OLD-1"}, lineUnchanged, "", nil},
		{"StoredMoved", VolumeLine{HospitalNumber: "H1", Number: 1, Location: "WARD7"}, lineUpdated, "",
			func(v *Volume) bool { return v.CurrentID == 3 && v.HomeID == 1 }},
		{"StoredNewStatus", VolumeLine{HospitalNumber: "H1", Number: 1, Status: StatusMissing}, lineUpdated, "",
			func(v *Volume) bool { return v.Status == StatusMissing }},
		{"NewAlreadyDestroyed", VolumeLine{HospitalNumber: "H2", Number: 2, Status: StatusDestroyed}, lineNew, "",
			func(v *Volume) bool { return v.Status == StatusDestroyed }},
		{"ErrStoredDestroyedByFile", VolumeLine{HospitalNumber: "H1", Number: 1, Status: StatusDestroyed}, 0, "status", nil},
		{"ErrUnknownPatient", VolumeLine{HospitalNumber: "H9", Number: 1}, 0, "hospital_number", nil},
		{"ErrBarcodeOfAnother", VolumeLine{HospitalNumber: "H2", Number: 2, LegacyBarcode: "OLD-1"}, 0, "barcode", nil},
		{"ErrBarcodeOfALocation", VolumeLine{HospitalNumber: "H2", Number: 2, LegacyBarcode: "ward7"}, 0, "barcode", nil},
		{"ErrLegacyBarcodeOfALocation", VolumeLine{HospitalNumber: "H2", Number: 2, LegacyBarcode: "W7-OLD"}, 0, "barcode", nil},
		{"ErrUnknownHome", VolumeLine{HospitalNumber: "H2", Number: 2, Home: "NOWHERE"}, 0, "home", nil},
		{"ErrUnknownLocation", VolumeLine{HospitalNumber: "H2", Number: 2, Location: "NOWHERE"}, 0, "location", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, m := importFixture(t)
			tc.line.Line = 2
			im := s.NewImport(librarian, false)
			c, err := im.Volumes(context.Background(), []VolumeLine{tc.line})
			if err != nil {
				t.Fatal(err)
			}
			checkCounts(t, c, tc.want, tc.field)
			if tc.check != nil && !tc.check(m.volumeNumbered(tc.line.HospitalNumber, tc.line.Number)) {
				t.Errorf("stored %+v", m.volumeNumbered(tc.line.HospitalNumber, tc.line.Number))
			}
		})
	}
}

// TestImportVolumeScanned: a file's location is where a folder was before
// casetrack; once scanned, the scans say where it is.
func TestImportVolumeScanned(t *testing.T) {
	s, m := importFixture(t)
	ctx := context.Background()
	v := m.volumeNumbered("H1", 1)
	if _, err := s.RecordScan(ctx, porter, Scan{Barcode: v.Barcode, Location: "LIB2"}); err != nil {
		t.Fatal(err)
	}
	c, err := s.NewImport(librarian, false).Volumes(ctx, []VolumeLine{{Line: 2, HospitalNumber: "H1", Number: 1, Location: "WARD7"}})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, c, lineUnchanged, "")
	if got := m.volumeNumbered("H1", 1).CurrentID; got != 2 {
		t.Errorf("scanned volume at %d, want 2 (LIB2, where it was scanned)", got)
	}
}

func checkCounts(t *testing.T, c ImportCounts, want lineOutcome, field string) {
	t.Helper()
	got := [3]int{c.Accepted, c.Updated, c.Unchanged}
	var wantCounts [3]int
	if field == "" {
		wantCounts[map[lineOutcome]int{lineNew: 0, lineUpdated: 1, lineUnchanged: 2}[want]] = 1
	}
	if got != wantCounts || field != "" && (len(c.Errors) != 1 || c.Errors[0].Field != field || c.Errors[0].Line != 2) ||
		field == "" && len(c.Errors) != 0 {
		t.Errorf("counts %+v, want %v with an error on %q", c, wantCounts, field)
	}
}

func (m *memStore) volumeNumbered(hn string, n int) *Volume {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, v := range m.volumes {
		if m.patients[v.PatientID-1].HospitalNumber == hn && v.Number == n {
			return v
		}
	}
	return nil
}

func TestImportLocationLines(t *testing.T) {
	tests := []struct {
		name  string
		lines []LocationLine
		want  [3]int // accepted, updated, unchanged
		field string
	}{
		{"NewWithParentEarlier", []LocationLine{
			{Line: 2, Location: Location{Code: "BAY1", Name: "Bay 1", Kind: KindLibrary, ParentCode: "LIB"}},
			{Line: 3, Location: Location{Code: "SHELF1", Name: "Shelf 1", Kind: KindLibrary, ParentCode: "BAY1"}, ParentLine: 2}}, [3]int{2, 0, 0}, ""},
		{"StoredUnchanged", []LocationLine{{Line: 2, Location: Location{Code: "WARD7", Name: "Ward 7", Kind: KindWard}}}, [3]int{0, 0, 1}, ""},
		{"StoredRenamed", []LocationLine{{Line: 2, Location: Location{Code: "WARD7", Name: "Ward 7 Cardiology", Kind: KindWard}}}, [3]int{0, 1, 0}, ""},
		{"StoredGivenParent", []LocationLine{{Line: 2, Location: Location{Code: "LIB2", Name: "Library 2", Kind: KindLibrary, ParentCode: "LIB"}}}, [3]int{0, 1, 0}, ""},
		{"ErrUnknownParent", []LocationLine{{Line: 2, Location: Location{Code: "BAY1", Name: "Bay", Kind: KindLibrary, ParentCode: "NOPE"}}}, [3]int{}, "parent"},
		{"ErrInsideItself", []LocationLine{
			{Line: 2, Location: Location{Code: "LIB2", Name: "Library 2", Kind: KindLibrary, ParentCode: "LIB"}},
			{Line: 3, Location: Location{Code: "LIB", Name: "Library", Kind: KindLibrary, ParentCode: "LIB2"}}}, [3]int{0, 1, 0}, "parent"},
		{"ErrBarcodeOfAnotherLocation", []LocationLine{{Line: 2, Location: Location{Code: "BAY1", Name: "Bay", Kind: KindLibrary, LegacyBarcode: "W7-OLD"}}}, [3]int{}, "barcode"},
		{"ErrBarcodeOfAVolume", []LocationLine{{Line: 2, Location: Location{Code: "BAY1", Name: "Bay", Kind: KindLibrary, LegacyBarcode: "OLD-1"}}}, [3]int{}, "barcode"},
		{"ErrCodeIsALegacyBarcode", []LocationLine{{Line: 2, Location: Location{Code: "W7-OLD", Name: "Bay", Kind: KindLibrary}}}, [3]int{}, "code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, m := importFixture(t)
			before := len(m.locations)
			c, err := s.NewImport(librarian, false).Locations(context.Background(), tc.lines)
			if err != nil {
				t.Fatal(err)
			}
			if got := [3]int{c.Accepted, c.Updated, c.Unchanged}; got != tc.want || tc.field != "" && (len(c.Errors) != 1 || c.Errors[0].Field != tc.field) {
				t.Errorf("counts %+v, want %v and an error on %q", c, tc.want, tc.field)
			}
			if added := len(m.locations) - before; added != tc.want[0] {
				t.Errorf("%d locations added, want %d", added, tc.want[0])
			}
		})
	}
}

// TestImportAgainAndDryRun: a dry run reports what the run reports and
// writes nothing; importing the same lines again leaves all unchanged.
func TestImportAgainAndDryRun(t *testing.T) {
	s, m := importFixture(t)
	ctx := context.Background()
	lines := []PatientLine{{Line: 2, Patient: Patient{HospitalNumber: "H5", FamilyName: "New"}},
		{Line: 3, Patient: Patient{HospitalNumber: "H1", FamilyName: "Smith", GivenName: "Ann"}},
		{Line: 4, Patient: Patient{HospitalNumber: "H2", FamilyName: "Jones"}}}
	want := [3]int{1, 1, 1}
	for _, run := range []struct {
		name string
		dry  bool
		want [3]int
	}{{"DryRun", true, want}, {"Run", false, want}, {"Again", false, [3]int{0, 0, 3}}} {
		c, err := s.NewImport(librarian, run.dry).Patients(ctx, lines)
		if got := [3]int{c.Accepted, c.Updated, c.Unchanged}; err != nil || got != run.want {
			t.Errorf("%s: counts %+v %v, want %v", run.name, c, err, run.want)
		}
		if run.dry && len(m.patients) != 2 {
			t.Errorf("dry run stored %d patients", len(m.patients))
		}
	}
	if len(m.patients) != 3 {
		t.Errorf("%d patients stored, want 3", len(m.patients))
	}
}
