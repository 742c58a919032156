package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/chromedp/chromedp"
)

// markMissing marks a volume missing as the user, with a note, at the
// time, as the /lookup form would.
func (ps *pageServer) markMissing(t testing.TB, who tracking.Actor, barcode, note string, at time.Time) {
	t.Helper()
	clock := ps.Service.Now
	ps.Service.Now = func() time.Time { return at }
	defer func() { ps.Service.Now = clock }()
	st := tracking.StatusMissing
	if _, err := ps.Service.UpdateVolume(context.Background(), who, barcode, tracking.VolumeUpdate{Status: &st, Note: note}); err != nil {
		t.Fatal(err)
	}
}

// The records manager's chase list: overdue folders grouped by where
// they are with who booked them there, a missing folder escalated after a
// week, a temporary folder, and the CSV download.
func TestBrowserOverdue(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 8)
	now := time.Now()
	ps.book(t, ps.Vols[0].Barcode, "WARD7", now.Add(-10*24*time.Hour))
	ps.book(t, ps.Vols[1].Barcode, "WARD7", now.Add(-8*24*time.Hour))
	ps.book(t, ps.Vols[2].Barcode, "OPD-CARD", now.Add(-3*24*time.Hour))
	ps.book(t, ps.Vols[3].Barcode, "WARD9", now.Add(-time.Hour))
	ps.markMissing(t, libraryActor, ps.Vols[4].Barcode, "Searched WARD9 and the secretaries", now.Add(-9*24*time.Hour))
	if _, err := ps.Service.AddVolume(context.Background(), libraryActor, "H100104",
		tracking.VolumeInput{Temporary: true, Original: ps.Vols[4].Barcode}); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "library", "/overdue")
	do(t, ctx, chromedp.WaitVisible("#overdue-title"))
	groups := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('.overdue-group h3')).map(function (h) { return h.textContent; })`)
	if len(groups) != 2 || !strings.HasPrefix(groups[0], "Ward 7 Cardiology (WARD7): 2 folders") || !strings.Contains(groups[1], "OPD-CARD") {
		t.Errorf("groups %q, want WARD7 (longest overdue) then OPD-CARD", groups)
	}
	first := eval[string](t, ctx, "document.querySelector('.overdue-group tbody tr').textContent")
	if !strings.Contains(first, ps.Vols[0].Barcode) || !strings.Contains(first, "3 days") || !strings.Contains(first, "porter") {
		t.Errorf("first overdue row %q: want %s, 3 days over, booked by porter", first, ps.Vols[0].Barcode)
	}
	missing := eval[string](t, ctx, "document.querySelector('[aria-labelledby=missing-title] tbody tr').textContent")
	if !strings.Contains(missing, "escalate") || !strings.Contains(missing, "9 days") || !strings.Contains(missing, "Searched WARD9") {
		t.Errorf("missing row %q: want 9 days, escalate, the search note", missing)
	}
	if n := eval[int](t, ctx, "document.querySelectorAll('[aria-labelledby=temporary-title] tbody tr').length"); n != 1 {
		t.Errorf("%d temporary folders listed, want 1", n)
	}
	if href := eval[string](t, ctx, `document.querySelector('a[href="/api/v1/overdue?format=csv"]').getAttribute('href')`); href == "" {
		t.Error("no CSV download")
	}
	screenshot(t, ctx, "overdue")
}
