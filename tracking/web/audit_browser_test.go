package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserAuditPage: an administrator reads the access log, filters it
// to one patient by keyboard, pages back through it, finds the CSV link,
// and is told plainly about a hospital number that is nobody's; with
// screenshots at phone and desktop size.
func TestBrowserAuditPage(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 3)
	porter := tracking.Actor{Name: "porter", Role: tracking.RolePorter, Kind: tracking.ActorUser}
	for range 60 {
		if _, err := ps.Service.FindVolume(context.Background(), porter, ps.Vols[1].Barcode); err != nil {
			t.Fatal(err)
		}
	}
	ps.book(t, ps.Vols[2].Barcode, "WARD7", ps.Vols[2].Since.Time)
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "admin", "/audit")
	do(t, ctx, chromedp.WaitVisible("#audit-entries"))
	if n := eval[int](t, ctx, "document.querySelectorAll('#audit-entries tbody tr').length"); n != auditPageSize {
		t.Errorf("first page shows %d entries, want %d", n, auditPageSize)
	}
	screenshot(t, ctx, "audit")

	do(t, ctx, chromedp.Focus("#audit-patient"), chromedp.KeyEvent("h100101"), chromedp.KeyEvent(kb.Enter))
	waitFor(t, "the filtered page", 10*time.Second, func() bool {
		return strings.Contains(eval[string](t, ctx, "location.search"), "patient=h100101") &&
			eval[bool](t, ctx, "!!document.getElementById('audit-entries')")
	})
	rows := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#audit-entries tbody tr td[data-label="Patient"]')).map(td => td.textContent)`)
	for _, r := range rows {
		if !strings.Contains(r, "H100101") {
			t.Fatalf("filtered to H100101, a row shows %q", r)
		}
	}
	first := len(rows)
	screenshot(t, ctx, "audit-patient")
	if href := eval[string](t, ctx, "document.getElementById('audit-csv').getAttribute('href')"); !strings.Contains(href, "format=csv") ||
		!strings.Contains(href, "patient=h100101") {
		t.Errorf("CSV link %q", href)
	}
	do(t, ctx, chromedp.Click("#audit-next"), chromedp.WaitVisible("#audit-first"), chromedp.WaitVisible("#audit-entries"))
	older := eval[int](t, ctx, "document.querySelectorAll('#audit-entries tbody tr').length")
	if first != auditPageSize || first+older != 62 {
		t.Errorf("H100101's entries: %d on the first page, %d older; want 50 and the rest of 60 reads and 2 of the log", first, older)
	}
	screenshot(t, ctx, "audit-older")

	do(t, ctx, chromedp.Navigate(ps.URL+"/audit?patient=H999999"), chromedp.WaitVisible("#audit-problem"))
	if msg := eval[string](t, ctx, "document.getElementById('audit-problem').textContent"); !strings.Contains(msg, "H999999") {
		t.Errorf("unknown patient: %q", msg)
	}
	screenshot(t, ctx, "audit-unknown-patient")
}
