package web

import (
	"net/url"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

func (s *Server) registerPullListPages(pages fiber.Router) {
	pages.Get("/pull-lists", s.requirePage(tracking.PermRequest), s.showPullLists)
	pages.Post("/pull-lists/upload", s.requirePage(tracking.PermManage), s.checkCSRF, s.submitClinicUpload)
}

// pullListsPage is a day's pull list with its sessions' readiness over
// the week ahead, and the clinic upload.
type pullListsPage struct {
	Date      string
	Clinic    string
	Clinics   []*tracking.Location
	List      *tracking.PullList
	Sessions  []*tracking.ClinicSession
	Query     string // date and clinic, for the PDF and CSV links
	CanUpload bool
	Report    *tracking.AppointmentReport
	Problem   string
	// Days is how many days Sessions counts, for the page to count again.
	Days int
}

// availabilityDays is how far ahead the page counts each session's notes.
const availabilityDays = 7

// showPullLists shows the day's pull list (tomorrow's unless a date is
// chosen); every patient on it is written to the access log.
func (s *Server) showPullLists(c *fiber.Ctx) error {
	return s.renderPullLists(c, nil)
}

func (s *Server) renderPullLists(c *fiber.Ctx, report *tracking.AppointmentReport) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	pp := pullListsPage{Date: strings.TrimSpace(c.Query("date")), Clinic: strings.TrimSpace(c.Query("clinic")),
		CanUpload: actor(c).Role.Can(tracking.PermManage), Report: report, Days: availabilityDays}
	d, err := queryDate(c, "date")
	if err != nil {
		pp.Problem, d = tracking.ErrorMessage(err), tracking.Date{}
	}
	if d.IsZero() {
		d = tracking.DateOf(time.Now().In(pageZone()).AddDate(0, 0, 1))
	}
	pp.Date = d.String()
	pp.Query = "date=" + url.QueryEscape(pp.Date) + "&clinic=" + url.QueryEscape(pp.Clinic)
	if pp.Clinics, err = s.Service.FindLocations(ctx, tracking.LocationFilter{Kind: tracking.KindClinic, Limit: 500}); err != nil {
		return err
	}
	pp.List, err = s.Service.PullList(ctx, actor(c), tracking.PullListFilter{Date: d, Clinic: pp.Clinic})
	if err == nil {
		pp.Sessions, err = s.Service.Availability(ctx, d, availabilityDays, pp.Clinic)
	}
	if tracking.ErrorCode(err) == tracking.EINVALID {
		pp.Problem, err = tracking.ErrorMessage(err), nil
	}
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "pull_lists", s.newPage(c, "Pull lists", pp))
}

// submitClinicUpload takes a clinic CSV from the page and shows the list
// again with what the upload did.
func (s *Server) submitClinicUpload(c *fiber.Ctx) error {
	ins, err := s.appointmentsCSV(c)
	if err != nil {
		return err
	}
	rep, err := s.importAppointments(c, ins)
	if err != nil {
		return err
	}
	return s.renderPullLists(c, &rep)
}
