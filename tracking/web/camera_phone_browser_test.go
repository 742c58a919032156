package web

import (
	"context"
	"image"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/chromedp/chromedp"
)

// TestBrowserCameraPhone uses the camera page on a 360 px phone, fed by
// the fake webcam (a location, an unknown label, a folder): once the camera
// runs only Stop is offered; the answer, and the failure held above it, sit
// above the preview and fit on the screen with it; after Stop only Start is
// offered, with the focus on it.
func TestBrowserCameraPhone(t *testing.T) {
	needChromium(t)
	ps := newPageServer(t, browserDialect(t), 1)
	loc, vol := ps.Locs["WARD9"], ps.Vols[0]
	video := filepath.Join(t.TempDir(), "labels.y4m")
	unknown := camVolumeLabel(&tracking.Volume{Barcode: "NO-SUCH-LABEL"})
	writeY4M(t, video, []image.Image{mustLabel(t, camLocationLabel(loc)), mustLabel(t, unknown), mustLabel(t, camVolumeLabel(vol))})
	ctx := newBrowser(t, chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", video))
	do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(1), chromedp.EmulatePortrait, chromedp.EmulateMobile))
	signIn(t, ctx, ps.URL, "porter", "/camera")
	waitFor(t, "the camera running", 15*time.Second, func() bool {
		return isHidden(t, ctx, "camera-start") && !isHidden(t, ctx, "camera-stop")
	})
	waitFor(t, "the volume booked", 30*time.Second, func() bool { return ps.currentCode(t, vol.Barcode) == loc.Code })
	waitFor(t, "the answer shown", 10*time.Second, func() bool { return waiting(t, ctx) == 0 })
	if n := attention(t, ctx); n != 1 {
		t.Errorf("the unknown label left %d scans needing attention, want 1", n)
	}
	checkAnswerAbovePreview(t, ctx)
	screenshot(t, ctx, "camera-running")

	do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(1), chromedp.EmulatePortrait, chromedp.EmulateMobile),
		chromedp.Focus("#camera-stop"), chromedp.Click("#camera-stop"))
	waitFor(t, "the camera stopped", 10*time.Second, func() bool {
		return !isHidden(t, ctx, "camera-start") && isHidden(t, ctx, "camera-stop")
	})
	if id := eval[string](t, ctx, "document.activeElement.id"); id != "camera-start" {
		t.Errorf("after Stop, focus on %q, want Start", id)
	}
}

// checkAnswerAbovePreview checks, at the phone's size, that the scan's
// answer ends where the preview starts or above it, and that the two fit
// on one screen, so a porter watching the preview sees the answer.
func checkAnswerAbovePreview(t *testing.T, ctx context.Context) {
	t.Helper()
	type layout struct{ Gap, Height, Screen float64 }
	l := eval[layout](t, ctx, `(function () {
		var f = document.getElementById('feedback').getBoundingClientRect();
		var v = document.getElementById('video').getBoundingClientRect();
		return { Gap: v.top - f.bottom, Height: v.bottom - f.top, Screen: window.innerHeight };
	})()`)
	if l.Gap < 0 {
		t.Errorf("the answer reaches %.0f px below the preview's top, want it above", -l.Gap)
	}
	if l.Height > l.Screen {
		t.Errorf("answer and preview take %.0f px, more than the phone's %.0f px screen", l.Height, l.Screen)
	}
	if cls := eval[string](t, ctx, "document.getElementById('feedback').className"); strings.Contains(cls, "idle") {
		t.Errorf("the answer panel still says Ready after a scan")
	}
}
