package labels

import "strings"

// Text sizes and gaps are fractions of a frame's scale unit, so one design
// serves a 38 x 21 mm sheet label and a 4 x 2 inch roll alike.
const (
	// aspect is the width/height the design is drawn for; wider labels
	// get the same text, narrower ones smaller text.
	aspect = 1.75
	// Widest module for each kind: beyond this scanners gain nothing on a
	// folder spine, while location labels are read from across a trolley.
	volumeModuleMM   = 0.5
	locationModuleMM = 1.0
	// squareModuleMM is the widest module of a 2D code: a camera finds a
	// bigger square from further away.
	squareModuleMM = 2.0
	// edgeMM is kept clear at the label edge even by quiet zones: sheet
	// labels have rounded corners and printers are not exact.
	edgeMM = 0.6
)

// frame is the printable area of a label with a cursor that moves down it
// as lines are set.
type frame struct {
	d                        *drawing
	left, right, top, bottom int
	y                        int
	u                        float64 // scale unit in dots
}

func newFrame(d *drawing) *frame {
	pad := 0.055 * float64(min(d.w, d.h))
	pad = max(float64(d.dots(1.0)), min(pad, float64(d.dots(3.0))))
	p := round(pad)
	f := &frame{d: d, left: p, right: d.w - p, top: p, bottom: d.h - p, y: p}
	f.setWidth(f.right)
	return f
}

// setWidth moves the right edge (to make room for a 2D code) and rescales.
func (f *frame) setWidth(right int) {
	f.right = right
	f.u = min(float64(f.bottom-f.top), float64(f.right-f.left)/aspect)
}

func (f *frame) width() float64 { return float64(f.right - f.left) }

// line sets one line of text across the frame, shrunk from size towards
// minSize (both in units) or cut with an ellipsis to fit.
func (f *frame) line(s string, tf *typeface, size, minSize float64) {
	if s == "" {
		return
	}
	t, sz := tf.fit(s, size*f.u, minSize*f.u, f.width())
	f.d.text(f.left, f.y+round(ascent*sz), f.right-f.left, alignLeft, t, tf, sz, false)
	f.y += round(leading * sz)
}

// banner sets s in white on a full-width black band: alerts must be seen
// at a glance on a shelf of otherwise identical folders.
func (f *frame) banner(s string, height, size float64) {
	if s == "" {
		return
	}
	h := round(height * f.u)
	t, sz := bold.fit(s, size*f.u, 0.6*size*f.u, f.width()-0.1*f.u)
	f.d.box(f.left, f.y, f.right-f.left, h, false)
	base := f.y + round((float64(h)+0.72*sz)/2)
	f.d.text(f.left, base, f.right-f.left, alignCenter, t, bold, sz, true)
	f.y += h + round(0.05*f.u)
}

// hospitalRow sets the hospital number large with its terminal-digit pair
// in a black box, the section a folder is filed in, and "Vol n of m" at
// the right on the same baseline. Both shrink together to fit; only a
// hospital number too long even at the smallest size is cut.
func (f *frame) hospitalRow(hosp, vol string) {
	if hosp == "" && vol == "" {
		return
	}
	const volScale = 0.65 // "Vol n of m" size relative to the number
	head, pair := terminalDigits(hosp)
	pad := 0.12 // box padding around the pair, in em
	ems := bold.width(head, 1) + bold.width(pair, 1) + volScale*bold.width(vol, 1)
	if pair != "" {
		ems += 2 * pad
	}
	size := min(0.21*f.u, (f.width()-0.08*f.u)/ems)
	if size < 0.1*f.u {
		size = 0.1 * f.u
		rest := f.width() - 0.08*f.u - size*(ems-bold.width(head, 1))
		head, _ = bold.fit(head, size, size, rest)
	}
	// The number is set flush right against the box, and the pair centred
	// in it, so they stay together in any printer font.
	base := f.y + round(ascent*size)
	x := f.left + round(bold.width(head, size))
	f.d.text(f.left, base, x-f.left, alignRight, head, bold, size, false)
	if pair != "" {
		w := round(bold.width(pair, size) + 2*pad*size)
		f.d.box(x, base-round(0.86*size), w, round(1.02*size), false)
		f.d.text(x, base, w, alignCenter, pair, bold, size, true)
	}
	vs := volScale * size
	f.d.text(f.left, base, f.right-f.left, alignRight, vol, bold, vs, false)
	f.y += round(leading*size) + round(0.02*f.u)
}

