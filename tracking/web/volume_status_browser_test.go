package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// FOUND on the scan station: a porter scans a folder marked missing; the
// station says FOUND in its own colour, and whoever marked it missing
// sees it on their next visit to /lookup.
func TestBrowserFoundOnStation(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 4)
	v := ps.Vols[1]
	ps.markMissing(t, libraryActor, v.Barcode, "Searched WARD7", time.Now().Add(-2*24*time.Hour))
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "porter", "/scan")
	wedge(t, ctx, ps.Locs["WARD9"].Barcode)
	waitFor(t, "booking to WARD9", 10*time.Second, func() bool {
		return eval[string](t, ctx, "document.getElementById('target-name').dataset.code") == "WARD9"
	})
	wedge(t, ctx, v.Barcode)
	waitFor(t, "FOUND", 10*time.Second, func() bool {
		return strings.Contains(eval[string](t, ctx, "document.getElementById('feedback').className"), "found")
	})
	if head := eval[string](t, ctx, "document.querySelector('#feedback .headline').textContent"); !strings.HasPrefix(head, "FOUND") {
		t.Errorf("headline %q, want FOUND", head)
	}
	screenshot(t, ctx, "scan-found")
	testFoundOnCamera(t, ctx, ps)
	lib := newBrowser(t)
	signIn(t, lib, ps.URL, "library", "/lookup")
	do(t, lib, chromedp.WaitVisible("#found-title"))
	if txt := eval[string](t, lib, "document.querySelector('.found-notice').textContent"); !strings.Contains(txt, v.Barcode) || !strings.Contains(txt, "WARD9") {
		t.Errorf("found notice %q", txt)
	}
	screenshot(t, lib, "lookup-found")
}

// testFoundOnCamera finds another missing folder from the camera page,
// as its script hands a decoded code to the scan core.
func testFoundOnCamera(t *testing.T, ctx context.Context, ps *pageServer) {
	t.Helper()
	v := ps.Vols[2]
	ps.markMissing(t, libraryActor, v.Barcode, "Not on WARD9", time.Now().Add(-time.Hour))
	do(t, ctx, chromedp.Navigate(ps.URL+"/camera"), chromedp.WaitVisible("#feedback"),
		chromedp.Evaluate[chromedp.Void]("window.casetrack.scan('"+v.Barcode+"', { channel: 'camera', location: 'WARD9' }); undefined"))
	waitFor(t, "FOUND on the camera page", 10*time.Second, func() bool {
		return strings.Contains(eval[string](t, ctx, "document.getElementById('feedback').className"), "found")
	})
	screenshot(t, ctx, "camera-found")
}

// The volume actions of /lookup, by keyboard where it matters: the status
// history shown, missing needs a note, a temporary folder is made for it,
// destruction needs the barcode typed, and the temporary folder is
// amalgamated when the original turns up.
func TestBrowserVolumeActions(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 3)
	v := ps.Vols[0]
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "library", "/lookup")
	openActions := func() {
		do(t, ctx, chromedp.Navigate(ps.URL+"/lookup?q=H100100"), chromedp.WaitVisible(".volume-actions summary"),
			chromedp.Click(chromedp.CSS(".volume-actions summary")))
	}
	openActions()
	do(t, ctx, chromedp.SetValue(chromedp.CSS(".status-choice"), "missing"), chromedp.Submit(".status-form"), chromedp.WaitVisible(".action-problem"))
	if p := eval[string](t, ctx, "document.querySelector('.action-problem').textContent"); !strings.Contains(p, "searched") {
		t.Errorf("missing without a note: %q", p)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(".volume-actions summary")), chromedp.SetValue(chromedp.CSS(".status-choice"), "missing"),
		chromedp.Focus(".status-form input[name=note]"), chromedp.KeyEvent("Searched WARD7 and theatres"), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(".notice.done"))
	do(t, ctx, chromedp.Click(".status-history summary"))
	if h := eval[string](t, ctx, "document.querySelector('.status-history').textContent"); !strings.Contains(h, "missing") || !strings.Contains(h, "Searched WARD7 and theatres") {
		t.Errorf("status history %q", h)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(".volume-actions summary")), chromedp.Click(".temp-form button"))
	waitFor(t, "the temporary folder", 10*time.Second, func() bool {
		return eval[int](t, ctx, "document.querySelectorAll('.temporary-for').length") == 1
	})
	do(t, ctx, chromedp.Evaluate[chromedp.Void]("document.querySelectorAll('.volume-more details').forEach(function (d) { d.open = true; }); undefined"))
	screenshot(t, ctx, "lookup-actions")
	testDestroyNeedsConfirmation(t, ctx, ps, v.Barcode)
	ps.book(t, v.Barcode, "LIB", time.Now())
	do(t, ctx, chromedp.Navigate(ps.URL+"/lookup?q=H100100"), chromedp.WaitVisible(".amalgamate-form"))
	do(t, ctx, chromedp.Evaluate[chromedp.Void]("document.querySelector('.amalgamate-form').closest('details').open = true"),
		chromedp.Submit(".amalgamate-form"))
	waitFor(t, "amalgamated", 10*time.Second, func() bool {
		return strings.Contains(eval[string](t, ctx, "document.querySelector('.patient') ? document.querySelector('.patient').textContent : ''"), "Amalgamated into")
	})
	if got := ps.statusOf(t, ps.Vols[0].Barcode); got != "active" {
		t.Errorf("the original is %s after the amalgamation, want active", got)
	}
}

func testDestroyNeedsConfirmation(t *testing.T, ctx context.Context, ps *pageServer, barcode string) {
	t.Helper()
	do(t, ctx, chromedp.Evaluate[chromedp.Void]("document.querySelector('.volume-actions').open = true; undefined"),
		chromedp.SetValue(chromedp.CSS(".status-choice"), "destroyed"),
		chromedp.Evaluate[chromedp.Void]("document.querySelector('.status-choice').dispatchEvent(new Event('change')); undefined"))
	if hidden := eval[bool](t, ctx, "document.querySelector('.confirm-destroy').hidden"); hidden {
		t.Error("choosing destroyed does not ask for the barcode")
	}
	do(t, ctx, chromedp.Evaluate[chromedp.Void]("document.querySelector('.confirm-destroy input').required = false; undefined"),
		chromedp.SendKeys(chromedp.CSS(".confirm-destroy input"), "V0000"), chromedp.Submit(chromedp.CSS(".status-form")),
		chromedp.WaitVisible(".action-problem"))
	if got := ps.statusOf(t, barcode); got != "missing" {
		t.Errorf("destroyed without the barcode typed: now %s", got)
	}
}

// statusOf is a volume's status now.
func (ps *pageServer) statusOf(t testing.TB, barcode string) string {
	t.Helper()
	v, err := ps.Service.FindVolume(context.Background(), admin, barcode)
	if err != nil {
		t.Fatal(err)
	}
	return string(v.Status)
}
