package labels

import (
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"
)

// Report is a plain printable list, such as a sweep's report: a title,
// the lines that say what it is, then sections, each a table under its
// heading. It prints on A4 in the fonts the labels use, so any name
// prints as itself, and the same report always gives the same bytes.
type Report struct {
	Title    string
	Lines    []string
	Sections []ReportSection
}

// ReportSection is one table of a report. Columns' widths are shares of
// the page's width; Empty is said when there are no rows.
type ReportSection struct {
	Heading string
	Columns []ReportColumn
	Rows    [][]string
	Empty   string
}

// ReportColumn is a column's title and its share of the width.
type ReportColumn struct {
	Title string
	Share float64
}

// The page of a report, in mm, and its type sizes, in points.
const (
	reportWidth, reportHeight = 210.0, 297.0
	reportMargin              = 15.0
	reportFooter              = 10.0
	reportRow                 = 6.0
	reportText, reportHead    = 9.0, 12.0
	reportTitle               = 16.0
)

// WriteReport writes the report as a PDF: a table's header row comes
// again at the top of each page it runs on to, and each page says which
// of how many it is.
func WriteReport(w io.Writer, r Report) error {
	pdf := newDocument(reportWidth, reportHeight, asciiOnly(r.Title))
	pdf.SetMargins(reportMargin, reportMargin, reportMargin)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(reportHeight - reportMargin)
		pdf.SetFont(regular.name, "", 8)
		pdf.SetTextColor(80, 80, 80)
		pdf.CellFormat(0, 4, fmt.Sprintf("%s · page %d of {nb}", r.Title, pdf.PageNo()), "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()
	pdf.SetFont(bold.name, "", reportTitle)
	pdf.MultiCell(0, 8, r.Title, "", "L", false)
	pdf.SetFont(regular.name, "", reportText+1)
	for _, l := range r.Lines {
		pdf.MultiCell(0, 5, l, "", "L", false)
	}
	for _, s := range r.Sections {
		writeSection(pdf, s)
	}
	return pdf.Output(w)
}

// writeSection writes a heading and its table.
func writeSection(pdf *fpdf.Fpdf, s ReportSection) {
	if pdf.GetY()+3*reportRow > reportHeight-reportMargin-reportFooter {
		pdf.AddPage()
	}
	pdf.Ln(4)
	pdf.SetFont(bold.name, "", reportHead)
	pdf.CellFormat(0, 7, s.Heading, "", 1, "L", false, 0, "")
	if len(s.Rows) == 0 {
		pdf.SetFont(regular.name, "", reportText)
		pdf.CellFormat(0, reportRow, s.Empty, "", 1, "L", false, 0, "")
		return
	}
	widths := columnWidths(s.Columns)
	headerRow(pdf, s.Columns, widths)
	for i, row := range s.Rows {
		if pdf.GetY()+reportRow > reportHeight-reportMargin-reportFooter {
			pdf.AddPage()
			headerRow(pdf, s.Columns, widths)
		}
		pdf.SetFont(regular.name, "", reportText)
		pdf.SetFillColor(240, 243, 245)
		for j, wd := range widths {
			cell := ""
			if j < len(row) {
				cell = fitText(pdf, row[j], wd-2)
			}
			pdf.CellFormat(wd, reportRow, cell, "", 0, "L", i%2 == 1, 0, "")
		}
		pdf.Ln(reportRow)
	}
}

func headerRow(pdf *fpdf.Fpdf, cols []ReportColumn, widths []float64) {
	pdf.SetFont(bold.name, "", reportText)
	for j, c := range cols {
		pdf.CellFormat(widths[j], reportRow, fitText(pdf, c.Title, widths[j]-2), "B", 0, "L", false, 0, "")
	}
	pdf.Ln(reportRow)
}

// columnWidths shares the width between the page's margins by the
// columns' shares.
func columnWidths(cols []ReportColumn) []float64 {
	total := 0.0
	for _, c := range cols {
		total += c.Share
	}
	out := make([]float64, len(cols))
	for i, c := range cols {
		out[i] = (reportWidth - 2*reportMargin) * c.Share / total
	}
	return out
}

// fitText cuts s with an ellipsis to fit the width in the current font.
func fitText(pdf *fpdf.Fpdf, s string, width float64) string {
	if pdf.GetStringWidth(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && pdf.GetStringWidth(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// asciiOnly keeps a document's title to what its metadata holds as is.
func asciiOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r > '~' {
			return '?'
		}
		return r
	}, s)
}
