package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// accessBy counts the access log entries an actor has made with an action.
func accessBy(t *testing.T, ps *pageServer, actor, action string) int64 {
	t.Helper()
	var n int64
	if err := ps.DB.Gorm().Raw("SELECT COUNT(*) FROM access_log WHERE actor = ? AND action = ?", actor, action).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRequestAPI(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, d, 3)
			clerk := ps.apiToken(t, "ward-clerk", tracking.RoleClerk)
			porter := ps.apiToken(t, "porter-app", tracking.RolePorter)
			device := ps.apiToken(t, "dock", tracking.RoleDevice)
			need := time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)
			body := map[string]any{"patient": "H100100", "location": "WARD9", "needed_by": need, "priority": "urgent", "note": "Pre-op"}
			for _, tok := range []string{porter, device} {
				if st, _, raw := callAPI(t, ps.URL, tok, "POST", "/api/v1/requests", body); st != http.StatusForbidden {
					t.Errorf("porter or device asking: %d %s", st, raw)
				}
			}
			st, out, raw := callAPI(t, ps.URL, clerk, "POST", "/api/v1/requests", body)
			if st != http.StatusCreated || out["status"] != "open" || out["priority"] != "urgent" || out["requested_by"] != "ward-clerk" {
				t.Fatalf("create: %d %s", st, raw)
			}
			id := int64(out["id"].(float64))
			for _, field := range []string{"patient", "location", "needed_by"} {
				bad := map[string]any{"patient": "H100100", "location": "WARD9", "needed_by": need}
				bad[field] = "NOPE"
				if st, out, raw := callAPI(t, ps.URL, clerk, "POST", "/api/v1/requests", bad); st != 422 || out["error"].(map[string]any)["field"] != field {
					t.Errorf("bad %s: %d %s", field, st, raw)
				}
			}
			st, out, raw = callAPI(t, ps.URL, porter, "GET", "/api/v1/requests?status=open&location=WARD9", nil)
			list, _ := out["requests"].([]any)
			if st != 200 || len(list) != 1 || !strings.Contains(raw, `"current_location"`) {
				t.Fatalf("porter lists: %d %s", st, raw)
			}
			if accessBy(t, ps, "porter-app", "list_requests") != 1 {
				t.Errorf("listing requests wrote no access log entry")
			}
			if st, _, raw := callAPI(t, ps.URL, porter, "POST", fmt.Sprintf("/api/v1/requests/%d/cancel", id), nil); st != 403 {
				t.Errorf("porter cancels: %d %s", st, raw)
			}
			st, out, raw = callAPI(t, ps.URL, clerk, "POST", fmt.Sprintf("/api/v1/requests/%d/cancel", id), nil)
			if st != 200 || out["status"] != "cancelled" || out["cancelled_by"] != "ward-clerk" {
				t.Errorf("cancel: %d %s", st, raw)
			}
			st, out, raw = callAPI(t, ps.URL, clerk, "GET", fmt.Sprintf("/api/v1/requests/%d", id), nil)
			if hist, _ := out["history"].([]any); st != 200 || len(hist) != 2 {
				t.Errorf("show: %d %s", st, raw)
			}
			if st, _, _ := callAPI(t, ps.URL, clerk, "GET", "/api/v1/requests/999999", nil); st != 404 {
				t.Errorf("unknown request: %d", st)
			}
		})
	}
}

// A scan's answer through the API carries wanted and fulfils.
func TestScanAnswerRoutesFolders(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 2)
	clerk := ps.apiToken(t, "ward-clerk", tracking.RoleClerk)
	porter := ps.apiToken(t, "porter-app", tracking.RolePorter)
	need := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	_, out, _ := callAPI(t, ps.URL, clerk, "POST", "/api/v1/requests", map[string]any{"volumes": []string{ps.Vols[0].Barcode}, "location": "WARD9", "needed_by": need})
	id := out["id"].(float64)
	_, out, raw := callAPI(t, ps.URL, porter, "POST", "/api/v1/scans", map[string]any{"barcode": ps.Vols[0].Barcode, "location": "WARD7"})
	wanted, _ := out["wanted"].([]any)
	if len(wanted) != 1 || wanted[0].(map[string]any)["request"] != id || !strings.Contains(raw, `"code":"WARD9"`) {
		t.Fatalf("scan at WARD7: %s", raw)
	}
	_, out, raw = callAPI(t, ps.URL, porter, "POST", "/api/v1/scans", map[string]any{"barcode": ps.Vols[0].Barcode, "location": "WARD9"})
	if f, _ := out["fulfils"].([]any); len(f) != 1 || f[0] != id {
		t.Fatalf("scan at WARD9: %s", raw)
	}
}

