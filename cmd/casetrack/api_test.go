package main

import (
	"net/http"
	"strings"
	"testing"
)

type location struct {
	ID                        int64
	Code, Name, Kind, Barcode string
}

type volume struct {
	Barcode      string
	VolumeNumber int `json:"volume_number"`
	Status       string
	Current      *location `json:"current_location"`
	Patient      *patient
	Since        string
}

type patient struct {
	HospitalNumber string `json:"hospital_number"`
	NHSNumber      string `json:"nhs_number"`
	FamilyName     string `json:"family_name"`
	Volumes        []volume
}

func TestHealthAndAuth(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		porter := s.token("porter")
		tests := []struct {
			name, token, method, path string
			body                      any
			want                      int
		}{
			{"HealthOpen", "", "GET", "/healthz", nil, 200},
			{"ErrNoToken", "", "GET", "/api/v1/locations/LIB", nil, 401},
			{"ErrBadToken", "ct_nope", "GET", "/api/v1/locations/LIB", nil, 401},
			{"ErrPorterCreatesLocation", porter, "POST", "/api/v1/locations", map[string]string{"code": "X", "name": "X", "kind": "ward"}, 403},
			{"ErrPorterCreatesPatient", porter, "POST", "/api/v1/patients", map[string]string{"hospital_number": "H1", "family_name": "X"}, 403},
			{"ErrUnknownLocation", porter, "GET", "/api/v1/locations/NOWHERE", nil, 404},
			{"ErrUnknownRoute", porter, "GET", "/api/v1/nothing", nil, 404},
		}
		for _, tc := range tests {
			var e apiError
			if got := s.call(tc.token, tc.method, tc.path, tc.body, &e); got != tc.want {
				t.Errorf("%s: status %d, want %d", tc.name, got, tc.want)
			}
			if tc.want >= 400 && (e.Error.Code == "" || e.Error.Message == "") {
				t.Errorf("%s: error body %+v lacks code or message", tc.name, e)
			}
		}
	})
}

func TestLocationsPatientsVolumes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib := s.token("library")
		var l location
		if st := s.call(lib, "POST", "/api/v1/locations", map[string]string{"code": "lib", "name": "Records Library", "kind": "library"}, &l); st != 201 {
			t.Fatalf("create location: %d", st)
		}
		if l.Code != "LIB" || l.Barcode == "" || l.ID == 0 {
			t.Errorf("location = %+v", l)
		}
		s.call(lib, "POST", "/api/v1/locations", map[string]string{"code": "WARD7", "name": "Ward 7", "kind": "ward"}, nil)
		if st := s.call(lib, "POST", "/api/v1/locations", map[string]string{"code": "LIB", "name": "Again", "kind": "library"}, nil); st != 409 {
			t.Errorf("duplicate location: %d, want 409", st)
		}
		var byBarcode location
		if st := s.call(lib, "GET", "/api/v1/locations/"+l.Barcode, nil, &byBarcode); st != 200 || byBarcode.Code != "LIB" {
			t.Errorf("location by barcode: %d %+v", st, byBarcode)
		}
		var p patient
		st := s.call(lib, "POST", "/api/v1/patients", map[string]string{"hospital_number": "H607458", "nhs_number": "943 476 5919",
			"family_name": "Smith", "given_name": "Zoë", "birth_date": "1931-12-24"}, &p)
		if st != 201 || len(p.Volumes) != 1 || p.Volumes[0].Current.Code != "LIB" || p.NHSNumber != "9434765919" {
			t.Fatalf("create patient: %d %+v", st, p)
		}
		checkPatientErrors(t, s, lib)
		checkPatientSearch(t, s, lib)
		var v volume
		if st := s.call(lib, "POST", "/api/v1/patients/H607458/volumes", nil, &v); st != 201 || v.VolumeNumber != 2 {
			t.Errorf("add volume: %d %+v", st, v)
		}
		var got volume
		if st := s.call(lib, "GET", "/api/v1/volumes/"+strings.ToLower(v.Barcode), nil, &got); st != 200 || got.Patient.FamilyName != "Smith" || got.Current.Code != "LIB" {
			t.Errorf("get volume: %d %+v", st, got)
		}
		var at struct{ Volumes []volume }
		if st := s.call(lib, "GET", "/api/v1/locations/LIB/volumes", nil, &at); st != 200 || len(at.Volumes) != 2 {
			t.Errorf("volumes at LIB: %d %+v", st, at)
		}
	})
}

