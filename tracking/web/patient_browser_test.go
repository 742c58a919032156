package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserPatientEdit has a librarian correct a patient's details from
// the lookup, by keyboard, getting the NHS number wrong first.
func TestBrowserPatientEdit(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 3)
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "library", "/lookup?q=H100100")
	do(t, ctx, chromedp.WaitVisible(".patient-actions"), chromedp.Click(`.patient-actions a[href$="/edit"]`),
		chromedp.WaitVisible("#patient-form"))
	typeInto(t, ctx, "patient-nhs_number", "943 476 5918")
	typeInto(t, ctx, "patient-given_name", "Siân")
	do(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible("#patient-problem"))
	if id := eval[string](t, ctx, "document.activeElement.id"); id != "patient-nhs_number" {
		t.Errorf("after a bad NHS number, focus on %q", id)
	}
	screenshot(t, ctx, "patient-edit-errors")
	typeInto(t, ctx, "patient-nhs_number", "943 476 5919")
	do(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible("#patient-saved"))
	screenshot(t, ctx, "patient-edit")
	p, err := ps.Service.FindPatient(context.Background(), admin, "H100100")
	if err != nil || p.NHSNumber != "9434765919" || p.GivenName != "Siân" || p.FamilyName != "Smith" {
		t.Errorf("saved patient %+v %v", p, err)
	}
}

// typeInto empties a form field and types text into it from the keyboard.
func typeInto(t *testing.T, ctx context.Context, id, text string) {
	t.Helper()
	eval[bool](t, ctx, "document.getElementById('"+id+"').value = ''; true")
	do(t, ctx, chromedp.Focus("#"+id), chromedp.KeyEvent(text))
}

// TestBrowserMerge merges one record into another from its page: the two
// side by side, the merge, the folders to relabel ticked on the labels
// page, and the task closed from /merges.
func TestBrowserMerge(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 3)
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "library", "/patients/H100101/merge")
	do(t, ctx, chromedp.WaitVisible("#merge-into"), chromedp.Focus("#merge-into"), chromedp.KeyEvent("h100100"),
		chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible("#merge-confirm"))
	if n := eval[int](t, ctx, "document.querySelectorAll('.merge-record').length"); n != 2 {
		t.Errorf("%d records side by side, want 2", n)
	}
	if !strings.Contains(eval[string](t, ctx, "document.getElementById('merge-doubts').textContent"), "family names") {
		t.Errorf("the page does not say the family names differ")
	}
	screenshot(t, ctx, "merge-compare")
	acceptConfirms(t, ctx)
	do(t, ctx, chromedp.Click("#merge-confirm button"), chromedp.WaitVisible("#merge-done"))
	if n := eval[int](t, ctx, "document.querySelectorAll('#relabel-list tbody tr').length"); n != 2 {
		t.Errorf("%d folders to relabel, want 2", n)
	}
	screenshot(t, ctx, "merge-done")
	do(t, ctx, chromedp.Click("#print-relabel"), chromedp.WaitVisible("#labels-merge"), chromedp.Sleep(700*time.Millisecond))
	if n := eval[int](t, ctx, `document.querySelectorAll('input[name="volume"]:checked').length`); n != 2 {
		t.Errorf("%d folders ticked on the labels page, want 2", n)
	}
	screenshot(t, ctx, "labels-relabel")
	do(t, ctx, chromedp.Navigate(ps.URL+"/merges"), chromedp.WaitVisible("#merges .merge"))
	screenshot(t, ctx, "merges")
	acceptConfirms(t, ctx)
	do(t, ctx, chromedp.Click("#merges .merge form button"), chromedp.WaitVisible("#merges-done"))
	if txt := eval[string](t, ctx, "document.getElementById('merges').textContent"); !strings.Contains(txt, "No merged folders wait") {
		t.Errorf("merges after marking done: %q", txt)
	}
}

// acceptConfirms answers yes to the page's "are you sure?" questions.
func acceptConfirms(t *testing.T, ctx context.Context) {
	t.Helper()
	eval[bool](t, ctx, "window.confirm = () => true; true")
}

// TestBrowserFeed shows the PAS feed's messages to an administrator, by
// outcome, and one refused message with its reason, each view in the
// access log; a clerk sees no feed and no edit links.
func TestBrowserFeed(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 1)
	seedFeed(t, ps)
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "admin", "/feed")
	if n := eval[int](t, ctx, "document.querySelectorAll('table.feed tbody tr').length"); n != 3 {
		t.Errorf("%d messages listed, want 3", n)
	}
	screenshot(t, ctx, "feed")
	do(t, ctx, chromedp.Click(`a[href="/feed?status=AE"]`), chromedp.WaitVisible("table.feed"))
	if n := eval[int](t, ctx, "document.querySelectorAll('table.feed tbody tr').length"); n != 1 {
		t.Errorf("%d refused messages, want 1", n)
	}
	do(t, ctx, chromedp.Click("table.feed tbody a"), chromedp.WaitVisible("#feed-reason"))
	if raw := eval[string](t, ctx, "document.getElementById('feed-raw').textContent"); !strings.Contains(raw, "\nPID|1||H100100") {
		t.Errorf("raw message %q: segments not one a line", raw)
	}
	screenshot(t, ctx, "feed-message")
	entries, err := ps.DB.FindAccessLog(context.Background(), tracking.AccessFilter{PatientID: ps.Vols[0].PatientID, Limit: 50})
	views := 0
	for _, e := range entries {
		if e.Action == "view_feed" && e.Actor == "admin" {
			views++
		}
	}
	if err != nil || views < 2 {
		t.Errorf("feed views of the patient in the access log: %d (%v)", views, err)
	}
	signOut(t, ctx)
	signIn(t, ctx, ps.URL, "clerk", "/lookup?q=H100100")
	if n := eval[int](t, ctx, "document.querySelectorAll('.patient-actions').length"); n != 0 {
		t.Errorf("a clerk sees %d edit links", n)
	}
	do(t, ctx, chromedp.Navigate(ps.URL+"/feed"), chromedp.WaitVisible("#error-message"))
}

// seedFeed keeps three messages about the first patient: one applied,
// its resend, and one refused.
func seedFeed(t *testing.T, ps *pageServer) {
	t.Helper()
	ctx := context.Background()
	msg := func(control, status string) *tracking.FeedMessage {
		return &tracking.FeedMessage{ReceivedAt: time.Now(), Remote: "10.20.1.5:41234", Sender: "PAS", Facility: "RX1", ControlID: control,
			Type: "ADT^A08", Status: status, Raw: "MSH|^~\\&|PAS|RX1|CASETRACK|RX1|20261203120000||ADT^A08|" + control + "|P|2.4\r" +
				"PID|1||H100100^^^RX1^MR~" + testNHSNumber(0) + "^^^NHS^NH||SMITH^Zoë||19311224\r", ACK: "MSH|^~\\&|CASETRACK|RX1|PAS|RX1\rMSA|" + status + "|" + control + "\r"}
	}
	for _, control := range []string{"M1", "M1"} {
		if err := ps.Service.ApplyFeedPatient(ctx, msg(control, "AA"), "H100100", tracking.PatientChange{GivenName: tracking.SetTo("Zoë")}); err != nil {
			t.Fatal(err)
		}
	}
	refused := msg("M2", "AE")
	refused.Code, refused.Where, refused.PatientID = 205, "PID-7", ps.Vols[0].PatientID
	refused.Reason = "The date of birth differs from the one casetrack holds for H100100: not applied."
	if err := ps.Service.KeepFeedMessage(ctx, refused); err != nil {
		t.Fatal(err)
	}
}
