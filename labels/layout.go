package labels

import (
	"bytes"
	"encoding/json"
	"math"

	"github.com/casetrack/casetrack/tracking"
)

// Layout is the geometry of a sheet of labels, in millimetres, as the
// maker's template gives it. Sites with other stationery describe it in
// JSON (see ParseLayout) instead of waiting for a release.
type Layout struct {
	Name       string  `json:"name"`
	PageWidth  float64 `json:"page_width"`
	PageHeight float64 `json:"page_height"`
	// Top and Left are the distances from the page's top and left edges
	// to the first label's top-left corner.
	Top  float64 `json:"top"`
	Left float64 `json:"left"`
	// HPitch and VPitch are the distances between the left edges of
	// neighbouring columns and the top edges of neighbouring rows: label
	// size plus gap.
	HPitch      float64 `json:"h_pitch"`
	VPitch      float64 `json:"v_pitch"`
	Columns     int     `json:"columns"`
	Rows        int     `json:"rows"`
	LabelWidth  float64 `json:"label_width"`
	LabelHeight float64 `json:"label_height"`
}

// Avery A4 sheets found in records libraries. Each is centred on the page:
// the margins follow from page, label and gap sizes, e.g. L7160's left
// margin is (210 - 3 x 63.5 - 2 x 2.54) / 2 = 7.21 mm and its top margin
// (297 - 7 x 38.1) / 2 = 15.15 mm.
var (
	// L7160: 21 per sheet (3 x 7), 63.5 x 38.1 mm; the usual casenote label.
	L7160 = Layout{Name: "L7160", PageWidth: 210, PageHeight: 297, Top: 15.15, Left: 7.21,
		HPitch: 66.04, VPitch: 38.1, Columns: 3, Rows: 7, LabelWidth: 63.5, LabelHeight: 38.1}
	// L7163: 14 per sheet (2 x 7), 99.1 x 38.1 mm; wide, for locations.
	L7163 = Layout{Name: "L7163", PageWidth: 210, PageHeight: 297, Top: 15.15, Left: 4.65,
		HPitch: 101.6, VPitch: 38.1, Columns: 2, Rows: 7, LabelWidth: 99.1, LabelHeight: 38.1}
	// L7651: 65 per sheet (5 x 13), 38.1 x 21.2 mm; small spine labels.
	L7651 = Layout{Name: "L7651", PageWidth: 210, PageHeight: 297, Top: 10.7, Left: 4.75,
		HPitch: 40.6, VPitch: 21.2, Columns: 5, Rows: 13, LabelWidth: 38.1, LabelHeight: 21.2}
)

// Layouts lists the built-in layouts, for a settings page to offer.
func Layouts() []Layout { return []Layout{L7160, L7163, L7651} }

// ParseLayout reads a Layout from JSON (the field names of Layout's json
// tags) and validates it. Unknown fields are rejected so that a typo is
// not silently read as a zero margin.
func ParseLayout(data []byte) (Layout, error) {
	var l Layout
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return Layout{}, tracking.FieldError("layout", "The label layout is not valid JSON: %v.", err)
	}
	return l, l.Validate()
}

// Validate checks that the labels are big enough to print on, do not
// overlap and stay on the page.
func (l Layout) Validate() error {
	const eps = 0.01 // mm: published figures are rounded
	switch {
	case l.Columns < 1 || l.Rows < 1:
		return tracking.FieldError("layout", "A layout needs at least one row and one column.")
	case !(l.LabelWidth >= 15 && l.LabelHeight >= 10):
		return tracking.FieldError("layout", "Labels must be at least 15 x 10 mm.")
	case l.Columns > 1 && l.HPitch < l.LabelWidth-eps, l.Rows > 1 && l.VPitch < l.LabelHeight-eps:
		return tracking.FieldError("layout", "The pitch is smaller than the label: labels would overlap.")
	case !(l.Top >= 0 && l.Left >= 0):
		return tracking.FieldError("layout", "Margins cannot be negative.")
	}
	right := l.Left + float64(l.Columns-1)*l.HPitch + l.LabelWidth
	bottom := l.Top + float64(l.Rows-1)*l.VPitch + l.LabelHeight
	if !(right <= l.PageWidth+eps && bottom <= l.PageHeight+eps) || math.IsInf(right+bottom, 0) {
		return tracking.FieldError("layout", "The labels run off a %g x %g mm page.", l.PageWidth, l.PageHeight)
	}
	return nil
}

// PerPage is the number of labels on one sheet.
func (l Layout) PerPage() int { return l.Columns * l.Rows }

// Position returns the top-left corner, in mm from the page's top-left,
// of label i (counting from 0 across each row, then down) and the page it
// falls on (from 0).
func (l Layout) Position(i int) (page int, x, y float64) {
	page, i = i/l.PerPage(), i%l.PerPage()
	col, row := i%l.Columns, i/l.Columns
	return page, l.Left + float64(col)*l.HPitch, l.Top + float64(row)*l.VPitch
}
