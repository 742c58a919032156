package labels

import (
	"fmt"
	"io"

	"github.com/go-pdf/fpdf"
)

// PickList is a day's pull list as printed for the library: sections in
// the order the shelves are walked, each a heading and its lines. It is
// plain text to set; the caller chooses what goes in it.
type PickList struct {
	Title    string // "Pull list for Tue 24 Nov 2026"
	Subtitle string // "All clinics", "ENT clinic"
	Printed  string // when and by whom, for the footer
	Sections []PickSection
}

// PickSection is a run of lines under one heading ("Pull from LIB-A").
type PickSection struct {
	Heading string
	Lines   []PickLine
}

// PickLine is one folder to pull or chase.
type PickLine struct {
	HospitalNumber string
	Name           string // "SMITH, Zoë"
	Volume         string // "Vol 2 of 3", or "No notes"
	Shelf          string // where it is now
	Clinic         string
	Time           string // "09:30"
}

// A4 portrait, in millimetres.
const (
	pickPageW, pickPageH = 210.0, 297.0
	pickMargin           = 12.0
	pickRowH             = 8.5
	pickHeadH            = 7.0
	pickTop              = 30.0
	pickBottom           = pickPageH - 16.0
)

// pickColumn is a column of the list: its heading and width.
type pickColumn struct {
	head  string
	width float64
}

var pickColumns = []pickColumn{{"", 8}, {"Hospital No.", 36}, {"Name", 50}, {"Volume", 20}, {"Where", 30}, {"Clinic", 26}, {"Time", 16}}

// WritePickList writes the pick list as an A4 PDF: on each line a tick
// box, the hospital number with its terminal-digit pair large and bold
// (the shelf section), name, volume n of m, where the folder is, clinic
// and time. The same list always gives the same bytes.
func WritePickList(w io.Writer, pl PickList) error {
	loadFonts()
	pdf := newDocument(pickPageW, pickPageH, clean(pl.Title))
	pdf.SetFooterFunc(func() { pickFooter(pdf, pl) })
	pdf.AliasNbPages("{nb}")
	y := pickPage(pdf, pl)
	for _, s := range pl.Sections {
		if y+pickHeadH+pickRowH > pickBottom {
			y = pickPage(pdf, pl)
		}
		y = pickHeading(pdf, s, y)
		for _, l := range s.Lines {
			if y+pickRowH > pickBottom {
				y = pickHeading(pdf, PickSection{Heading: clean(s.Heading) + " (continued)"}, pickPage(pdf, pl))
			}
			pickRow(pdf, l, y)
			y += pickRowH
		}
		y += 3
	}
	return pdf.Output(w)
}

// pickPage starts a page with the title and the column headings, and
// returns where the first row goes.
func pickPage(pdf *fpdf.Fpdf, pl PickList) float64 {
	pdf.AddPage()
	pdf.SetTextColor(0, 0, 0)
	setText(pdf, bold, 6)
	pdf.Text(pickMargin, 17, fitted(bold, pl.Title, 6, 150))
	setText(pdf, regular, 3.8)
	pdf.Text(pickMargin, 23, fitted(regular, pl.Subtitle, 3.8, 150))
	x := pickMargin
	setText(pdf, bold, 3)
	for _, c := range pickColumns {
		pdf.Text(x+1, pickTop-2, c.head)
		x += c.width
	}
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.4)
	pdf.Line(pickMargin, pickTop-0.5, pickPageW-pickMargin, pickTop-0.5)
	return pickTop + 1
}

func pickHeading(pdf *fpdf.Fpdf, s PickSection, y float64) float64 {
	pdf.SetFillColor(225, 225, 225)
	pdf.Rect(pickMargin, y, pickPageW-2*pickMargin, pickHeadH-1, "F")
	setText(pdf, bold, 4)
	pdf.Text(pickMargin+2, y+4.6, fitted(bold, s.Heading, 4, pickPageW-2*pickMargin-4))
	return y + pickHeadH
}

// pickRow sets one line: a tick box, the columns, and a rule below.
func pickRow(pdf *fpdf.Fpdf, l PickLine, y float64) {
	pdf.SetLineWidth(0.3)
	pdf.Rect(pickMargin+1.5, y+1.8, 5, 5, "D")
	x := pickMargin + pickColumns[0].width
	hospitalCell(pdf, l.HospitalNumber, x+1, y+6, pickColumns[1].width-2)
	x += pickColumns[1].width
	for i, text := range []string{l.Name, l.Volume, l.Shelf, l.Clinic, l.Time} {
		c := pickColumns[i+2]
		setText(pdf, regular, 3.6)
		pdf.Text(x+1, y+6, fitted(regular, text, 3.6, c.width-2))
		x += c.width
	}
	pdf.SetLineWidth(0.1)
	pdf.SetDrawColor(150, 150, 150)
	pdf.Line(pickMargin, y+pickRowH, pickPageW-pickMargin, y+pickRowH)
	pdf.SetDrawColor(0, 0, 0)
}

// hospitalCell sets a hospital number with its terminal-digit pair (the
// shelf section) larger and bold, as on the folder's label.
func hospitalCell(pdf *fpdf.Fpdf, hosp string, x, y, width float64) {
	head, pair := terminalDigits(clean(hosp))
	const headSize, pairSize = 3.6, 5.2
	pw := bold.width(pair, pairSize)
	head = fitted(regular, head, headSize, width-pw-0.5)
	setText(pdf, regular, headSize)
	pdf.Text(x, y, head)
	setText(pdf, bold, pairSize)
	pdf.Text(x+regular.width(head, headSize)+0.3, y, pair)
}

func pickFooter(pdf *fpdf.Fpdf, pl PickList) {
	setText(pdf, regular, 2.8)
	pdf.SetTextColor(60, 60, 60)
	pdf.Text(pickMargin, pickPageH-9, fitted(regular, pl.Printed, 2.8, 140))
	pdf.Text(pickPageW-pickMargin-22, pickPageH-9, fmt.Sprintf("Page %d of {nb}", pdf.PageNo()))
	pdf.SetTextColor(0, 0, 0)
}

// setText chooses a typeface and a size in millimetres.
func setText(pdf *fpdf.Fpdf, tf *typeface, size float64) {
	pdf.SetFont(tf.name, "", 0)
	pdf.SetFontUnitSize(size)
}

// fitted is s cleaned and, when wider than width at size, cut short with
// an ellipsis: a list keeps one size of text per column.
func fitted(tf *typeface, s string, size, width float64) string {
	t, _ := tf.fit(clean(s), size, size, width)
	return t
}
