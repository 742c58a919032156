package labels

import "math"

// drawing is one label laid out in printer dots: what the PNG, PDF and ZPL
// renderers each draw in their own way. Laying out once keeps the three
// outputs alike and keeps layout rules out of the renderers.
type drawing struct {
	w, h  int     // label size in dots
	dpi   float64 // dots per inch
	items []item
}

type itemKind uint8

const (
	itemText   itemKind = iota // text set on a baseline
	itemBox                    // filled rectangle
	itemSymbol                 // barcode modules
)

// item is one thing drawn on a label. Positions are in dots from the
// label's top-left corner.
type item struct {
	kind itemKind
	// Box and symbol: top-left corner. Text: left end of the baseline.
	x, y int
	// Box: size. Symbol: h is the bar height of a 1D code.
	w, h int
	// white draws text or a box in white, on an inverted banner.
	white bool

	text string
	face *typeface
	size float64 // em size in dots

	sym    *symbol
	module int // module size in dots
}

// Font metrics of the Go fonts, as fractions of the em: room above the
// baseline for accented capitals (Ó, Ê) and below it for descenders.
const (
	ascent  = 0.93
	descent = 0.22
	leading = ascent + descent
)

func (d *drawing) box(x, y, w, h int, white bool) {
	d.items = append(d.items, item{kind: itemBox, x: x, y: y, w: w, h: h, white: white})
}

func (d *drawing) text(x, baseline int, s string, tf *typeface, size float64, white bool) {
	if s == "" {
		return
	}
	d.items = append(d.items, item{kind: itemText, x: x, y: baseline, text: s, face: tf, size: size, white: white})
}

func (d *drawing) symbol(x, y int, sym *symbol, module, barHeight int) {
	d.items = append(d.items, item{kind: itemSymbol, x: x, y: y, sym: sym, module: module, h: barHeight})
}

// dots converts millimetres to dots, rounded to the nearest dot.
func (d *drawing) dots(mm float64) int { return mmDots(mm, d.dpi) }

// newDrawing sizes a label of w x h millimetres at dpi.
func newDrawing(wmm, hmm, dpi float64) *drawing {
	return &drawing{w: mmDots(wmm, dpi), h: mmDots(hmm, dpi), dpi: dpi}
}

// round rounds a size in dots to a whole dot.
func round(v float64) int { return int(math.Round(v)) }
