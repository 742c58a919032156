package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// phone makes the tab a 360 px wide phone, as the screenshots' phone size.
func phone(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateScale(1)))
}

// TestBrowserRegister registers a patient at phone size from the keyboard:
// a mistyped NHS number is caught as it is typed, the patient who already
// has the name is shown first, and the new folder's label is printed.
func TestBrowserRegister(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 3)
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "library", "/register")
	phone(t, ctx)
	typeInto(t, ctx, "hospital_number", "h300001")
	typeInto(t, ctx, "nhs_number", "943 476 5918")
	if s := textOf(t, ctx, "nhs_number-check"); !strings.Contains(s, "is not a valid NHS number") {
		t.Errorf("a wrong check digit says %q", s)
	}
	do(t, ctx, chromedp.KeyEvent(kb.Backspace), chromedp.KeyEvent("9"))
	if s := textOf(t, ctx, "nhs_number-check"); s != "943 476 5919 is a valid NHS number." {
		t.Errorf("a good NHS number says %q", s)
	}
	typeInto(t, ctx, "family_name", "smith")
	typeInto(t, ctx, "given_name", "Zoe")
	typeInto(t, ctx, "birth_date", "24")
	typeInto(t, ctx, "birth_month", "12")
	typeInto(t, ctx, "birth_year", "1931")
	screenshot(t, ctx, "register")
	do(t, ctx, chromedp.Focus(chromedp.ID("register")), chromedp.KeyEvent(kb.Enter))
	waitFor(t, "the namesakes", 10*time.Second, func() bool {
		return eval[string](t, ctx, "(document.activeElement || {}).id || ''") == "namesakes-title"
	})
	if s := textOf(t, ctx, "namesakes"); !strings.Contains(s, "H100100") || !strings.Contains(s, "1 patient already called SMITH, Zoe") {
		t.Errorf("namesakes shown: %q", s)
	}
	screenshot(t, ctx, "register-namesakes")
	phone(t, ctx)
	do(t, ctx, chromedp.Focus(chromedp.ID("different")), chromedp.KeyEvent(" "),
		chromedp.Focus(chromedp.ID("register")), chromedp.KeyEvent(kb.Enter))
	waitFor(t, "the labels page", 10*time.Second, func() bool {
		return eval[string](t, ctx, "location.pathname") == "/labels" && basketSize(t, ctx) == 1
	})
	if s := textOf(t, ctx, "basket"); !strings.Contains(s, "SMITH, Zoe · Vol 1 of 1") {
		t.Errorf("basket after registering holds %q", s)
	}
	if p := ps.patient(t, "H300001"); p == nil || p.BirthDate == nil || p.BirthDate.String() != "1931-12-24" {
		t.Fatalf("registered patient = %+v", p)
	}
	screenshot(t, ctx, "labels-registered")
	printBasket(t, ctx)
	testAddVolume(t, ctx, ps)
}

// testAddVolume adds a second volume to the patient just registered and
// finds it in the basket beside the first.
func testAddVolume(t *testing.T, ctx context.Context, ps *pageServer) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(ps.URL+"/register/volume"), chromedp.WaitVisible(chromedp.ID("q")))
	phone(t, ctx)
	typeInto(t, ctx, "q", "Zoe Smith")
	do(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.ID("results-title")))
	do(t, ctx, chromedp.Navigate(ps.URL+"/register/volume?hospital_number=H300001"), chromedp.WaitVisible(chromedp.ID("add-volume")))
	if s := textOf(t, ctx, "volume-form"); !strings.Contains(s, "Vol 2 of 2") {
		t.Errorf("the new volume is not said to be Vol 2 of 2: %q", s)
	}
	screenshot(t, ctx, "register-volume")
	do(t, ctx, chromedp.Focus(chromedp.ID("add-volume")), chromedp.KeyEvent(kb.Enter))
	waitFor(t, "both volumes in the basket", 10*time.Second, func() bool {
		return eval[string](t, ctx, "location.pathname") == "/labels" && basketSize(t, ctx) == 2
	})
	if s := textOf(t, ctx, "basket"); !strings.Contains(s, "Vol 2 of 2") {
		t.Errorf("basket after adding a volume holds %q", s)
	}
}
