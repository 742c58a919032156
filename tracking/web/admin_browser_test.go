package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserAdmin has an admin add a user with the keyboard (getting the
// password wrong first), create and revoke a token; the new user then
// signs in, and a porter is refused /admin and /review.
func TestBrowserAdmin(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 2)
	ps.reviewScans(t)
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "admin", "/admin")
	addUser(t, ctx, "nurse.jo", testPassword+"!")
	if id := eval[string](t, ctx, "document.activeElement.id"); id != "user-password2" {
		t.Errorf("after a mismatch, focus on %q, want the second password", id)
	}
	screenshot(t, ctx, "admin-errors")
	addUser(t, ctx, "", testPassword)
	do(t, ctx, chromedp.WaitVisible("#admin-done"))
	if txt := eval[string](t, ctx, "document.getElementById('users').textContent"); !strings.Contains(txt, "nurse.jo") {
		t.Errorf("users list lacks nurse.jo: %q", txt)
	}
	testTokenPages(t, ctx, ps)
	screenshot(t, ctx, "admin")
	do(t, ctx, chromedp.Navigate(ps.URL+"/review"), chromedp.WaitVisible("#review-title"))
	if n := eval[int](t, ctx, "document.querySelectorAll('table.review tbody tr').length"); n != 3 {
		t.Errorf("review lists %d scans, want 3", n)
	}
	screenshot(t, ctx, "review")

	signOut(t, ctx)
	signIn(t, ctx, ps.URL, "nurse.jo", "/lookup")
	signOut(t, ctx)
	signIn(t, ctx, ps.URL, "porter", "/scan")
	for _, path := range []string{"/admin", "/review"} {
		do(t, ctx, chromedp.Navigate(ps.URL+path), chromedp.WaitVisible("#error-message"))
		if h := eval[string](t, ctx, "document.querySelector('h1').textContent"); h != "Not allowed" {
			t.Errorf("porter at %s sees %q, want Not allowed", path, h)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('a[href="/admin"], a[href="/review"]').length`); n != 0 {
		t.Errorf("porter's menu has %d links to admin or review, want none", n)
	}
}

// addUser fills the user form from the keyboard: the name (when given),
// the clerk role, the test password and then second.
func addUser(t *testing.T, ctx context.Context, name, second string) {
	t.Helper()
	if name != "" {
		do(t, ctx, chromedp.Focus("#user-name"), chromedp.KeyEvent(name))
	}
	do(t, ctx, chromedp.Focus("#user-role"), chromedp.KeyEvent("c"),
		chromedp.Focus("#user-password"), chromedp.KeyEvent(testPassword),
		chromedp.Focus("#user-password2"), chromedp.KeyEvent(second), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible("#users"))
}

// testTokenPages creates a token, copies its secret from the page shown
// once, then revokes it from the list.
func testTokenPages(t *testing.T, ctx context.Context, ps *pageServer) {
	t.Helper()
	do(t, ctx, chromedp.Focus("#token-name"), chromedp.KeyEvent("ward7-handheld"), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible("#token-secret"))
	secret := eval[string](t, ctx, "document.getElementById('token-secret').value")
	if !strings.HasPrefix(secret, "ct_") {
		t.Fatalf("token page shows %q, want a ct_ token", secret)
	}
	do(t, ctx, chromedp.Click("#copy-token"))
	waitFor(t, "copy answer", 5*time.Second, func() bool {
		return !strings.Contains(eval[string](t, ctx, "document.getElementById('copy-status').textContent"), "Bearer")
	})
	screenshot(t, ctx, "admin-token")
	do(t, ctx, chromedp.Navigate(ps.URL+"/admin"), chromedp.WaitVisible("#tokens"))
	eval[bool](t, ctx, "window.confirm = function () { return true; }, true")
	do(t, ctx, chromedp.Click(`#tokens button.warning`), chromedp.WaitVisible("#admin-done"))
	if txt := eval[string](t, ctx, "document.getElementById('tokens').textContent"); !strings.Contains(txt, "revoked") {
		t.Errorf("tokens list after revoke: %q", txt)
	}
}

func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Click(".who button"), chromedp.WaitVisible("#name"))
}
