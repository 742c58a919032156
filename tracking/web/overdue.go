package web

import (
	"strconv"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerOverdueRoutes adds the lists a records manager chases: overdue
// notes, missing ones, temporary folders and lately found ones.
func (s *Server) registerOverdueRoutes(r fiber.Router) {
	manage := require(tracking.PermManage)
	r.Get("/overdue", manage, s.listOverdue)
	r.Get("/missing", manage, s.listMissing)
	r.Get("/temporary", manage, s.listTemporary)
	r.Get("/found", manage, s.listFound)
}

// listOverdue answers GET /overdue as JSON or, with format=csv, CSV.
func (s *Server) listOverdue(c *fiber.Ctx) error {
	format, err := wantsFormat(c, "csv")
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	list, err := s.Service.Overdue(ctx, actor(c))
	if err != nil {
		return err
	}
	if format == "csv" {
		return sendCSV(c, "overdue.csv", overdueCSVHeader, overdueCSVRows(list))
	}
	return sendVolumes(c, list)
}

// sendVolumes answers {"volumes": [...]}, [] when there are none.
func sendVolumes[T any](c *fiber.Ctx, list []T) error {
	return c.JSON(fiber.Map{"volumes": nonNil(list)})
}

var overdueCSVHeader = []string{"barcode", "volume_number", "hospital_number", "nhs_number", "family_name", "given_name",
	"location", "location_name", "since", "overdue_by", "loan_period", "booked_by"}

func overdueCSVRows(list []*tracking.Overdue) [][]string {
	rows := make([][]string, len(list))
	for i, o := range list {
		p := o.Patient
		rows[i] = []string{o.Volume.Barcode, strconv.Itoa(o.Volume.Number), p.HospitalNumber, p.NHSNumber, p.FamilyName,
			p.GivenName, o.Location.Code, o.Location.Name, o.Since.Format(), strconv.FormatInt(o.OverdueBy, 10),
			o.LoanPeriod.String(), o.BookedBy}
	}
	return rows
}

// listMissing answers GET /missing as JSON or CSV.
func (s *Server) listMissing(c *fiber.Ctx) error {
	format, err := wantsFormat(c, "csv")
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	list, err := s.Service.Missing(ctx, actor(c))
	if err != nil {
		return err
	}
	if format == "csv" {
		return sendCSV(c, "missing.csv", missingCSVHeader, missingCSVRows(list))
	}
	return sendVolumes(c, list)
}

var missingCSVHeader = []string{"barcode", "volume_number", "hospital_number", "nhs_number", "family_name", "given_name",
	"last_location", "missing_since", "missing_for", "marked_by", "note", "escalate", "temporary"}

func missingCSVRows(list []*tracking.MissingVolume) [][]string {
	rows := make([][]string, len(list))
	for i, m := range list {
		p := m.Patient
		since := ""
		if !m.Since.IsZero() {
			since = m.Since.Format()
		}
		rows[i] = []string{m.Volume.Barcode, strconv.Itoa(m.Volume.Number), p.HospitalNumber, p.NHSNumber, p.FamilyName,
			p.GivenName, codeOf(m.Location), since, strconv.FormatInt(m.MissingFor, 10), m.By, m.Note,
			strconv.FormatBool(m.Escalate), m.Temporary}
	}
	return rows
}

func (s *Server) listTemporary(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	list, err := s.Service.Temporaries(ctx, actor(c))
	if err != nil {
		return err
	}
	return sendVolumes(c, list)
}

// listFound answers GET /found: the volumes found lately, or with
// mine=true those the caller had marked missing.
func (s *Server) listFound(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	list, err := s.Service.Found(ctx, actor(c), c.QueryBool("mine"))
	if err != nil {
		return err
	}
	return sendVolumes(c, list)
}
