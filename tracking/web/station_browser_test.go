package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The scan station's safety controls (SAFETY.md H01, H06, H07), each
// tested in a real browser as porters meet them.

// pageRecorder is run in every page before its own scripts: it notes each
// POST the page makes, each tone it plays and each vibration, so a test
// can tell what a page sent and whether it sounded the error.
const pageRecorder = `(function () {
  var log = window.__recorded = { posts: [], tones: [], vibrations: 0 };
  var realFetch = window.fetch;
  window.fetch = function (url, opts) {
    if (opts && opts.method === 'POST') { log.posts.push(String(url) + ' ' + String(opts.body || '')); }
    return realFetch.apply(this, arguments);
  };
  var create = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () {
    var o = create.call(this), start = o.start;
    o.start = function () { log.tones.push(o.type); return start.apply(o, arguments); };
    return o;
  };
  Object.defineProperty(navigator, 'vibrate', { value: function () { log.vibrations++; return true; } });
})();`

// newRecordedBrowser is newBrowser with pageRecorder in every page.
func newRecordedBrowser(t *testing.T) context.Context {
	t.Helper()
	ctx := newBrowser(t)
	_, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument,
			cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: pageRecorder})
		return err
	}))
	if err != nil {
		t.Fatalf("add page recorder: %v", err)
	}
	return ctx
}

// errorTones counts the square-wave tones (only the error sound uses them)
// the page has played since it loaded.
func errorTones(t *testing.T, ctx context.Context) int {
	t.Helper()
	return eval[int](t, ctx, "window.__recorded.tones.filter(function (k) { return k === 'square'; }).length")
}

// postedScansOf reports whether the page has POSTed a scan of the barcode.
func postedScansOf(t *testing.T, ctx context.Context, barcode string) bool {
	t.Helper()
	return eval[bool](t, ctx, `window.__recorded.posts.some(function (p) {
		return p.indexOf('/api/v1/scans') >= 0 && p.indexOf('"barcode":"`+barcode+`"') >= 0; })`)
}

// blockScans makes the scan API unreachable from the tab, as when the
// server is down, while pages (and signing in and out) still load.
func blockScans(t *testing.T, ctx context.Context, base string, block bool) {
	t.Helper()
	var patterns []*network.BlockPattern
	if block {
		patterns = []*network.BlockPattern{{URLPattern: base + "/api/v1/scans*", Block: true}}
	}
	_, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: patterns})
		return err
	}))
	if err != nil {
		t.Fatalf("block scans=%v: %v", block, err)
	}
}

// highContrast turns the browser's forced colours (Windows high contrast)
// on or off.
func highContrast(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	value := map[bool]string{true: "active", false: "none"}[on]
	_, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "forced-colors", Value: value}}})
		return err
	}))
	if err != nil {
		t.Fatalf("forced colours %s: %v", value, err)
	}
}

func textOf(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	return eval[string](t, ctx, "document.getElementById('"+id+"').textContent")
}

func isHidden(t *testing.T, ctx context.Context, id string) bool {
	t.Helper()
	return eval[bool](t, ctx, "document.getElementById('"+id+"').hidden")
}

// scanLocation wedges a location's barcode and waits until the station
// says it is booking there.
func scanLocation(t *testing.T, ctx context.Context, ps *pageServer, code string) {
	t.Helper()
	wedge(t, ctx, ps.Locs[code].Barcode)
	waitFor(t, "booking to "+code, 10*time.Second, func() bool {
		return eval[string](t, ctx, "document.getElementById('target-name').dataset.code") == code
	})
}

// attention is how many failed scans the red bar says need attention.
func attention(t *testing.T, ctx context.Context) int {
	t.Helper()
	return eval[int](t, ctx, "Number((document.getElementById('attention') || {dataset: {}}).dataset.count || 0)")
}

