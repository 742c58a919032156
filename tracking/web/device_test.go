package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// Over the API on each database: a device token scans as its own device;
// another token, or a porter's page session, naming that device is
// refused 403 whether it scans (alone, in a batch, in an uploaded file)
// or asks where the device is booking to; nothing is stored and the
// device's context stays. Revoking the token frees the name.
func TestDeviceTokenOwnsItsDeviceOverAPI(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, dialect, 1)
			dock := ps.apiToken(t, "ward7-dock", tracking.RoleDevice)
			other := ps.apiToken(t, "ward9-app", tracking.RolePorter)
			ward7, ward9, bc := ps.Locs["WARD7"].Barcode, ps.Locs["WARD9"].Barcode, ps.Vols[0].Barcode
			if st, body, raw := callAPI(t, ps.URL, dock, "POST", "/api/v1/scans", map[string]string{"barcode": ward7}); st != 200 || body["result"] != "location_set" {
				t.Fatalf("the dock scans WARD7: %d %s", st, raw)
			}
			refused := []struct {
				name, method, path string
				body               any
			}{
				{"Scan", "POST", "/api/v1/scans", map[string]string{"barcode": ward9, "device": "ward7-dock"}},
				{"ScanUsingItsContext", "POST", "/api/v1/scans", map[string]string{"barcode": bc, "device": "ward7-dock"}},
				{"Batch", "POST", "/api/v1/scans/batch", map[string]any{"device": "ward7-dock",
					"scans": []map[string]string{{"barcode": bc, "location": "WARD9"}}}},
				{"BatchSlot", "POST", "/api/v1/scans/batch", map[string]any{"scans": []map[string]string{
					{"barcode": bc, "location": "WARD9"}, {"barcode": ward9, "device": "ward7-dock"}}}},
				{"ReadContext", "GET", "/api/v1/devices/ward7-dock", nil},
			}
			for _, r := range refused {
				if st, body, raw := callAPI(t, ps.URL, other, r.method, r.path, r.body); st != http.StatusForbidden || errorCode(body) != tracking.EFORBIDDEN {
					t.Errorf("%s: %d %s, want 403", r.name, st, raw)
				}
			}
			if st := uploadScanFile(t, ps.URL, other, "ward7-dock", bc+"\n"); st != http.StatusForbidden {
				t.Errorf("file naming the dock: %d, want 403", st)
			}
			c := browserClient(t)
			csrf := login(t, c, ps.URL, "porter")
			if st := pageScan(t, c, ps.URL, csrf, map[string]string{"barcode": ward9, "device": "ward7-dock"}); st != http.StatusForbidden {
				t.Errorf("a porter's scan station naming the dock: %d, want 403", st)
			}
			if code := ps.currentCode(t, bc); code != "LIB" {
				t.Errorf("the volume moved to %s, want still LIB", code)
			}
			if st, body, raw := callAPI(t, ps.URL, dock, "GET", "/api/v1/devices/ward7-dock", nil); st != 200 || body["location"].(map[string]any)["code"] != "WARD7" {
				t.Errorf("the dock's context after refusals: %d %s, want WARD7", st, raw)
			}
			if st, _, raw := callAPI(t, ps.URL, dock, "POST", "/api/v1/scans", map[string]string{"barcode": bc, "device": "station-1"}); st != http.StatusForbidden {
				t.Errorf("the dock names another device: %d %s, want 403", st, raw)
			}
			if err := ps.Service.RevokeToken(t.Context(), admin, "ward7-dock"); err != nil {
				t.Fatal(err)
			}
			if st, _, raw := callAPI(t, ps.URL, other, "POST", "/api/v1/scans", map[string]string{"barcode": ward9, "device": "ward7-dock"}); st != 200 {
				t.Errorf("naming a revoked token's device: %d %s, want 200", st, raw)
			}
		})
	}
}

// uploadScanFile posts a memory scanner's file for the device and returns
// the status.
func uploadScanFile(t *testing.T, base, token, device, content string) int {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("device", device)
	fw, _ := w.CreateFormFile("file", "scans.txt")
	fw.Write([]byte(content))
	w.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/scans/file", &body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// pageScan posts a scan as the scan station page does, with the session
// cookie and its CSRF token, and returns the status.
func pageScan(t *testing.T, c *http.Client, base, csrf string, scan map[string]string) int {
	t.Helper()
	req := newJSONRequest(t, base, "", "POST", "/api/v1/scans", scan)
	req.Header.Set(csrfHeader, csrf)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
