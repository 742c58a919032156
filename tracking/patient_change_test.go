package tracking

import (
	"context"
	"slices"
	"testing"
)

var librarian = Actor{Name: "lib", Role: RoleLibrary}

// newPatientFixture is a service over a memStore with a library and the
// patients given (each with volume 1).
func newPatientFixture(t *testing.T, ps ...*Patient) (*Service, *memStore) {
	t.Helper()
	s, m := newTestService()
	ctx := context.Background()
	if err := s.CreateLocation(ctx, &Location{Code: "LIB", Name: "Library", Kind: KindLibrary}); err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if err := s.CreatePatient(ctx, librarian, p, ""); err != nil {
			t.Fatal(err)
		}
	}
	return s, m
}

func date(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestUpdatePatient(t *testing.T) {
	born := date("1931-12-24")
	tests := []struct {
		name   string
		hn     string
		change PatientChange
		want   func(*Patient) bool
		code   string
		field  string
	}{
		{"SetsNames", "h1", PatientChange{FamilyName: SetTo("O'Neill"), GivenName: SetTo(" Siân ")},
			func(p *Patient) bool {
				return p.FamilyName == "O'Neill" && p.GivenName == "Siân" && p.NHSNumber == "9434765919"
			}, "", ""},
		{"ClearsNHSNumberAndDate", "H1", PatientChange{NHSNumber: Cleared[string](), BirthDate: Cleared[Date]()},
			func(p *Patient) bool { return p.NHSNumber == "" && p.BirthDate == nil }, "", ""},
		{"SetsNHSNumberWithSpaces", "H2", PatientChange{NHSNumber: SetTo("401 023 2137")},
			func(p *Patient) bool { return p.NHSNumber == "4010232137" }, "", ""},
		{"SetsDeathDate", "H1", PatientChange{DeathDate: SetTo(date("2020-01-02"))},
			func(p *Patient) bool { return p.DeathDate != nil && p.DeathDate.String() == "2020-01-02" }, "", ""},
		{"ErrClearFamilyName", "H1", PatientChange{FamilyName: Cleared[string]()}, nil, EINVALID, "family_name"},
		{"ErrBlankFamilyName", "H1", PatientChange{FamilyName: SetTo("  ")}, nil, EINVALID, "family_name"},
		{"ErrNHSCheckDigit", "H1", PatientChange{NHSNumber: SetTo("9434765918")}, nil, EINVALID, "nhs_number"},
		{"ErrDeathBeforeBirth", "H1", PatientChange{DeathDate: SetTo(date("1900-01-01"))}, nil, EINVALID, "death_date"},
		{"ErrNHSNumberOfAnother", "H2", PatientChange{NHSNumber: SetTo("9434765919")}, nil, ECONFLICT, ""},
		{"ErrUnknown", "H9", PatientChange{}, nil, ENOTFOUND, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, m := newPatientFixture(t, &Patient{HospitalNumber: "H1", NHSNumber: "9434765919", FamilyName: "Smith", BirthDate: &born},
				&Patient{HospitalNumber: "H2", FamilyName: "Jones"})
			p, err := s.UpdatePatient(context.Background(), librarian, tc.hn, tc.change)
			if ErrorCode(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			if err != nil {
				if e := err.(*Error); e.Field != tc.field {
					t.Errorf("field %q, want %q", e.Field, tc.field)
				}
				return
			}
			if !tc.want(p) || len(p.Volumes) != 1 {
				t.Errorf("patient %+v", p)
			}
			stored, _ := m.FindPatientByHospitalNumber(context.Background(), p.HospitalNumber)
			if !tc.want(stored) {
				t.Errorf("stored %+v", stored)
			}
			if last := m.access[len(m.access)-1]; last.Action != "update_patient" || last.PatientID != p.ID || last.Actor != "lib" {
				t.Errorf("access log ends with %+v", last)
			}
		})
	}
}

func TestUpdatePatientMerged(t *testing.T) {
	s, _ := newPatientFixture(t, &Patient{HospitalNumber: "H1", FamilyName: "Smith"}, &Patient{HospitalNumber: "H2", FamilyName: "Smith"})
	ctx := context.Background()
	if _, err := s.MergePatient(ctx, librarian, "H2", "H1", MergeByAPI); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdatePatient(ctx, librarian, "H2", PatientChange{GivenName: SetTo("Ann")}); ErrorCode(err) != ECONFLICT {
		t.Errorf("update of a merged record: %v, want conflict", err)
	}
}

func TestPatientDifferences(t *testing.T) {
	a, b := date("1950-01-01"), date("1950-01-01")
	p := &Patient{NHSNumber: "1", FamilyName: "A", GivenName: "B", BirthDate: &a}
	tests := []struct {
		name string
		q    Patient
		want []string
	}{
		{"Same", Patient{NHSNumber: "1", FamilyName: "A", GivenName: "B", BirthDate: &b}, nil},
		{"AllDiffer", Patient{NHSNumber: "2", FamilyName: "X", GivenName: "Y", DeathDate: &a},
			[]string{"nhs_number", "family_name", "given_name", "birth_date", "death_date"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := patientDifferences(p, &tc.q); !slices.Equal(got, tc.want) {
				t.Errorf("differences %v, want %v", got, tc.want)
			}
		})
	}
}
