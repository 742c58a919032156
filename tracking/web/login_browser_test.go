package web

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserLoginFocus: after a wrong password the name is kept and the
// cursor is in the password field, so typing it again is all it takes.
func TestBrowserLoginFocus(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 1)
	ctx := newBrowser(t)
	do(t, ctx, chromedp.Navigate(ps.URL+"/login?next=/scan"), chromedp.WaitVisible("#name"),
		chromedp.SendKeys("#name", "porter"), chromedp.SendKeys("#password", "wrong-password"),
		chromedp.Submit("#password"), chromedp.WaitVisible("#login-error"))
	if id := eval[string](t, ctx, "document.activeElement.id"); id != "password" {
		t.Fatalf("after a wrong password, focus on %q, want the password", id)
	}
	if name := eval[string](t, ctx, "document.getElementById('name').value"); name != "porter" {
		t.Errorf("name field holds %q after a refusal, want porter kept", name)
	}
	do(t, ctx, chromedp.KeyEvent(testPassword), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible("#scan-input"))
}

// TestBrowserLoginLanding: signing in at /login itself (no next) lands
// each role where its work is: porters on the scan station, clerks on
// finding notes, everyone else on the home page; a next still wins.
func TestBrowserLoginLanding(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 1)
	tests := []struct{ user, from, want string }{
		{"porter", "/login", "/scan"},
		{"clerk", "/login", "/lookup"},
		{"library", "/login", "/"},
		{"admin", "/login", "/"},
		{"clerk", "/login?next=/scan", "/scan"},
	}
	for _, tt := range tests {
		t.Run(tt.user+tt.from, func(t *testing.T) {
			ctx := newBrowser(t)
			do(t, ctx, chromedp.Navigate(ps.URL+tt.from), chromedp.WaitVisible("#name"),
				chromedp.SendKeys("#name", tt.user), chromedp.SendKeys("#password", testPassword),
				chromedp.Submit("#password"), chromedp.WaitVisible(".who"))
			if got := eval[string](t, ctx, "location.pathname"); got != tt.want {
				t.Errorf("%s signed in at %s lands on %s, want %s", tt.user, tt.from, got, tt.want)
			}
			if tt.user == "clerk" && tt.from == "/login" {
				screenshot(t, ctx, "login-landing-clerk")
			}
		})
	}
}
