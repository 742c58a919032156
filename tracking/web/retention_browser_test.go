package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// A records manager places a legal hold by keyboard, /lookup shows it on
// the folder, and destroying the folder is refused with the hold named;
// once lifted, a review date set on /lookup is shown and also refuses.
func TestBrowserLegalHoldAndReviewDate(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 2)
	v := ps.Vols[0]
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "admin", "/")

	do(t, ctx, chromedp.Navigate(ps.URL+"/patients/H100100/hold"), chromedp.WaitVisible("#hold-reason"),
		chromedp.Focus("#hold-reason"), chromedp.KeyEvent("Claim 2026/114 (solicitors' letter)"),
		chromedp.Focus("#hold-form button[value=place]"), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible("#hold-done"))
	if got := eval[string](t, ctx, "document.querySelector('#hold-current').textContent"); !strings.Contains(got, "Claim 2026/114") {
		t.Fatalf("hold shown as %q", got)
	}
	screenshot(t, ctx, "legal-hold")

	destroy := func() string {
		do(t, ctx, chromedp.Navigate(ps.URL+"/lookup?q=H100100"), chromedp.WaitVisible(".volume-actions summary"),
			chromedp.Evaluate[chromedp.Void]("document.querySelector('.volume-actions').open = true; undefined"),
			chromedp.SetValue(chromedp.CSS(".status-choice"), "destroyed"),
			chromedp.Evaluate[chromedp.Void]("document.querySelector('.status-choice').dispatchEvent(new Event('change')); undefined"),
			chromedp.SendKeys(chromedp.CSS(".confirm-destroy input"), v.Barcode), chromedp.Submit(chromedp.CSS(".status-form")),
			chromedp.WaitVisible(".action-problem"))
		return eval[string](t, ctx, "document.querySelector('.action-problem').textContent")
	}
	if p := destroy(); !strings.Contains(p, "legal hold") || !strings.Contains(p, "Claim 2026/114") {
		t.Errorf("destroy under a hold: %q", p)
	}
	if n := eval[int](t, ctx, "document.querySelectorAll('.hold-notice').length"); n != 1 {
		t.Errorf("%d hold notices on /lookup", n)
	}
	screenshot(t, ctx, "legal-hold-refusal")
	if got := ps.statusOf(t, v.Barcode); got != "active" {
		t.Fatalf("destroyed under a hold: now %s", got)
	}

	do(t, ctx, chromedp.Navigate(ps.URL+"/patients/H100100/hold"), chromedp.WaitVisible("#lift-form"),
		chromedp.Submit("#lift-form"), chromedp.WaitVisible("#hold-problem"))
	if got := eval[string](t, ctx, "document.querySelector('#hold-problem').textContent"); !strings.Contains(got, "why the hold is lifted") {
		t.Errorf("lifting without a reason: %q", got)
	}
	do(t, ctx, chromedp.SendKeys("#lift-reason", "Claim settled"), chromedp.Submit("#lift-form"), chromedp.WaitVisible("#hold-done"))
	if got := eval[string](t, ctx, "document.querySelector('#hold-current').textContent"); !strings.Contains(got, "not under a legal hold") {
		t.Fatalf("after lifting: %q", got)
	}

	do(t, ctx, chromedp.Navigate(ps.URL+"/lookup?q=H100100"), chromedp.WaitVisible(".volume-actions summary"),
		chromedp.Evaluate[chromedp.Void]("document.querySelector('.volume-actions').open = true; undefined"),
		chromedp.SetValue(chromedp.CSS(".retention-form input[name=retain_until]"), "2099-03-01"),
		chromedp.Submit(chromedp.CSS(".retention-form")), chromedp.WaitVisible(".retain-until"))
	if got := eval[string](t, ctx, "document.querySelector('.retain-until').textContent"); !strings.Contains(got, "01-Mar-2099") {
		t.Errorf("review date shown as %q", got)
	}
	if p := destroy(); !strings.Contains(p, "kept until 01-Mar-2099") {
		t.Errorf("destroy before the review date: %q", p)
	}

	// A review date that has come puts the folder on the retention list.
	do(t, ctx, chromedp.Evaluate[chromedp.Void]("document.querySelector('.volume-actions').open = true; undefined"),
		chromedp.SetValue(chromedp.CSS(".retention-form input[name=retain_until]"), "2001-01-01"),
		chromedp.Submit(chromedp.CSS(".retention-form")), chromedp.WaitVisible(".retain-until"),
		chromedp.Navigate(ps.URL+"/retention"), chromedp.WaitVisible("#due-title"))
	if got := eval[string](t, ctx, "document.querySelector('#due-title').textContent"); !strings.Contains(got, "(1)") {
		t.Errorf("retention list heading %q", got)
	}
	if got := eval[string](t, ctx, "document.querySelector('table[aria-labelledby=due-title]').textContent"); !strings.Contains(got, v.Barcode) || !strings.Contains(got, "01-Jan-2001") {
		t.Errorf("retention list %q", got)
	}
	screenshot(t, ctx, "retention")
}