// TestBrowserSharedPCQueue is H06 on a ward PC: porter queues scans while
// the server cannot be reached and signs out; library signs in on the same
// browser. Nothing of porter's is sent as library, library is told scans
// wait for someone else, and porter's scans go when porter is back, once.
func TestBrowserSharedPCQueue(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 5)
	ctx := newRecordedBrowser(t)
	signIn(t, ctx, ps.URL, "porter", "/scan")
	scanLocation(t, ctx, ps, "WARD9")
	blockScans(t, ctx, ps.URL, true)
	for _, v := range ps.Vols[:3] {
		wedge(t, ctx, v.Barcode)
	}
	waitFor(t, "3 scans waiting", 10*time.Second, func() bool { return waiting(t, ctx) == 3 })
	signOut(t, ctx)

	signIn(t, ctx, ps.URL, "library", "/scan")
	blockScans(t, ctx, ps.URL, false)
	scanLocation(t, ctx, ps, "WARD7")
	wedge(t, ctx, ps.Vols[3].Barcode)
	waitFor(t, "library's own scan sent", 10*time.Second, func() bool { return ps.currentCode(t, ps.Vols[3].Barcode) == "WARD7" })
	eval[bool](t, ctx, "window.casetrack.sync(), true")
	waitFor(t, "library's queue empty", 10*time.Second, func() bool { return waiting(t, ctx) == 0 })
	for _, v := range ps.Vols[:3] {
		if postedScansOf(t, ctx, v.Barcode) {
			t.Errorf("library's page sent porter's scan of %s", v.Barcode)
		}
		if got := ps.currentCode(t, v.Barcode); got != "LIB" {
			t.Errorf("%s is at %s while porter is away, want LIB", v.Barcode, got)
		}
		if strings.Contains(textOf(t, ctx, "recent"), v.Barcode) {
			t.Errorf("library's last scans list porter's %s", v.Barcode)
		}
	}
	const notice = "3 scans by another user are waiting: they must sign in to send them."
	if got := textOf(t, ctx, "others-waiting"); got != notice || isHidden(t, ctx, "others-waiting") {
		t.Errorf("library sees %q (hidden %v), want %q", got, isHidden(t, ctx, "others-waiting"), notice)
	}
	screenshot(t, ctx, "scan-others-waiting")
	signOut(t, ctx)

	signIn(t, ctx, ps.URL, "porter", "/scan")
	waitFor(t, "porter's scans sent", 20*time.Second, func() bool { return waiting(t, ctx) == 0 })
	checkBookedOnceBy(t, ps, "WARD9", "porter")
	if !isHidden(t, ctx, "others-waiting") {
		t.Errorf("porter is told %q, want no scans of others waiting", textOf(t, ctx, "others-waiting"))
	}
}

// checkBookedOnceBy checks the first three volumes each moved once to the
// location, by the user.
func checkBookedOnceBy(t *testing.T, ps *pageServer, code, user string) {
	t.Helper()
	for _, v := range ps.Vols[:3] {
		ms, err := ps.Service.FindMovements(context.Background(), admin, v.Barcode)
		if err != nil {
			t.Fatal(err)
		}
		var to []string
		for _, m := range ms {
			if m.To == code {
				to = append(to, m.By)
			}
		}
		if len(to) != 1 || to[0] != user || ps.currentCode(t, v.Barcode) != code {
			t.Errorf("%s: moved to %s by %v, now at %s; want once, by %s", v.Barcode, code, to, ps.currentCode(t, v.Barcode), user)
		}
	}
}

