package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// The lookup page offers clerks the request form, not porters; asking
// from it goes back to the patient with the outcome, and the volume then
// shows its open request.
func TestLookupRequestForm(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 2)
	v := ps.Vols[0]
	porter := browserClient(t)
	login(t, porter, ps.URL, "porter")
	if _, body := get(t, porter, ps.URL+"/lookup?q="+v.Barcode); strings.Contains(body, "Request these notes") {
		t.Error("a porter is offered the request form")
	}
	clerk := browserClient(t)
	csrf := login(t, clerk, ps.URL, "clerk")
	_, body := get(t, clerk, ps.URL+"/lookup?q="+v.Barcode)
	if !strings.Contains(body, "Request these notes") {
		t.Fatal("the clerk is not offered the request form")
	}
	need := time.Now().Add(3 * time.Hour).In(pageZone()).Format("2006-01-02T15:04")
	form := url.Values{"csrf": {csrf}, "patient": {"H100100"}, "location": {"WARD7"}, "needed_by": {need}, "priority": {"urgent"}, "q": {v.Barcode}}
	res, _ := postForm(t, clerk, ps.URL+"/lookup/request", form)
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "requested=") {
		t.Fatalf("asking: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, clerk, ps.URL+res.Header.Get("Location"))
	if !strings.Contains(body, "wanted at Ward 7 Cardiology") || !strings.Contains(body, `class="wanted-list"`) {
		t.Errorf("after asking the page does not show the request")
	}
	form.Set("location", "NOWHERE")
	res, _ = postForm(t, clerk, ps.URL+"/lookup/request", form)
	if _, body = get(t, clerk, ps.URL+res.Header.Get("Location")); !strings.Contains(body, "The notes were not requested") {
		t.Errorf("a refused request is not explained")
	}
	form.Del("csrf")
	if res, _ := postForm(t, clerk, ps.URL+"/lookup/request", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("asking without the page's token: %d", res.StatusCode)
	}
}

// The queue page cancels with its form, and shows each request once with
// a note of what was done.
func TestRequestsPageCancel(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 2)
	r, err := ps.Service.CreateRequest(context.Background(), admin, tracking.RequestInput{Patient: "H100101", Location: "WARD9",
		NeededBy: time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	lib := browserClient(t)
	csrf := login(t, lib, ps.URL, "library")
	_, body := get(t, lib, ps.URL+"/requests")
	if !strings.Contains(body, `data-request="`) || !strings.Contains(body, "status late") {
		t.Fatalf("the queue does not show the late request")
	}
	res, _ := postForm(t, lib, ps.URL+"/requests/"+strconv.FormatInt(r.ID, 10)+"/cancel", url.Values{"csrf": {csrf}, "location": {""}})
	_, body = get(t, lib, ps.URL+res.Header.Get("Location"))
	if !strings.Contains(body, "cancelled") || strings.Contains(body, `data-request="`) {
		t.Errorf("after cancelling, the queue still shows it or says nothing")
	}
	if _, body := get(t, lib, ps.URL+"/requests?location=NOWHERE"); !strings.Contains(body, "names no location") {
		t.Errorf("an unknown place is not explained")
	}
}
