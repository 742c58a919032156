package scanner

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/datamatrix"
	"github.com/boombuler/barcode/qr"
	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/f64"
	"golang.org/x/image/math/fixed"
)

// Test images are made the way a camera would see our own labels: a symbol
// with its quiet zone and human-readable text on a white label, placed on
// a busy background, turned, blurred, noised and JPEG-compressed.

// symbol renders a boombuler code with module pixels per module and a
// quiet zone; 1D codes get bars height pixels tall and their text below.
func symbol(tb testing.TB, bc barcode.Barcode, module, height int, caption string) *image.Gray {
	tb.Helper()
	b := bc.Bounds()
	oneD := b.Dy() == 1
	quiet := 4 * module
	h := b.Dy() * module
	if oneD {
		quiet, h = 10*module, height
	}
	textH := 0
	if caption != "" {
		textH = 18
	}
	img := image.NewGray(image.Rect(0, 0, b.Dx()*module+2*quiet, h+2*quiet+textH))
	fill(img, img.Rect, 0xff)
	for x := 0; x < b.Dx(); x++ {
		for y := 0; y < b.Dy(); y++ {
			if r, _, _, _ := bc.At(b.Min.X+x, b.Min.Y+y).RGBA(); r < 0x8000 {
				cell := image.Rect(quiet+x*module, quiet+y*module, quiet+(x+1)*module, quiet+(y+1)*module)
				if oneD {
					cell.Max.Y = quiet + h
				}
				fill(img, cell, 0)
			}
		}
	}
	text(img, caption, quiet, quiet+h+14)
	return img
}

func code128Symbol(tb testing.TB, s string, module int) *image.Gray {
	tb.Helper()
	bc, err := code128.Encode(s)
	if err != nil {
		tb.Fatal(err)
	}
	return symbol(tb, bc, module, 40*module, s)
}

func qrSymbol(tb testing.TB, s string, module int) *image.Gray {
	tb.Helper()
	bc, err := qr.Encode(s, qr.M, qr.Auto)
	if err != nil {
		tb.Fatal(err)
	}
	return symbol(tb, bc, module, 0, "")
}

func dataMatrixSymbol(tb testing.TB, s string, module int) *image.Gray {
	tb.Helper()
	bc, err := datamatrix.Encode(s)
	if err != nil {
		tb.Fatal(err)
	}
	return symbol(tb, bc, module, 0, "")
}

func fill(img *image.Gray, r image.Rectangle, v byte) {
	draw.Draw(img, r, &image.Uniform{color.Gray{v}}, image.Point{}, draw.Src)
}

func text(img *image.Gray, s string, x, y int) {
	d := font.Drawer{Dst: img, Src: image.Black, Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// scene is a camera frame being built.
type scene struct {
	img *image.Gray
	rnd *rand.Rand
}

// newScene returns a w x h frame of grey clutter: boxes, lines and text
// of random shades, like a desk or a trolley behind the label.
func newScene(w, h int, seed uint64, busy bool) *scene {
	s := &scene{img: image.NewGray(image.Rect(0, 0, w, h)), rnd: rand.New(rand.NewPCG(seed, 7))}
	fill(s.img, s.img.Rect, 170)
	if !busy {
		return s
	}
	for range 40 {
		x, y := s.rnd.IntN(w), s.rnd.IntN(h)
		r := image.Rect(x, y, x+20+s.rnd.IntN(200), y+5+s.rnd.IntN(120))
		fill(s.img, r, byte(60+s.rnd.IntN(180)))
	}
	for range 60 {
		text(s.img, "WARD 7 casenotes 0123456789 RETURN TO LIBRARY", s.rnd.IntN(w), s.rnd.IntN(h))
	}
	return s
}

// place draws sym onto the frame centred at (cx, cy), turned deg degrees
// counter-clockwise and scaled by k, with bilinear filtering as a lens and
// sensor would smooth it.
func (s *scene) place(sym *image.Gray, cx, cy, deg, k float64) {
	sin, cos := math.Sincos(-deg * math.Pi / 180)
	w, h := float64(sym.Rect.Dx()), float64(sym.Rect.Dy())
	m := f64.Aff3{
		k * cos, -k * sin, 0,
		k * sin, k * cos, 0,
	}
	m[2] = cx - (m[0]*w/2 + m[1]*h/2)
	m[5] = cy - (m[3]*w/2 + m[4]*h/2)
	draw.BiLinear.Transform(s.img, m, sym, sym.Rect, draw.Src, nil)
}

// blur softens the frame as an out-of-focus lens would (passes of 3x3).
func (s *scene) blur(passes int) {
	for range passes {
		s.img = blur3(s.img)
	}
}

// noise adds Gaussian sensor noise of the given standard deviation.
func (s *scene) noise(sigma float64) {
	for i, v := range s.img.Pix {
		s.img.Pix[i] = byte(math.Max(0, math.Min(255, float64(v)+s.rnd.NormFloat64()*sigma)))
	}
}

func (s *scene) jpeg(tb testing.TB, quality int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, s.img, &jpeg.Options{Quality: quality}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func (s *scene) png(tb testing.TB) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, s.img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