func checkPatientErrors(t *testing.T, s *testServer, token string) {
	t.Helper()
	tests := []struct {
		name  string
		body  any
		want  int
		field string
	}{
		{"ErrNHSCheckDigit", map[string]string{"hospital_number": "H2", "nhs_number": "9434765918", "family_name": "X"}, 422, "nhs_number"},
		{"ErrNHSLetters", map[string]string{"hospital_number": "H2", "nhs_number": "94347659AB", "family_name": "X"}, 422, "nhs_number"},
		{"ErrNHSShort", map[string]string{"hospital_number": "H2", "nhs_number": "943476591", "family_name": "X"}, 422, "nhs_number"},
		{"ErrDuplicateHospitalNumber", map[string]string{"hospital_number": "h607458", "family_name": "X"}, 409, ""},
		{"ErrDuplicateNHSNumber", map[string]string{"hospital_number": "H3", "nhs_number": "9434765919", "family_name": "X"}, 409, ""},
		{"ErrNoFamilyName", map[string]string{"hospital_number": "H4"}, 422, "family_name"},
		{"ErrBadBirthDate", map[string]string{"hospital_number": "H5", "family_name": "X", "birth_date": "24/12/1931"}, 422, "birth_date"},
		{"ErrFutureBirthDate", map[string]string{"hospital_number": "H5", "family_name": "X", "birth_date": "2999-01-01"}, 422, "birth_date"},
		{"ErrUnknownHome", map[string]string{"hospital_number": "H6", "family_name": "X", "home": "NOWHERE"}, 422, "home"},
		{"ErrMalformedJSON", `{"hospital_number": `, 400, ""},
		{"ErrWrongType", `{"hospital_number": 5}`, 400, ""},
		{"ErrTooLarge", `{"family_name":"` + strings.Repeat("x", 2<<20) + `"}`, 413, ""},
	}
	for _, tc := range tests {
		var e apiError
		if got := s.call(token, "POST", "/api/v1/patients", tc.body, &e); got != tc.want || e.Error.Field != tc.field {
			t.Errorf("%s: %d field %q (%s), want %d field %q", tc.name, got, e.Error.Field, e.Error.Message, tc.want, tc.field)
		}
	}
}

func checkPatientSearch(t *testing.T, s *testServer, token string) {
	t.Helper()
	for _, q := range []string{"nhs_number=943-476-5919", "nhs_number=943%20476%205919", "hospital_number=h607458", "q=SMI", "q=zo%C3%AB", "q=ZOE", "q=607"} {
		var res struct{ Patients []patient }
		if st := s.call(token, "GET", "/api/v1/patients?"+q, nil, &res); st != http.StatusOK || len(res.Patients) != 1 ||
			len(res.Patients[0].Volumes) == 0 || res.Patients[0].Volumes[0].Current == nil {
			t.Errorf("search %s: %d %+v", q, st, res)
		}
	}
	var e apiError
	if st := s.call(token, "GET", "/api/v1/patients?nhs_number=123", nil, &e); st != 422 {
		t.Errorf("search bad NHS number: %d", st)
	}
}

