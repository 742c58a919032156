package labels

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// Helpers that read labels back the way a scanner would: gozxing always,
// and the external tools (ZBar, poppler's pdftoppm, the zpl-renderer-js
// npm package) where installed. Locally a missing tool skips the test; in
// CI (CI=true) it fails it, so nothing is silently left unchecked.

// needTool skips or, in CI, fails the test when an external tool is
// missing.
func needTool(t testing.TB, name, install string) {
	t.Helper()
	if _, err := exec.LookPath(name); err == nil {
		return
	}
	missing(t, fmt.Sprintf("%s is not installed (%s)", name, install))
}

func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s; CI must have it", why)
	}
	t.Skipf("skipping: %s", why)
}

// decode reads the symbol in img with gozxing. gozxing's Data Matrix
// detector gives up when text sits beside the code, so for Data Matrix it
// reads the right half of the label, where 2D codes go, as a person aims a
// scanner at the code.
func decode(img image.Image, s Symbology) (string, error) {
	if s == DataMatrix {
		b := img.Bounds()
		img = crop(img, image.Rect(b.Min.X+b.Dx()/2, b.Min.Y, b.Max.X, b.Max.Y))
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	var r gozxing.Reader
	switch s {
	case QR:
		r = qrcode.NewQRCodeReader()
	case DataMatrix:
		r = datamatrix.NewDataMatrixReader()
	default:
		r = oned.NewCode128Reader()
	}
	res, err := r.Decode(bmp, hints)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// mustDecode fails the test unless img holds want as symbology s.
func mustDecode(t testing.TB, img image.Image, s Symbology, want, what string) {
	t.Helper()
	got, err := decode(img, s)
	if err != nil || got != want {
		path := saveFailure(t, img, what)
		t.Errorf("%s: gozxing read %q (%v), want %q; image in %s", what, got, err, want, path)
	}
}

// saveFailure keeps an image that did not decode for a person to look at.
func saveFailure(t testing.TB, img image.Image, what string) string {
	t.Helper()
	dir := filepath.Join("testout", "failed")
	os.MkdirAll(dir, 0o755)
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()+"-"+what) + ".png"
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		return "(not saved)"
	}
	defer f.Close()
	png.Encode(f, img)
	return path
}

// zbar returns the sorted barcodes ZBar finds in an image file.
func zbar(t testing.TB, path string) []string {
	t.Helper()
	needTool(t, "zbarimg", "apt-get install zbar-tools")
	out, err := exec.Command("zbarimg", "--raw", "-q", path).Output()
	if err != nil {
		t.Errorf("zbarimg %s: %v", path, err)
	}
	codes := strings.Fields(string(out))
	sort.Strings(codes)
	return codes
}

// writeTemp writes data into the test's temporary directory.
func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pdfPages rasterises a PDF at 300 dpi with pdftoppm and returns the page
// files in order.
func pdfPages(t testing.TB, pdf []byte) []string {
	t.Helper()
	needTool(t, "pdftoppm", "apt-get install poppler-utils")
	path := writeTemp(t, "sheet.pdf", pdf)
	prefix := filepath.Join(filepath.Dir(path), "page")
	if out, err := exec.Command("pdftoppm", "-r", "300", "-png", path, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(prefix + "-*.png")
	sort.Strings(pages)
	return pages
}

// zplRenderDir is the npm package that renders ZPL for the tests.
const zplRenderDir = "testdata/zplrender"

// renderZPL renders each ^XA...^XZ label in zpl to PNG with
// zpl-renderer-js and returns the files in order.
func renderZPL(t testing.TB, zpl []byte, size Size, dpi int) []string {
	t.Helper()
	needTool(t, "node", "install Node.js 20")
	if _, err := os.Stat(filepath.Join(zplRenderDir, "node_modules", "zpl-renderer-js")); err != nil {
		missing(t, "zpl-renderer-js is not installed (npm ci --prefix labels/"+zplRenderDir+")")
	}
	dir := t.TempDir()
	cmd := exec.Command("node", filepath.Join(zplRenderDir, "render.js"),
		fmt.Sprint(size.Width), fmt.Sprint(size.Height), fmt.Sprint(dpmm(dpi)), dir)
	cmd.Stdin = bytes.NewReader(zpl)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("render.js: %v\n%s", err, out)
	}
	files := make([]string, bytes.Count(zpl, []byte("^XA")))
	for i := range files {
		files[i] = filepath.Join(dir, fmt.Sprintf("label-%d.png", i))
	}
	return files
}

// dpmm is the dots per millimetre of a print head, as ZPL tools count.
func dpmm(dpi int) int {
	if dpi >= 300 {
		return 12
	}
	return 8
}

func readPNG(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// crop copies part of an image, given in pixels, with a white margin so a
// symbol at its edge keeps its quiet zone.
func crop(img image.Image, r image.Rectangle) image.Image {
	const margin = 20
	out := image.NewGray(image.Rect(0, 0, r.Dx()+2*margin, r.Dy()+2*margin))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(out, r.Sub(r.Min).Add(image.Pt(margin, margin)), img, r.Min, draw.Src)
	return out
}
