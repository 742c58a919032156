package labels

import (
	"fmt"
	"io"

	"github.com/casetrack/casetrack/tracking"
)

// Size is a label's width and height in millimetres, the unit label
// makers quote.
type Size struct {
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// Common Zebra roll sizes (width x height, in inches).
var (
	Roll2x1 = Size{50.8, 25.4}
	Roll4x2 = Size{101.6, 50.8}
	Roll4x6 = Size{101.6, 152.4}
)

// Resolutions of Zebra thermal print heads, in dots per inch.
const (
	DPI203 = 203
	DPI300 = 300
)

// Output is a single-label file format.
type Output int

const (
	// PNG is a preview image, one pixel per printer dot.
	PNG Output = iota
	// ZPL is Zebra's printer language, ready for Send.
	ZPL
)

// Format says how Write renders one label. The zero value is a 203 dpi
// PNG at the kind's default size.
type Format struct {
	Output Output
	// Size of the label; zero means 2 x 1 in for volumes (a folder spine
	// label) and 4 x 2 in for locations (read from a distance).
	Size Size
	// DPI of the printer the label is drawn for; zero means 203.
	DPI int
}

// Write renders one label as a PNG preview or as ZPL. Previews are drawn
// at the printer's resolution, so what staff see is what prints, within
// MaxDPI and MaxPreviewPixels.
func Write(w io.Writer, l Label, f Format) error {
	switch f.Output {
	case PNG:
		if err := checkPreview(l.Kind, f); err != nil {
			return err
		}
		d, err := layout(l, f.Size, f.DPI)
		if err != nil {
			return err
		}
		return writePNG(w, d)
	case ZPL:
		return WriteZPL(w, []Label{l}, ZPLOptions{Size: f.Size, DPI: f.DPI})
	}
	return tracking.Errorf(tracking.EINVALID, "Unknown label output %d.", int(f.Output))
}

// defaultSize is the size a label gets when none is asked for.
func defaultSize(k Kind) Size {
	if k == KindLocation {
		return Roll4x2
	}
	return Roll2x1
}

// layout validates l and lays it out at size (zero: the kind's default)
// and dpi (zero: 203).
func layout(l Label, size Size, dpi int) (*drawing, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	if size == (Size{}) {
		size = defaultSize(l.Kind)
	}
	if dpi == 0 {
		dpi = DPI203
	}
	if err := checkMedia(size, dpi); err != nil {
		return nil, err
	}
	sym, err := encode(l.Barcode, l.Symbology)
	if err != nil {
		return nil, err
	}
	loadFonts()
	d := newDrawing(size.Width, size.Height, float64(dpi))
	if l.Kind == KindLocation {
		err = composeLocation(d, l, sym)
	} else {
		err = composeVolume(d, l, sym)
	}
	return d, err
}

// checkMedia rejects sizes and resolutions no label printer has, before
// they turn into huge images or empty labels.
func checkMedia(s Size, dpi int) error {
	if dpi < 100 || dpi > 1200 {
		return tracking.FieldError("dpi", "A resolution of %d dpi is not supported (100 to 1200).", dpi)
	}
	if s.Width < 15 || s.Height < 10 || s.Width > 300 || s.Height > 300 {
		return tracking.FieldError("size", "A label of %s is not supported (15 x 10 mm to 300 x 300 mm).", s)
	}
	return nil
}

// String gives the size as label makers quote it, for messages.
func (s Size) String() string { return fmt.Sprintf("%g x %g mm", s.Width, s.Height) }
