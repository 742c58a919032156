package web

import (
	"fmt"
	"strings"

	"github.com/casetrack/casetrack/labels"
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// labelLayouts are the A4 sheets the labels package lays out, as the page
// offers them.
var labelLayouts = sheetChoices(labels.Layouts())

func sheetChoices(ls []labels.Layout) []labelLayout {
	out := make([]labelLayout, len(ls))
	for i, l := range ls {
		n := l.Columns * l.Rows
		out[i] = labelLayout{Name: l.Name, PerSheet: n,
			Title: fmt.Sprintf("%s — %d per sheet (%g × %g mm)", l.Name, n, l.LabelWidth, l.LabelHeight)}
	}
	return out
}

// labelLayout is one sheet choice and how many labels it holds, so the
// page can offer only start positions that exist.
type labelLayout struct {
	Name, Title string
	PerSheet    int
}

// labelsPage is what the label page found and can print to.
type labelsPage struct {
	Query, LocationQuery string
	Patients             []*tracking.Patient
	Locations            []*tracking.Location
	Layouts              []labelLayout
	Printers             []Printer
	Problem              string
}

// showLabels finds patients' volumes and locations to label. Choosing,
// previewing and printing happen in the page's script against the label
// API, so the same endpoints serve the page and integrators.
func (s *Server) showLabels(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	lp := labelsPage{Query: strings.TrimSpace(c.Query("q")), LocationQuery: strings.TrimSpace(c.Query("location")),
		Layouts: labelLayouts, Printers: s.Printers}
	var err error
	if lp.Query != "" {
		var pv []patientView
		pv, err = s.searchPatientsOnly(c, lp.Query)
		for _, p := range pv {
			lp.Patients = append(lp.Patients, p.Patient)
		}
	}
	if err == nil {
		lp.Locations, err = s.Service.FindLocations(ctx, tracking.LocationFilter{Query: lp.LocationQuery, Limit: 200})
	}
	if err != nil {
		if tracking.ErrorCode(err) == tracking.EINTERNAL {
			return err
		}
		lp.Problem = tracking.ErrorMessage(err)
	}
	return s.render(c, fiber.StatusOK, "labels", s.newPage(c, "Labels", lp))
}

// searchPatientsOnly is the lookup search without histories: labels need
// the volumes, not where they have been.
func (s *Server) searchPatientsOnly(c *fiber.Ctx, q string) ([]patientView, error) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	f := tracking.PatientFilter{Query: q, Limit: 50}
	if digits := strings.NewReplacer(" ", "", "-", "").Replace(q); len(digits) == 10 && allDigits(digits) {
		f = tracking.PatientFilter{NHSNumber: digits}
	}
	ps, err := s.Service.FindPatients(ctx, actor(c), f)
	out := make([]patientView, len(ps))
	for i, p := range ps {
		out[i] = patientView{Patient: p}
	}
	return out, err
}
