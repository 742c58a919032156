package labels

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"image"
	"image/color"
	"io"
	"math"
	"testing"
)

func TestL7160Positions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		i     int
		page  int
		x, y  float64
		where string
	}{
		{0, 0, 7.21, 15.15, "top left"},
		{1, 0, 73.25, 15.15, "top middle"},
		{2, 0, 139.29, 15.15, "top right"},
		{3, 0, 7.21, 53.25, "second row"},
		{20, 0, 139.29, 243.75, "bottom right"},
		{21, 1, 7.21, 15.15, "next sheet"},
	} {
		page, x, y := L7160.Position(tc.i)
		if page != tc.page || math.Abs(x-tc.x) > 1e-9 || math.Abs(y-tc.y) > 1e-9 {
			t.Errorf("label %d (%s) at page %d, %.4f, %.4f mm; want %d, %.2f, %.2f", tc.i, tc.where, page, x, y, tc.page, tc.x, tc.y)
		}
	}
}

// TestBuiltInLayoutsFillTheirPage checks the published geometry adds up:
// each sheet is centred on A4 to within rounding.
func TestBuiltInLayoutsFillTheirPage(t *testing.T) {
	t.Parallel()
	for _, l := range Layouts() {
		if err := l.Validate(); err != nil {
			t.Errorf("%s: %v", l.Name, err)
		}
		right := l.PageWidth - (l.Left + float64(l.Columns-1)*l.HPitch + l.LabelWidth)
		bottom := l.PageHeight - (l.Top + float64(l.Rows-1)*l.VPitch + l.LabelHeight)
		if math.Abs(right-l.Left) > 0.01 || math.Abs(bottom-l.Top) > 0.01 {
			t.Errorf("%s: margins left %.2f right %.2f top %.2f bottom %.2f, want centred", l.Name, l.Left, right, l.Top, bottom)
		}
	}
}

