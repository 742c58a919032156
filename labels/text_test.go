package labels

import (
	"fmt"
	"image"
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"Zoë", "Zoë"},
		{"Zoe\u0308", "Zoë"}, // decomposed e + combining diaeresis
		{"  Siân \t Ó'Neill \r\n", "Siân Ó'Neill"},
		{"Bob\x00by\x1b[31m", "Bobby[31m"},
		{"Ali\u202eec", "Aliec"}, // right-to-left override
		{"Li\u200bu", "Liu"},     // zero-width space
		{"王", "?"},               // no glyph in the label font
		{"^XZ~JR", "^XZ~JR"},     // escaped on output, not here
		{"", ""},
	} {
		if got := clean(tc.in); got != tc.want {
			t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFit(t *testing.T) {
	t.Parallel()
	loadFonts()
	wide := bold.width("SMITH", 40)
	for _, tc := range []struct {
		name     string
		in       string
		width    float64
		wantText string
		wantSize float64
	}{
		{"Fits", "SMITH", wide + 1, "SMITH", 40},
		{"Shrinks", "SMITH", wide * 0.8, "SMITH", 32},
		{"Ellipsis", "SMITH", wide * 0.4, "SM" + ellipsis, 20},
		{"NothingFits", "SMITH", 1, "", 20},
	} {
		text, size := bold.fit(tc.in, 40, 20, tc.width)
		if text != tc.wantText || fmt.Sprintf("%.3f", size) != fmt.Sprintf("%.3f", tc.wantSize) {
			t.Errorf("%s: fit = %q at %.3f, want %q at %.3f", tc.name, text, size, tc.wantText, tc.wantSize)
		}
		if bold.width(text, size) > tc.width+1e-9 {
			t.Errorf("%s: %q at %.1f is wider than %.1f", tc.name, text, size, tc.width)
		}
	}
}

func TestTerminalDigits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, head, pair string }{
		{"607458", "6074", "58"},
		{"RX1607458", "RX16074", "58"},
		{"K123456X", "K1234", "56X"},
		{"A1", "A1", ""},
		{"", "", ""},
	} {
		if head, pair := terminalDigits(tc.in); head != tc.head || pair != tc.pair {
			t.Errorf("terminalDigits(%q) = %q, %q; want %q, %q", tc.in, head, pair, tc.head, tc.pair)
		}
	}
}

func TestVolumeText(t *testing.T) {
	t.Parallel()
	l := volumeLabel()
	l.Temporary = true
	for _, tc := range []struct{ name, got, want string }{
		{"Name", l.patientName(), "Ó'NEILL, Zoë Siân"},
		{"BirthDate", l.birthLine(), "DOB 24-Dec-1931"},
		{"NHSNumber", l.nhsLine(), "NHS No. 943 476 5919"},
		{"Volume", l.volumeLine(), "Vol 2 of 3"},
		{"Alert", l.alertLine(), "TEMPORARY VOLUME"},
		{"NoBirthDate", Label{}.birthLine(), ""},
		{"VolumeCountUnknown", Label{VolumeNumber: 4}.volumeLine(), "Vol 4"},
		{"GivenNameOnly", Label{GivenName: "Cher"}.patientName(), "Cher"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	ok := volumeLabel()
	for _, tc := range []struct {
		name   string
		change func(*Label)
		ok     bool
	}{
		{"OK", func(*Label) {}, true},
		{"OKLegacyPunctuation", func(l *Label) { l.Barcode = "ab-12/x^~_" }, true},
		{"ErrEmptyBarcode", func(l *Label) { l.Barcode = "" }, false},
		{"ErrNonASCIIBarcode", func(l *Label) { l.Barcode = "Zoë" }, false},
		{"ErrControlInBarcode", func(l *Label) { l.Barcode = "V1\r" }, false},
		{"ErrLongBarcode", func(l *Label) { l.Barcode = strings.Repeat("9", 41) }, false},
		{"ErrVolumeQR", func(l *Label) { l.Symbology = QR }, false},
		{"ErrVolumeFourOfThree", func(l *Label) { l.VolumeNumber = 4 }, false},
		{"ErrKind", func(l *Label) { l.Kind = 7 }, false},
	} {
		l := ok
		tc.change(&l)
		if err := l.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

// TestLayoutStaysOnLabel checks every fixture at every size: all text, boxes
// and bars lie on the label, text fits its field, nothing is printed in a
// barcode's quiet zone, and bars are at least 0.25 mm.
func TestLayoutStaysOnLabel(t *testing.T) {
	t.Parallel()
	for _, fx := range fixtures() {
		for _, size := range append(sizes, Roll4x6, Size{L7163.LabelWidth, L7163.LabelHeight}) {
			for _, dpi := range []int{DPI203, DPI300} {
				d, err := layout(fx.l, size, dpi)
				if err != nil {
					t.Fatalf("%s: %v", fx.name, err)
				}
				checkDrawing(t, fmt.Sprintf("%s/%v/%d", fx.name, size, dpi), d)
			}
		}
	}
}

func checkDrawing(t *testing.T, name string, d *drawing) {
	t.Helper()
	label := image.Rect(0, 0, d.w, d.h)
	var quiet image.Rectangle
	var texts []image.Rectangle
	for _, it := range d.items {
		r := bounds(it)
		if !r.In(label) {
			t.Errorf("%s: %q (%v) runs off the %dx%d label", name, it.text, r, d.w, d.h)
		}
		switch it.kind {
		case itemText:
			if w := it.face.width(it.text, it.size); it.align != alignLeft && w > float64(it.w)+1 {
				t.Errorf("%s: %q is %.0f dots wide in a %d-dot field", name, it.text, w, it.w)
			}
			texts = append(texts, r)
		case itemSymbol:
			// A 1D code's quiet zone is at its ends; a 2D code's all round.
			q := it.sym.quiet() * it.module
			quiet = image.Rect(r.Min.X-q, r.Min.Y, r.Max.X+q, r.Max.Y)
			if it.sym.is2D() {
				quiet = r.Inset(-q)
			}
			// Narrower than 0.25 mm only if one more dot would not fit.
			wider := (it.module + 1) * it.sym.span()
			if mm := float64(it.module) * 25.4 / d.dpi; mm < 0.25 && wider <= d.w-2*d.dots(edgeMM) {
				t.Errorf("%s: modules of %.3f mm", name, mm)
			}
		}
	}
	for _, r := range texts {
		if r.Overlaps(quiet) {
			t.Errorf("%s: text %v in the barcode's quiet zone %v", name, r, quiet)
		}
	}
}

// bounds is the rectangle an item covers; for text, from the top of
// accented capitals to the bottom of descenders.
func bounds(it item) image.Rectangle {
	switch it.kind {
	case itemText:
		x := it.textX()
		w := round(it.face.width(it.text, it.size))
		return image.Rect(x, it.y-round(ascent*it.size), x+w, it.y+round(descent*it.size))
	case itemSymbol:
		if it.sym.is2D() {
			return image.Rect(it.x, it.y, it.x+it.sym.cols*it.module, it.y+it.sym.rows*it.module)
		}
		return image.Rect(it.x, it.y, it.x+it.sym.cols*it.module, it.y+it.h)
	}
	return image.Rect(it.x, it.y, it.x+it.w, it.y+it.h)
}