// TestBrowserFailureStays is H07: a failed scan followed at once by a good
// one, online and in the catch-up after the network returns, stays in a red
// bar with the error sound and vibration until it is acknowledged, from
// the keyboard, and survives a reload until then.
func TestBrowserFailureStays(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 3)
	ctx := newRecordedBrowser(t)
	signIn(t, ctx, ps.URL, "porter", "/scan")
	scanLocation(t, ctx, ps, "WARD7")
	wedge(t, ctx, "NO-SUCH-FOLDER-1")
	wedge(t, ctx, ps.Vols[0].Barcode)
	waitGood(t, ctx, ps.Vols[0].Barcode)
	checkAttention(t, ctx, 1, "NO-SUCH-FOLDER-1")
	if n := eval[int](t, ctx, "window.__recorded.vibrations"); n < 1 {
		t.Errorf("the failure did not vibrate")
	}
	screenshot(t, ctx, "scan-attention")
	highContrast(t, ctx, true)
	screenshot(t, ctx, "scan-attention-high-contrast")
	highContrast(t, ctx, false)

	setOffline(t, ctx, true)
	wedge(t, ctx, "NO-SUCH-FOLDER-2")
	wedge(t, ctx, ps.Vols[1].Barcode)
	waitFor(t, "2 scans waiting", 10*time.Second, func() bool { return waiting(t, ctx) == 2 })
	before := errorTones(t, ctx)
	setOffline(t, ctx, false)
	eval[bool](t, ctx, "window.casetrack.sync(), true")
	waitGood(t, ctx, ps.Vols[1].Barcode)
	if errorTones(t, ctx) <= before {
		t.Errorf("a failure in the catch-up played no error sound")
	}
	checkAttention(t, ctx, 2, "NO-SUCH-FOLDER-2")

	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible("#scan-input"))
	if n := attention(t, ctx); n != 2 || isHidden(t, ctx, "attention") {
		t.Fatalf("after a reload %d failures shown (hidden %v), want 2 until acknowledged", n, isHidden(t, ctx, "attention"))
	}
	do(t, ctx, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab))
	if id := eval[string](t, ctx, "document.activeElement.id"); id != "attention-ack" {
		t.Fatalf("two tabs from the input reach %q, want the acknowledge button", id)
	}
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
	waitFor(t, "acknowledged, focus back on the scan input", 5*time.Second, func() bool {
		return isHidden(t, ctx, "attention") && eval[string](t, ctx, "document.activeElement.id") == "scan-input"
	})
}

// waitGood waits until every scan is answered and the big panel shows the
// good scan of the barcode.
func waitGood(t *testing.T, ctx context.Context, barcode string) {
	t.Helper()
	waitFor(t, "the good scan shown", 20*time.Second, func() bool {
		return waiting(t, ctx) == 0 && strings.Contains(textOf(t, ctx, "feedback"), "Booked") &&
			strings.Contains(textOf(t, ctx, "recent"), barcode)
	})
}

// checkAttention checks the red bar shows n failures, the newest being the
// barcode, above a big panel that shows the later good scan, and that the
// error sound was played.
func checkAttention(t *testing.T, ctx context.Context, n int, barcode string) {
	t.Helper()
	if got := attention(t, ctx); got != n {
		t.Fatalf("after a failure and a good scan %d failures are held on screen, want %d", got, n)
	}
	want := map[bool]string{true: "1 scan needs attention", false: "scans need attention"}[n == 1]
	if got := textOf(t, ctx, "attention-count"); !strings.Contains(got, want) || isHidden(t, ctx, "attention") {
		t.Errorf("attention bar says %q (hidden %v), want %q", got, isHidden(t, ctx, "attention"), want)
	}
	if !strings.Contains(textOf(t, ctx, "attention-list"), barcode) {
		t.Errorf("attention bar does not list %s: %q", barcode, textOf(t, ctx, "attention-list"))
	}
	if cls := eval[string](t, ctx, "document.getElementById('feedback').className"); !strings.Contains(cls, "ok") {
		t.Errorf("big panel is %q, want the later good scan", cls)
	}
	if errorTones(t, ctx) == 0 {
		t.Errorf("no error sound was played")
	}
}

