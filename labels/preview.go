package labels

import (
	"strconv"
	"strings"

	"github.com/casetrack/casetrack/tracking"
)

// Limits of one label drawn for a request. A PNG preview has a pixel for
// every printer dot, so without them a request for a large label at a
// high resolution would have the server draw (and hold) a huge image.
const (
	// MaxDPI is the finest print head Zebra makes.
	MaxDPI = 600
	// MaxPreviewPixels allows the largest roll, 4 x 6 in, at MaxDPI
	// (8.6 million dots), and nothing much larger.
	MaxPreviewPixels = 9_000_000
	minDPI           = 100
)

// rollSizes are the roll sizes a request names a label size by.
var rollSizes = map[string]Size{"2x1": Roll2x1, "4x2": Roll4x2, "4x6": Roll4x6}

// ParseFormat reads the resolution and size of one label as a request
// gives them ("300", "4x2"; empty for the defaults) and checks them
// against the limits, so a handler needs nothing else. Errors are 422s
// naming the field.
func ParseFormat(out Output, dpi, size string) (Format, error) {
	f := Format{Output: out}
	if dpi != "" {
		n, err := strconv.Atoi(dpi)
		if err != nil || n < minDPI || n > MaxDPI {
			return f, tracking.FieldError("dpi", "Give dpi as a whole number from %d to %d (print heads are 203, 300 or 600).", minDPI, MaxDPI)
		}
		f.DPI = n
	}
	if size != "" {
		s, ok := rollSizes[strings.ToLower(size)]
		if !ok {
			return f, tracking.FieldError("size", "Label size must be 2x1, 4x2 or 4x6.")
		}
		f.Size = s
	}
	return f, nil
}

// checkPreview refuses a PNG preview finer than MaxDPI or larger than
// MaxPreviewPixels, before anything is drawn.
func checkPreview(k Kind, f Format) error {
	size, dpi := f.Size, f.DPI
	if size == (Size{}) {
		size = defaultSize(k)
	}
	if dpi == 0 {
		dpi = DPI203
	}
	if dpi > MaxDPI {
		return tracking.FieldError("dpi", "Previews are drawn at %d dpi at most, the finest print head (asked for %d).", MaxDPI, dpi)
	}
	w, h := mmDots(size.Width, float64(dpi)), mmDots(size.Height, float64(dpi))
	if int64(w)*int64(h) > MaxPreviewPixels {
		return tracking.FieldError("size", "A %s label at %d dpi would be a preview of %.1f million dots; the most is %.0f million.",
			size, dpi, float64(w)*float64(h)/1e6, float64(MaxPreviewPixels)/1e6)
	}
	return nil
}
