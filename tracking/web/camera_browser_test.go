package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/casetrack/casetrack/labels"
	"github.com/casetrack/casetrack/scanner"
	"github.com/casetrack/casetrack/tracking"
	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// The fake webcam's video: 640 x 480 at 3 frames a second.
const (
	camWidth, camHeight = 640, 480
	camFPS              = 3
)

// TestBrowserCamera feeds the camera page a video of a location label and
// three volume labels, each held in view for two seconds: the volumes end
// up booked to the location, each by exactly one scan.
func TestBrowserCamera(t *testing.T) {
	needChromium(t)
	ps := newPageServer(t, browserDialect(t), 3)
	loc := ps.Locs["OPD-CARD"]
	shots := []image.Image{mustLabel(t, camLocationLabel(loc))}
	for _, v := range ps.Vols {
		shots = append(shots, mustLabel(t, camVolumeLabel(v)))
	}
	video := filepath.Join(t.TempDir(), "labels.y4m")
	writeY4M(t, video, shots)
	ctx := newBrowser(t, chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", video))
	signIn(t, ctx, ps.URL, "porter", "/camera")
	waitFor(t, "every volume at the clinic", 40*time.Second, func() bool {
		for _, v := range ps.Vols {
			if ps.currentCode(t, v.Barcode) != loc.Code {
				return false
			}
		}
		return true
	})
	screenshot(t, ctx, "camera")
	do(t, ctx, chromedp.Click("#camera-stop"))
	waitFor(t, "all scans sent", 10*time.Second, func() bool { return waiting(t, ctx) == 0 })
	for _, v := range ps.Vols {
		if n := ps.movementsTo(t, v.Barcode, loc.Code); n != 1 {
			t.Errorf("%s has %d movements to %s, want 1", v.Barcode, n, loc.Code)
		}
	}
}

// TestBrowserCameraDenied checks that a person who refuses the camera is
// told so, and how to fix it.
func TestBrowserCameraDenied(t *testing.T) {
	needChromium(t)
	ps := newPageServer(t, browserDialect(t), 1)
	ctx := newBrowser(t, chromedp.Flag("use-fake-device-for-media-stream", true))
	_, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: "camera"}, Setting: browser.PermissionSettingDenied,
			Origin: ps.URL})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, ps.URL, "porter", "/camera")
	do(t, ctx, chromedp.WaitVisible("#camera-problem"))
	msg := eval[string](t, ctx, "document.getElementById('camera-problem').textContent")
	if !bytes.Contains([]byte(msg), []byte("not allowed to use the camera")) {
		t.Errorf("camera problem = %q, want the denied-permission message", msg)
	}
	screenshot(t, ctx, "camera-denied")
}

func camLocationLabel(l *tracking.Location) labels.Label {
	return labels.Label{Kind: labels.KindLocation, Barcode: l.Barcode, LocationName: l.Name,
		LocationKind: string(l.Kind), LocationCode: l.Code}
}

func camVolumeLabel(v *tracking.Volume) labels.Label {
	p := v.Patient
	l := labels.Label{Kind: labels.KindVolume, Barcode: v.Barcode, VolumeNumber: 1, VolumeCount: 1}
	if p != nil {
		l.FamilyName, l.GivenName, l.HospitalNumber, l.NHSNumber = p.FamilyName, p.GivenName, p.HospitalNumber, p.NHSNumber
	}
	return l
}

// mustLabel renders a label as the library prints it, on a 2 x 1 inch roll
// so it fits the frame, and checks our own decoder can read it.
func mustLabel(t *testing.T, l labels.Label) image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := labels.Write(&buf, l, labels.Format{Output: labels.PNG, Size: labels.Roll2x1}); err != nil {
		t.Fatalf("render label %s: %v", l.Barcode, err)
	}
	img, err := png.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// frame puts a label in the middle of a grey camera frame.
func frame(label image.Image) *image.Gray {
	f := image.NewGray(image.Rect(0, 0, camWidth, camHeight))
	draw.Draw(f, f.Bounds(), &image.Uniform{color.Gray{Y: 150}}, image.Point{}, draw.Src)
	if label == nil {
		return f
	}
	b := label.Bounds()
	at := image.Pt((camWidth-b.Dx())/2, (camHeight-b.Dy())/2)
	draw.Draw(f, image.Rectangle{Min: at, Max: at.Add(b.Size())}, label, b.Min, draw.Src)
	return f
}

// writeY4M writes the video Chromium's fake camera plays: each label for
// two seconds with a second of nothing between, then a long empty tail so
// the test is done before the video loops.
func writeY4M(t *testing.T, path string, shots []image.Image) {
	t.Helper()
	var frames []*image.Gray
	blank := frame(nil)
	for _, s := range shots {
		f := frame(s)
		checkDecodes(t, f)
		for i := 0; i < 2*camFPS; i++ {
			frames = append(frames, f)
		}
		for i := 0; i < camFPS; i++ {
			frames = append(frames, blank)
		}
	}
	for i := 0; i < 30*camFPS; i++ {
		frames = append(frames, blank)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(out)
	fmt.Fprintf(w, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", camWidth, camHeight, camFPS)
	chroma := bytes.Repeat([]byte{128}, camWidth*camHeight/2) // U and V planes, grey
	for _, f := range frames {
		w.WriteString("FRAME\n")
		w.Write(f.Pix)
		w.Write(chroma)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// checkDecodes makes sure a frame is readable before the browser sees it,
// so a failure points at the page, not at the picture.
func checkDecodes(t *testing.T, f *image.Gray) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, f); err != nil {
		t.Fatal(err)
	}
	codes, err := scanner.DecodeImage(&buf)
	if err != nil || len(codes) == 0 {
		t.Fatalf("test frame does not decode: %v", err)
	}
}
