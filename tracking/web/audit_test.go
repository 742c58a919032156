package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// GET /api/v1/access-log on each database: records managers and
// administrators only; filters, newest first, pages, 404 for an unknown
// patient, 422 naming a bad date; each read written to the log itself.
func TestAccessLogAPI(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, dialect, 2)
			rec := ps.apiToken(t, "records-app", tracking.RoleRecords)
			for _, r := range []tracking.Role{tracking.RoleLibrary, tracking.RoleClerk, tracking.RolePorter, tracking.RoleDevice} {
				tok := ps.apiToken(t, "t-"+string(r), r)
				if st, _, _ := callAPI(t, ps.URL, tok, "GET", "/api/v1/access-log", nil); st != http.StatusForbidden {
					t.Errorf("%s reads the access log: %d, want 403", r, st)
				}
			}
			porter := tracking.Actor{Name: "porter", Role: tracking.RolePorter, Kind: tracking.ActorUser}
			hn := "H100100"
			if _, err := ps.Service.FindVolume(context.Background(), porter, ps.Vols[0].Barcode); err != nil {
				t.Fatal(err)
			}
			st, body, raw := callAPI(t, ps.URL, rec, "GET", "/api/v1/access-log?patient="+hn+"&actor=porter", nil)
			entries, _ := body["entries"].([]any)
			if st != 200 || len(entries) != 1 {
				t.Fatalf("porter's reads of %s: %d %s", hn, st, raw)
			}
			e := entries[0].(map[string]any)
			p, _ := e["patient"].(map[string]any)
			if e["actor"] != "porter" || e["actor_kind"] != "user" || e["role"] != "porter" || e["action"] != "view_volume" ||
				e["at"] == nil || p["hospital_number"] != hn || p["family_name"] != "Smith" {
				t.Errorf("entry %v", e)
			}
			st, body, raw = callAPI(t, ps.URL, rec, "GET", "/api/v1/access-log?actor=records-app&limit=1", nil)
			entries, _ = body["entries"].([]any)
			if st != 200 || len(entries) != 1 || entries[0].(map[string]any)["action"] != "read_access_log" {
				t.Errorf("the first read is in the log: %d %s", st, raw)
			}
			checkAccessLogPages(t, ps.URL, rec)
			for q, want := range map[string]int{"patient=H999999": 404, "from=yesterday": 422, "to=2026-13-01": 422, "after=x": 422} {
				if st, body, raw := callAPI(t, ps.URL, rec, "GET", "/api/v1/access-log?"+q, nil); st != want || errorCode(body) == "" {
					t.Errorf("?%s: %d %s, want %d", q, st, raw, want)
				}
			}
		})
	}
}

// checkAccessLogPages reads the log two entries at a time, following
// next, and finds every entry once.
func checkAccessLogPages(t *testing.T, base, tok string) {
	t.Helper()
	seen := map[string]bool{}
	q := "/api/v1/access-log?actor=setup&limit=2"
	for pages := 0; q != ""; pages++ {
		st, body, raw := callAPI(t, base, tok, "GET", q, nil)
		if st != 200 || pages > 10 {
			t.Fatalf("page %d: %d %s", pages, st, raw)
		}
		for _, e := range body["entries"].([]any) {
			key := fmt.Sprint(e)
			if seen[key] {
				t.Errorf("entry %v twice", e)
			}
			seen[key] = true
		}
		q = ""
		if next, ok := body["next"].(string); ok {
			q = "/api/v1/access-log?actor=setup&limit=2&after=" + next
		}
	}
	_, all, _ := callAPI(t, base, tok, "GET", "/api/v1/access-log?actor=setup", nil)
	if n := len(all["entries"].([]any)); len(seen) != n || n < 3 {
		t.Errorf("pages of two found %d of setup's entries, one page of all %d", len(seen), n)
	}
}

// The CSV download: a header, one row per entry with the patient's
// details, cells a spreadsheet would take for a formula defused.
func TestAccessLogCSV(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 1)
	rec := ps.apiToken(t, "records-app", tracking.RoleRecords)
	ps.book(t, ps.Vols[0].Barcode, "WARD7", ps.Vols[0].Since.Time)
	sc := tracking.Scan{ScanID: "=HYPERLINK(\"http://evil\")", Barcode: ps.Vols[0].Barcode, Location: "WARD9"}
	if _, err := ps.Service.RecordScan(context.Background(), tracking.Actor{Name: "porter", Role: tracking.RolePorter}, sc); err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(newJSONRequest(t, ps.URL, rec, "GET", "/api/v1/access-log?format=csv&actor=porter", nil))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	rows, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	if res.StatusCode != 200 || err != nil || len(rows) != 3 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %q %v\n%s", res.StatusCode, res.Header.Get("Content-Type"), err, raw)
	}
	if strings.Join(rows[0], ",") != strings.Join(accessCSVHeader, ",") {
		t.Errorf("header %v", rows[0])
	}
	newest := rows[1]
	if newest[1] != "porter" || newest[4] != "scan" || newest[5] != "H100100" || newest[7] != "Smith" || newest[10] != `'=HYPERLINK("http://evil")` {
		t.Errorf("newest row %q", newest)
	}
}

// The /audit page's Download CSV link works with the page's session.
func TestAuditPageCSVLink(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 1)
	c := browserClient(t)
	login(t, c, ps.URL, "admin")
	_, page := get(t, c, ps.URL+"/audit?actor=setup")
	m := regexp.MustCompile(`id="audit-csv" href="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("/audit has no CSV link")
	}
	res, body := get(t, c, ps.URL+html.UnescapeString(m[1]))
	if res.StatusCode != 200 || !strings.HasPrefix(body, strings.Join(accessCSVHeader, ",")+"\n") || !strings.Contains(body, "create_patient") {
		t.Errorf("CSV link %s: %d\n%s", m[1], res.StatusCode, body)
	}
}
