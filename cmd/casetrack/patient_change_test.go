package main

import (
	"encoding/json"
	"testing"
)

// patientAnswer is a patient as PATCH and merge answer it, with the death
// date kept raw to see that it is always there.
type patientAnswer struct {
	HospitalNumber string          `json:"hospital_number"`
	NHSNumber      string          `json:"nhs_number"`
	FamilyName     string          `json:"family_name"`
	GivenName      string          `json:"given_name"`
	BirthDate      string          `json:"birth_date"`
	DeathDate      json.RawMessage `json:"death_date"`
	Volumes        []volume
	Relabel        []volume
	Merge          int64
}

func TestPatchPatient(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib, clerk := s.token("library"), s.token("clerk")
		s.call(lib, "POST", "/api/v1/locations", map[string]string{"code": "LIB", "name": "Library", "kind": "library"}, nil)
		s.call(lib, "POST", "/api/v1/patients", map[string]string{"hospital_number": "RX1/2", "family_name": "Smith", "nhs_number": "9434765919"}, nil)
		s.call(lib, "POST", "/api/v1/patients", map[string]string{"hospital_number": "H2", "family_name": "Jones"}, nil)
		tests := []struct {
			name, token, path, body string
			want                    int
			field                   string
		}{
			{"OKNamesAndDates", lib, "/api/v1/patients/rx1%2F2", `{"family_name":"O'Neill","given_name":"Siân","birth_date":"1931-12-24"}`, 200, ""},
			{"OKNullClears", lib, "/api/v1/patients/RX1%2F2", `{"nhs_number":null,"given_name":null}`, 200, ""},
			{"ErrClerk", clerk, "/api/v1/patients/H2", `{"given_name":"Ann"}`, 403, ""},
			{"ErrUnknown", lib, "/api/v1/patients/H9", `{"given_name":"Ann"}`, 404, ""},
			{"ErrHospitalNumber", lib, "/api/v1/patients/H2", `{"hospital_number":"H3"}`, 422, "hospital_number"},
			{"ErrUnknownField", lib, "/api/v1/patients/H2", `{"surname":"X"}`, 422, "surname"},
			{"ErrFamilyNameNull", lib, "/api/v1/patients/H2", `{"family_name":null}`, 422, "family_name"},
			{"ErrBadDate", lib, "/api/v1/patients/H2", `{"death_date":"24/12/2020"}`, 422, "death_date"},
			{"ErrNHSCheckDigit", lib, "/api/v1/patients/H2", `{"nhs_number":"9434765918"}`, 422, "nhs_number"},
			{"ErrNotJSON", lib, "/api/v1/patients/H2", `{"nhs_number":`, 400, ""},
		}
		for _, tc := range tests {
			var e apiError
			if got := s.call(tc.token, "PATCH", tc.path, tc.body, &e); got != tc.want || e.Error.Field != tc.field {
				t.Errorf("%s: %d %+v, want %d on %q", tc.name, got, e, tc.want, tc.field)
			}
		}
		var p patientAnswer
		if st := s.call(lib, "PATCH", "/api/v1/patients/RX1%2F2", `{}`, &p); st != 200 || p.FamilyName != "O'Neill" || p.GivenName != "" ||
			p.NHSNumber != "" || p.BirthDate != "1931-12-24" || string(p.DeathDate) != "null" || len(p.Volumes) != 1 {
			t.Errorf("patient after the changes: %d %+v", st, p)
		}
	})
}

