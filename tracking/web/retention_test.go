package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// The retention API (SAFETY.md H09): a review date set and cleared by
// PATCH, a legal hold placed and lifted by records managers only, and
// destruction refused with 409 while either holds.
func TestRetentionAPI(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, dialect, 2)
			rec := ps.apiToken(t, "records-app", tracking.RoleRecords)
			lib := ps.apiToken(t, "library-app", tracking.RoleLibrary)
			v := ps.Vols[0]
			hn := "H100100"
			path := "/api/v1/volumes/" + v.Barcode

			st, body, raw := callAPI(t, ps.URL, lib, "PATCH", path, map[string]any{"retain_until": "2099-03-01"})
			if st != http.StatusOK || body["retain_until"] != "2099-03-01" {
				t.Fatalf("set review date: %d %s", st, raw)
			}
			for _, bad := range []any{"01/03/2099", 7, "1066-10-14"} {
				if st, _, raw := callAPI(t, ps.URL, lib, "PATCH", path, map[string]any{"retain_until": bad}); st != http.StatusUnprocessableEntity && st != http.StatusBadRequest {
					t.Errorf("retain_until %v: %d %s", bad, st, raw)
				}
			}
			st, _, raw = callAPI(t, ps.URL, rec, "PATCH", path, map[string]any{"status": "destroyed"})
			if st != http.StatusConflict || !strings.Contains(raw, "01-Mar-2099") {
				t.Fatalf("destroy before the review date: %d %s", st, raw)
			}
			if st, _, raw := callAPI(t, ps.URL, lib, "PATCH", path, map[string]any{"retain_until": nil}); st != http.StatusForbidden {
				t.Fatalf("library clears the review date: %d %s", st, raw)
			}
			if st, body, raw := callAPI(t, ps.URL, rec, "PATCH", path, map[string]any{"retain_until": nil}); st != http.StatusOK || body["retain_until"] != nil {
				t.Fatalf("clear review date: %d %s", st, raw)
			}

			if st, _, raw := callAPI(t, ps.URL, lib, "POST", "/api/v1/patients/"+hn+"/hold", map[string]any{"reason": "Claim"}); st != http.StatusForbidden {
				t.Fatalf("library places a hold: %d %s", st, raw)
			}
			if st, _, raw := callAPI(t, ps.URL, rec, "POST", "/api/v1/patients/"+hn+"/hold", map[string]any{"reason": " "}); st != http.StatusUnprocessableEntity || !strings.Contains(raw, `"reason"`) {
				t.Fatalf("hold without a reason: %d %s", st, raw)
			}
			st, body, raw = callAPI(t, ps.URL, rec, "POST", "/api/v1/patients/"+hn+"/hold", map[string]any{"reason": "Claim 2026/114"})
			vols, _ := body["volumes"].([]any)
			if st != http.StatusOK || len(vols) != 1 || !strings.Contains(raw, `"legal_hold":{"reason":"Claim 2026/114","by":"records-app"`) {
				t.Fatalf("place hold: %d %s", st, raw)
			}
			st, _, raw = callAPI(t, ps.URL, rec, "PATCH", path, map[string]any{"status": "destroyed"})
			if st != http.StatusConflict || !strings.Contains(raw, "legal hold") || !strings.Contains(raw, `"field":"status"`) {
				t.Fatalf("destroy under a hold: %d %s", st, raw)
			}
			if st, _, raw := callAPI(t, ps.URL, rec, "GET", path, nil); st != http.StatusOK || !strings.Contains(raw, `"status":"active"`) || !strings.Contains(raw, "legal_hold") {
				t.Fatalf("volume after refusal: %d %s", st, raw)
			}
			if st, _, raw := callAPI(t, ps.URL, lib, "DELETE", "/api/v1/patients/"+hn+"/hold", nil); st != http.StatusForbidden {
				t.Fatalf("library lifts a hold: %d %s", st, raw)
			}
			// A library token sees that the record is held, not why.
			if st, _, raw := callAPI(t, ps.URL, lib, "GET", path, nil); st != http.StatusOK || !strings.Contains(raw, "legal_hold") || strings.Contains(raw, "Claim") {
				t.Fatalf("volume as the library sees it: %d %s", st, raw)
			}
			if st, _, raw := callAPI(t, ps.URL, lib, "PATCH", path, map[string]any{"status": "destroyed"}); st != http.StatusConflict || strings.Contains(raw, "Claim") {
				t.Fatalf("library destroys under a hold: %d %s", st, raw)
			}
			if st, _, raw := callAPI(t, ps.URL, rec, "DELETE", "/api/v1/patients/"+hn+"/hold", nil); st != http.StatusUnprocessableEntity {
				t.Fatalf("lift without saying why: %d %s", st, raw)
			}
			lift := map[string]any{"reason": "Claim settled"}
			if st, _, raw := callAPI(t, ps.URL, rec, "DELETE", "/api/v1/patients/"+hn+"/hold", lift); st != http.StatusOK || strings.Contains(raw, "legal_hold") {
				t.Fatalf("lift hold: %d %s", st, raw)
			}
			if st, _, raw := callAPI(t, ps.URL, rec, "DELETE", "/api/v1/patients/"+hn+"/hold", lift); st != http.StatusNotFound {
				t.Fatalf("lift again: %d %s", st, raw)
			}
			st, _, raw = callAPI(t, ps.URL, rec, "GET", "/api/v1/access-log?actor=records-app", nil)
			if st != http.StatusOK || !strings.Contains(raw, "Claim settled (the hold was: Claim 2026/114, placed by records-app") {
				t.Fatalf("the lifted hold is not in the access log: %d %s", st, raw)
			}
			if st, body, raw := callAPI(t, ps.URL, rec, "PATCH", path, map[string]any{"status": "destroyed"}); st != http.StatusOK || body["status"] != "destroyed" {
				t.Fatalf("destroy once free: %d %s", st, raw)
			}
		})
	}
}

