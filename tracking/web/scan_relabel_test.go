package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
	"github.com/chromedp/chromedp"
)

// mergeFirstTwo merges the second seeded patient into the first and
// returns the merge's id.
func (ps *pageServer) mergeFirstTwo(t testing.TB) int64 {
	t.Helper()
	res, err := ps.Service.MergePatient(context.Background(), admin, "H100101", "H100100", tracking.MergeByPage)
	if err != nil {
		t.Fatal(err)
	}
	return res.MergeID
}

// Over the API on each database (SAFETY.md H05): after a merge, a scan
// that books one of the folders to relabel says so, the survivor's own
// included, until the merge's folders are marked relabelled; a folder no
// merge touched says nothing.
func TestScanAnswerRelabel(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, dialect, 3)
			id := ps.mergeFirstTwo(t)
			tok := ps.apiToken(t, "porter-app", tracking.RolePorter)
			relabel := func(barcode, scanID string) map[string]any {
				t.Helper()
				st, body, raw := callAPI(t, ps.URL, tok, "POST", "/api/v1/scans", map[string]string{"barcode": barcode, "location": "WARD9", "scan_id": scanID})
				if st != 200 {
					t.Fatalf("scan %s: %d %s", scanID, st, raw)
				}
				n, _ := body["relabel"].(map[string]any)
				return n
			}
			for _, sc := range []struct{ name, barcode, scanID string }{
				{"Moved", ps.Vols[1].Barcode, "r1"}, {"AlreadyHere", ps.Vols[1].Barcode, "r2"},
				{"Repeat", ps.Vols[1].Barcode, "r1"}, {"SurvivorsOwn", ps.Vols[0].Barcode, "r3"},
			} {
				n := relabel(sc.barcode, sc.scanID)
				if n == nil || int64(n["merge"].(float64)) != id || !strings.Contains(n["message"].(string), "merged into H100100") {
					t.Errorf("%s: relabel %v, want merge %d", sc.name, n, id)
				}
			}
			if n := relabel(ps.Vols[2].Barcode, "r4"); n != nil {
				t.Errorf("a folder no merge touched: relabel %v", n)
			}
			if _, err := ps.Service.FinishMerge(context.Background(), admin, id); err != nil {
				t.Fatal(err)
			}
			if n := relabel(ps.Vols[1].Barcode, "r5"); n != nil {
				t.Errorf("after the folders were relabelled: relabel %v", n)
			}
		})
	}
}

// RELABEL on the scan station: a porter scans a folder whose patient was
// merged and the big panel says to relabel it, in its own colour.
func TestBrowserRelabelOnStation(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 2)
	ps.mergeFirstTwo(t)
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "porter", "/scan")
	wedge(t, ctx, ps.Locs["WARD9"].Barcode)
	waitFor(t, "booking to WARD9", 10*time.Second, func() bool {
		return eval[string](t, ctx, "document.getElementById('target-name').dataset.code") == "WARD9"
	})
	wedge(t, ctx, ps.Vols[1].Barcode)
	waitFor(t, "RELABEL", 10*time.Second, func() bool {
		return strings.Contains(eval[string](t, ctx, "document.getElementById('feedback').className"), "relabel")
	})
	if txt := eval[string](t, ctx, "document.querySelector('#feedback p.relabel').textContent"); !strings.Contains(txt, "merged into H100100") {
		t.Errorf("relabel line %q", txt)
	}
	screenshot(t, ctx, "scan-relabel")
	do(t, ctx, chromedp.Navigate(ps.URL+"/camera"), chromedp.WaitVisible("#feedback"),
		chromedp.Evaluate[chromedp.Void]("window.casetrack.scan('"+ps.Vols[0].Barcode+"', { channel: 'camera', location: 'WARD7' }); undefined"))
	waitFor(t, "RELABEL on the camera page", 10*time.Second, func() bool {
		return strings.Contains(eval[string](t, ctx, "document.getElementById('feedback').className"), "relabel")
	})
	screenshot(t, ctx, "camera-relabel")
}
