package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath is the Debian browser the page tests drive. Without it the
// tests skip, except in CI, where a missing browser is a failure.
const chromiumPath = "/usr/bin/chromium"

// screenshotDir is where the tests leave pictures of every page for a
// person to look at (git ignores testout).
const screenshotDir = "testout/screenshots"

func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: CI must run the browser tests (apt-get install chromium)", chromiumPath)
		}
		t.Skipf("skipping browser test: %s is not installed", chromiumPath)
	}
	if testing.Short() {
		t.Skip("skipping browser test in -short mode")
	}
}

// newBrowser starts a headless Chromium of its own, with a fresh profile,
// and returns a tab's context. extra adds flags (the fake webcam).
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	needChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.Headless,
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1366, 900))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTime := context.WithTimeout(ctx, 100*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// do runs browser steps, failing the test when they take over 20 s.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// eval runs JavaScript in the page and returns its value.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// signIn uses the login form as a person would, arriving at next.
func signIn(t *testing.T, ctx context.Context, base, user, next string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(base+next),
		chromedp.WaitVisible("#name"),
		chromedp.SendKeys("#name", user),
		chromedp.SendKeys("#password", testPassword),
		chromedp.Submit("#password"),
		chromedp.WaitVisible(".who"))
	if loc := eval[string](t, ctx, "location.pathname + location.search"); loc != next {
		t.Fatalf("after sign-in at %s, want %s", loc, next)
	}
}

// wedge types a barcode the way a keyboard-wedge scanner does: one key
// every ~5 ms, then Enter.
func wedge(t *testing.T, ctx context.Context, code string) {
	t.Helper()
	for _, r := range code {
		do(t, ctx, chromedp.KeyEvent(string(r)), chromedp.Sleep(5*time.Millisecond))
	}
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
}

// waitFor polls cond until it holds or the time runs out.
func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func waiting(t *testing.T, ctx context.Context) int {
	return eval[int](t, ctx, "window.casetrack ? window.casetrack.waiting() : -1")
}

// screenshot saves the page at a phone's and a desktop's size.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	sizes := []struct {
		label string
		w, h  int64
		mob   bool
	}{{"phone", 360, 740, true}, {"desktop", 1366, 900, false}}
	for _, s := range sizes {
		opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
		if s.mob {
			opts = append(opts, chromedp.EmulatePortrait, chromedp.EmulateMobile)
		}
		do(t, ctx, chromedp.EmulateViewport(s.w, s.h, opts...), chromedp.Sleep(150*time.Millisecond))
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(screenshotDir, fmt.Sprintf("%s-%s.png", name, s.label)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	do(t, ctx, chromedp.EmulateViewport(1366, 900))
}

// browserDialect runs the browser tests on PostgreSQL when there is one:
// it is the production database.
func browserDialect(t *testing.T) string {
	ds := dbtest.Dialects(t)
	return ds[len(ds)-1]
}

func TestBrowserWedgeScanner(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 12)
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "porter", "/scan")
	do(t, ctx, chromedp.WaitVisible("#scan-input"))
	if id := eval[string](t, ctx, "document.activeElement.id"); id != "scan-input" {
		t.Fatalf("focus on %q, want the scan input", id)
	}
	wedge(t, ctx, ps.Locs["WARD7"].Barcode)
	waitFor(t, "booking to WARD7", 10*time.Second, func() bool {
		return eval[string](t, ctx, "document.getElementById('target-name').dataset.code") == "WARD7"
	})
	for _, v := range ps.Vols[:10] {
		wedge(t, ctx, v.Barcode)
	}
	waitFor(t, "all scans sent", 20*time.Second, func() bool { return waiting(t, ctx) == 0 })
	for _, v := range ps.Vols[:10] {
		if got := ps.currentCode(t, v.Barcode); got != "WARD7" {
			t.Errorf("%s is at %s, want WARD7", v.Barcode, got)
		}
		if n := ps.movementsTo(t, v.Barcode, "WARD7"); n != 1 {
			t.Errorf("%s has %d movements to WARD7, want 1", v.Barcode, n)
		}
	}
	if n := eval[int](t, ctx, "document.querySelectorAll('#recent li').length"); n != 11 {
		t.Errorf("recent list has %d scans, want 11", n)
	}
	if cls := eval[string](t, ctx, "document.getElementById('feedback').className"); !strings.Contains(cls, "ok") {
		t.Errorf("feedback after the last note is %q, want ok", cls)
	}
	if id := eval[string](t, ctx, "document.activeElement.id"); id != "scan-input" {
		t.Errorf("after scanning, focus on %q, want the scan input", id)
	}
	screenshot(t, ctx, "scan")
	testUndo(t, ctx, ps)
}

// testUndo checks that undo books the last note back where it came from,
// as a new movement.
func testUndo(t *testing.T, ctx context.Context, ps *pageServer) {
	t.Helper()
	last := ps.Vols[9].Barcode
	do(t, ctx, chromedp.Click("#undo"))
	waitFor(t, "undo sent", 10*time.Second, func() bool { return ps.currentCode(t, last) == "LIB" })
	waitFor(t, "undo shown", 5*time.Second, func() bool {
		return strings.Contains(eval[string](t, ctx, "document.getElementById('feedback').textContent"), "Undone")
	})
	if n := ps.movementsTo(t, last, "WARD7"); n != 1 {
		t.Errorf("after undo %s has %d movements to WARD7, want 1 (history kept)", last, n)
	}
	if id := eval[string](t, ctx, "document.activeElement.id"); id != "scan-input" {
		t.Errorf("after undo, focus on %q, want the scan input", id)
	}
}

func TestBrowserOfflineQueue(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 6)
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "porter", "/scan")
	wedge(t, ctx, ps.Locs["WARD9"].Barcode)
	waitFor(t, "booking to WARD9", 10*time.Second, func() bool {
		return eval[string](t, ctx, "document.getElementById('target-name').dataset.code") == "WARD9"
	})
	setOffline(t, ctx, true)
	for _, v := range ps.Vols[:5] {
		wedge(t, ctx, v.Barcode)
	}
	waitFor(t, "5 scans waiting", 10*time.Second, func() bool { return waiting(t, ctx) == 5 })
	if txt := eval[string](t, ctx, "document.getElementById('queue').textContent"); !strings.Contains(txt, "5 scans waiting") {
		t.Errorf("queue says %q, want 5 scans waiting", txt)
	}
	for _, v := range ps.Vols[:5] {
		if got := ps.currentCode(t, v.Barcode); got != "LIB" {
			t.Fatalf("offline scan of %s reached the server", v.Barcode)
		}
	}
	screenshot(t, ctx, "scan-offline")
	setOffline(t, ctx, false)
	waitFor(t, "queue drained", 30*time.Second, func() bool { return waiting(t, ctx) == 0 })
	for _, v := range ps.Vols[:5] {
		if n := ps.movementsTo(t, v.Barcode, "WARD9"); n != 1 || ps.currentCode(t, v.Barcode) != "WARD9" {
			t.Errorf("%s: %d movements to WARD9, now at %s; want exactly one, at WARD9", v.Barcode, n, ps.currentCode(t, v.Barcode))
		}
	}
}

// setOffline cuts the tab off from the network, or restores it.
func setOffline(t *testing.T, ctx context.Context, offline bool) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}}})
		return err
	}))
	if err != nil {
		t.Fatalf("set offline=%v: %v", offline, err)
	}
}
