package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// A sensitive location (SAFETY.md H08), on both databases: marked by
// POST or PATCH, named beside a patient only to the library, records and
// admin; a clerk's API and /lookup show a restricted location, and what
// is at it is refused to them.
func TestSensitiveLocations(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, dialect, 2)
			lib := ps.apiToken(t, "library-app", tracking.RoleLibrary)
			clerkTok := ps.apiToken(t, "clerk-app", tracking.RoleClerk)
			st, body, raw := callAPI(t, ps.URL, lib, "POST", "/api/v1/locations",
				map[string]any{"code": "GUM", "name": "Sexual Health Clinic", "kind": "clinic", "sensitive": true})
			if st != http.StatusCreated || body["sensitive"] != true {
				t.Fatalf("create: %d %s", st, raw)
			}
			if st, body, raw := callAPI(t, ps.URL, lib, "PATCH", "/api/v1/locations/WARD9", map[string]any{"sensitive": true}); st != http.StatusOK || body["sensitive"] != true {
				t.Fatalf("patch: %d %s", st, raw)
			}
			v := ps.Vols[0]
			ps.book(t, v.Barcode, "GUM", time.Now())
			path := "/api/v1/volumes/" + v.Barcode

			st, _, raw = callAPI(t, ps.URL, clerkTok, "GET", path, nil)
			if st != http.StatusOK || strings.Contains(raw, "Sexual Health") || strings.Contains(raw, `"GUM"`) || !strings.Contains(raw, "Restricted location") {
				t.Fatalf("the clerk's volume: %d %s", st, raw)
			}
			st, _, raw = callAPI(t, ps.URL, clerkTok, "GET", path+"/movements", nil)
			if st != http.StatusOK || strings.Contains(raw, `"GUM"`) || !strings.Contains(raw, "Restricted location") {
				t.Fatalf("the clerk's history: %d %s", st, raw)
			}
			st, _, raw = callAPI(t, ps.URL, clerkTok, "GET", "/api/v1/patients?hospital_number=H100100", nil)
			if st != http.StatusOK || strings.Contains(raw, "Sexual Health") {
				t.Fatalf("the clerk's search: %d %s", st, raw)
			}
			st, _, raw = callAPI(t, ps.URL, clerkTok, "POST", "/api/v1/requests",
				map[string]any{"patient": "H100100", "location": "WARD7", "needed_by": time.Now().Add(time.Hour).Format(time.RFC3339)})
			if st != http.StatusCreated || strings.Contains(raw, "Sexual Health") {
				t.Fatalf("the clerk's request: %d %s", st, raw)
			}
			if st, _, raw := callAPI(t, ps.URL, clerkTok, "GET", "/api/v1/requests", nil); st != http.StatusOK || strings.Contains(raw, "Sexual Health") ||
				!strings.Contains(raw, "Restricted location") {
				t.Fatalf("the clerk's requests: %d %s", st, raw)
			}
			day := time.Now().In(pageZone()).AddDate(0, 0, 1)
			start := time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, pageZone())
			in := tracking.AppointmentInput{ID: "PAS-1", Clinic: "OPD-CARD", Patient: "H100100", Start: start.Format(time.RFC3339)}
			if _, err := ps.Service.BookAppointment(context.Background(), admin, in); err != nil {
				t.Fatal(err)
			}
			st, _, raw = callAPI(t, ps.URL, clerkTok, "GET", "/api/v1/pull-list?date="+start.Format("2006-01-02"), nil)
			if st != http.StatusOK || strings.Contains(raw, "Sexual Health") || !strings.Contains(raw, "Restricted location") {
				t.Fatalf("the clerk's pull list: %d %s", st, raw)
			}
			if st, _, raw := callAPI(t, ps.URL, clerkTok, "GET", "/api/v1/locations/GUM/volumes", nil); st != http.StatusForbidden {
				t.Fatalf("the clerk lists what is at GUM: %d %s", st, raw)
			}
			if st, _, raw := callAPI(t, ps.URL, lib, "GET", path, nil); st != http.StatusOK || !strings.Contains(raw, "Sexual Health Clinic") {
				t.Fatalf("the library's volume: %d %s", st, raw)
			}
			if st, _, raw := callAPI(t, ps.URL, lib, "GET", "/api/v1/locations/GUM/volumes", nil); st != http.StatusOK || !strings.Contains(raw, v.Barcode) {
				t.Fatalf("the library lists what is at GUM: %d %s", st, raw)
			}

			c := browserClient(t)
			login(t, c, ps.URL, "clerk")
			_, page := get(t, c, ps.URL+"/lookup?q=H100100")
			// The place may be chosen in the page's lists of places; it is
			// never named beside the patient.
			beside := regexp.MustCompile(`(?s)<option[^>]*>.*?</option>`).ReplaceAllString(page, "")
			if strings.Contains(beside, "Sexual Health") || !strings.Contains(beside, "Restricted location") {
				t.Errorf("the clerk's /lookup names the place beside the patient")
			}
			if strings.Contains(page, `<option value="GUM" selected`) || strings.Count(page, `<option value="GUM"`) != 1 {
				t.Errorf("the clerk is offered GUM to list what is there, or not offered it to request notes to")
			}
			if res, _ := get(t, c, ps.URL+"/locations/GUM"); res.StatusCode != http.StatusForbidden {
				t.Errorf("the clerk's page of what is at GUM: %d", res.StatusCode)
			}
		})
	}
}