func TestParseLayout(t *testing.T) {
	t.Parallel()
	l7160, _ := json.Marshal(L7160)
	for _, tc := range []struct {
		name, json string
		ok         bool
	}{
		{"OK", string(l7160), true},
		{"OKHandWritten", `{"name":"Herma 4360","page_width":210,"page_height":297,"top":13.5,"left":4.6,
			"h_pitch":68.6,"v_pitch":33.9,"columns":3,"rows":8,"label_width":66,"label_height":33.9}`, true},
		{"ErrUnknownField", `{"name":"x","pagewidth":210}`, false},
		{"ErrNotJSON", `name=x`, false},
		{"ErrOverlap", `{"page_width":210,"page_height":297,"h_pitch":50,"v_pitch":38.1,"columns":3,"rows":7,"label_width":63.5,"label_height":38.1}`, false},
		{"ErrOffPage", `{"page_width":210,"page_height":297,"top":40,"h_pitch":66.04,"v_pitch":38.1,"columns":3,"rows":7,"label_width":63.5,"label_height":38.1}`, false},
		{"ErrNoRows", `{"page_width":210,"page_height":297,"columns":3,"label_width":63.5,"label_height":38.1}`, false},
		{"ErrTinyLabels", `{"page_width":210,"page_height":297,"columns":1,"rows":1,"label_width":5,"label_height":5}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, err := ParseLayout([]byte(tc.json))
			if (err == nil) != tc.ok {
				t.Fatalf("ParseLayout: %v, want ok=%v", err, tc.ok)
			}
			if tc.name == "OK" && l != L7160 {
				t.Errorf("round trip gave %+v", l)
			}
		})
	}
}

// TestSheetGeometry renders an L7160 sheet and checks, to the pixel at
// 300 dpi, that each label's barcode starts where the layout, the skip and
// the calibration offset put it.
func TestSheetGeometry(t *testing.T) {
	t.Parallel()
	opt := SheetOptions{Layout: L7160, Skip: 1, Offset: Offset{X: 1.0, Y: -0.5}}
	ls := []Label{volumeLabel(), volumeLabel(), volumeLabel(), volumeLabel(), volumeLabel()}
	var buf bytes.Buffer
	if err := WriteSheet(&buf, ls, opt); err != nil {
		t.Fatal(err)
	}
	page := readPNG(t, pdfPages(t, buf.Bytes())[0])
	d, err := layout(volumeLabel(), Size{L7160.LabelWidth, L7160.LabelHeight}, DPI300)
	if err != nil {
		t.Fatal(err)
	}
	bars := symbolItem(t, d)
	for i := range ls {
		_, x, y := L7160.Position(opt.Skip + i)
		// pdftoppm -r 300 puts one pixel on each dot of the PDF's grid.
		wantX := mmDots(x+opt.Offset.X, 300) + bars.x
		wantY := mmDots(y+opt.Offset.Y, 300) + bars.y
		gotX := firstDark(page, wantX-20, wantY+bars.h/2)
		if gotX-wantX < -1 || gotX-wantX > 1 {
			t.Errorf("label %d: first bar at x=%d px, want %d (±1)", opt.Skip+i, gotX, wantX)
		}
		if above := firstDark(page, wantX-1, wantY-3); above < wantX+40 && above >= wantX-1 {
			t.Errorf("label %d: bars start above y=%d px", opt.Skip+i, wantY)
		}
	}
	if got := firstDark(page, 0, mmDots(L7160.Top+15, 300)); got < page.Bounds().Dx() {
		t.Errorf("skipped label 0 has ink at x=%d", got)
	}
}

func symbolItem(t *testing.T, d *drawing) item {
	t.Helper()
	for _, it := range d.items {
		if it.kind == itemSymbol {
			return it
		}
	}
	t.Fatal("no barcode on the label")
	return item{}
}

// firstDark returns the x of the first dark pixel at or right of x0 on
// row y, scanning at most 70 mm, or the image width if none.
func firstDark(img image.Image, x0, y int) int {
	for x := x0; x < min(img.Bounds().Dx(), x0+mmDots(70, 300)); x++ {
		if color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 0x80 {
			return x
		}
	}
	return img.Bounds().Dx()
}

func TestWriteSheetOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opt  SheetOptions
		ok   bool
	}{
		{"OKDefaults", SheetOptions{}, true},
		{"OKLastLabel", SheetOptions{Skip: 20}, true},
		{"ErrSkipWholeSheet", SheetOptions{Skip: 21}, false},
		{"ErrNegativeSkip", SheetOptions{Skip: -1}, false},
		{"ErrBadLayout", SheetOptions{Layout: Layout{Name: "x", Columns: 1}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := WriteSheet(&bytes.Buffer{}, []Label{volumeLabel()}, tc.opt)
			if (err == nil) != tc.ok {
				t.Errorf("WriteSheet: %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestPDFIsDeterministic(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	ls := []Label{volumeLabel(), locationLabel(QR)}
	WriteSheet(&a, ls, SheetOptions{})
	if err := WriteSheet(&b, ls, SheetOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same labels gave different PDFs")
	}
	for _, s := range []string{"/CreationDate (D:20000101000000)", "/ModDate (D:20000101000000)"} {
		if !bytes.Contains(a.Bytes(), []byte(s)) {
			t.Errorf("PDF lacks the fixed %s", s)
		}
	}
}

// TestWriteSheetLeavesFontsAlone guards against fpdf's subsetter, which
// edits the font bytes it is given: the shared fonts must not change.
func TestWriteSheetLeavesFontsAlone(t *testing.T) {
	t.Parallel()
	loadFonts()
	before := map[string][32]byte{}
	for _, tf := range typefaces {
		before[tf.name] = sha256.Sum256(tf.ttf)
	}
	alerts := volumeLabel()
	alerts.SameNameAlert = true
	if err := WriteSheet(io.Discard, []Label{alerts, locationLabel(QR)}, SheetOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, tf := range typefaces {
		if sha256.Sum256(tf.ttf) != before[tf.name] {
			t.Errorf("font %s changed while writing a PDF", tf.name)
		}
	}
}