func TestUpdateVolumeStatus(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib := s.token("library")
		vols, _ := seed(t, s, lib, 1)
		path := "/api/v1/volumes/" + vols[0]
		var v volume
		if st := s.call(lib, "PATCH", path, `{"status":"missing"}`, &v); st != 200 || v.Status != "missing" {
			t.Errorf("mark missing: %d %+v", st, v)
		}
		if st := s.call(lib, "PATCH", path, `{"status":"lost"}`, nil); st != 422 {
			t.Errorf("unknown status: %d, want 422", st)
		}
		if st := s.call(s.token("porter"), "PATCH", path, `{"status":"active"}`, nil); st != 403 {
			t.Errorf("porter update: %d, want 403", st)
		}
		s.call(lib, "PATCH", path, `{"status":"destroyed"}`, nil)
		if st := s.call(lib, "PATCH", path, `{"status":"active"}`, nil); st != 409 {
			t.Errorf("revive destroyed: %d, want 409", st)
		}
		var r scanResult
		s.call(lib, "POST", "/api/v1/scans", `{"barcode":"`+vols[0]+`","location":"WARD7"}`, &r)
		if r.Result != "rejected" {
			t.Errorf("scan of destroyed volume: %+v", r)
		}
	})
}

func TestLegacyBarcodes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib := s.token("library")
		seed(t, s, lib, 0)
		var p patient
		if st := s.call(lib, "POST", "/api/v1/patients", `{"hospital_number":"H9","family_name":"Old","legacy_barcode":"rx-00042/a"}`, &p); st != 201 {
			t.Fatalf("patient with legacy barcode: %d", st)
		}
		var l location
		if st := s.call(lib, "POST", "/api/v1/locations", `{"code":"SHELF-9","name":"Shelf 9","kind":"library","legacy_barcode":"SH9"}`, &l); st != 201 {
			t.Fatalf("location with legacy barcode: %d", st)
		}
		var v volume
		if st := s.call(lib, "POST", "/api/v1/patients/H9/volumes", `{"legacy_barcode":"RX-00042/B","home":"SHELF-9"}`, &v); st != 201 || v.Current.Code != "SHELF-9" {
			t.Fatalf("second legacy volume: %d %+v", st, v)
		}
		var r scanResult
		s.call(lib, "POST", "/api/v1/scans", `{"barcode":"SH9","device":"d1"}`, &r)
		s.call(lib, "POST", "/api/v1/scans", `{"barcode":"rx-00042/a\r\n","device":"d1"}`, &r)
		if r.Result != "moved" || r.Volume.Barcode != p.Volumes[0].Barcode || r.Location.Code != "SHELF-9" {
			t.Errorf("scan of legacy barcodes: %+v", r)
		}
		for name, body := range map[string]string{
			"ErrDuplicate":     `{"legacy_barcode":"rx-00042/a"}`,
			"ErrOurShape":      `{"legacy_barcode":"` + p.Volumes[0].Barcode + `"}`,
			"ErrSpaces":        `{"legacy_barcode":"rx 42"}`,
			"ErrNHSNumberLike": `{"legacy_barcode":"9434765919"}`,
		} {
			want := 422
			if name == "ErrDuplicate" {
				want = 409
			}
			if st := s.call(lib, "POST", "/api/v1/patients/H9/volumes", body, nil); st != want {
				t.Errorf("%s: %d, want %d", name, st, want)
			}
		}
	})
}

func TestLegacyBarcodesMeanOneThing(t *testing.T) {
	s := startServer(t, "sqlite")
	lib := s.token("library")
	seed(t, s, lib, 0)
	if st := s.call(lib, "POST", "/api/v1/patients", `{"hospital_number":"LEG1","family_name":"Legacy","legacy_barcode":"WARD7"}`, nil); st != 422 {
		t.Errorf("volume legacy barcode equal to a location code: %d, want 422", st)
	}
	s.call(lib, "POST", "/api/v1/patients", `{"hospital_number":"LEG2","family_name":"Legacy","legacy_barcode":"OLD/1"}`, nil)
	if st := s.call(lib, "POST", "/api/v1/locations", `{"code":"RV-9","name":"x","kind":"ward","legacy_barcode":"OLD/1"}`, nil); st != 409 {
		t.Errorf("location legacy barcode equal to a volume's: %d, want 409", st)
	}
}