// With --two-person-destruction the first PATCH is 202 with the
// proposal, the proposer's second is 409, and another person's is 200.
func TestTwoPersonDestructionAPI(t *testing.T) {
	ps := newPageServer(t, "sqlite", 1)
	ps.Service.TwoPersonDestruction = true
	rita := ps.apiToken(t, "rita", tracking.RoleRecords)
	sam := ps.apiToken(t, "sam", tracking.RoleAdmin)
	path := "/api/v1/volumes/" + ps.Vols[0].Barcode
	st, body, raw := callAPI(t, ps.URL, rita, "PATCH", path, map[string]any{"status": "destroyed", "note": "review 2026"})
	if st != http.StatusAccepted || body["status"] != "active" || !strings.Contains(raw, `"destruction_proposal":{"by":"rita"`) {
		t.Fatalf("proposal: %d %s", st, raw)
	}
	if st, _, raw := callAPI(t, ps.URL, rita, "PATCH", path, map[string]any{"status": "destroyed"}); st != http.StatusConflict {
		t.Fatalf("proposer again: %d %s", st, raw)
	}
	st, body, raw = callAPI(t, ps.URL, sam, "PATCH", path, map[string]any{"status": "destroyed"})
	if st != http.StatusOK || body["status"] != "destroyed" || !strings.Contains(raw, "approved by sam") {
		t.Fatalf("approval: %d %s", st, raw)
	}
}

// The retention list: records managers only, each folder with its
// patient and retention, and the read written to the access log.
func TestRetentionListAPI(t *testing.T) {
	ps := newPageServer(t, "sqlite", 2)
	rec := ps.apiToken(t, "records-app", tracking.RoleRecords)
	lib := ps.apiToken(t, "library-app", tracking.RoleLibrary)
	path := "/api/v1/volumes/" + ps.Vols[1].Barcode
	if st, _, raw := callAPI(t, ps.URL, lib, "PATCH", path, map[string]any{"retain_until": "2001-01-01"}); st != http.StatusOK {
		t.Fatalf("set review date: %d %s", st, raw)
	}
	if st, _, raw := callAPI(t, ps.URL, lib, "GET", "/api/v1/retention", nil); st != http.StatusForbidden {
		t.Fatalf("library reads the retention list: %d %s", st, raw)
	}
	st, body, raw := callAPI(t, ps.URL, rec, "GET", "/api/v1/retention", nil)
	due, _ := body["due"].([]any)
	if st != http.StatusOK || len(due) != 1 || !strings.Contains(raw, ps.Vols[1].Barcode) || !strings.Contains(raw, `"retain_until":"2001-01-01"`) ||
		!strings.Contains(raw, `"proposed":[]`) {
		t.Fatalf("retention list: %d %s", st, raw)
	}
	st, _, raw = callAPI(t, ps.URL, rec, "GET", "/api/v1/access-log?actor=records-app", nil)
	if st != http.StatusOK || !strings.Contains(raw, "list_retention") {
		t.Fatalf("the list is not in the access log: %d %s", st, raw)
	}
}
