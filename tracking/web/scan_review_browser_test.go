package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserReviewCheck has a records manager at phone size read who
// scanned a barcode nobody knows and where they were booking to, and mark
// it checked from the keyboard.
func TestBrowserReviewCheck(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 2)
	ps.reviewScans(t)
	ps.stationScans(t)
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "admin", "/review")
	phone(t, ctx)
	if s := textOf(t, ctx, "review-title"); s != "4 scans to check" {
		t.Errorf("review title %q, want 4 scans to check", s)
	}
	row := "document.querySelector('table.review tbody tr').textContent"
	if s := eval[string](t, ctx, row); !strings.Contains(s, "Scan station (porter)") || !strings.Contains(s, "Ward 7 Cardiology (WARD7)") {
		t.Errorf("the newest scan reads %q, want the porter's scan station booking to Ward 7", s)
	}
	screenshot(t, ctx, "review-to-check")
	phone(t, ctx)
	do(t, ctx, chromedp.Focus(`table.review tbody tr button`), chromedp.KeyEvent(kb.Enter))
	waitFor(t, "the check", 10*time.Second, func() bool {
		return eval[bool](t, ctx, "!!document.getElementById('review-done')")
	})
	if s := textOf(t, ctx, "review-title"); s != "3 scans to check" {
		t.Errorf("after a check the title says %q, want 3 scans to check", s)
	}
	do(t, ctx, chromedp.Focus(chromedp.ID("show-checked")), chromedp.KeyEvent(" "),
		chromedp.Focus(`form[aria-label="Filter scans"] button`), chromedp.KeyEvent(kb.Enter))
	waitFor(t, "checked scans shown", 10*time.Second, func() bool {
		return eval[bool](t, ctx, "!!document.querySelector('.checked')")
	})
	if s := eval[string](t, ctx, "document.querySelector('.checked').textContent"); !strings.HasPrefix(s, "admin, ") {
		t.Errorf("a checked scan says %q, want who checked it", s)
	}
	screenshot(t, ctx, "review-checked")
}
