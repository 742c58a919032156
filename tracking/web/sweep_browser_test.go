package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/chromedp/chromedp"
)

var libraryActor = tracking.Actor{Name: "library", Role: tracking.RoleLibrary}

// A sweep of the library as staff run one: started on /sweeps, scanned on
// the station in sweep mode (the folder recorded on a ward is booked
// here, the count follows), finished, and its report read.
func TestBrowserSweep(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 8)
	ps.book(t, ps.Vols[1].Barcode, "WARD7", time.Now().Add(-time.Hour))
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "library", "/sweeps")
	do(t, ctx, chromedp.WaitVisible("#sweep-location"), chromedp.SetValue("#sweep-location", "LIB"),
		chromedp.Click(`#start-sweep button[type="submit"]`), chromedp.WaitVisible("#finish-sweep"))
	if p := eval[string](t, ctx, "location.pathname"); p != "/sweeps/1" {
		t.Fatalf("after starting, at %s, want /sweeps/1", p)
	}
	screenshot(t, ctx, "sweep-open")
	do(t, ctx, chromedp.Click(`a[href="/scan?sweep=1"]`), chromedp.WaitVisible("#scan-input"))
	waitFor(t, "sweep mode", 10*time.Second, func() bool {
		return eval[string](t, ctx, "document.getElementById('target-label').textContent") == "Sweeping" &&
			eval[string](t, ctx, "document.getElementById('target-name').dataset.code") == "LIB"
	})
	for _, v := range ps.Vols[:5] {
		wedge(t, ctx, v.Barcode)
	}
	wedge(t, ctx, "NOT-OURS-42")
	waitFor(t, "scans sent", 20*time.Second, func() bool { return waiting(t, ctx) == 0 })
	if got := ps.currentCode(t, ps.Vols[1].Barcode); got != "LIB" {
		t.Errorf("the folder recorded on WARD7 is at %s after the sweep scanned it, want LIB", got)
	}
	waitFor(t, "the station's count", 10*time.Second, func() bool {
		return strings.Contains(eval[string](t, ctx, "document.getElementById('target-name').textContent"), "5 seen")
	})
	screenshot(t, ctx, "scan-sweep")
	finishSweepInBrowser(t, ctx, ps)
}

func finishSweepInBrowser(t *testing.T, ctx context.Context, ps *pageServer) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(ps.URL+"/sweeps"), chromedp.WaitVisible(".open-sweep"))
	waitFor(t, "live count on /sweeps", 10*time.Second, func() bool {
		return eval[string](t, ctx, "document.querySelector('.live-count .count-seen').textContent") == "5"
	})
	screenshot(t, ctx, "sweeps")
	do(t, ctx, chromedp.Navigate(ps.URL+"/sweeps/1"), chromedp.WaitVisible("#finish-sweep"),
		chromedp.Click(`#finish-sweep button`), chromedp.WaitVisible(".problem"))
	do(t, ctx, chromedp.Click("#scanned-all"), chromedp.Click(`#finish-sweep button`), chromedp.WaitVisible(".sweep-summary"))
	tally := eval[string](t, ctx, `Array.from(document.querySelectorAll('.tally div')).map(function (d) {
		return d.querySelector('dt').textContent + '=' + d.querySelector('dd').textContent; }).join('; ')`)
	if want := "Seen=5; Booked here from elsewhere=1; Recorded here, not seen=3; Probable misfiles=0; Unknown barcodes=1"; tally != want {
		t.Errorf("report summary %q, want %q", tally, want)
	}
	if txt := eval[string](t, ctx, "document.querySelector('[aria-labelledby=corrected-title]').textContent"); !strings.Contains(txt, "WARD7") {
		t.Errorf("corrected table does not say where the folder was recorded: %q", txt)
	}
	screenshot(t, ctx, "sweep-report")
}
