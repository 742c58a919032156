package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// stationScans scans as a porter's scan station tab would: Ward 7's
// barcode, then a barcode nobody knows.
func (ps *pageServer) stationScans(t testing.TB) {
	t.Helper()
	porter := tracking.Actor{Name: "porter", Role: tracking.RolePorter}
	for i, code := range []string{ps.Locs["WARD7"].Barcode, "NOSUCHCODE9"} {
		_, err := ps.Service.RecordScan(context.Background(), porter, tracking.Scan{Barcode: code,
			Device: "station-3f2a9c1e-4b7d", ScanID: "st-" + string(rune('a'+i)), Channel: tracking.ChannelStation})
		if err != nil {
			t.Fatal(err)
		}
	}
}

var checkForm = regexp.MustCompile(`name="scan_id" value="([^"]+)"`)

// The review page names a scan station's tab by whose it was, says where
// it was booking to, and lets a records manager check a scan off.
func TestReviewPageChecks(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 2)
	ps.stationScans(t)
	c := browserClient(t)
	csrf := login(t, c, ps.URL, "admin")
	_, body := get(t, c, ps.URL+"/review?result=unknown_barcode")
	for _, w := range []string{"Scan station (porter)", "browser tab 3f2a9c1e", "Ward 7 Cardiology (WARD7)", "1 scan to check"} {
		if !strings.Contains(body, w) {
			t.Errorf("review page lacks %q", w)
		}
	}
	m := checkForm.FindStringSubmatch(body)
	if m == nil || m[1] != "st-b" {
		t.Fatalf("no Mark checked form for st-b")
	}
	res, _ := postForm(t, c, ps.URL+"/review/check", url.Values{"csrf": {csrf}, "scan_id": {"st-b"},
		"back": {"/review?result=unknown_barcode"}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/review?done=checked&result=unknown_barcode#review-title" {
		t.Fatalf("check = %d to %q", res.StatusCode, loc)
	}
	if _, body := get(t, c, ps.URL+"/review?result=unknown_barcode&done=checked"); !strings.Contains(body, "0 scans to check") || !strings.Contains(body, "Marked checked") {
		t.Errorf("a checked scan is still listed")
	}
	if _, body := get(t, c, ps.URL+"/review?checked=show"); !strings.Contains(body, "admin, ") || !strings.Contains(body, "NOSUCHCODE9") {
		t.Errorf("shown with checked ones, the scan does not say who checked it")
	}
	if res, _ := postForm(t, c, ps.URL+"/review/check", url.Values{"csrf": {csrf}, "scan_id": {"st-b"}, "back": {"https://example.com/review"}}); !strings.HasPrefix(res.Header.Get("Location"), "/review?") {
		t.Errorf("a check sent elsewhere: %q", res.Header.Get("Location"))
	}
}

func TestCheckScanAPI(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 2)
	ps.stationScans(t)
	records := ps.apiToken(t, "records-pc", tracking.RoleRecords)
	porter := ps.apiToken(t, "porter-phone", tracking.RolePorter)
	tests := []struct {
		name, token, id string
		status          int
	}{
		{"ErrPorter", porter, "st-b", http.StatusForbidden},
		{"OK", records, "st-b", http.StatusOK},
		{"OKAgain", records, "st-b", http.StatusOK},
		{"ErrNoSuchScan", records, "nope", http.StatusNotFound},
		{"ErrNotKeptForReview", records, "st-a", http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, raw := callAPI(t, ps.URL, tt.token, http.MethodPost, "/api/v1/scans/"+tt.id+"/check", nil)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, raw)
			}
			if status == http.StatusOK && (body["checked_by"] != "records-pc" || body["checked_at"] == nil) {
				t.Errorf("answer %s, want checked by records-pc", raw)
			}
		})
	}
	_, body, _ := callAPI(t, ps.URL, records, http.MethodGet, "/api/v1/scans?unchecked=true", nil)
	if scans, _ := body["scans"].([]any); len(scans) != 1 {
		t.Errorf("unchecked scans listed: %d, want 1 (the location scan)", len(scans))
	}
}
