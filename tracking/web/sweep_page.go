package web

import (
	"strconv"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerSweepPages adds /sweeps: start a sweep, follow it, finish it,
// and read old reports.
func (s *Server) registerSweepPages(r fiber.Router) {
	manage := s.requirePage(tracking.PermManage)
	r.Get("/sweeps", manage, s.showSweeps)
	r.Post("/sweeps", manage, s.checkCSRF, s.submitSweep)
	r.Get("/sweeps/:id", manage, s.showSweepPage)
	r.Post("/sweeps/:id/finish", manage, s.checkCSRF, s.submitFinishSweep)
}

// sweepsPage lists the open sweeps (counted live by the page's script)
// and the finished ones, under the form that starts one.
type sweepsPage struct {
	Locations []*tracking.Location
	Open      []*tracking.Sweep
	Finished  []*tracking.Sweep
	Problem   string
	Location  string
}

// finishedListed is how many old reports /sweeps offers.
const finishedListed = 50

func (s *Server) showSweeps(c *fiber.Ctx) error {
	return s.renderSweeps(c, fiber.StatusOK, sweepsPage{Location: c.Query("location")})
}

func (s *Server) renderSweeps(c *fiber.Ctx, status int, sp sweepsPage) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	var err error
	if sp.Locations, err = s.Service.FindLocations(ctx, tracking.LocationFilter{Limit: 500}); err != nil {
		return err
	}
	if sp.Open, err = s.Service.FindSweeps(ctx, tracking.SweepFilter{Status: tracking.SweepOpen}); err != nil {
		return err
	}
	for _, sw := range sp.Open {
		if sw.Counts, err = s.Service.CountSweep(ctx, sw.ID); err != nil {
			return err
		}
	}
	if sp.Finished, err = s.Service.FindSweeps(ctx, tracking.SweepFilter{Status: tracking.SweepFinished, Limit: finishedListed}); err != nil {
		return err
	}
	p := s.newPage(c, "Sweeps", sp)
	p.Path = "/sweeps"
	return s.render(c, status, "sweeps", p)
}

func (s *Server) submitSweep(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	sw, err := s.Service.StartSweep(ctx, actor(c), c.FormValue("location"))
	if err != nil {
		if tracking.ErrorCode(err) == tracking.EINTERNAL {
			return err
		}
		return s.renderSweeps(c, statusOf(err), sweepsPage{Problem: tracking.ErrorMessage(err), Location: c.FormValue("location")})
	}
	return c.Redirect("/sweeps/"+strconv.FormatInt(int64(sw.ID), 10), fiber.StatusSeeOther)
}

// sweepPage is one sweep: while open, how far it has got and the form
// that finishes it; once finished, its report.
type sweepPage struct {
	Sweep   *tracking.Sweep
	Report  *tracking.SweepReport
	Problem string
	// Shown is the number of seen folders the page lists in full.
	Shown int
}

// seenShown bounds the list of every folder seen, which the CSV and PDF
// hold in full.
const seenShown = 500

func (s *Server) showSweepPage(c *fiber.Ctx) error {
	return s.renderSweep(c, fiber.StatusOK, "")
}

func (s *Server) renderSweep(c *fiber.Ctx, status int, problem string) error {
	id, err := sweepParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	sp := sweepPage{Problem: problem, Shown: seenShown}
	if sp.Sweep, err = s.Service.FindSweep(ctx, id); err != nil {
		return err
	}
	if sp.Sweep.Status == tracking.SweepFinished {
		if sp.Report, err = s.Service.SweepReport(ctx, actor(c), id); err != nil {
			return err
		}
		sp.Sweep = sp.Report.Sweep
	}
	title := "Sweep " + strconv.FormatInt(int64(id), 10) + " of " + sp.Sweep.Location.Code
	p := s.newPage(c, title, sp)
	p.Path = "/sweeps"
	return s.render(c, status, "sweep", p)
}

// submitFinishSweep finishes a sweep once the person says every folder
// there has been scanned.
func (s *Server) submitFinishSweep(c *fiber.Ctx) error {
	if c.FormValue("scanned_all") != "yes" {
		return s.renderSweep(c, fiber.StatusUnprocessableEntity,
			"Tick the box to say every folder at the location has been scanned: a folder not scanned is reported not seen.")
	}
	id, err := sweepParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	if _, err := s.Service.FinishSweep(ctx, actor(c), id); err != nil {
		if tracking.ErrorCode(err) == tracking.EINTERNAL {
			return err
		}
		return s.renderSweep(c, statusOf(err), tracking.ErrorMessage(err))
	}
	return c.Redirect("/sweeps/"+strconv.FormatInt(int64(id), 10), fiber.StatusSeeOther)
}