// TestBrowserReceiveNeedsStation is H01: in receive mode, before anyone has
// said where the station is, a folder's scan is refused (nothing sent,
// nothing moved) even though the tab was booking to a ward before; a
// location's barcode then says where the station is.
func TestBrowserReceiveNeedsStation(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 2)
	ctx := newRecordedBrowser(t)
	signIn(t, ctx, ps.URL, "porter", "/scan")
	scanLocation(t, ctx, ps, "WARD7")
	do(t, ctx, chromedp.Click(`input[name="mode"][value="receive"]`), chromedp.WaitVisible("#here"))
	vol := ps.Vols[0].Barcode
	wedge(t, ctx, vol)
	headline := func() string {
		return eval[string](t, ctx, "document.querySelector('#feedback .headline').textContent")
	}
	waitFor(t, "an answer", 10*time.Second, func() bool { return !strings.HasPrefix(headline(), "Location") && waiting(t, ctx) == 0 })
	if postedScansOf(t, ctx, vol) || ps.currentCode(t, vol) != "LIB" || ps.movementsTo(t, vol, "WARD7") != 0 {
		t.Fatalf("a receive scan with no station location was sent or moved %s (now at %s)", vol, ps.currentCode(t, vol))
	}
	if head := headline(); head != "Choose where this station is" || attention(t, ctx) != 1 {
		t.Errorf("big panel says %q, %d failures held; want Choose where this station is, held", head, attention(t, ctx))
	}
	if errorTones(t, ctx) == 0 {
		t.Errorf("the refusal played no error sound")
	}
	screenshot(t, ctx, "scan-receive-refused")

	wedge(t, ctx, ps.Locs["WARD9"].Barcode)
	waitFor(t, "receiving at WARD9", 10*time.Second, func() bool {
		return eval[string](t, ctx, "document.getElementById('here').value") == "WARD9"
	})
	wedge(t, ctx, vol)
	waitFor(t, "received at WARD9", 10*time.Second, func() bool { return ps.currentCode(t, vol) == "WARD9" })
	if n := ps.movementsTo(t, vol, "WARD7"); n != 0 {
		t.Errorf("%s has %d movements to the tab's old WARD7, want none", vol, n)
	}
}

// TestBrowserUndoNamesPatient: undo names the patient, outlives a later
// already-here scan and a failed one, and a scanner's Enter while focus is
// on the undo button scans rather than undoing.
func TestBrowserUndoNamesPatient(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 2)
	ctx := newRecordedBrowser(t)
	signIn(t, ctx, ps.URL, "porter", "/scan")
	scanLocation(t, ctx, ps, "WARD7")
	first, second := ps.Vols[0].Barcode, ps.Vols[1].Barcode
	wedge(t, ctx, first)
	waitUndo(t, ctx, "SMITH, Zoë")
	do(t, ctx, chromedp.Focus("#undo"))
	wedge(t, ctx, second)
	waitUndo(t, ctx, "O'NEILL, Zoë")
	if ps.currentCode(t, first) != "WARD7" || ps.currentCode(t, second) != "WARD7" {
		t.Fatalf("a scan typed while undo had focus: %s at %s, %s at %s; want both at WARD7",
			first, ps.currentCode(t, first), second, ps.currentCode(t, second))
	}
	wedge(t, ctx, second)
	wedge(t, ctx, "NO-SUCH-FOLDER-3")
	waitFor(t, "the failure", 10*time.Second, func() bool { return attention(t, ctx) == 1 && waiting(t, ctx) == 0 })
	if u := textOf(t, ctx, "undo"); !strings.Contains(u, "O'NEILL, Zoë") || eval[bool](t, ctx, "document.getElementById('undo').disabled") {
		t.Fatalf("after already-here and failed scans undo says %q, want it still offered for O'NEILL", u)
	}
	screenshot(t, ctx, "scan-undo")
	do(t, ctx, chromedp.Click("#undo"))
	waitFor(t, "undone", 10*time.Second, func() bool { return ps.currentCode(t, second) == "LIB" })
	waitFor(t, "undone shown", 5*time.Second, func() bool {
		s := eval[string](t, ctx, "document.getElementById('feedback').textContent")
		return strings.Contains(s, "Undone") && strings.Contains(s, "O'NEILL")
	})
	if !eval[bool](t, ctx, "document.getElementById('undo').disabled") {
		t.Errorf("undo still offered after it was used: %q", textOf(t, ctx, "undo"))
	}
}

func waitUndo(t *testing.T, ctx context.Context, who string) {
	t.Helper()
	waitFor(t, "undo naming "+who, 10*time.Second, func() bool {
		return strings.Contains(textOf(t, ctx, "undo"), who) && !eval[bool](t, ctx, "document.getElementById('undo').disabled")
	})
}
