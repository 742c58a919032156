package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/chromedp/chromedp"
)

// TestBrowserRequestToArrival is a request's day in real browsers: a clerk
// asks for notes from /lookup; the library sees the request appear on
// /requests without reloading; a porter scans the folder at the wrong ward
// and is told WANTED AT the right one, scans it there, and the request
// leaves the library's queue.
func TestBrowserRequestToArrival(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 4)
	v := ps.Vols[1]
	queue := newBrowser(t)
	signIn(t, queue, ps.URL, "library", "/requests")
	waitFor(t, "the queue to go live", 10*time.Second, func() bool {
		return strings.HasPrefix(textOf(t, queue, "live"), "Live")
	})
	screenshot(t, queue, "requests-empty")

	clerk := newBrowser(t)
	signIn(t, clerk, ps.URL, "clerk", "/lookup")
	do(t, clerk, chromedp.Navigate(ps.URL+"/lookup?q="+v.Barcode), chromedp.WaitVisible(".patient"),
		chromedp.Click(".request-notes summary"), chromedp.WaitVisible(".request-form select[name=location]"),
		chromedp.SetValue(".request-form select[name=location]", "WARD9"),
		chromedp.SetValue(".request-form input[name=note]", "For the ward round"))
	screenshot(t, clerk, "lookup-request")
	do(t, clerk, chromedp.Submit(".request-form button"), chromedp.WaitVisible("#request-done"))
	if got := textOf(t, clerk, "request-done"); !strings.Contains(got, "Ward 9") {
		t.Errorf("after asking the clerk reads %q", got)
	}
	if got := eval[string](t, clerk, "document.querySelector('.wanted-list').textContent"); !strings.Contains(got, "Ward 9 Orthopaedics") {
		t.Errorf("the volume's open requests read %q", got)
	}
	screenshot(t, clerk, "lookup-requested")
	// The next request form offers the place the clerk last asked for.
	do(t, clerk, chromedp.Navigate(ps.URL+"/lookup?q="+ps.Vols[2].Barcode), chromedp.WaitReady(".request-form"))
	if got := eval[string](t, clerk, "document.querySelector('.request-form select[name=location]').value"); got != "WARD9" {
		t.Errorf("the form offers %q first, want the clerk's last place WARD9", got)
	}

	waitFor(t, "the request on the library's queue", 10*time.Second, func() bool {
		return eval[int](t, queue, "document.querySelectorAll('#queue tr[data-request]').length") == 1
	})
	if got := eval[string](t, queue, "document.querySelector('#queue tr').textContent"); !strings.Contains(got, v.Barcode) || !strings.Contains(got, "For the ward round") {
		t.Errorf("the queue's row reads %q", got)
	}
	screenshot(t, queue, "requests")
	scanToArrival(t, ps, v.Barcode)
	waitFor(t, "the met request to leave the queue", 10*time.Second, func() bool {
		return eval[int](t, queue, "document.querySelectorAll('#queue tr[data-request]').length") == 0
	})
}

// scanToArrival is the porter's part: the folder scanned at the wrong ward
// says where it is wanted, with its own sound; at the right ward it meets
// the request.
func scanToArrival(t *testing.T, ps *pageServer, barcode string) {
	t.Helper()
	porter := newRecordedBrowser(t)
	signIn(t, porter, ps.URL, "porter", "/scan")
	scanLocation(t, porter, ps, "WARD7")
	wedge(t, porter, barcode)
	waitFor(t, "the WANTED answer", 10*time.Second, func() bool {
		return strings.HasPrefix(eval[string](t, porter, "document.querySelector('#feedback .headline').textContent"), "WANTED AT")
	})
	head := eval[string](t, porter, "document.querySelector('#feedback .headline').textContent")
	if !strings.HasPrefix(head, "WANTED AT WARD 9 ORTHOPAEDICS BY ") || !eval[bool](t, porter, "document.getElementById('feedback').classList.contains('wanted')") {
		t.Errorf("at the wrong ward the porter reads %q", head)
	}
	waitFor(t, "the WANTED sound", 5*time.Second, func() bool {
		return eval[int](t, porter, "window.__recorded.tones.filter(function (k) { return k === 'sawtooth'; }).length") >= 4
	})
	screenshot(t, porter, "scan-wanted")
	scanLocation(t, porter, ps, "WARD9")
	wedge(t, porter, barcode)
	waitFor(t, "the request met", 10*time.Second, func() bool {
		return strings.Contains(eval[string](t, porter, "document.querySelector('#feedback .headline').textContent"), "Request met")
	})
	screenshot(t, porter, "scan-fulfils")
}

// TestBrowserPullList shows tomorrow's pull list, watches a line turn
// green as its folder reaches the clinic, and fetches the pick list PDF.
func TestBrowserPullList(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 6)
	ctx := context.Background()
	day := time.Now().In(pageZone()).AddDate(0, 0, 1)
	lib := tracking.Actor{Name: "pas", Role: tracking.RoleLibrary}
	for i, v := range ps.Vols[:5] {
		start := time.Date(day.Year(), day.Month(), day.Day(), 9+i, 30, 0, 0, pageZone())
		in := tracking.AppointmentInput{ID: "PAS-" + v.Barcode, Clinic: "OPD-CARD", Patient: hospitalNumber(t, ps, v.Barcode),
			Start: start.Format(time.RFC3339)}
		if _, err := ps.Service.BookAppointment(ctx, lib, in); err != nil {
			t.Fatal(err)
		}
	}
	ps.book(t, ps.Vols[3].Barcode, "WARD7", time.Now())
	b := newBrowser(t)
	signIn(t, b, ps.URL, "library", "/pull-lists")
	do(t, b, chromedp.WaitVisible("#lines"))
	waitFor(t, "the list to go live", 10*time.Second, func() bool { return strings.HasPrefix(textOf(t, b, "live"), "Live") })
	if n := eval[int](t, b, "document.querySelectorAll('#lines tr.in_library').length"); n != 4 {
		t.Errorf("%d lines to pull from the library, want 4", n)
	}
	screenshot(t, b, "pull-lists")
	ps.book(t, ps.Vols[0].Barcode, "OPD-CARD", time.Now())
	waitFor(t, "the line to turn green", 10*time.Second, func() bool {
		return eval[int](t, b, "document.querySelectorAll('#lines tr.at_clinic').length") == 1
	})
	// The week's counts follow without a reload: one session now has a
	// folder at the clinic and one fewer in the library.
	sumOf := func(col int) string {
		return fmt.Sprintf(`Array.from(document.querySelectorAll('#sessions tbody tr')).reduce(function (n, tr) {
			return n + Number(tr.querySelectorAll('td')[%d].textContent); }, 0)`, col)
	}
	waitFor(t, "the session counts to follow", 10*time.Second, func() bool {
		return eval[int](t, b, sumOf(3)) == 1 && eval[int](t, b, sumOf(4)) == 3
	})
	pdf, err := chromedp.Run(b, chromedp.Evaluate[string](`fetch(document.getElementById('pdf-link').href).then(function (r) {
		return r.headers.get('Content-Type') + ' ' + r.status; })`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if pdf != "application/pdf 200" {
		t.Errorf("the pick list link gave %q", pdf)
	}
	screenshot(t, b, "pull-lists-live")
}

func hospitalNumber(t *testing.T, ps *pageServer, barcode string) string {
	t.Helper()
	v, err := ps.Service.FindVolume(context.Background(), admin, barcode)
	if err != nil {
		t.Fatal(err)
	}
	return v.Patient.HospitalNumber
}
