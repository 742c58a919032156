package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// registration is a valid form for a new patient.
func registration(csrf string, changes ...string) url.Values {
	f := url.Values{"csrf": {csrf}, "hospital_number": {"h200001"}, "nhs_number": {"943 476 5919"},
		"family_name": {"Llewellyn"}, "given_name": {"Siân"}, "birth_day": {"24"}, "birth_month": {"12"},
		"birth_year": {"1931"}, "home": {"LIB"}}
	for i := 0; i+1 < len(changes); i += 2 {
		f.Set(changes[i], changes[i+1])
	}
	return f
}

func TestRegisterPage(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 3)
	c := browserClient(t)
	csrf := login(t, c, ps.URL, "library")
	tests := []struct {
		name   string
		form   url.Values
		status int
		want   []string
	}{
		{"ErrNoFamilyName", registration(csrf, "family_name", ""), http.StatusUnprocessableEntity,
			[]string{"Family name is required", `value="h200001"`, `href="#family_name"`}},
		{"ErrNoSuchDay", registration(csrf, "birth_day", "30", "birth_month", "2"), http.StatusUnprocessableEntity,
			[]string{"February 1931 has no day 30", `value="Siân"`}},
		{"ErrNHSCheckDigit", registration(csrf, "nhs_number", "943 476 5918"), http.StatusUnprocessableEntity,
			[]string{"fails its check digit"}},
		{"ErrHospitalNumberTaken", registration(csrf, "hospital_number", "H100100"), http.StatusUnprocessableEntity,
			[]string{"H100100 is already registered"}},
		{"NamesakesFirst", registration(csrf, "family_name", "smith", "given_name", "ZOE"), http.StatusOK,
			[]string{"1 patient already called SMITH, ZOE", "H100100", "this is a different person"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := postForm(t, c, ps.URL+"/register", tt.form)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
	if ps.patient(t, "H200001") != nil {
		t.Fatalf("a refused form registered the patient")
	}
	res, _ := postForm(t, c, ps.URL+"/register", registration(csrf))
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/labels?added=V") {
		t.Fatalf("register = %d to %q, want 303 to the labels with the new volume", res.StatusCode, loc)
	}
	if p := ps.patient(t, "H200001"); p == nil || p.BirthDate.String() != "1931-12-24" || len(p.Volumes) != 1 {
		t.Errorf("registered patient = %+v, want born 1931-12-24 with volume 1", p)
	}
}

var checkedName = regexp.MustCompile(`name="checked_name" value="([^"]*)"`)

// A patient whose name another has is registered once the person says
// they checked; changing the name after the warning asks again.
func TestRegisterNamesake(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 8)
	c := browserClient(t)
	csrf := login(t, c, ps.URL, "library")
	form := registration(csrf, "family_name", "Smith", "given_name", "Zoë")
	_, body := postForm(t, c, ps.URL+"/register", form)
	m := checkedName.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "2 patients already called SMITH, Zoë") {
		t.Fatalf("no namesakes shown for Smith, Zoë")
	}
	seen := html.UnescapeString(m[1])
	renamed := registration(csrf, "family_name", "Nowak", "given_name", "Zoë", "different", "yes", "checked_name", seen)
	if res, body := postForm(t, c, ps.URL+"/register", renamed); res.StatusCode != http.StatusOK || !strings.Contains(body, "already called NOWAK, Zoë") {
		t.Errorf("a name changed after the warning was registered unchecked (%d)", res.StatusCode)
	}
	form.Set("different", "yes")
	form.Set("checked_name", seen)
	if res, _ := postForm(t, c, ps.URL+"/register", form); res.StatusCode != http.StatusSeeOther {
		t.Errorf("checked namesake: status %d, want 303", res.StatusCode)
	}
}

func TestRegisterVolumePage(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 3)
	c := browserClient(t)
	csrf := login(t, c, ps.URL, "library")
	if _, body := get(t, c, ps.URL+"/register/volume?q=jones"); !strings.Contains(body, "/register/volume?hospital_number=H100102") ||
		!strings.Contains(body, "1 volume.") {
		t.Errorf("search for jones offers no volume for H100102, with its one volume")
	}
	_, body := get(t, c, ps.URL+"/register/volume?hospital_number=h100102")
	if !strings.Contains(body, "Vol 2 of 2") || !strings.Contains(body, ps.Vols[2].Barcode) {
		t.Errorf("the page does not list volume 1 and say the new volume is Vol 2 of 2")
	}
	res, _ := postForm(t, c, ps.URL+"/register/volume", url.Values{"csrf": {csrf}, "hospital_number": {"H100102"}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "done=volume") {
		t.Fatalf("add volume = %d to %q", res.StatusCode, loc)
	}
	if p := ps.patient(t, "H100102"); p == nil || len(p.Volumes) != 2 {
		t.Errorf("after adding, the patient has %v", p)
	}
	testTemporaryFolderPage(t, c, ps, csrf)
	clerk := browserClient(t)
	login(t, clerk, ps.URL, "clerk")
	for _, path := range []string{"/register", "/register/volume"} {
		if res, _ := get(t, clerk, ps.URL+path); res.StatusCode != http.StatusForbidden {
			t.Errorf("clerk at %s: %d, want 403", path, res.StatusCode)
		}
	}
}

// testTemporaryFolderPage marks the patient's first volume missing, and
// makes a temporary folder standing in for it from the same page.
func testTemporaryFolderPage(t *testing.T, c *http.Client, ps *pageServer, csrf string) {
	t.Helper()
	missing := tracking.StatusMissing
	if _, err := ps.Service.UpdateVolume(context.Background(), admin, ps.Vols[2].Barcode, tracking.VolumeUpdate{Status: &missing, Note: "searched"}); err != nil {
		t.Fatal(err)
	}
	_, body := get(t, c, ps.URL+"/register/volume?hospital_number=H100102")
	if !strings.Contains(body, `id="temporary"`) || !strings.Contains(body, `<option value="`+ps.Vols[2].Barcode+`">`) {
		t.Errorf("the page offers no temporary folder for the missing volume")
	}
	res, _ := postForm(t, c, ps.URL+"/register/volume", url.Values{"csrf": {csrf}, "hospital_number": {"H100102"},
		"temporary": {"yes"}, "original": {ps.Vols[2].Barcode}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("temporary folder = %d", res.StatusCode)
	}
	p := ps.patient(t, "H100102")
	if last := p.Volumes[len(p.Volumes)-1]; len(p.Volumes) != 3 || last.Status != tracking.StatusTemporary {
		t.Errorf("after the temporary folder, the patient has %d volumes, the last %s", len(p.Volumes), last.Status)
	}
}

// patient finds a patient with its volumes, or nil.
func (ps *pageServer) patient(t *testing.T, hn string) *tracking.Patient {
	t.Helper()
	found, err := ps.Service.FindPatients(context.Background(), admin, tracking.PatientFilter{HospitalNumber: hn})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) == 0 {
		return nil
	}
	return found[0]
}
