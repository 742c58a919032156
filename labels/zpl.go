package labels

import (
	"io"
	"strconv"
	"strings"
)

// Offset moves everything printed by X mm to the right and Y mm down. Each
// printer feeds a little off true; measuring a test print once and storing
// its offset keeps labels on their marks.
type Offset struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// ZPLOptions describes the Zebra printer and roll a ZPL stream is for.
type ZPLOptions struct {
	// Size of the labels on the roll; zero means each kind's default
	// (2 x 1 in for volumes, 4 x 2 in for locations).
	Size Size
	// DPI of the print head: 203 (8 dots/mm) or 300 (12 dots/mm); zero
	// means 203.
	DPI int
	// Offset is this printer's calibration.
	Offset Offset
}

// WriteZPL writes one ^XA...^XZ format per label, in order. Text fields
// are hex-escaped (^FH) UTF-8 (^CI28), so no name can end a field or a
// label early, and bars are drawn as boxes a whole number of dots wide,
// exactly as in the PNG preview. All labels are checked before anything is
// written, so a bad label never leaves half a batch on the printer.
func WriteZPL(w io.Writer, ls []Label, opt ZPLOptions) error {
	ds := make([]*drawing, len(ls))
	for i, l := range ls {
		d, err := layout(l, opt.Size, opt.DPI)
		if err != nil {
			return err
		}
		ds[i] = d
	}
	var buf []byte
	for _, d := range ds {
		buf = appendZPL(buf[:0], d, opt.Offset)
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// appendZPL appends one label format to b.
func appendZPL(b []byte, d *drawing, off Offset) []byte {
	z := zplWriter{b: b, dx: d.dots(off.X), dy: d.dots(off.Y)}
	z.cmd("^XA")
	z.cmd("^CI28") // field data is UTF-8
	z.cmd("^PW", d.w)
	z.cmd("^LL", d.h)
	z.cmd("^LH", 0, 0)
	for _, it := range d.items {
		switch it.kind {
		case itemBox:
			z.box(it.x, it.y, it.w, it.h, it.white)
		case itemSymbol:
			eachBar(it, func(x, y, w, h int) { z.box(x, y, w, h, false) })
		case itemText:
			z.text(it)
		}
	}
	z.cmd("^XZ\n")
	return z.b
}

// zplWriter appends ZPL commands, shifting every position by the
// printer's calibration offset.
type zplWriter struct {
	b      []byte
	dx, dy int
}

// cmd appends a command and its numeric parameters, comma-separated.
func (z *zplWriter) cmd(name string, args ...int) {
	z.b = append(z.b, name...)
	for i, a := range args {
		if i > 0 {
			z.b = append(z.b, ',')
		}
		z.b = strconv.AppendInt(z.b, int64(a), 10)
	}
}

// at positions the next field; ^FO is its top-left corner and ^FT its
// baseline. Positions pushed off the label by the offset stay on its edge.
func (z *zplWriter) at(cmd string, x, y int) {
	z.cmd(cmd, max(0, x+z.dx), max(0, y+z.dy))
}

// box draws a filled rectangle: ^GB with a border as thick as the box's
// smaller side is solid.
func (z *zplWriter) box(x, y, w, h int, white bool) {
	z.at("^FO", x, y)
	z.cmd("^GB", w, h, max(1, min(w, h)))
	if white {
		z.b = append(z.b, ",W"...)
	}
	z.cmd("^FS")
}

// text sets a field in the printer's scalable font 0, which is narrower
// than the Go fonts the layout measured with, so fitted text still fits.
// White text (on a banner) is printed reversed over the black box.
func (z *zplWriter) text(it item) {
	h := max(10, round(it.size))
	z.at("^FT", it.x, it.y)
	z.cmd("^A0N,", h, h)
	if it.align != alignLeft {
		// A one-line field block aligns the text in the printer's own
		// font metrics.
		z.cmd("^FB", it.w, 1, 0)
		z.b = append(z.b, ',', "LCR"[it.align], ',', '0')
	}
	if it.white {
		z.cmd("^FR")
	}
	z.cmd("^FH_^FD")
	// Printer fonts may lack the ellipsis character; three dots are
	// in every font and no wider in font 0 than the layout allowed.
	z.b = appendFieldData(z.b, strings.ReplaceAll(it.text, ellipsis, "..."))
	z.cmd("^FS")
}

// appendFieldData appends s for a ^FH_ field: every byte that could be read
// as a command (^ and ~), the escape character itself, and every byte of a
// non-ASCII character becomes _XX, so field data is plain printable ASCII
// that the printer turns back into the UTF-8 text.
func appendFieldData(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '^' || c == '~' || c == '_' {
			b = append(b, '_', hex[c>>4], hex[c&0xf])
			continue
		}
		b = append(b, c)
	}
	return b
}