// TestMergeAPI merges H2 (two volumes) into H1 (one): the answer is H1
// with three volumes and the three to relabel; H2 then finds H1, cannot
// be changed (409) or merged again (409), and the merge is listed as open
// until done.
func TestMergeAPI(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib := s.token("library")
		s.call(lib, "POST", "/api/v1/locations", map[string]string{"code": "LIB", "name": "Library", "kind": "library"}, nil)
		for _, hn := range []string{"H1", "H2", "H3"} {
			s.call(lib, "POST", "/api/v1/patients", map[string]string{"hospital_number": hn, "family_name": "Smith"}, nil)
		}
		s.call(lib, "POST", "/api/v1/patients/H2/volumes", nil, nil)
		var m patientAnswer
		if st := s.call(lib, "POST", "/api/v1/patients/h2/merge", map[string]string{"into": "H1"}, &m); st != 200 ||
			m.HospitalNumber != "H1" || len(m.Volumes) != 3 || len(m.Relabel) != 3 || m.Merge == 0 || string(m.DeathDate) != "null" {
			t.Fatalf("merge: %d %+v", st, m)
		}
		var found struct{ Patients []patient }
		if s.call(lib, "GET", "/api/v1/patients?hospital_number=H2", nil, &found); len(found.Patients) != 1 || found.Patients[0].HospitalNumber != "H1" {
			t.Errorf("H2 finds %+v", found)
		}
		checkMergeErrors(t, s, lib)
		checkMergeList(t, s, lib, m.Merge)
	})
}

func checkMergeErrors(t *testing.T, s *testServer, lib string) {
	t.Helper()
	tests := []struct {
		name, method, path string
		body               any
		want               int
		field              string
	}{
		{"ErrChangeMerged", "PATCH", "/api/v1/patients/H2", map[string]string{"given_name": "Ann"}, 409, ""},
		{"ErrMergedAgain", "POST", "/api/v1/patients/H2/merge", map[string]string{"into": "H3"}, 409, ""},
		{"ErrIntoMerged", "POST", "/api/v1/patients/H3/merge", map[string]string{"into": "H2"}, 422, "into"},
		{"ErrIntoItself", "POST", "/api/v1/patients/H3/merge", map[string]string{"into": "h3"}, 422, "into"},
		{"ErrIntoUnknown", "POST", "/api/v1/patients/H3/merge", map[string]string{"into": "H9"}, 422, "into"},
		{"ErrNoInto", "POST", "/api/v1/patients/H3/merge", map[string]string{}, 422, "into"},
		{"ErrUnknownDuplicate", "POST", "/api/v1/patients/H9/merge", map[string]string{"into": "H1"}, 404, ""},
		{"ErrFinishUnknown", "POST", "/api/v1/merges/999/done", nil, 404, ""},
	}
	for _, tc := range tests {
		var e apiError
		if got := s.call(lib, tc.method, tc.path, tc.body, &e); got != tc.want || e.Error.Field != tc.field {
			t.Errorf("%s: %d %+v, want %d on %q", tc.name, got, e, tc.want, tc.field)
		}
	}
}

func checkMergeList(t *testing.T, s *testServer, lib string, id int64) {
	t.Helper()
	var list struct {
		Merges []struct {
			ID        int64
			Duplicate patient
			Survivor  patient
			Relabel   []volume
			Done      bool
		}
	}
	if st := s.call(lib, "GET", "/api/v1/merges", nil, &list); st != 200 || len(list.Merges) != 1 || list.Merges[0].ID != id ||
		list.Merges[0].Duplicate.HospitalNumber != "H2" || len(list.Merges[0].Relabel) != 3 || list.Merges[0].Done {
		t.Fatalf("open merges: %d %+v", st, list)
	}
	if st := s.call(lib, "POST", "/api/v1/merges/"+itoa64(id)+"/done", nil, nil); st != 200 {
		t.Errorf("finish: %d", st)
	}
	if st := s.call(lib, "POST", "/api/v1/merges/"+itoa64(id)+"/done", nil, nil); st != 409 {
		t.Errorf("finish again: %d, want 409", st)
	}
	if s.call(lib, "GET", "/api/v1/merges", nil, &list); len(list.Merges) != 0 {
		t.Errorf("open merges after finishing: %+v", list)
	}
}

func itoa64(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
