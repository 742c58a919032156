package scanner

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"image"
)

func TestDebugViews(t *testing.T) {
	files := []string{"qrcode-2/13.png"}
	_ = []string{ "qrcode-4/06.png", "qrcode-4/08.png", "qrcode-4/13.png", "qrcode-4/14.png", "qrcode-4/30.png", "qrcode-4/31.png", "qrcode-4/32.png", "qrcode-4/33.png", "qrcode-4/41.png", "qrcode-2/12.png", "qrcode-2/13.png", "qrcode-3/22.png", "qrcode-3/23.png", "code128-2/30.png"}
	for _, f := range files {
		data, _ := os.ReadFile("../../shared/testdata/barcodes/zxing/" + f)
		img, err := readImage(bytes.NewReader(data))
		if err != nil { t.Fatal(err) }
		g := toGray(img)
		fr := newFrame(g)
		var ok []string
		try := func(name string, v view, bin binarizer, set readers, pure bool) {
			if v.g == nil { return }
			if h := readGray(v.g, bin, set, pure); len(h) > 0 { ok = append(ok, name+":"+h[0].Text[30:45]) }
		}
		w := fr.work
		for _, k := range []float64{0.5, 0.6, 0.75, 0.9} {
			v, _ := scaledView(k)(fr)
			try(fmt.Sprint("scale", k), v, hybrid, readAll, false)
			try(fmt.Sprint("scaleH", k), v, histogram, readAll, false)
		}
		for _, k := range []int{2, 3} {
			try(fmt.Sprint("up", k), view{g: upscale(w, k)}, hybrid, readAll, false)
			try(fmt.Sprint("upH", k), view{g: upscale(w, k)}, histogram, readAll, false)
		}
		for _, d := range []float64{5, -5, 10, -10, 20, -20, 45} {
			r, _ := rotate(w, d)
			try(fmt.Sprint("rot", d), view{g: r}, hybrid, readAll, false)
			try(fmt.Sprint("rotH", d), view{g: r}, histogram, readAll, false)
		}
		for _, sc := range []float64{0.6, 0.8, 1, 1.25, 1.5} {
			base := resizeBox(w, int(float64(w.Rect.Dx())*sc), int(float64(w.Rect.Dy())*sc))
			if sc > 1 { base = resizeBilinear(w, sc) }
			for d := -24.0; d <= 24; d += 3 {
				r, _ := rotate(base, d)
				try(fmt.Sprint("s", sc, "r", d), view{g: r}, hybrid, readQR|readDataMatrix, false)
				try(fmt.Sprint("s", sc, "rH", d), view{g: r}, histogram, readQR|readDataMatrix, false)
			}
		}
		try("sharp", view{g: sharpen(w)}, hybrid, readAll, false)
		try("sharpH", view{g: sharpen(w)}, histogram, readAll, false)
		try("blur", view{g: blur3(w)}, hybrid, readAll, false)
		try("blurH", view{g: blur3(w)}, histogram, readAll, false)
		try("stretchx", view{g: resizeBox(w, w.Rect.Dx()/2, w.Rect.Dy())}, hybrid, readAll, false)
		try("squeezey", view{g: resizeBox(w, w.Rect.Dx(), w.Rect.Dy()/4)}, hybrid, readAll, false)
		try("squeezeyH", view{g: resizeBox(w, w.Rect.Dx(), w.Rect.Dy()/4)}, histogram, readAll, false)
		_ = image.Rect
		t.Logf("%s: %v", f, ok)
	}
}

func TestDebugOne(t *testing.T) {
	for _, f := range []string{"qrcode-2/13.png", "code128-2/30.png"} {
		data, _ := os.ReadFile("../../shared/testdata/barcodes/zxing/" + f)
		codes, err := DecodeImage(bytes.NewReader(data))
		want, _ := os.ReadFile("../../shared/testdata/barcodes/zxing/" + f[:len(f)-3] + "txt")
		t.Logf("%s: %q %v want %q", f, codes, err, want)
	}
}
