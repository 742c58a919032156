package labels

import (
	"image"
	"image/color"
	"math"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/datamatrix"
	"github.com/boombuler/barcode/qr"
	"github.com/casetrack/casetrack/tracking"
)

// symbol is an encoded barcode as a grid of modules (bars or squares),
// without its quiet zone. Renderers draw it themselves, a whole number of
// dots per module, instead of scaling boombuler's image, which blurs bars
// that fall between dots.
type symbol struct {
	sym        Symbology
	cols, rows int
	dark       []bool // row-major, cols*rows
}

// encode encodes text as a symbol.
func encode(text string, s Symbology) (*symbol, error) {
	var bc barcode.Barcode
	var err error
	switch s {
	case Code128:
		bc, err = code128.Encode(text)
	case QR:
		bc, err = qr.Encode(text, qr.M, qr.Auto)
	case DataMatrix:
		bc, err = datamatrix.Encode(text)
	default:
		return nil, tracking.FieldError("symbology", "Unknown barcode symbology %d.", int(s))
	}
	if err != nil {
		return nil, tracking.FieldError("barcode", "%q cannot be encoded as %v.", text, s)
	}
	return fromImage(bc, s), nil
}

// fromImage reads boombuler's unscaled image, one pixel per module. A 1D
// code is one pixel high.
func fromImage(img image.Image, s Symbology) *symbol {
	b := img.Bounds()
	sy := &symbol{sym: s, cols: b.Dx(), rows: b.Dy()}
	if s == Code128 {
		sy.rows = 1
	}
	sy.dark = make([]bool, sy.cols*sy.rows)
	for y := range sy.rows {
		for x := range sy.cols {
			g := color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray)
			sy.dark[y*sy.cols+x] = g.Y < 0x80
		}
	}
	return sy
}

// quiet is the blank margin each side needs, in modules: 10 for Code 128
// (its standard minimum), 4 for QR, and 2 for Data Matrix (1 is the
// minimum; 2 forgives a label edge that is not quite where it should be).
func (s *symbol) quiet() int {
	switch s.sym {
	case QR:
		return 4
	case DataMatrix:
		return 2
	}
	return 10
}

// span is the symbol's width in modules, quiet zones included.
func (s *symbol) span() int { return s.cols + 2*s.quiet() }

// is2D reports whether modules are squares rather than full-height bars.
func (s *symbol) is2D() bool { return s.sym != Code128 }

// runs calls fn for each horizontal run of dark modules in row, so bars
// are drawn as one rectangle each however many modules wide they are.
func (s *symbol) runs(row int, fn func(start, n int)) {
	line := s.dark[row*s.cols : (row+1)*s.cols]
	for x := 0; x < len(line); {
		if !line[x] {
			x++
			continue
		}
		start := x
		for x < len(line) && line[x] {
			x++
		}
		fn(start, x-start)
	}
}

// moduleDots picks the module size in whole dots: the widest that fits in
// avail dots, up to max (beyond it scanners gain nothing and the bars
// crowd the text). Callers pass a max of at least 0.25 mm, so any code
// that fits at that size gets it; a legacy code too long for the label
// still prints if one dot per module fits, as narrow bars are better than
// no label.
func moduleDots(span, avail, max int) (int, error) {
	m := avail / span
	if m > max {
		m = max
	}
	if m < 1 {
		return 0, tracking.Errorf(tracking.EINVALID, "The barcode is too long to fit on this label.")
	}
	return m, nil
}

// mmDots converts millimetres to dots at dpi, rounding to the nearest dot.
func mmDots(mm, dpi float64) int { return int(math.Round(mm * dpi / 25.4)) }
