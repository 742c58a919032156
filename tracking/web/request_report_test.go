package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/chromedp/chromedp"
)

// The request report: records and admin only, JSON and CSV, a bad range
// refused naming the field.
func TestRequestReportAPI(t *testing.T) {
	ps := newPageServer(t, "sqlite", 2)
	rec := ps.apiToken(t, "records-app", tracking.RoleRecords)
	clerkTok := ps.apiToken(t, "clerk-app", tracking.RoleClerk)
	need := time.Now().Add(time.Hour).Format(time.RFC3339)
	if st, _, raw := callAPI(t, ps.URL, clerkTok, "POST", "/api/v1/requests", map[string]any{"patient": "H100100", "location": "WARD7", "needed_by": need}); st != http.StatusCreated {
		t.Fatalf("request: %d %s", st, raw)
	}
	if st, _, raw := callAPI(t, ps.URL, clerkTok, "GET", "/api/v1/reports/requests", nil); st != http.StatusForbidden {
		t.Fatalf("a clerk reads the report: %d %s", st, raw)
	}
	day := time.Now().In(pageZone()).Format("2006-01-02")
	st, body, raw := callAPI(t, ps.URL, rec, "GET", "/api/v1/reports/requests?from="+day+"&to="+day, nil)
	total, _ := body["total"].(map[string]any)
	if st != http.StatusOK || total == nil || total["requested"] != float64(1) || !strings.Contains(raw, `"code":"WARD7"`) || strings.Contains(raw, "H100100") {
		t.Fatalf("report: %d %s", st, raw)
	}
	st, _, raw = callAPI(t, ps.URL, rec, "GET", "/api/v1/reports/requests?format=csv&from="+day+"&to="+day, nil)
	if st != http.StatusOK || !strings.HasPrefix(raw, "place,requested,") || !strings.Contains(raw, "WARD7,1,0,0,0,0,0,,") {
		t.Fatalf("csv: %d %s", st, raw)
	}
	for _, q := range []string{"?from=2026-13-01", "?from=2026-02-01&to=2026-01-01", "?from=2020-01-01&to=2026-01-01"} {
		if st, _, raw := callAPI(t, ps.URL, rec, "GET", "/api/v1/reports/requests"+q, nil); st != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", q, st, raw)
		}
	}
}

// The report page, by keyboard: a records manager (admin here) picks the
// days and reads the table, with its total row.
func TestBrowserRequestReport(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 2)
	ctx := newBrowser(t)
	lib := tracking.Actor{Name: "ward", Role: tracking.RoleClerk}
	in := tracking.RequestInput{Patient: "H100100", Location: "WARD7", NeededBy: time.Now().Add(time.Hour).Format(time.RFC3339)}
	if _, err := ps.Service.CreateRequest(t.Context(), lib, in); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, ps.URL, "admin", "/")
	do(t, ctx, chromedp.Navigate(ps.URL+"/reports"), chromedp.WaitVisible("#request-report"))
	if got := eval[string](t, ctx, "document.querySelector('#request-report tfoot').textContent"); !strings.Contains(got, "All places") {
		t.Errorf("total row %q", got)
	}
	if got := eval[string](t, ctx, "document.querySelector('#request-report tbody').textContent"); !strings.Contains(got, "Ward 7 Cardiology") {
		t.Errorf("rows %q", got)
	}
	screenshot(t, ctx, "request-report")
	do(t, ctx, chromedp.SetValue("#from", "2026-02-01"), chromedp.SetValue("#to", "2026-01-01"),
		chromedp.Submit("form[aria-label='Choose the days']"), chromedp.WaitVisible("#report-problem"))
}
