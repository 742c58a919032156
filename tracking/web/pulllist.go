package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/casetrack/casetrack/labels"
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

func (s *Server) registerPullListRoutes(r fiber.Router) {
	r.Get("/pull-list", require(tracking.PermRequest), s.showPullList)
	r.Get("/pull-list/availability", require(tracking.PermRequest), s.showAvailability)
}

// queryDate reads a YYYY-MM-DD query value; zero when it is absent.
func queryDate(c *fiber.Ctx, name string) (tracking.Date, error) {
	v := strings.TrimSpace(c.Query(name))
	if v == "" {
		return tracking.Date{}, nil
	}
	d, err := tracking.ParseDate(v)
	if err != nil {
		return d, tracking.FieldError(name, "%s must be a date written YYYY-MM-DD (got %q).", name, v)
	}
	return d, nil
}

// showPullList answers a day's pull list as JSON, CSV or an A4 PDF pick
// list; the service writes every patient on it to the access log.
func (s *Server) showPullList(c *fiber.Ctx) error {
	format := c.Query("format", "json")
	if format != "json" && format != "csv" && format != "pdf" {
		return tracking.FieldError("format", "format must be json, csv or pdf.")
	}
	d, err := queryDate(c, "date")
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	pl, err := s.Service.PullList(ctx, actor(c), tracking.PullListFilter{Date: d, Clinic: c.Query("clinic"),
		Request: int64(c.QueryInt("request"))})
	if err != nil {
		return err
	}
	switch format {
	case "csv":
		return sendPullCSV(c, pl)
	case "pdf":
		return sendPickList(c, pl, c.Query("clinic"))
	}
	pl.Lines = nonNil(pl.Lines)
	return c.JSON(pl)
}

// pullCSVHeader is the CSV's header row, as API.md gives it.
var pullCSVHeader = []string{"request", "appointment", "hospital_number", "nhs_number", "family_name", "given_name",
	"volume", "volume_number", "clinic", "needed_by", "state", "current_location"}

func sendPullCSV(c *fiber.Ctx, pl *tracking.PullList) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(pullCSVHeader)
	for _, l := range pl.Lines {
		barcode, number, where := "", "", ""
		if l.Volume != nil {
			barcode, number = l.Volume.Barcode, strconv.Itoa(l.Volume.Number)
		}
		if l.CurrentLocation != nil {
			where = l.CurrentLocation.Code
		}
		_ = w.Write([]string{strconv.FormatInt(l.Request, 10), cell(l.Appointment), l.Patient.HospitalNumber,
			l.Patient.NHSNumber, cell(l.Patient.FamilyName), cell(l.Patient.GivenName), cell(barcode), number,
			l.Clinic.Code, l.NeededBy.Format(), string(l.State), where})
	}
	w.Flush()
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="pull-list-%s.csv"`, pl.Date))
	return c.Send(b.Bytes())
}

// cell keeps text a spreadsheet would run as a formula (a name typed as
// "=HYPERLINK(...)") as text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func sendPickList(c *fiber.Ctx, pl *tracking.PullList, clinic string) error {
	var b bytes.Buffer
	if err := labels.WritePickList(&b, pickList(pl, clinic, actor(c).Name, time.Now())); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`inline; filename="pull-list-%s.pdf"`, pl.Date))
	return c.Send(b.Bytes())
}

// pickList lays a pull list out for printing: a section for each shelf to
// pull from, each place to chase, then missing folders, patients with no
// notes and folders already at their clinic.
func pickList(pl *tracking.PullList, clinic, by string, now time.Time) labels.PickList {
	sub := "All clinics"
	if clinic != "" {
		sub = "Clinic " + strings.ToUpper(clinic)
	}
	out := labels.PickList{Title: "Pull list for " + pl.Date.Format("Mon 2 Jan 2006"), Subtitle: sub,
		Printed: "Printed " + now.In(pageZone()).Format("Mon 2 Jan 2006 15:04") + " by " + by}
	for _, l := range pl.Lines {
		heading := sectionHeading(l)
		if n := len(out.Sections); n == 0 || out.Sections[n-1].Heading != heading {
			out.Sections = append(out.Sections, labels.PickSection{Heading: heading})
		}
		sec := &out.Sections[len(out.Sections)-1]
		sec.Lines = append(sec.Lines, pickLine(l))
	}
	return out
}

func sectionHeading(l *tracking.PullLine) string {
	switch l.State {
	case tracking.PullInLibrary:
		return "Pull from " + l.CurrentLocation.Code + " " + l.CurrentLocation.Name
	case tracking.PullElsewhere:
		return "Chase at " + l.CurrentLocation.Code + " " + l.CurrentLocation.Name
	case tracking.PullMissing:
		return "Missing: search, then make up a temporary folder"
	case tracking.PullNoNotes:
		return "No notes: make up a new folder"
	}
	return "Already at the clinic"
}

func pickLine(l *tracking.PullLine) labels.PickLine {
	p := l.Patient
	out := labels.PickLine{HospitalNumber: p.HospitalNumber, Name: strings.ToUpper(p.FamilyName) + ", " + p.GivenName,
		Volume: "No notes", Clinic: l.Clinic.Code, Time: l.Start.In(pageZone()).Format("15:04")}
	if v := l.Volume; v != nil {
		out.Volume = "Vol " + strconv.Itoa(v.Number)
		if v.Count > 0 {
			out.Volume += " of " + strconv.Itoa(v.Count)
		}
	}
	if l.CurrentLocation != nil {
		out.Shelf = l.CurrentLocation.Code
	}
	return out
}

// showAvailability counts each clinic session's lines by state, days
// ahead: no patient is shown.
func (s *Server) showAvailability(c *fiber.Ctx) error {
	d, err := queryDate(c, "from")
	if err != nil {
		return err
	}
	if d.IsZero() {
		d = tracking.DateOf(time.Now().In(pageZone()))
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	sessions, err := s.Service.Availability(ctx, d, c.QueryInt("days", 1), c.Query("clinic"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"from": d, "sessions": nonNil(sessions)})
}
