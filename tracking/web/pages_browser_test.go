package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserPages walks the other pages as people use them, with the
// keyboard where it matters, and leaves screenshots of each.
func TestBrowserPages(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 8)
	ctx := newBrowser(t)
	do(t, ctx, chromedp.Navigate(ps.URL+"/login"), chromedp.WaitVisible("#name"))
	screenshot(t, ctx, "login")
	do(t, ctx, chromedp.SendKeys("#name", "library"), chromedp.SendKeys("#password", "wrong-password"),
		chromedp.Submit("#password"), chromedp.WaitVisible("#login-error"))
	screenshot(t, ctx, "login-failed")
	signIn(t, ctx, ps.URL, "library", "/")
	screenshot(t, ctx, "home")

	v, nhs := ps.Vols[2], testNHSNumber(2)
	ps.book(t, v.Barcode, "WARD7", time.Now().Add(-26*time.Hour))
	ps.book(t, v.Barcode, "OPD-CARD", time.Now().Add(-3*time.Hour))
	do(t, ctx, chromedp.Navigate(ps.URL+"/lookup"), chromedp.WaitVisible("#q"), chromedp.Focus("#q"),
		chromedp.KeyEvent(nhs[:3]+" "+nhs[3:6]+" "+nhs[6:]),
		chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(".patient"))
	if body := eval[string](t, ctx, "document.querySelector('.patient').textContent"); !strings.Contains(body, v.Barcode) {
		t.Errorf("lookup by NHS number shows no %s", v.Barcode)
	}
	do(t, ctx, chromedp.Click(".patient details summary"))
	screenshot(t, ctx, "lookup")
	do(t, ctx, chromedp.Navigate(ps.URL+"/lookup?location=LIB"), chromedp.WaitVisible("#at-title"))
	screenshot(t, ctx, "lookup-location")

	testLabelsPage(t, ctx, ps)
	do(t, ctx, chromedp.Navigate(ps.URL+"/no-such-page"), chromedp.WaitVisible("#error-message"))
	screenshot(t, ctx, "error")
}

// testLabelsPage ticks a folder and a location, previews them in the
// basket, and asks for a PDF sheet.
func testLabelsPage(t *testing.T, ctx context.Context, ps *pageServer) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(ps.URL+"/labels?q=smith"), chromedp.WaitVisible("#label-form"),
		chromedp.Click(`input[name="volume"]`), chromedp.Click(`input[name="location"][value="WARD7"]`),
		chromedp.Sleep(700*time.Millisecond))
	if n := basketSize(t, ctx); n != 2 {
		t.Errorf("%d labels in the basket, want 2", n)
	}
	if txt := textOf(t, ctx, "print"); txt != "Print 2 labels" {
		t.Errorf("print button says %q, want Print 2 labels", txt)
	}
	screenshot(t, ctx, "labels")
	printBasket(t, ctx)
}
