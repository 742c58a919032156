package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// newLocation is a valid form for a bay inside the library.
func newLocation(csrf string, changes ...string) url.Values {
	f := url.Values{"csrf": {csrf}, "code": {"bay-1"}, "name": {"Bay 1"}, "kind": {"library"},
		"parent_code": {"LIB"}, "legacy_barcode": {""}, "gln": {""}}
	for i := 0; i+1 < len(changes); i += 2 {
		f.Set(changes[i], changes[i+1])
	}
	return f
}

// The new-location form: each refusal comes back with the message beside
// its field and the form as typed; a good one goes to the new location.
func TestNewLocationPage(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 1)
	c := browserClient(t)
	csrf := login(t, c, ps.URL, "library")
	tests := []struct {
		name   string
		form   url.Values
		status int
		want   []string
	}{
		{"ErrCodeCharacters", newLocation(csrf, "code", "BAY 1"), http.StatusUnprocessableEntity,
			[]string{`id="code-error"`, "only letters, digits and", `value="Bay 1"`, `aria-invalid="true"`}},
		{"ErrNoName", newLocation(csrf, "name", " "), http.StatusUnprocessableEntity,
			[]string{`id="name-error"`, "Location name is required", `href="#name"`}},
		{"ErrGLN", newLocation(csrf, "gln", "12345"), http.StatusUnprocessableEntity, []string{`id="gln-error"`, "GLN must be 13 digits"}},
		{"ErrNoSuchParent", newLocation(csrf, "parent_code", "NOPE"), http.StatusUnprocessableEntity,
			[]string{`id="parent_code-error"`, "Parent location NOPE does not exist"}},
		{"ErrKind", newLocation(csrf, "kind", "cupboard"), http.StatusUnprocessableEntity, []string{`id="kind-error"`}},
		{"ErrCodeTaken", newLocation(csrf, "code", "WARD7"), http.StatusConflict, []string{`id="location-problem"`, "WARD7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := postForm(t, c, ps.URL+"/locations/new", tt.form)
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
	res, _ := postForm(t, c, ps.URL+"/locations/new", newLocation(csrf))
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/locations/BAY-1?done=created" {
		t.Fatalf("create = %d to %q, want 303 to the new location", res.StatusCode, loc)
	}
	l, err := ps.Service.FindLocation(context.Background(), "BAY-1")
	if err != nil || l.ParentCode != "LIB" || l.Name != "Bay 1" {
		t.Fatalf("created %+v, %v", l, err)
	}
	_, body := get(t, c, ps.URL+"/locations/BAY-1?done=created")
	for _, w := range []string{"The location is created.", "Bay 1", `href="/locations/LIB"`, "No folders are here now."} {
		if !strings.Contains(body, w) {
			t.Errorf("new location's page lacks %q", w)
		}
	}
}

// Editing: every field is saved as the form holds it (an emptied one is
// removed), a location cannot go inside itself, and the code stays.
func TestEditLocationPage(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 1)
	c := browserClient(t)
	csrf := login(t, c, ps.URL, "library")
	_, body := get(t, c, ps.URL+"/locations/WARD9/edit")
	if !strings.Contains(body, `value="Ward 9 Orthopaedics"`) || strings.Contains(body, `<option value="WARD9"`) {
		t.Errorf("edit form does not hold the location, or offers it as its own parent")
	}
	res, body := postForm(t, c, ps.URL+"/locations/LIB/edit", url.Values{"csrf": {csrf}, "name": {"Library"}, "kind": {"library"}, "parent_code": {"LIB"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="parent_code-error"`) {
		t.Errorf("inside itself: %d, field error shown %v", res.StatusCode, strings.Contains(body, "parent_code-error"))
	}
	form := url.Values{"csrf": {csrf}, "code": {"IGNORED"}, "name": {"Ward 9 (trauma)"}, "kind": {"ward"}, "parent_code": {"WARD7"},
		"legacy_barcode": {"W9OLD"}, "gln": {"5012345000011"}, "sensitive": {"yes"}}
	res, _ = postForm(t, c, ps.URL+"/locations/WARD9/edit", form)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/locations/WARD9?done=saved" {
		t.Fatalf("save = %d to %q", res.StatusCode, loc)
	}
	l, err := ps.Service.FindLocation(context.Background(), "WARD9")
	if err != nil || l.Name != "Ward 9 (trauma)" || l.ParentCode != "WARD7" || l.LegacyBarcode != "W9OLD" || l.GLN != "5012345000011" ||
		!l.Sensitive {
		t.Fatalf("saved %+v, %v", l, err)
	}
	form.Set("parent_code", "")
	form.Del("sensitive")
	form.Set("gln", "")
	postForm(t, c, ps.URL+"/locations/WARD9/edit", form)
	if l, _ := ps.Service.FindLocation(context.Background(), "WARD9"); l.Sensitive || l.ParentCode != "" || l.GLN != "" || l.LegacyBarcode != "W9OLD" {
		t.Errorf("emptied fields kept: %+v", l)
	}
	if res, _ := get(t, c, ps.URL+"/locations/NOPE/edit"); res.StatusCode != http.StatusNotFound {
		t.Errorf("edit of no location = %d, want 404", res.StatusCode)
	}
}

// Only those who manage may change locations; every form needs the
// session's token. Porters may still see what is where.
func TestLocationPagesRefused(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 1)
	porter := browserClient(t)
	pcsrf := login(t, porter, ps.URL, "porter")
	lib := browserClient(t)
	login(t, lib, ps.URL, "library")
	tests := []struct {
		name   string
		c      *http.Client
		post   string
		form   url.Values
		status int
	}{
		{"PorterCreate", porter, "/locations/new", newLocation(pcsrf), http.StatusForbidden},
		{"PorterEdit", porter, "/locations/WARD7/edit", newLocation(pcsrf), http.StatusForbidden},
		{"NoCSRF", lib, "/locations/new", newLocation(""), http.StatusForbidden},
		{"WrongCSRF", lib, "/locations/WARD7/edit", newLocation(pcsrf), http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res, _ := postForm(t, tt.c, ps.URL+tt.post, tt.form); res.StatusCode != tt.status {
				t.Errorf("status %d, want %d", res.StatusCode, tt.status)
			}
		})
	}
	if _, err := ps.Service.FindLocation(context.Background(), "BAY-1"); tracking.ErrorCode(err) != tracking.ENOTFOUND {
		t.Errorf("a refused form created the location: %v", err)
	}
	if l, _ := ps.Service.FindLocation(context.Background(), "WARD7"); l.Name != "Ward 7 Cardiology" {
		t.Errorf("a refused form changed the ward: %+v", l)
	}
	for path, want := range map[string]int{"/locations": 200, "/locations/WARD7": 200, "/locations/new": 403, "/locations/WARD7/edit": 403} {
		if res, body := get(t, porter, ps.URL+path); res.StatusCode != want || strings.Contains(body, `href="/locations/new"`) {
			t.Errorf("porter GET %s = %d, want %d (and no link to create)", path, res.StatusCode, want)
		}
	}
}

// The tree, its filter, and what is at a ward counted with a side room
// inside it; the patients shown are in the access log.
func TestLocationsTreeAndContents(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 3)
	ctx := context.Background()
	side := &tracking.Location{Code: "SIDE-1", Name: "Side room 1", Kind: tracking.KindWard, ParentCode: "WARD7"}
	if err := ps.Service.CreateLocation(ctx, side); err != nil {
		t.Fatal(err)
	}
	ps.book(t, ps.Vols[0].Barcode, "WARD7", time.Now().Add(-8*24*time.Hour-time.Hour))
	ps.book(t, ps.Vols[1].Barcode, "SIDE-1", time.Now().Add(-3*time.Hour))
	c := browserClient(t)
	login(t, c, ps.URL, "clerk")
	_, body := get(t, c, ps.URL+"/locations")
	if i, j := strings.Index(body, `href="/locations/WARD7"`), strings.Index(body, `href="/locations/SIDE-1"`); i < 0 || j < i {
		t.Errorf("tree lacks the ward with its side room after it")
	}
	_, body = get(t, c, ps.URL+"/locations?q=side&kind=ward&view=list")
	if !strings.Contains(body, "1 of 5 locations match") || strings.Contains(body, `href="/locations/LIB"`) {
		t.Errorf("filtered list wrong")
	}
	_, body = get(t, c, ps.URL+"/locations/ward7")
	for _, w := range []string{"Here now: 2 folders", "8 days", "3 hours", ps.Vols[1].Barcode, `href="/lookup?q=` + ps.Vols[0].Barcode} {
		if !strings.Contains(body, w) {
			t.Errorf("ward's page lacks %q", w)
		}
	}
	var logged int
	if err := ps.DB.Gorm().Raw("SELECT COUNT(*) FROM access_log WHERE action = 'list_location' AND detail = 'WARD7' AND actor = 'clerk'").Scan(&logged).Error; err != nil || logged != 2 {
		t.Errorf("%d access-log entries (%v), want 2", logged, err)
	}
	if res, _ := get(t, c, ps.URL+"/locations/NOPE"); res.StatusCode != http.StatusNotFound {
		t.Errorf("no such location = %d, want 404", res.StatusCode)
	}
}

// Locations ticked or given as a range of codes go to the labels page,
// listed to go into the basket.
func TestLocationLabelsToBasket(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 0)
	c := browserClient(t)
	login(t, c, ps.URL, "library")
	_, body := get(t, c, ps.URL+"/labels?label=LIB&from=ward9&to=WARD7")
	for _, w := range []string{"3 location labels put in the basket", `id="put"`, `value="LIB"`, `value="WARD7"`, `value="WARD9"`} {
		if !strings.Contains(body, w) {
			t.Errorf("labels page lacks %q", w)
		}
	}
	_, body = get(t, c, ps.URL+"/labels?from=X1&to=X9")
	if !strings.Contains(body, "No location has a code from X1 to X9") {
		t.Errorf("an empty range is not said")
	}
}
