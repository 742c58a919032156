package labels

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"slices"
	"testing"
)

// Every output is read back as a scanner would, for every fixture.

var (
	sheetSize = Size{L7160.LabelWidth, L7160.LabelHeight}
	spineSize = Size{L7651.LabelWidth, L7651.LabelHeight}
	sizes     = []Size{Roll2x1, Roll4x2, sheetSize, spineSize}
)

func TestPNGScans(t *testing.T) {
	t.Parallel()
	for _, fx := range fixtures() {
		for _, size := range sizes {
			for _, dpi := range []int{DPI203, DPI300} {
				name := fmt.Sprintf("%s/%gx%g/%d", fx.name, size.Width, size.Height, dpi)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					var buf bytes.Buffer
					if err := Write(&buf, fx.l, Format{Output: PNG, Size: size, DPI: dpi}); err != nil {
						t.Fatal(err)
					}
					img, err := png.Decode(bytes.NewReader(buf.Bytes()))
					if err != nil {
						t.Fatal(err)
					}
					if b := img.Bounds(); b.Dx() != mmDots(size.Width, float64(dpi)) || b.Dy() != mmDots(size.Height, float64(dpi)) {
						t.Errorf("image is %v, want %g x %g mm at %d dpi", b.Size(), size.Width, size.Height, dpi)
					}
					mustDecode(t, img, fx.l.Symbology, fx.l.Barcode, "png")
					if fx.l.Symbology == DataMatrix {
						return // ZBar does not read Data Matrix.
					}
					if got := zbar(t, writeTemp(t, "label.png", buf.Bytes())); !slices.Equal(got, []string{fx.l.Barcode}) {
						t.Errorf("zbar read %q, want %q", got, fx.l.Barcode)
					}
				})
			}
		}
	}
}

func TestSheetScans(t *testing.T) {
	t.Parallel()
	for _, lay := range Layouts() {
		t.Run(lay.Name, func(t *testing.T) {
			t.Parallel()
			var ls []Label
			for _, fx := range fixtures() {
				ls = append(ls, fx.l)
			}
			opt := SheetOptions{Layout: lay, Skip: lay.PerPage() - 4, Offset: Offset{X: 0.4, Y: -0.3}}
			var buf bytes.Buffer
			if err := WriteSheet(&buf, ls, opt); err != nil {
				t.Fatal(err)
			}
			pages := pdfPages(t, buf.Bytes())
			if len(pages) != 2 {
				t.Fatalf("%d labels starting at %d made %d pages, want 2", len(ls), opt.Skip, len(pages))
			}
			imgs := []image.Image{readPNG(t, pages[0]), readPNG(t, pages[1])}
			for i, l := range ls {
				page, x, y := lay.Position(opt.Skip + i)
				r := mmRect(x+opt.Offset.X, y+opt.Offset.Y, lay.LabelWidth, lay.LabelHeight, 300)
				mustDecode(t, crop(imgs[page], r), l.Symbology, l.Barcode, fmt.Sprintf("label %d", i))
			}
			checkZBarPages(t, pages, ls)
		})
	}
}

// checkZBarPages checks that ZBar finds every 1D and QR code on the pages.
func checkZBarPages(t *testing.T, pages []string, ls []Label) {
	t.Helper()
	var want, got []string
	for _, l := range ls {
		if l.Symbology != DataMatrix {
			want = append(want, l.Barcode)
		}
	}
	for _, p := range pages {
		got = append(got, zbar(t, p)...)
	}
	slices.Sort(want)
	slices.Sort(got)
	// ZBar reports a code once per image, however often it appears.
	if want, got = slices.Compact(want), slices.Compact(got); !slices.Equal(got, want) {
		t.Errorf("zbar read %q, want %q", got, want)
	}
}

// mmRect is a rectangle given in mm as pixels at dpi.
func mmRect(x, y, w, h float64, dpi float64) image.Rectangle {
	return image.Rect(mmDots(x, dpi), mmDots(y, dpi), mmDots(x+w, dpi), mmDots(y+h, dpi))
}

// TestZPLScans renders ZPL with zpl-renderer-js, a WebAssembly build of
// the zebrash renderer. It is slow (seconds per large label), so the big
// roll is checked at 203 dpi only; the 300 dpi path is the same code and
// is checked on the small roll.
func TestZPLScans(t *testing.T) {
	t.Parallel()
	media := []struct {
		size Size
		dpi  int
	}{{Roll2x1, DPI203}, {Roll2x1, DPI300}, {Roll4x2, DPI203}}
	var ls []Label
	for _, fx := range fixtures() {
		ls = append(ls, fx.l)
	}
	for _, m := range media {
		t.Run(fmt.Sprintf("%gx%g/%d", m.size.Width, m.size.Height, m.dpi), func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := WriteZPL(&buf, ls, ZPLOptions{Size: m.size, DPI: m.dpi}); err != nil {
				t.Fatal(err)
			}
			files := renderZPL(t, buf.Bytes(), m.size, m.dpi)
			if len(files) != len(ls) {
				t.Fatalf("%d labels made %d ^XA formats", len(ls), len(files))
			}
			for i, l := range ls {
				mustDecode(t, readPNG(t, files[i]), l.Symbology, l.Barcode, fmt.Sprintf("zpl label %d", i))
			}
		})
	}
}