// barcode fills the rest of the frame with a Code 128 symbol, centred on
// the label, and its human-readable text under it.
func (f *frame) barcode(sym *symbol, text string, maxModuleMM float64) error {
	edge := f.d.dots(edgeMM)
	m, err := moduleDots(sym.span(), f.d.w-2*edge, max(1, f.d.dots(maxModuleMM)))
	if err != nil {
		return err
	}
	t, sz := mono.fit(text, 0.1*f.u, 0.07*f.u, f.width())
	gap := round(0.03 * f.u) // keeps text from touching the bars
	top := f.y + gap
	bars := f.bottom - round(leading*sz) - gap - top
	x := (f.d.w - sym.cols*m) / 2
	f.d.symbol(x, top, sym, m, bars)
	f.d.text(0, f.bottom-round(descent*sz), f.d.w, alignCenter, t, mono, sz, false)
	return nil
}

// composeVolume lays out a casenote volume label: the alert banner, the
// patient's name, date of birth and NHS number, the hospital number and
// volume, then the barcode. When the text leaves the bars too short to
// scan easily (an alert on a small label), the text is set smaller.
func composeVolume(d *drawing, l Label, sym *symbol) error {
	v := volumeLines{
		alert:   l.alertLine(),
		name:    l.patientName(),
		details: strings.TrimSpace(l.birthLine() + "   " + l.nhsLine()),
		hosp:    clean(l.HospitalNumber),
		vol:     l.volumeLine(),
	}
	for scale := 1.0; ; scale -= 0.05 {
		d.items = d.items[:0]
		f := newFrame(d)
		minBars := 0.3 * f.u
		f.u *= scale
		v.set(f)
		left := float64(f.bottom-f.y) - (leading*0.1+0.06)*f.u // less the human-readable line
		if left >= minBars || scale <= 0.7 {
			return f.barcode(sym, l.Barcode, volumeModuleMM)
		}
	}
}

// volumeLines is the text of a volume label, cleaned once however often
// it is set.
type volumeLines struct {
	alert, name, details, hosp, vol string
}

func (v volumeLines) set(f *frame) {
	f.banner(v.alert, 0.15, 0.11)
	f.line(v.name, bold, 0.155, 0.1)
	f.line(v.details, regular, 0.105, 0.075)
	f.hospitalRow(v.hosp, v.vol)
}

// composeLocation lays out a location label: its kind on a black band,
// its name large, its code, and a barcode as big as the label allows.
func composeLocation(d *drawing, l Label, sym *symbol) error {
	f := newFrame(d)
	if sym.is2D() {
		if err := f.square(sym); err != nil {
			return err
		}
	}
	f.banner(strings.ToUpper(clean(l.LocationKind)), 0.17, 0.12)
	f.line(clean(l.LocationName), bold, 0.24, 0.11)
	if code := clean(l.LocationCode); code != "" {
		f.line("Code "+code, regular, 0.13, 0.08)
	}
	if sym.is2D() {
		f.y = max(f.y, f.bottom-round(leading*0.12*f.u))
		f.line(l.Barcode, mono, 0.12, 0.07)
		return nil
	}
	return f.barcode(sym, l.Barcode, locationModuleMM)
}

// square puts a 2D symbol at the right of the label, as large as the
// label's height allows, and narrows the frame to the text beside it.
func (f *frame) square(sym *symbol) error {
	edge := f.d.dots(edgeMM)
	avail := min(f.d.h-2*edge, (f.d.w-2*edge)/2)
	m, err := moduleDots(sym.span(), avail, max(1, f.d.dots(squareModuleMM)))
	if err != nil {
		return err
	}
	side := sym.cols * m
	x := f.d.w - edge - sym.quiet()*m - side
	f.d.symbol(x, (f.d.h-side)/2, sym, m, side)
	f.setWidth(x - sym.quiet()*m)
	return nil
}
