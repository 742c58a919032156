package web

import (
	"net/url"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// Legal holds and review dates (SAFETY.md H09): the API and the pages that
// keep a volume from being destroyed too early. Holds are the records
// manager's (records and admin); review dates go with a volume's status
// (library, records and admin).

// registerHoldRoutes adds the API that places and lifts legal holds.
func (s *Server) registerHoldRoutes(r fiber.Router) {
	report := require(tracking.PermReport)
	r.Post("/patients/:hospital_number/hold", report, s.placeHold)
	r.Delete("/patients/:hospital_number/hold", report, s.liftHold)
	r.Get("/retention", report, s.listRetention)
}

// registerHoldPages adds the page that places and lifts a legal hold, and
// the review-date form of /lookup.
func (s *Server) registerHoldPages(r fiber.Router) {
	report := s.requirePage(tracking.PermReport)
	r.Get("/retention", report, s.showRetention)
	r.Get("/patients/:hospital_number/hold", report, s.showHold)
	r.Post("/patients/:hospital_number/hold", report, s.checkCSRF, s.submitHold)
	r.Post("/lookup/volumes/:barcode/retention", s.requirePage(tracking.PermManage), s.checkCSRF, s.submitRetainUntil)
}

func (s *Server) placeHold(c *fiber.Ctx) error {
	var body struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, jsonLimit, &body); err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	p, err := s.Service.PlaceHold(ctx, actor(c), param(c, "hospital_number"), body.Reason)
	if err != nil {
		return err
	}
	return c.JSON(patientAnswer(p))
}

// liftHold lifts a hold; the body (optional on DELETE, but asked for)
// says why.
func (s *Server) liftHold(c *fiber.Ctx) error {
	var body struct {
		Reason string `json:"reason"`
	}
	if c.Request().Header.ContentLength() != 0 {
		if err := decodeJSON(c, jsonLimit, &body); err != nil {
			return err
		}
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	p, err := s.Service.LiftHold(ctx, actor(c), param(c, "hospital_number"), body.Reason)
	if err != nil {
		return err
	}
	return c.JSON(patientAnswer(p))
}

// holdPage shows a patient's legal hold, if any, with the forms that
// place, change and lift it.
type holdPage struct {
	Patient *tracking.Patient
	Hold    *tracking.Hold
	Reason  string
	Problem string
	Done    string
}

func (s *Server) showHold(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	p, err := s.Service.FindPatient(ctx, actor(c), param(c, "hospital_number"))
	if err != nil {
		return err
	}
	hp, err := s.holdPageOf(c, p)
	if err != nil {
		return err
	}
	hp.Done = holdDone[c.Query("done")]
	return s.render(c, fiber.StatusOK, "hold", s.newPage(c, "Legal hold", hp))
}

// holdDone are the fixed sentences the page shows after a change.
var holdDone = map[string]string{
	"placed": "The legal hold is placed: no volume of this record can be recorded destroyed until it is lifted.",
	"lifted": "The legal hold is lifted.",
}

// holdPageOf is the page for the patient, with the hold on their record.
func (s *Server) holdPageOf(c *fiber.Ctx, p *tracking.Patient) (holdPage, error) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	hp := holdPage{Patient: p}
	h, err := s.Service.FindHold(ctx, p)
	if h != nil {
		hp.Hold, hp.Reason = h, h.Reason
	}
	return hp, err
}

// submitHold places (or changes the reason of) a hold, or lifts it.
func (s *Server) submitHold(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	hn := param(c, "hospital_number")
	var p *tracking.Patient
	var err error
	done := "placed"
	if c.FormValue("action") == "lift" {
		p, err = s.Service.LiftHold(ctx, actor(c), hn, c.FormValue("lift_reason"))
		done = "lifted"
	} else {
		p, err = s.Service.PlaceHold(ctx, actor(c), hn, c.FormValue("reason"))
	}
	if err == nil {
		return c.Redirect("/patients/"+url.PathEscape(p.HospitalNumber)+"/hold?done="+done, fiber.StatusSeeOther)
	}
	if code := tracking.ErrorCode(err); code == tracking.EINTERNAL || code == tracking.EUNAVAILABLE {
		return err
	}
	p, ferr := s.Service.FindPatient(ctx, actor(c), hn)
	if ferr != nil {
		return ferr
	}
	hp, ferr := s.holdPageOf(c, p)
	if ferr != nil {
		return ferr
	}
	hp.Problem = tracking.ErrorMessage(err)
	if c.FormValue("action") != "lift" {
		hp.Reason = strings.TrimSpace(c.FormValue("reason"))
	}
	return s.render(c, fiber.StatusUnprocessableEntity, "hold", s.newPage(c, "Legal hold", hp))
}

// submitRetainUntil sets or clears a volume's review date from /lookup.
func (s *Server) submitRetainUntil(c *fiber.Ctx) error {
	barcode := param(c, "barcode")
	ch, err := formDate("retain_until", strings.TrimSpace(c.FormValue("retain_until")))
	if err != nil {
		return s.lookupProblem(c, barcode, err)
	}
	upd := tracking.VolumeUpdate{RetainUntil: ch}
	ctx, cancel := s.ctx(c)
	defer cancel()
	v, err := s.Service.UpdateVolume(ctx, actor(c), barcode, upd)
	if err != nil {
		return s.lookupProblem(c, barcode, err)
	}
	return lookupDone(c, v.Patient.HospitalNumber, "retention")
}

// listRetention answers the retention list: destructions waiting for a
// second person, and folders whose review date has come.
func (s *Server) listRetention(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.Service.RetentionReview(ctx, actor(c))
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// retentionPage is the retention list as the page shows it.
type retentionPage struct {
	tracking.RetentionReview
	Max       int
	TwoPeople bool
}

func (s *Server) showRetention(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.Service.RetentionReview(ctx, actor(c))
	if err != nil {
		return err
	}
	rp := retentionPage{RetentionReview: r, Max: tracking.MaxRetentionReview, TwoPeople: s.Service.TwoPersonDestruction}
	return s.render(c, fiber.StatusOK, "retention", s.newPage(c, "Retention", rp))
}
