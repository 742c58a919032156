package tracking

import (
	"context"
	"testing"
)

func TestCheckFeedIdentity(t *testing.T) {
	born, other := date("1950-02-03"), date("1960-01-01")
	stored := &Patient{ID: 1, HospitalNumber: "H1", NHSNumber: "9434765919", FamilyName: "Smith", BirthDate: &born}
	bare := &Patient{ID: 2, HospitalNumber: "H2", FamilyName: "Jones"}
	tests := []struct {
		name          string
		stored, byNHS *Patient
		change        PatientChange
		field         string
	}{
		{"NewPatient", nil, nil, PatientChange{NHSNumber: SetTo("4010232137")}, ""},
		{"SameIdentity", stored, stored, PatientChange{NHSNumber: SetTo("9434765919"), BirthDate: SetTo(born)}, ""},
		{"NothingSaidOfIdentity", stored, nil, PatientChange{FamilyName: SetTo("Smyth")}, ""},
		{"FirstNHSNumberAndBirthDate", bare, nil, PatientChange{NHSNumber: SetTo("4010232137"), BirthDate: SetTo(born)}, ""},
		{"ErrNHSNumberDiffers", stored, nil, PatientChange{NHSNumber: SetTo("4010232137")}, "nhs_number"},
		{"ErrBirthDateDiffers", stored, stored, PatientChange{BirthDate: SetTo(other)}, "birth_date"},
		{"ErrNHSNumberOfAnother", bare, stored, PatientChange{NHSNumber: SetTo("9434765919")}, "nhs_number"},
		{"ErrNewWithNHSNumberOfAnother", nil, stored, PatientChange{NHSNumber: SetTo("9434765919")}, "nhs_number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkFeedIdentity(tc.stored, tc.byNHS, tc.change)
			var e *Error
			if tc.field == "" && err != nil || tc.field != "" && (!asError(err, &e) || e.Field != tc.field || e.Code != ECONFLICT) {
				t.Errorf("error %v, want one on %q", err, tc.field)
			}
		})
	}
}

func feedMessage(control string) *FeedMessage {
	return &FeedMessage{Sender: "PAS", Facility: "RX1", ControlID: control, Type: "ADT^A08", Status: "AA", Raw: "MSH|...\x00"}
}

// TestApplyFeedPatient creates a patient, updates it, answers a resend
// without applying it again, and refuses (keeping nothing changed) a
// message whose date of birth conflicts.
func TestApplyFeedPatient(t *testing.T) {
	s, m := newPatientFixture(t)
	ctx := context.Background()
	born := date("1950-02-03")
	create := PatientChange{NHSNumber: SetTo("9434765919"), FamilyName: SetTo("O'Neill"), GivenName: SetTo("Siobhan"), BirthDate: SetTo(born)}
	if err := s.ApplyFeedPatient(ctx, feedMessage("M1"), "RX1", create); err != nil {
		t.Fatal(err)
	}
	rename := PatientChange{FamilyName: SetTo("Smith-O'Neill")}
	for _, control := range []string{"M2", "M2"} {
		if err := s.ApplyFeedPatient(ctx, feedMessage(control), "RX1", rename); err != nil {
			t.Fatal(err)
		}
	}
	refused := feedMessage("M3")
	err := s.ApplyFeedPatient(ctx, refused, "RX1", PatientChange{FamilyName: SetTo("Jones"), BirthDate: SetTo(date("1960-01-01"))})
	if ErrorCode(err) != ECONFLICT || refused.PatientID != 1 {
		t.Fatalf("conflicting birth date: %v, patient %d", err, refused.PatientID)
	}
	p, _ := m.FindPatientByHospitalNumber(ctx, "RX1")
	if p.FamilyName != "Smith-O'Neill" || p.GivenName != "Siobhan" || p.BirthDate == nil || len(p.Volumes) != 0 {
		t.Errorf("patient %+v", p)
	}
	ms, _ := s.FindFeedMessages(ctx, librarian, FeedFilter{})
	if len(ms) != 3 || ms[0].Applied || ms[0].RepeatOf != 2 || !ms[1].Applied || ms[0].Raw != "MSH|...\u2400" {
		t.Errorf("feed messages %+v", ms)
	}
}

// TestApplyFeedMerge: an A40 whose duplicate casetrack does not hold, or
// holds merged into the survivor already, only updates the survivor; one
// whose records disagree on the date of birth changes nothing.
func TestApplyFeedMerge(t *testing.T) {
	born := date("1950-02-03")
	s, m := newPatientFixture(t, &Patient{HospitalNumber: "H2", FamilyName: "Smith", BirthDate: &born})
	ctx := context.Background()
	survivor := PatientChange{FamilyName: SetTo("Smith")}
	tests := []struct {
		name, control, survivor, dup string
		change                       PatientChange
		code                         string
	}{
		{"SurvivorCreated", "A1", "H1", "H2", survivor, ""},
		{"AlreadyMerged", "A2", "H1", "H2", survivor, ""},
		{"DuplicateUnknown", "A3", "H1", "H7", PatientChange{GivenName: SetTo("Ann")}, ""},
		{"ErrIntoItself", "A4", "H1", "H1", survivor, EINVALID},
	}
	for _, tc := range tests {
		if err := s.ApplyFeedMerge(ctx, feedMessage(tc.control), tc.survivor, tc.change, tc.dup); ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
		}
	}
	p, _ := m.FindPatientByHospitalNumber(ctx, "H2")
	if p.HospitalNumber != "H1" || p.GivenName != "Ann" || len(p.Volumes) != 1 || p.Volumes[0].Number != 1 {
		t.Errorf("H2 finds %+v", p)
	}
	if err := s.CreatePatient(ctx, librarian, &Patient{HospitalNumber: "H3", FamilyName: "Smith", BirthDate: &born}, ""); err != nil {
		t.Fatal(err)
	}
	other := date("1970-01-01")
	err := s.ApplyFeedMerge(ctx, feedMessage("A5"), "H4", PatientChange{FamilyName: SetTo("Smith"), BirthDate: SetTo(other)}, "H3")
	if ErrorCode(err) != ECONFLICT {
		t.Errorf("merge of records with different birth dates: %v", err)
	}
	if _, err := m.FindPatientByHospitalNumber(ctx, "H4"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("a refused A40 created its survivor: %v", err)
	}
}

// TestLocationCacheSeesChanges: a location changed by another instance or
// an import is seen within locationCheckEvery, not after the cache's TTL.
func TestLocationCacheSeesChanges(t *testing.T) {
	s, m := newPatientFixture(t)
	ctx := context.Background()
	if l, err := s.FindLocation(ctx, "LIB"); err != nil || l.Name != "Library" {
		t.Fatal(l, err)
	}
	m.mu.Lock()
	m.locations[0] = &Location{ID: 1, Code: "LIB", Name: "Records Library", Kind: KindLibrary}
	m.locationGeneration++
	m.mu.Unlock()
	s.locations.checked = s.locations.checked.Add(-locationCheckEvery)
	if l, err := s.FindLocation(ctx, "LIB"); err != nil || l.Name != "Records Library" {
		t.Errorf("after a change elsewhere: %+v %v", l, err)
	}
}
