package main

import (
	"testing"
)

type volumeRecord struct {
	volume
	Original        string
	Due             string
	AmalgamatedInto string `json:"amalgamated_into"`
	StatusHistory   []struct {
		Status, From, Note, By, At string
	} `json:"status_history"`
}

// Missing, found, temporary over HTTP: a status change with its note in
// the history, a scan answered found, a temporary folder linked to the
// missing one, amalgamation and its 422s naming the field, and the scan
// of an amalgamated folder.
func TestMissingFoundTemporaryOverHTTP(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib, porter := s.token("library"), s.token("porter")
		vols, _ := seed(t, s, lib, 2)
		var v volumeRecord
		if st := s.call(lib, "PATCH", "/api/v1/volumes/"+vols[0], `{"status":"missing","note":"Searched WARD7 and theatres"}`, &v); st != 200 ||
			v.Status != "missing" || len(v.StatusHistory) != 1 || v.StatusHistory[0].Note != "Searched WARD7 and theatres" || v.StatusHistory[0].From != "active" {
			t.Fatalf("mark missing: %d %+v", st, v)
		}
		var e apiError
		if st := s.call(lib, "PATCH", "/api/v1/volumes/"+vols[0], `{"status":"amalgamated"}`, &e); st != 422 || e.Error.Field != "status" {
			t.Errorf("PATCH amalgamated: %d %+v", st, e)
		}
		var temp volumeRecord
		if st := s.call(lib, "POST", "/api/v1/patients/H000000/volumes", `{"temporary":true,"original":"`+vols[0]+`"}`, &temp); st != 201 ||
			temp.Status != "temporary" || temp.Original != vols[0] || temp.Due == "" {
			t.Fatalf("temporary folder: %d %+v", st, temp)
		}
		var r struct {
			scanResult
			Found bool
		}
		if st := s.call(porter, "POST", "/api/v1/scans", `{"barcode":"`+vols[0]+`","location":"WARD7"}`, &r); st != 200 || !r.Found || r.Volume.Status != "active" {
			t.Errorf("scan of the missing volume: %d %+v", st, r)
		}
		checkAmalgamation(t, s, lib, porter, temp.Barcode, vols)
		var got volumeRecord
		if st := s.call(lib, "GET", "/api/v1/volumes/"+vols[0], nil, &got); st != 200 || len(got.StatusHistory) != 2 || got.StatusHistory[1].Status != "active" {
			t.Errorf("GET volume after the find: %d %+v", st, got)
		}
	})
}

func checkAmalgamation(t *testing.T, s *testServer, lib, porter, temp string, vols []string) {
	t.Helper()
	path := "/api/v1/volumes/" + temp + "/amalgamate"
	for _, tc := range []struct {
		name, body string
		status     int
		field      string
	}{
		{"ErrIntoItself", `{"into":"` + temp + `"}`, 422, "into"},
		{"ErrAnotherPatient", `{"into":"` + vols[1] + `"}`, 422, "into"},
		{"ErrUnknownInto", `{"into":"V999999990"}`, 422, "into"},
		{"ErrNoInto", `{}`, 422, "into"},
	} {
		var e apiError
		if st := s.call(lib, "POST", path, tc.body, &e); st != tc.status || e.Error.Field != tc.field {
			t.Errorf("%s: %d %+v", tc.name, st, e)
		}
	}
	var e apiError
	if st := s.call(lib, "POST", "/api/v1/volumes/"+vols[0]+"/amalgamate", `{"into":"`+temp+`"}`, &e); st != 422 || e.Error.Field != "barcode" {
		t.Errorf("amalgamate a volume that is not temporary: %d %+v", st, e)
	}
	if st := s.call(porter, "POST", path, `{"into":"`+vols[0]+`"}`, nil); st != 403 {
		t.Errorf("porter amalgamates: %d", st)
	}
	var v volumeRecord
	if st := s.call(lib, "POST", path, `{"into":"`+vols[0]+`"}`, &v); st != 200 || v.Status != "amalgamated" || v.AmalgamatedInto != vols[0] {
		t.Fatalf("amalgamate: %d %+v", st, v)
	}
	var r scanResult
	if st := s.call(porter, "POST", "/api/v1/scans", `{"barcode":"`+temp+`","location":"WARD7"}`, &r); st != 200 || r.Result != "rejected" {
		t.Errorf("scan of the amalgamated folder: %d %+v", st, r)
	}
	if st := s.call(lib, "PATCH", "/api/v1/volumes/"+temp, `{"status":"active"}`, nil); st != 409 {
		t.Errorf("PATCH an amalgamated volume: %d, want 409", st)
	}
}
