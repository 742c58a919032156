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
	// Box: size. Symbol: h is the bar height of a 1D code. Text: w is the
	// width of the field the text is aligned in.
	w, h int
	// align places text in its field. Renderers whose font is not the
	// one measured (ZPL's font 0) align it themselves, so centred and
	// right-aligned text stays so.
	align align
	// white draws text or a box in white, on an inverted banner.
	white bool

	text string
	face *typeface
	size float64 // em size in dots

	sym    *symbol
	module int // module size in dots
}

type align uint8

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

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

// text sets s with its baseline at y in the field from x to x+w.
func (d *drawing) text(x, y, w int, a align, s string, tf *typeface, size float64, white bool) {
	if s == "" {
		return
	}
	d.items = append(d.items, item{kind: itemText, x: x, y: y, w: w, align: a, text: s, face: tf, size: size, white: white})
}

// textX is where the text of it starts when set in the measured font.
func (it item) textX() int {
	switch it.align {
	case alignCenter:
		return it.x + round((float64(it.w)-it.face.width(it.text, it.size))/2)
	case alignRight:
		return it.x + it.w - round(it.face.width(it.text, it.size))
	}
	return it.x
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