func TestAppointmentsAndPullListAPI(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, d, 4)
			lib := ps.apiToken(t, "library-desk", tracking.RoleLibrary)
			clerk := ps.apiToken(t, "ward-clerk", tracking.RoleClerk)
			day := time.Now().AddDate(0, 0, 1)
			at := func(h int) string {
				return time.Date(day.Year(), day.Month(), day.Day(), h, 0, 0, 0, time.Local).Format("2006-01-02T15:04")
			}
			ps.book(t, ps.Vols[1].Barcode, "WARD7", time.Now())
			csvFile := "appointment_id,clinic,hospital_number,nhs_number,start,status\n" +
				"A1,OPD-CARD,H100100,," + at(9) + ",booked\n" +
				"A2,OPD-CARD,H100101,," + at(10) + ",\n" +
				"A3,NOWHERE,H100102,," + at(11) + ",booked\n" +
				"A4,OPD-CARD,H100103,," + at(14) + ",cancelled\n"
			st, out, raw := uploadCSV(t, ps.URL, lib, "/api/v1/appointments", csvFile)
			errs, _ := out["errors"].([]any)
			if st != 200 || out["accepted"] != 2.0 || out["cancelled"] != 1.0 || len(errs) != 1 ||
				errs[0].(map[string]any)["line"] != 4.0 || errs[0].(map[string]any)["field"] != "clinic" {
				t.Fatalf("CSV upload: %d %s", st, raw)
			}
			if st, _, _ := uploadCSV(t, ps.URL, clerk, "/api/v1/appointments", csvFile); st != 403 {
				t.Errorf("clerk uploading appointments: %d", st)
			}
			st, out, raw = callAPI(t, ps.URL, lib, "POST", "/api/v1/appointments", map[string]any{"appointments": []map[string]any{
				{"id": "A1", "clinic": "OPD-CARD", "patient": "H100100", "start": at(9)},
				{"id": "A5", "clinic": "OPD-CARD", "patient": "H100100", "nhs_number": testNHSNumber(3), "start": at(9)}}})
			errs, _ = out["errors"].([]any)
			if st != 200 || out["accepted"] != 0.0 || out["updated"] != 0.0 || len(errs) != 1 || errs[0].(map[string]any)["index"] != 1.0 {
				t.Fatalf("JSON: %d %s", st, raw)
			}
			checkPullList(t, ps, clerk, day)
		})
	}
}

func checkPullList(t *testing.T, ps *pageServer, tok string, day time.Time) {
	t.Helper()
	date := day.Format("2006-01-02")
	before := accessBy(t, ps, "ward-clerk", "view_pull_list")
	st, out, raw := callAPI(t, ps.URL, tok, "GET", "/api/v1/pull-list?date="+date, nil)
	lines, _ := out["lines"].([]any)
	if st != 200 || len(lines) != 2 {
		t.Fatalf("pull list: %d %s", st, raw)
	}
	first, second := lines[0].(map[string]any), lines[1].(map[string]any)
	if first["state"] != "in_library" || second["state"] != "elsewhere" || second["current_location"].(map[string]any)["code"] != "WARD7" {
		t.Errorf("states %v then %v, want in_library then elsewhere at WARD7", first["state"], second["state"])
	}
	if accessBy(t, ps, "ward-clerk", "view_pull_list") != before+2 {
		t.Errorf("the pull list wrote no access entry for each patient")
	}
	res, body := getAuth(t, ps.URL+"/api/v1/pull-list?format=csv&date="+date, tok)
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || res.StatusCode != 200 || len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(pullCSVHeader, ",") || rows[1][10] != "in_library" {
		t.Errorf("CSV: %d %v %v", res.StatusCode, rows, err)
	}
	res, body = getAuth(t, ps.URL+"/api/v1/pull-list?format=pdf&date="+date, tok)
	if res.StatusCode != 200 || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("PDF: %d %.40q", res.StatusCode, body)
	}
	if accessBy(t, ps, "ward-clerk", "view_pull_list") != before+6 {
		t.Errorf("CSV and PDF wrote no access entries")
	}
	st, _, raw = callAPI(t, ps.URL, tok, "GET", "/api/v1/pull-list?clinic=NOWHERE", nil)
	if st != 422 {
		t.Errorf("unknown clinic: %d %s", st, raw)
	}
	st, out, raw = callAPI(t, ps.URL, tok, "GET", "/api/v1/pull-list/availability?days=3", nil)
	if sessions, _ := out["sessions"].([]any); st != 200 || len(sessions) != 1 || sessions[0].(map[string]any)["elsewhere"] != 1.0 {
		t.Errorf("availability: %d %s", st, raw)
	}
}

func getAuth(t *testing.T, u, tok string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func uploadCSV(t *testing.T, base, tok, path, content string) (int, map[string]any, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", "clinic.csv")
	_, _ = fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest("POST", base+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return sendAPI(t, req, tok)
}

// News of a request made on one instance reaches a page watching another,
// through PostgreSQL (in process on SQLite, which runs one instance).
func TestRequestNewsReachesEveryInstance(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			a := newPageServer(t, d, 1)
			b := a
			if d == "postgres" {
				b = newPageServerOn(t, a)
			}
			tok := a.apiToken(t, "ward-clerk", tracking.RoleClerk)
			events := watch(t, b.URL+"/api/v1/requests/events", tok)
			time.Sleep(300 * time.Millisecond) // the listener is listening
			_, out, _ := callAPI(t, a.URL, tok, "POST", "/api/v1/requests", map[string]any{"patient": "H100100", "location": "WARD9",
				"needed_by": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
			select {
			case got := <-events:
				if got.Request != int64(out["id"].(float64)) || got.Event != "created" || got.Location != "WARD9" {
					t.Errorf("news %+v", got)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no news of the request on the other instance")
			}
		})
	}
}

// watch reads a server-sent event stream into a channel until the test ends.
func watch(t *testing.T, u, tok string) <-chan tracking.RequestChange {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("event stream: %v %v", err, res)
	}
	out := make(chan tracking.RequestChange, 16)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var c tracking.RequestChange
				if json.Unmarshal([]byte(data), &c) == nil {
					out <- c
				}
			}
		}
	}()
	return out
}
