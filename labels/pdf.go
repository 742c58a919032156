package labels

import (
	"bytes"
	"io"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/go-pdf/fpdf"
)

// SheetOptions describes the label stationery a PDF is printed on.
type SheetOptions struct {
	// Layout of the sheet; zero means L7160.
	Layout Layout
	// Skip is how many labels of the first sheet are already used, so a
	// part-used sheet can go back in the printer: printing starts at
	// label Skip (counting from 0 across each row, then down).
	Skip int
	// Offset is this printer's calibration: laser printers feed sheets a
	// little off true, each in its own way.
	Offset Offset
	// DPI is the dot grid bar widths are snapped to; zero means 300,
	// whose dots are also whole dots at 600 and 1200 dpi.
	DPI int
	// Outlines draws each label's edge in light grey, for checking a
	// test print on plain paper against a sheet held up to the light.
	Outlines bool
}

// pdfEpoch is the fixed creation date of every PDF, so the same labels
// always give the same bytes (and can be compared and cached).
var pdfEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteSheet writes labels onto A4 (or the layout's page size) label
// sheets as a PDF, as many pages as needed. Text is set in the embedded Go
// fonts, so any name prints as itself; bars are vector rectangles on the
// dot grid, sharp at any zoom and on any printer.
func WriteSheet(w io.Writer, ls []Label, opt SheetOptions) error {
	opt, err := sheetDefaults(opt)
	if err != nil {
		return err
	}
	lay := opt.Layout
	ds := make([]*drawing, len(ls))
	for i, l := range ls {
		if ds[i], err = layout(l, Size{lay.LabelWidth, lay.LabelHeight}, opt.DPI); err != nil {
			return err
		}
	}
	pdf := newPDF(lay)
	page := -1
	for i, d := range ds {
		p, x, y := lay.Position(opt.Skip + i)
		if p != page {
			pdf.AddPage()
			page = p
			if opt.Outlines {
				outlines(pdf, lay, opt.Offset)
			}
		}
		drawPDF(pdf, d, x+opt.Offset.X, y+opt.Offset.Y)
	}
	if len(ds) == 0 {
		pdf.AddPage()
	}
	return pdf.Output(w)
}

func sheetDefaults(opt SheetOptions) (SheetOptions, error) {
	if opt.Layout == (Layout{}) {
		opt.Layout = L7160
	}
	if opt.DPI == 0 {
		opt.DPI = DPI300
	}
	if err := opt.Layout.Validate(); err != nil {
		return opt, err
	}
	if opt.Skip < 0 || opt.Skip >= opt.Layout.PerPage() {
		return opt, tracking.FieldError("skip", "Skip must be from 0 to %d for %s sheets.", opt.Layout.PerPage()-1, opt.Layout.Name)
	}
	return opt, nil
}

// newPDF starts a deterministic document of label sheets with the Go
// fonts embedded.
func newPDF(lay Layout) *fpdf.Fpdf { return newDocument(lay.PageWidth, lay.PageHeight, "Labels") }

// newDocument starts a deterministic document of pages w by h mm with the
// Go fonts embedded.
func newDocument(w, h float64, title string) *fpdf.Fpdf {
	pdf := fpdf.NewCustom(&fpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "mm",
		Size:           fpdf.SizeType{Wd: w, Ht: h},
	})
	pdf.SetCreationDate(pdfEpoch)
	pdf.SetModificationDate(pdfEpoch)
	pdf.SetCatalogSort(true)
	pdf.SetProducer("casetrack labels", false)
	pdf.SetTitle(title, false)
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCompression(true)
	for _, tf := range typefaces {
		// fpdf edits the font data in place while subsetting it, so each
		// document gets its own copy: the shared fonts stay intact for
		// PNGs and for documents made at the same time.
		pdf.AddUTF8FontFromBytes(tf.name, "", bytes.Clone(tf.ttf))
	}
	return pdf
}

// drawPDF draws one laid-out label with its top-left corner at x, y mm.
func drawPDF(pdf *fpdf.Fpdf, d *drawing, x, y float64) {
	k := 25.4 / d.dpi // mm per dot
	rect := func(rx, ry, rw, rh int) {
		pdf.Rect(x+float64(rx)*k, y+float64(ry)*k, float64(rw)*k, float64(rh)*k, "F")
	}
	for _, it := range d.items {
		switch it.kind {
		case itemBox:
			pdfColour(pdf, it.white)
			rect(it.x, it.y, it.w, it.h)
		case itemSymbol:
			pdfColour(pdf, false)
			eachBar(it, rect)
		case itemText:
			pdfColour(pdf, it.white)
			pdf.SetFont(it.face.name, "", 0)
			pdf.SetFontUnitSize(it.size * k)
			pdf.Text(x+float64(it.textX())*k, y+float64(it.y)*k, it.text)
		}
	}
}

func pdfColour(pdf *fpdf.Fpdf, white bool) {
	v := 0
	if white {
		v = 255
	}
	pdf.SetFillColor(v, v, v)
	pdf.SetTextColor(v, v, v)
}

// outlines draws every label's edge on the current page.
func outlines(pdf *fpdf.Fpdf, lay Layout, off Offset) {
	pdf.SetDrawColor(190, 190, 190)
	pdf.SetLineWidth(0.1)
	for i := range lay.PerPage() {
		_, x, y := lay.Position(i)
		pdf.RoundedRect(x+off.X, y+off.Y, lay.LabelWidth, lay.LabelHeight, 1.5, "1234", "D")
	}
}
