package db_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/scanner"
	"github.com/casetrack/casetrack/tracking"
)

// searchPatients are the people of the name search tests, by hospital number.
var searchPatients = []tracking.Patient{
	{HospitalNumber: "RX1/001", FamilyName: "Smith", GivenName: "Dafydd"},
	{HospitalNumber: "RX1/002", FamilyName: "SMITH", GivenName: "Dafydd"},
	{HospitalNumber: "RX1/003", FamilyName: "Smith", GivenName: "David"},
	{HospitalNumber: "RX1/004", FamilyName: "Smithson", GivenName: "Dafydd"},
	{HospitalNumber: "RX1/005", FamilyName: "Goldsmith", GivenName: "Anne"},
	{HospitalNumber: "RX1/006", FamilyName: "Ó'Brien", GivenName: "Zoë"},
	{HospitalNumber: "RX1/007", FamilyName: "Jones", GivenName: "Mary Ann"},
}

func newSearchService(t *testing.T, dialect string) (*tracking.Service, *db.DB) {
	t.Helper()
	d := dbtest.Open(t, dialect)
	svc := tracking.NewService(d, scanner.Parse)
	mustLocation(t, svc, "LIB", tracking.KindLibrary)
	for _, p := range searchPatients {
		if err := svc.CreatePatient(context.Background(), porter, &p, ""); err != nil {
			t.Fatalf("create %s: %v", p.HospitalNumber, err)
		}
	}
	return svc, d
}

func hospitalNumbers(ps []*tracking.Patient) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = strings.TrimPrefix(p.HospitalNumber, "RX1/")
	}
	return out
}

func TestSearchPatientsByName(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		svc, _ := newSearchService(t, dialect)
		tests := []struct {
			name, q string
			want    []string
		}{
			{"FamilyCommaGivenExactFirst", "Smith, Dafydd", []string{"001", "002"}},
			{"GivenFamily", "dafydd smith", []string{"001", "002"}},
			{"FamilyAndInitial", "smith d", []string{"001", "002", "003"}},
			{"FamilyCommaInitialAnyCase", "SMITH, d", []string{"001", "002", "003"}},
			{"FamilyFirstThenParts", "smith", []string{"001", "002", "003", "005", "004"}},
			{"ShortPartAnywhere", "mi", []string{"005", "001", "002", "003", "004"}},
			{"AccentsFolded", "zoe", []string{"006"}},
			{"ApostropheFamily", "o'brien", []string{"006"}},
			{"GivenOfTwoWords", "Mary Ann Jones", []string{"007"}},
			{"GivenPrefixOfTwoWords", "mary jones", []string{"007"}},
			{"HospitalNumberPart", "x1/005", []string{"005"}},
			{"ShortHospitalNumberPart", "/0", []string{"005", "007", "006", "001", "002", "003", "004"}},
			{"LikeWildcardsAreText", "100%", nil},
			{"QuotesAreText", `smi"th`, nil},
			{"NoSuchName", "Dafydd Jones", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r, err := svc.SearchPatients(context.Background(), porter, tracking.PatientFilter{Query: tt.q})
				if err != nil {
					t.Fatal(err)
				}
				if got := hospitalNumbers(r.Patients); !slices.Equal(got, tt.want) {
					t.Errorf("search %q = %v, want %v", tt.q, got, tt.want)
				}
				if r.Total != len(tt.want) || r.More() {
					t.Errorf("search %q: total %d, want %d", tt.q, r.Total, len(tt.want))
				}
			})
		}
	})
}

// A search stopped by its limit counts every match, and flags the
// patients who share a name with someone else.
func TestSearchPatientsCountsAndFlags(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		svc, _ := newSearchService(t, dialect)
		r, err := svc.SearchPatients(context.Background(), porter, tracking.PatientFilter{Query: "smith", Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if got := hospitalNumbers(r.Patients); !slices.Equal(got, []string{"001", "002"}) || r.Total != 5 || !r.More() {
			t.Errorf("first 2 of %q = %v of %d, want [001 002] of 5", "smith", got, r.Total)
		}
		for _, p := range r.Patients {
			if !r.SameName[p.ID] {
				t.Errorf("%s shares a name with another patient, not flagged", p.HospitalNumber)
			}
		}
		r, err = svc.SearchPatients(context.Background(), porter, tracking.PatientFilter{Query: "smith d", Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(r.SameName); r.Total != 3 || n != 2 {
			t.Errorf("%q: total %d with %d flagged, want 3 with 2 (David Smith has no namesake)", "smith d", r.Total, n)
		}
	})
}

// The search index follows a patient whose name changes, however it is
// written.
func TestSearchPatientsAfterRename(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		svc, d := newSearchService(t, dialect)
		err := d.Gorm().Exec("UPDATE patients SET family_name = ?, family_fold = ? WHERE hospital_number = ?",
			"Goldberg", "goldberg", "RX1/005").Error
		if err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string][]string{"goldsmith": nil, "goldberg": {"005"}, "oldber": {"005"}} {
			r, err := svc.SearchPatients(context.Background(), porter, tracking.PatientFilter{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			if got := hospitalNumbers(r.Patients); !slices.Equal(got, want) {
				t.Errorf("after the rename, %q finds %v, want %v", q, got, want)
			}
		}
	})
}

// Namesakes are equal family and given names, in any case and with or
// without accents; a prefix is not enough.
func TestFindPatientsNamed(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		_, d := newSearchService(t, dialect)
		for _, tt := range []struct {
			family, given string
			want          []string
		}{
			{"smith", "DAFYDD", []string{"001", "002"}},
			{"O'BRIEN", "zoe", []string{"006"}},
			{"Smith", "D", nil},
		} {
			ps, err := d.FindPatientsNamed(context.Background(), tt.family, tt.given, 20)
			if err != nil {
				t.Fatal(err)
			}
			if got := hospitalNumbers(ps); !slices.Equal(got, tt.want) {
				t.Errorf("FindPatientsNamed(%q, %q) = %v, want %v", tt.family, tt.given, got, tt.want)
			}
		}
	})
}
