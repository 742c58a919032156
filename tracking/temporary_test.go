package tracking

import (
	"context"
	"strings"
	"testing"
	"time"
)

// CheckAmalgamation: only a temporary folder goes, into another volume of
// the same patient that is still a real folder.
func TestCheckAmalgamation(t *testing.T) {
	t.Parallel()
	temp := &Volume{ID: 1, PatientID: 7, Barcode: "T", Status: StatusTemporary}
	tests := []struct {
		name  string
		from  *Volume
		into  *Volume
		field string
	}{
		{"OK", temp, &Volume{ID: 2, PatientID: 7, Status: StatusActive}, ""},
		{"IntoMissingOriginal", temp, &Volume{ID: 2, PatientID: 7, Status: StatusMissing}, ""},
		{"ErrNotTemporary", &Volume{ID: 3, PatientID: 7, Status: StatusActive}, &Volume{ID: 2, PatientID: 7, Status: StatusActive}, "barcode"},
		{"ErrIntoItself", temp, temp, "into"},
		{"ErrAnotherPatient", temp, &Volume{ID: 2, PatientID: 8, Status: StatusActive}, "into"},
		{"ErrIntoTemporary", temp, &Volume{ID: 2, PatientID: 7, Status: StatusTemporary}, "into"},
		{"ErrIntoAmalgamated", temp, &Volume{ID: 2, PatientID: 7, Status: StatusAmalgamated}, "into"},
		{"ErrIntoDestroyed", temp, &Volume{ID: 2, PatientID: 7, Status: StatusDestroyed}, "into"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckAmalgamation(tc.from, tc.into)
			e, _ := err.(*Error)
			if (err == nil) != (tc.field == "") || e != nil && (e.Code != EINVALID || e.Field != tc.field) {
				t.Errorf("err = %v, want a 422 on %q", err, tc.field)
			}
		})
	}
}

// The path of a missing set of notes: marked missing, a temporary folder
// made for it (labelled TEMPORARY, linked, due in four weeks), the
// original found, the temporary folder amalgamated into it; a scan of the
// temporary folder then names the volume it went into and moves nothing.
func TestMissingThroughTemporaryToAmalgamation(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	orig := f.vol.Barcode
	if _, err := f.s.AddVolume(ctx, records, "H1", VolumeInput{Temporary: true, Original: orig}); ErrorCode(err) != EINVALID {
		t.Errorf("temporary folder for a volume not missing: %v, want 422", err)
	}
	mustStatus(t, f.s, orig, StatusMissing)
	temp, err := f.s.AddVolume(ctx, records, "H1", VolumeInput{Temporary: true, Original: strings.ToLower(orig)})
	if err != nil {
		t.Fatal(err)
	}
	if temp.Status != StatusTemporary || temp.Original != orig || temp.Due.String() != "2026-12-20" || !VolumeLabel(temp, false).Temporary {
		t.Errorf("temporary folder: %+v", temp)
	}
	f.scan(t, "found", orig, "LIB")
	if _, err := f.s.Amalgamate(ctx, records, temp.Barcode, temp.Barcode); ErrorCode(err) != EINVALID {
		t.Errorf("amalgamate into itself: %v", err)
	}
	if _, err := f.s.Amalgamate(ctx, records, temp.Barcode, "V999999999"); ErrorCode(err) != EINVALID {
		t.Errorf("amalgamate into an unknown volume: %v, want 422", err)
	}
	v, err := f.s.Amalgamate(ctx, records, temp.Barcode, orig)
	if err != nil || v.Status != StatusAmalgamated || v.AmalgamatedInto != orig {
		t.Fatalf("amalgamate: %+v, %v", v, err)
	}
	got := f.scan(t, "late-temp", temp.Barcode, "WARD7")
	if got.Result != ResultRejected || !strings.Contains(got.Message, orig) || got.Volume.AmalgamatedInto != orig {
		t.Errorf("scan of the amalgamated folder: %+v", got)
	}
	if _, err := f.s.UpdateVolume(ctx, records, temp.Barcode, VolumeUpdate{Status: statusPtr(StatusActive)}); ErrorCode(err) != ECONFLICT {
		t.Errorf("PATCH an amalgamated volume: %v, want 409", err)
	}
}

func TestTemporaryFolderInputs(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	mustStatus(t, f.s, f.vol.Barcode, StatusMissing)
	other := f.twoVol.Volumes[0].Barcode
	tests := []struct {
		name  string
		in    VolumeInput
		field string
	}{
		{"ErrOriginalOfAnotherPatient", VolumeInput{Temporary: true, Original: other}, "original"},
		{"ErrDueInThePast", VolumeInput{Temporary: true, Due: "2026-11-21"}, "due"},
		{"ErrDueNotADate", VolumeInput{Temporary: true, Due: "next week"}, "due"},
		{"ErrOriginalWithoutTemporary", VolumeInput{Original: f.vol.Barcode}, "temporary"},
		{"DueGiven", VolumeInput{Temporary: true, Due: "2026-11-30"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := f.s.AddVolume(ctx, records, "H1", tc.in)
			if e, _ := err.(*Error); (err == nil) != (tc.field == "") || e != nil && e.Field != tc.field {
				t.Fatalf("err = %v, want field %q", err, tc.field)
			}
			if err == nil && v.Due.String() != tc.in.Due {
				t.Errorf("due %s, want %s", v.Due, tc.in.Due)
			}
		})
	}
}

// A temporary folder past its due day heads the exceptions list (SAFETY
// H12: a temporary folder is never merged back).
func TestTemporaryPastDueIsListed(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	if _, err := f.s.AddVolume(ctx, records, "H1", VolumeInput{Temporary: true, Due: "2026-11-25"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		days    int
		pastDue bool
	}{{"OnTheDay", 3, false}, {"DayAfter", 4, true}} {
		f.s.Now = func() time.Time { return at(tc.days * 24 * 60) }
		list, err := f.s.Temporaries(ctx, records)
		if err != nil || len(list) != 1 || list[0].PastDue != tc.pastDue {
			t.Errorf("%s: %+v, %v", tc.name, list, err)
		}
	}
}

func mustStatus(t *testing.T, s *Service, barcode string, st VolumeStatus) {
	t.Helper()
	if _, err := s.UpdateVolume(context.Background(), records, barcode, VolumeUpdate{Status: &st, Note: "searched"}); err != nil {
		t.Fatal(err)
	}
}

// scan books a barcode to a location now and returns the answer.
func (f *scanFixture) scan(t *testing.T, id, barcode, location string) ScanResult {
	t.Helper()
	rec, err := f.s.RecordScan(context.Background(), porter, Scan{ScanID: id, Barcode: barcode, Location: location})
	if err != nil {
		t.Fatalf("scan %s: %v", barcode, err)
	}
	return answer(t, rec.Response)
}
